# Tuples have one free list per length: a new tuple reuses a freed tuple of the same length only.
k = 9
pair = (k, k)
triple = (k, k, k)
pair_id = id(pair)
triple_id = id(triple)
del pair, triple

new_triple = (k, k + 1, k + 2)
print("new triple reuses the old triple:", id(new_triple) == triple_id)
print("new triple reuses the old pair:", id(new_triple) == pair_id)
new_pair = (k, k + 1)
print("new pair reuses the old pair:", id(new_pair) == pair_id)

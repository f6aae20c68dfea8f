# The small-object allocator keeps a pool per size class: a freed block serves only that size.
k = 5
small = "x" * k
big = "y" * (k * 40)
small_id = id(small)
big_id = id(big)
del small, big

new_big = "z" * (k * 40)
new_small = "w" * k
print("big str reuses the big block:", id(new_big) == big_id)
print("small str reuses the small block:", id(new_small) == small_id)
print("big str took the small block:", id(new_big) == small_id)

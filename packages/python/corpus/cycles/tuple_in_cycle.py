# Immutable tuples can still sit on a cycle when they contain a mutable container.
import gc

gc.collect()
box = []
t = (box, "label")
box.append(t)
print("tuple inside list:", box[0] is t)
del box, t
# The list and the tuple.
print("collected:", gc.collect())

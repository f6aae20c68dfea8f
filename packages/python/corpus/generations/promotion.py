# An object that survives a young collection moves to the next generation.
import gc


def in_generation(obj, gen):
    return any(o is obj for o in gc.get_objects(generation=gen))


gc.collect()
survivor = [1, 2, 3]
print("young after creation:", in_generation(survivor, 0))
gc.collect(0)
print("young after collect(0):", in_generation(survivor, 0))
print("middle after collect(0):", in_generation(survivor, 1))
gc.collect(1)
print("old after collect(1):", in_generation(survivor, 2))

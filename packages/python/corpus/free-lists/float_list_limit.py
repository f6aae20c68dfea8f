# The float free list holds at most 100 floats; freeing more gives the rest back to the allocator.
import gc

gc.collect()
floats = [i + 0.5 for i in range(150)]
ids = [id(f) for f in floats]
# Free them in order: the first 100 freed fill the free list.
while floats:
    floats.pop(0)
fresh = [i + 0.25 for i in range(100)]
# The newest 100 come straight back off the free list, in reverse order of freeing.
reused = [id(f) in ids[:100] for f in fresh]
print("all 100 reuse early floats:", all(reused))
print("top of the stack is float 99:", id(fresh[0]) == ids[99])

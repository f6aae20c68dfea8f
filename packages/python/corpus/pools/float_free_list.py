# Freed floats go to a free list of up to 100 entries; only the rest give their blocks back.
import gc
import sys


def freed_by_del(n):
    gc.collect()
    # CPython's method cache keeps alive the attribute names it caches; clearing it frees
    # stale names now rather than at a later cache eviction in the middle of a measurement.
    sys._clear_type_cache()
    floats = [float(i) for i in range(n)]
    before = sys.getallocatedblocks()
    del floats
    after = sys.getallocatedblocks()
    # The list object is parked on the list free list; its item array is freed.
    # Add back the int stored in `before`, then leave out the item array.
    return before - after + 1 - 1


for n in [10, 100, 101, 1000]:
    print("del of", n, "floats frees", freed_by_del(n), "float blocks")


def fresh_cost(n):
    # Right after the floats above were freed, the float free list is full.
    floats = [float(i) for i in range(100)]
    del floats
    before = sys.getallocatedblocks()
    again = [float(i) for i in range(n)]
    after = sys.getallocatedblocks()
    # Minus the int in `before` and the new list's item array.
    return after - before - 2


gc.collect()
sys._clear_type_cache()
print("50 floats after a full free list:", fresh_cost(50))
print("150 floats after a full free list:", fresh_cost(150))

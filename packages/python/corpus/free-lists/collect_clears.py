# A full collection empties the free lists; freed memory then goes back to the allocator.
import gc
import sys


def blocks_for_floats(n, collect_first):
    floats = [i + 0.5 for i in range(n)]
    del floats
    # Up to 100 of those floats now wait on the float free list.
    if collect_first:
        gc.collect()
    # CPython's method cache keeps alive the attribute names it caches; clearing it frees
    # stale names now rather than at a later cache eviction in the middle of a measurement.
    sys._clear_type_cache()
    before = sys.getallocatedblocks()
    more = [i + 0.25 for i in range(n)]
    after = sys.getallocatedblocks()
    # Minus the int in `before` and the new list's item array.  After a collection
    # the list object itself is new too: the list free list was emptied as well.
    return after - before - 2


blocks_for_floats(10, True)  # warm up
print("50 floats, free list full:", blocks_for_floats(50, False))
print("50 floats, after a collection:", blocks_for_floats(50, True))

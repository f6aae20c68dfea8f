# Small ints are preallocated (no new block); any other int is one block however many digits it has.
import gc
import sys


def cost(make):
    gc.collect()
    # CPython's method cache keeps alive the attribute names it caches; clearing it frees
    # stale names now rather than at a later cache eviction in the middle of a measurement.
    sys._clear_type_cache()
    before = sys.getallocatedblocks()
    obj = make()
    after = sys.getallocatedblocks()
    return after - before - 1


zero = 0
cost(lambda: 1 + zero)  # warm up
for value in [7, 256, 257, -5, -6, 10**30, 10**500]:
    # Adding zero builds a new result object unless the result is a cached small int.
    print("int with", len(str(value)), "chars:", cost(lambda: value + zero))

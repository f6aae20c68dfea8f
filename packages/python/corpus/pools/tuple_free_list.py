# A freed small tuple is kept on a free list by length and handed out again without a new block.
import gc
import sys

seed = 5


def three_tuple_cost():
    before = sys.getallocatedblocks()
    t = (seed, seed, seed)
    after = sys.getallocatedblocks()
    return after - before - 1


three_tuple_cost()  # warm up
gc.collect()
# CPython's method cache keeps alive the attribute names it caches; clearing it frees
# stale names now rather than at a later cache eviction in the middle of a measurement.
sys._clear_type_cache()
# The free lists are empty now: the first tuple is a new block.
print("first 3-tuple:", three_tuple_cost())
# That tuple died when the call returned and waits on the free list for length 3.
print("second 3-tuple:", three_tuple_cost())
print("third 3-tuple:", three_tuple_cost())

# sys.getallocatedblocks counts live memory blocks; the int holding a reading is itself one of them.
import gc
import sys

gc.collect()
# CPython's method cache keeps alive the attribute names it caches; clearing it frees
# stale names now rather than at a later cache eviction in the middle of a measurement.
sys._clear_type_cache()
first = sys.getallocatedblocks()
second = sys.getallocatedblocks()
# Nothing happened between the readings except creating the int stored in `first`.
print("difference between two readings:", second - first)
print("a reading is positive:", first > 0)

# sys.getallocatedblocks counts live memory blocks; the int holding a reading is itself one of them.
import gc
import sys

gc.collect()
first = sys.getallocatedblocks()
second = sys.getallocatedblocks()
# Nothing happened between the readings except creating the int stored in `first`.
print("difference between two readings:", second - first)
print("a reading is positive:", first > 0)

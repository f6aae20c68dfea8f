# Empty bytes, empty str, empty tuple and one-character strs and bytes are shared objects: no new block.
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


data = b"abcdef"
text = "abcdef"
items = (1, 2, 3, 4)
n = 0
# Warm up each kind once so that one-time setup is not measured.
cost(lambda: data[:n])
cost(lambda: text[:n])
cost(lambda: items[:n])
for n in [0, 1, 2, 3]:
    print("slice of length", n, end=": ")
    print("bytes", cost(lambda: data[:n]), end=", ")
    print("str", cost(lambda: text[:n]), end=", ")
    print("tuple", cost(lambda: items[:n]))

# A bytes object is a single allocation, whether it is small or far larger than a pool block.
import gc
import sys


def cost(make):
    # A full collection also empties the free lists, so every allocation below is fresh.
    gc.collect()
    # CPython's method cache keeps alive the attribute names it caches; clearing it frees
    # stale names now rather than at a later cache eviction in the middle of a measurement.
    sys._clear_type_cache()
    before = sys.getallocatedblocks()
    obj = make()
    after = sys.getallocatedblocks()
    # Subtract the block of the int stored in `before`.
    return after - before - 1


# Warm up once so that one-time setup is not measured.
cost(lambda: b"x" * 8)
# Up to 512 bytes (479 bytes of data plus the header) an object lives in a pool block;
# bigger ones come from the system allocator, and CPython counts those blocks too.
for n in [2, 100, 479, 480, 1000, 100000]:
    print("bytes of length", n, "->", cost(lambda: b"x" * n), "block(s)")

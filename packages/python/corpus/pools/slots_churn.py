# Deleting many objects without cycles returns their blocks at once: only a few spares remain.
import gc
import sys


class Point:
    __slots__ = ("x", "y")

    def __init__(self, x, y):
        self.x = x
        self.y = y


def churn(n):
    gc.collect()
    # CPython's method cache keeps alive the attribute names it caches; clearing it frees
    # stale names now rather than at a later cache eviction in the middle of a measurement.
    sys._clear_type_cache()
    start = sys.getallocatedblocks()
    points = [Point(i, i) for i in range(n)]
    middle = sys.getallocatedblocks()
    del points
    end = sys.getallocatedblocks()
    # Left over: the ints in `start` and `middle`, the list object waiting on the list
    # free list, and the argument tuple Point(i, i) was called with, on the tuple free list.
    return middle - start, end - start


churn(10)  # warm up
for n in [100, 500]:
    alive, left = churn(n)
    print(n, "points: at least n blocks alive:", alive >= n, "left over after del:", left)

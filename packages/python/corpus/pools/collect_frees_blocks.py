# Blocks held by unreachable cycles are only released when the collector runs.
import gc
import sys


class Node:
    __slots__ = ("peer",)


def make_pairs(n):
    pairs = []
    for _ in range(n):
        a = Node()
        b = Node()
        a.peer = b
        b.peer = a
        pairs.append(a)
    return pairs


gc.collect()
# CPython's method cache keeps alive the attribute names it caches; clearing it frees
# stale names now rather than at a later cache eviction in the middle of a measurement.
sys._clear_type_cache()
gc.disable()
pairs = make_pairs(300)
before_del = sys.getallocatedblocks()
del pairs
after_del = sys.getallocatedblocks()
# Only the list's item array is freed; its 300 pairs are still cycles.
print("blocks freed by del:", before_del - after_del + 1)
found = gc.collect()
after_collect = sys.getallocatedblocks()
print("collect() found:", found)
# The ints in `after_del` and `found` are new blocks counted in the last reading.
print("blocks freed by collect:", after_del - after_collect + 2)
gc.enable()

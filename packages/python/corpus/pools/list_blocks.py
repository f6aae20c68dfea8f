# An empty list is one block; once it holds items, the item array is a second block.
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


def grown(n):
    items = []
    for _ in range(n):
        items.append(None)
    return items


cost(list)  # warm up
print("empty list:", cost(list))
print("list of three:", cost(lambda: [1, 2, 3]))
# Growing by append reallocates the item array: it stays one block however big.
print("list grown to 10:", cost(lambda: grown(10)))
print("list grown to 1000:", cost(lambda: grown(1000)))

# An instance with a dict of attributes takes two blocks (object and values); with __slots__, one.
import gc
import sys


class WithDict:
    def __init__(self):
        self.x = 1
        self.y = 2


class WithSlots:
    __slots__ = ("x", "y")

    def __init__(self):
        self.x = 1
        self.y = 2


def cost(make):
    gc.collect()
    # CPython's method cache keeps alive the attribute names it caches; clearing it frees
    # stale names now rather than at a later cache eviction in the middle of a measurement.
    sys._clear_type_cache()
    before = sys.getallocatedblocks()
    obj = make()
    after = sys.getallocatedblocks()
    return after - before - 1


cost(WithDict)  # warm up
cost(WithSlots)
print("instance with __dict__:", cost(WithDict))
print("instance with __slots__:", cost(WithSlots))
print("bare object():", cost(object))

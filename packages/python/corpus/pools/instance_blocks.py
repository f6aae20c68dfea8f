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
    before = sys.getallocatedblocks()
    obj = make()
    after = sys.getallocatedblocks()
    return after - before - 1


cost(WithDict)  # warm up
cost(WithSlots)
print("instance with __dict__:", cost(WithDict))
print("instance with __slots__:", cost(WithSlots))
print("bare object():", cost(object))

# namedtuple instances are as small as tuples: the class has __slots__ = (), so an instance
# has no __dict__ and is laid out exactly as a tuple of the same length.
import gc
import sys
from collections import namedtuple

Point = namedtuple("Point", "x y")


class PlainPoint:
    def __init__(self, x, y):
        self.x = x
        self.y = y


p = Point(1, 2)
print(p, p.x, p.y)
print("namedtuple:", sys.getsizeof(p), "tuple:", sys.getsizeof((1, 2)))
print("has __dict__:", hasattr(p, "__dict__"), "plain instance has:", hasattr(PlainPoint(1, 2), "__dict__"))
print("tracked like a tuple:", gc.is_tracked(p))
# Fields are read by position through the class, not stored by name.
print(p[0], p._fields, p._asdict())

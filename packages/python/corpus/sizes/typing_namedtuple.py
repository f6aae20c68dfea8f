# A typing.NamedTuple class is a namedtuple: its instances are plain tuples with named
# fields, so two fields cost what a 2-tuple costs (56 bytes), with no per-instance dict.
import sys
from typing import NamedTuple


class Point(NamedTuple):
    x: int
    y: int = 0

    def norm1(self) -> int:
        return abs(self.x) + abs(self.y)


p = Point(3, -4)
print(p, p.norm1(), Point(7), Point._fields, Point.__annotations__)
print(isinstance(p, tuple), Point.__mro__)
print(sys.getsizeof(p), sys.getsizeof((3, -4)), hasattr(p, "__dict__"))
print(sys.getsizeof(Point(1, 2)) == sys.getsizeof(tuple(Point(1, 2))))

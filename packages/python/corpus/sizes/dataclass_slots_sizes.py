# @dataclass(slots=True) makes the class again with __slots__ for its fields: its instances have
# no __dict__, so each is smaller than a plain dataclass's instance, and with no dict to make
# the first attribute store allocates nothing more.
import gc
import sys
from dataclasses import dataclass


@dataclass
class Plain:
    x: int
    y: int


@dataclass(slots=True)
class Slotted:
    x: int
    y: int


p = Plain(1, 2)
s = Slotted(1, 2)
print("plain:", sys.getsizeof(p), "slotted:", sys.getsizeof(s))
print("slots:", Slotted.__slots__, "has __dict__:", hasattr(p, "__dict__"), hasattr(s, "__dict__"))
print("same repr and equality:", p, s, s == Slotted(1, 2))
gc.collect()
sys._clear_type_cache()
before = sys.getallocatedblocks()
many = [Slotted(i, i) for i in range(100)]
print("100 slotted instances, blocks:", sys.getallocatedblocks() - before)
before = sys.getallocatedblocks()
many_plain = [Plain(i, i) for i in range(100)]
print("100 plain instances, blocks:", sys.getallocatedblocks() - before)
try:
    s.z = 3
except AttributeError as error:
    print("AttributeError:", error)

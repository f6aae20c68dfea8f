# A class is a heap type object: sys.getsizeof counts the PyHeapTypeObject (and its GC head),
# plus the shared key table of instance dicts when its instances keep their dict before the
# object. A metaclass's classes are the same size; the metaclass itself has no such table.
import sys


class Plain:
    pass


class Slotted:
    __slots__ = ("a", "b")


class Meta(type):
    pass


class WithMeta(metaclass=Meta):
    pass


Made = type("Made", (), {})
print("plain class:", sys.getsizeof(Plain))
print("slotted class:", sys.getsizeof(Slotted))
print("class of a metaclass:", sys.getsizeof(WithMeta))
print("class made by type():", sys.getsizeof(Made))
print("the metaclass:", sys.getsizeof(Meta))
print("type itself:", sys.getsizeof(type))

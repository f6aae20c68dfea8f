# A class is a cycle from the moment it exists: its MRO tuple starts with the class itself, and
# the __dict__ and __weakref__ descriptors in its namespace point back at it. Counting alone can
# never free a class; a class made inside a function and dropped waits for the collector.
import gc
import sys

gc.collect()


def make_class():
    class Temporary:
        def method(self):
            return 1

    return Temporary


for _ in range(3):
    make_class()
# Each dropped class leaves the class, its dict, its MRO and bases tuples, its two descriptors
# and the function of its method.
print("freed by the collector:", gc.collect())


class Base:
    pass


def make_subclass():
    class Derived(Base):
        pass

    return Derived


make_subclass()
# A subclass of a class that already gives instances a __dict__ adds no descriptors, and its
# dict holds only strs and None, so the collector does not track it: class, MRO and bases.
print("a dropped subclass:", gc.collect())

# The references a class holds to itself show in its count: the name, getrefcount's argument,
# the MRO tuple, and one per descriptor.
class Slotted:
    __slots__ = ("x", "y")


print(sys.getrefcount(Base), sys.getrefcount(Slotted), sys.getrefcount(make_subclass()))
print(Base.__mro__[0] is Base, Base.__mro__ is Base.__mro__, gc.is_tracked(Base))
print([type(Base.__dict__[name]).__name__ for name in ("__dict__", "__weakref__")])
print([type(Slotted.__dict__[name]).__name__ for name in ("x", "y")], "__dict__" in Slotted.__dict__)
print(gc.get_referents(Base.__dict__["__dict__"])[0] is Base)

# Built-in types are static: never tracked, and smaller than a class statement's heap type.
print(gc.is_tracked(int), sys.getsizeof(int), sys.getsizeof(Base), sys.getsizeof(Slotted))

# __dict__ of a class is a read-only mappingproxy, a new small object on every access.
view = Base.__dict__
print(type(view).__name__, Base.__dict__ is view, sys.getsizeof(view), gc.is_tracked(view))
try:
    view["attr"] = 1
except TypeError as error:
    print("TypeError:", error)
print(sorted(view), view["__doc__"], "__module__" in view)

# Every instance of a class holds a reference to its class, so the class's count grows with them.
import sys


class Plain:
    pass


class Slotted:
    __slots__ = ("x",)


class Empty:
    __slots__ = ()


class Failure(Exception):
    pass


for cls in (Plain, Slotted, Empty, Failure):
    before = sys.getrefcount(cls)
    objs = [cls() for _ in range(5)]
    print(f"{cls.__name__} with five instances: +{sys.getrefcount(cls) - before}")
    del objs[:2]
    print(f"{cls.__name__} after dropping two: +{sys.getrefcount(cls) - before}")
    objs.clear()
    print(f"{cls.__name__} after dropping all: +{sys.getrefcount(cls) - before}")


# A subclass's instance holds the subclass only, not its base.
class Child(Plain):
    pass


base_before = sys.getrefcount(Plain)
child_before = sys.getrefcount(Child)
kids = [Child(), Child()]
print(f"Plain: +{sys.getrefcount(Plain) - base_before}")
print(f"Child: +{sys.getrefcount(Child) - child_before}")

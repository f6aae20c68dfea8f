# Which built-in types and slotted classes can be combined as bases. Each base has a "solid
# base": the nearest class in its chain that adds fields to the C struct of its instances
# (int adds digits, list its item array, __slots__ = ("a",) one pointer). The new class's
# instances can only be laid out if one solid base extends all the others; a __weakref__ or
# __dict__ added by a class statement does not count.
import sys


class Plain:
    pass


class One:
    __slots__ = ("a",)


class Other:
    __slots__ = ("b",)


class Empty:
    __slots__ = ()


class WeakOnly:
    __slots__ = ("__weakref__",)


class MyInt(int):
    pass


class YourInt(int):
    pass


def combine(*bases):
    names = ", ".join(b.__name__ for b in bases)
    try:
        class C(*bases):
            pass
        print(f"({names}) -> base {C.__base__.__name__}, instance {sys.getsizeof(C())} bytes")
    except TypeError as e:
        print(f"({names}) -> {e}")


combine(Plain, One)
combine(One, Other)
combine(One, Empty, WeakOnly)
combine(int, str)
combine(list, dict)
combine(list, Plain)
combine(Plain, dict)
combine(MyInt, int)
combine(MyInt, YourInt)
combine(KeyError, IndexError)
combine(OSError, ValueError)
combine(OSError, StopIteration)
combine(ValueError, list)

# What a subclass of a built-in container costs: the built-in object, then what `type_new`
# adds after it. list and dict get a __weakref__ slot (8 bytes) and the 16-byte managed-dict
# header before the object; set has its own weak reference list, so it only gets the header.
# __slots__ = () leaves both out; each named slot is 8 more bytes.
import gc
import sys


class L(list):
    pass


class D(dict):
    pass


class S(set):
    pass


class Bare(list):
    __slots__ = ()


class Two(list):
    __slots__ = ("a", "b")


for cls, base in [(L, list), (D, dict), (S, set), (Bare, list), (Two, list)]:
    print(cls.__name__, sys.getsizeof(cls()), "vs", base.__name__, sys.getsizeof(base()))

# The items live where the base keeps them: the same growth as a plain list.
lst, sub = [], L()
for i in range(10):
    lst.append(i)
    sub.append(i)
    print(i, sys.getsizeof(lst), sys.getsizeof(sub))

# The instance dict is made when it is first needed, and is not counted in getsizeof.
x = L([1, 2, 3])
before = sys.getsizeof(x)
x.note = "hello"
print(before, sys.getsizeof(x), x.__dict__)

# Every instance of a class is tracked by the collector, even an empty dict subclass
# (an empty plain dict is not).
print(gc.is_tracked({}), gc.is_tracked(D()), gc.is_tracked(L()), gc.is_tracked(S()))
print(gc.is_tracked(Bare()), gc.is_tracked(Two()))

# A set subclass grows its table as a set does.
a, b = set(), S()
for i in range(20):
    a.add(i)
    b.add(i)
print(sys.getsizeof(a), sys.getsizeof(b))

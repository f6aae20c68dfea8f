// `__new__` written in Python, against python3: an implicit static method in the class dict,
// called with the class by type_call, `__init__` run only on an instance of the class, and the
// built-in `__new__`s it reaches (`object.__new__`, `super().__new__`, an exception's, a list's)
// with tp_new_wrapper's checks.

import { describeAgainstPython } from "./against-python.js";

describeAgainstPython("__new__ in a class", [
  [
    "singletons, slots and objects of another class",
    `import sys
class Singleton:
    _inst = None
    def __new__(cls, *args):
        if cls._inst is None:
            cls._inst = super().__new__(cls)
        return cls._inst
    def __init__(self, v):
        self.v = v
a = Singleton(1)
b = Singleton(2)
print(a is b, a.v, type(Singleton.__dict__["__new__"]).__name__)
class Point:
    __slots__ = ("x", "y")
    def __new__(cls, x, y):
        p = object.__new__(cls)
        p.x, p.y = x, y
        return p
p = Point(1, 2)
print(p.x, p.y, sys.getsizeof(p), sys.getrefcount(Point) > 1)
class NotMine:
    def __new__(cls):
        return 42
    def __init__(self):
        print("never")
print(NotMine())
class Sub(Singleton):
    pass
print(Sub(3) is a, a.v)`,
  ],
  [
    "exceptions and list subclasses",
    `class E(Exception):
    def __new__(cls, *args):
        print("new", args)
        return super().__new__(cls, *args)
e = E(1, 2)
print(e.args, repr(e))
class F(Exception):
    def __new__(cls, *args):
        return Exception.__new__(cls, "fixed")
    def __init__(self, *args):
        pass
print(F(1).args)
class L(list):
    def __new__(cls, *args):
        return super().__new__(cls)
print(L([1, 2]), type(L()).__name__)`,
  ],
  [
    "tp_new_wrapper's checks",
    `def attempt(f):
    try:
        r = f()
        print(type(r).__name__)
    except TypeError as e:
        print("TypeError:", e)
class L(list):
    pass
class P:
    def __new__(cls):
        return object.__new__(cls)
class Q:
    pass
attempt(lambda: object.__new__(1))
attempt(lambda: object.__new__(L))
attempt(lambda: list.__new__(Q))
attempt(lambda: object.__new__(P, 1))
attempt(lambda: object.__new__(Q, 1))
attempt(lambda: object.__new__(Q))
attempt(lambda: Q(1))
attempt(lambda: P())`,
  ],
  [
    "the same checks for subclasses of int, str and tuple, and values through __new__",
    `import copy, weakref
def attempt(f):
    try:
        r = f()
        print(type(r).__name__, r)
    except TypeError as e:
        print("TypeError:", e)
class I(int):
    def __new__(cls, v):
        return super().__new__(cls, v * 2)
class S(str):
    def __new__(cls, v):
        o = str.__new__(cls, v.upper())
        o.extra = 1
        return o
class T(tuple):
    pass
attempt(lambda: I(4))
attempt(lambda: S("ab").extra)
attempt(lambda: object.__new__(I))
attempt(lambda: object.__new__(T))
attempt(lambda: int.__new__(S))
attempt(lambda: str.__new__(S, 5))
attempt(lambda: tuple.__new__(T, [1, 2]))
attempt(lambda: list.__new__(list))
attempt(lambda: copy.deepcopy(I(3)))
attempt(lambda: copy.copy(T((1, 2))))
class R(weakref.ref):
    pass
attempt(lambda: int.__new__(R))
attempt(lambda: weakref.ref.__new__(I, 1))
print(type(int.__new__).__name__, type(int.__add__).__name__, type(str.upper).__name__)`,
  ],
]);

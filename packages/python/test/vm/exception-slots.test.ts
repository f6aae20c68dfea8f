// `__slots__` in subclasses of the exceptions, against python3: the members laid out after the
// base's struct (sizes), their descriptors in the class dict, reads, writes and deletes beside
// the instance dict, what the collector sees and frees, weak references only where a
// `__weakref__` slot is, and type_new's TypeErrors for a `__dict__` or `__weakref__` slot the
// base already gives.

import { describeAgainstPython } from "./against-python.js";

describeAgainstPython("__slots__ in exception subclasses", [
  [
    "sizes and weak references",
    `import sys, weakref
class E(Exception):
    __slots__ = ("b", "a")
class F(Exception):
    pass
class G(E):
    __slots__ = ("c",)
class H(Exception):
    __slots__ = ("x", "__weakref__")
class K(Exception):
    __slots__ = ()
class E2(E):
    pass
class F2(F):
    __slots__ = ("q",)
class N(OSError):
    __slots__ = ("z",)
class A(AttributeError):
    __slots__ = ("extra",)
for c in (E, F, G, H, K, E2, F2, N, A):
    o = c()
    try:
        weak = weakref.ref(o)() is o
    except TypeError as e:
        weak = str(e)
    print(c.__name__, sys.getsizeof(o), weak, sorted(c.__dict__))
print(type(E.__dict__["a"]).__name__, E.__dict__["a"], "__weakref__" in E.__dict__)`,
  ],
  [
    "members beside the dict",
    `import gc
class E(Exception):
    __slots__ = ("a", "b")
class G(E):
    __slots__ = ("c",)
e = E("m")
e.a = [1]
e.other = 3
print(e.a, e.__dict__, e.args, str(e))
try:
    e.b
except AttributeError as x:
    print(x)
g = G(1, 2)
g.a, g.c = "a", "c"
print(g.a, g.c, g.__dict__, g.args)
del g.a
try:
    del g.a
except AttributeError as x:
    print("AttributeError", x)
print(hasattr(g, "a"), getattr(g, "a", "gone"))
r = gc.get_referents(e)
print(len(r), sorted(type(x).__name__ for x in r))
class V(ValueError):
    __slots__ = ("code",)
    def __init__(self, msg, code):
        super().__init__(msg)
        self.code = code
try:
    raise V("bad", 7)
except V as err:
    print(err, err.code, err.args, err.__dict__)
class A(AttributeError):
    __slots__ = ("extra",)
a = A("x", name="n")
a.extra = 1
print(a.name, a.extra)`,
  ],
  [
    "members released and collected",
    `import gc
class D:
    def __init__(self, n):
        self.n = n
    def __del__(self):
        print("del", self.n)
class E(Exception):
    __slots__ = ("a", "b")
e = E()
e.a, e.b = D(1), D(2)
del e
print("dropped")
e = E()
e.a = e
e.b = D(3)
del e
print("cycle", gc.collect())
try:
    raise E("x")
except E as err:
    err.a = err
print("raised", gc.collect())`,
  ],
  [
    "__dict__ and __weakref__ slots the base already gives",
    `def attempt(make):
    try:
        make()
        print("ok")
    except TypeError as e:
        print(e)
class P:
    pass
class S:
    __slots__ = ("__weakref__",)
def a():
    class C(P): __slots__ = ("__weakref__",)
def b():
    class C(S): __slots__ = ("__weakref__",)
def c():
    class C(S): __slots__ = ("__dict__", "__dict__")
def d():
    class C(set): __slots__ = ("__weakref__",)
def e():
    class C(list): __slots__ = ("__weakref__", "__dict__")
def f():
    class C(Exception): __slots__ = ("__weakref__",)
def g():
    class C(Exception): __slots__ = ("__dict__",)
def h():
    class C(Exception): pass
    class D(C): __slots__ = ("__weakref__",)
for make in (a, b, c, d, e, f, g, h):
    attempt(make)`,
  ],
]);

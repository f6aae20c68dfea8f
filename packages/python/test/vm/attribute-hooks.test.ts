// The attribute hooks a class can define, against python3: `__getattr__` answering what the
// ordinary lookup did not find (and the AttributeError context CPython keeps when an inner lookup
// set it first), `__setattr__` and `object.__setattr__`, a property's deleter, and
// `__init_subclass__` (an implicit class method called for each new subclass).

import { describeAgainstPython } from "./against-python.js";

describeAgainstPython("attribute hooks", [
  [
    "__getattr__ forwarding to another object",
    `class Proxy:
    def __init__(self, target):
        self._target = target
    def __getattr__(self, name):
        print("forward", name)
        return getattr(self._target, name)
p = Proxy([3, 1, 2])
p.sort()
print(p._target, p.count(1), hasattr(p, "nope"), getattr(p, "nope", "dflt"))
try:
    p.nope
except AttributeError as e:
    print(e, e.name, e.obj is p._target)
class Sub(Proxy):
    pass
print(Sub("abc").upper())`,
  ],
  [
    "__getattr__ computing and caching",
    `import sys
class Lazy:
    def __getattr__(self, name):
        if name.startswith("x"):
            v = name * 2
            setattr(self, name, v)
            return v
        raise AttributeError(f"no {name}")
l = Lazy()
print(l.xa, l.__dict__, l.xa)
try:
    l.y
except AttributeError as e:
    print(e, e.name, e.obj is l)
print(sys.getrefcount(l))`,
  ],
  [
    "a property's deleter",
    `class P:
    def __init__(self):
        self._v = 0
    @property
    def v(self):
        return self._v
    @v.deleter
    def v(self):
        print("deleting")
        del self._v
class R:
    @property
    def v(self):
        return 1
p = P()
del p.v
print(hasattr(p, "_v"))
try:
    p.v = 3
except AttributeError as e:
    print(e)
try:
    del R().v
except AttributeError as e:
    print(e)`,
  ],
  [
    "__setattr__ and the generic store it hands over to",
    `import sys
class Locked:
    def __init__(self):
        self.a = 1
    def __setattr__(self, name, value):
        print("set", name, value)
        if name.startswith("_"):
            raise AttributeError("private")
        super().__setattr__(name, value)
lk = Locked()
lk.b = 2
try:
    lk._c = 3
except AttributeError as e:
    print(e)
print(lk.__dict__)
setattr(lk, "d", 4)
object.__setattr__(lk, "_e", 5)
print(lk.__dict__)
class Child(Locked):
    pass
Child().x = 9
for i in range(3):
    lk.b = i
print(lk.b)
try:
    object.__setattr__(lk, 1, 2)
except TypeError as e:
    print(e)`,
  ],
  [
    "__init_subclass__",
    `import sys
class Plugin:
    registry = []
    def __init_subclass__(cls):
        Plugin.registry.append(cls.__name__)
        cls.tag = cls.__name__.lower()
class A(Plugin): pass
class B(A): pass
print(Plugin.registry, B.tag, type(Plugin.__dict__["__init_subclass__"]).__name__, sys.getrefcount(A))
class Bad:
    def __init_subclass__(cls):
        raise ValueError("no subclasses")
try:
    class C(Bad): pass
except ValueError as e:
    print(e)`,
  ],
  [
    "__getattribute__ for every read, object.__getattribute__ and super() as the fallback",
    `import sys
class Logged:
    def __init__(self):
        self.x = 1
    def __getattribute__(self, name):
        print("get", name)
        return object.__getattribute__(self, name)
    def m(self):
        return self.x + 1
l = Logged()
print(l.x, l.m(), getattr(l, "x"), hasattr(l, "nope"))
for i in range(3):
    print(l.x, l.m())
try:
    l.nope
except AttributeError as e:
    print(e, e.name, e.obj is l)
class Sub(Logged):
    def __getattribute__(self, name):
        print("sub", name)
        return super().__getattribute__(name)
print(Sub().x)
print(type(object.__getattribute__).__name__, object.__getattribute__)
print(type(l.__getattribute__).__name__, sys.getrefcount(l))
class Const:
    def __getattribute__(self, name):
        return 42
c = Const()
print(c.anything, c.__class__, c.__dict__)
try:
    object.__getattribute__(c, 3)
except TypeError as e:
    print(e)`,
  ],
  [
    "__getattribute__'s AttributeError falls through to __getattr__",
    `class A:
    def __getattribute__(self, name):
        if name.startswith("_"):
            raise AttributeError("hidden " + name)
        return object.__getattribute__(self, name)
    def __getattr__(self, name):
        return "fallback " + name
    def f(self):
        return "f"
a = A()
print(a._x, a.f(), a.missing)
class B:
    def __getattribute__(self, name):
        raise AttributeError("custom " + name)
b = B()
try:
    b.x
except AttributeError as e:
    print(e, e.name, e.obj is b)
class C:
    def __getattribute__(self, name):
        raise KeyError(name)
    def __getattr__(self, name):
        return "never"
try:
    C().y
except KeyError as e:
    print("KeyError", e)`,
  ],
  [
    "__getattribute__ on exceptions and list subclasses, and assigned to a class later",
    `class E(Exception):
    def __getattribute__(self, name):
        print("E get", name)
        return super().__getattribute__(name)
print(E(1, 2).args)
class LL(list):
    def __getattribute__(self, name):
        print("LL get", name)
        return list.__getattribute__(self, name)
ll = LL([1])
ll.append(2)
print(ll, len(ll))
class P:
    def __init__(self):
        self.v = 1
    def m(self):
        return "m"
class Q(P):
    pass
def read(o):
    return o.v, o.m()
q = Q()
for i in range(3):
    print(read(q))
def ga(self, name):
    return "patched " + name
P.__getattribute__ = ga
print(read(q), read(P()))
del P.__getattribute__
print(read(q))`,
  ],
]);

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
]);

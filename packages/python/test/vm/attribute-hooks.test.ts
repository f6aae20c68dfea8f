// The attribute hooks a class can define, against python3: `__getattr__` answering what the
// ordinary lookup did not find (and the AttributeError context CPython keeps when an inner lookup
// set it first), and a property's deleter.

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
]);

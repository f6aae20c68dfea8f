// Subclasses of weakref.ref, against python3: `class R(ref)` with a dict and a `__weakref__`
// slot, `KeyedRef`'s `__slots__`, `__new__` and `__init__`, sizes and tracking, the order
// getweakrefs lists them in (after the basic reference), callbacks that get the subclass's
// instance, what the collector sees through their fields, and WeakValueDictionary's entries.

import { describeAgainstPython } from "./against-python.js";

describeAgainstPython("subclasses of weakref.ref", [
  [
    "layout, sizes, tracking and attributes",
    `import gc, sys, weakref
class T:
    pass
t = T()
class R(weakref.ref):
    pass
class S(weakref.ref):
    __slots__ = ("a", "b")
    def __new__(cls, ob, callback=None, a=1):
        return super().__new__(cls, ob, callback)
    def __init__(self, ob, callback=None, a=1):
        super().__init__(ob, callback)
        self.a = a
r = R(t)
r.tag = "x"
s = S(t, None, 5)
k = weakref.KeyedRef(t, None, "key")
for w in (weakref.ref(t), r, s, k):
    print(type(w).__name__, sys.getsizeof(w), gc.is_tracked(w), w() is t)
print(r.tag, r.__dict__, s.a, k.key, sorted(S.__dict__), sorted(R.__dict__))
print(weakref.KeyedRef.__slots__, weakref.KeyedRef.__mro__[1] is weakref.ref)
print(weakref.ref(r) is not None, r == weakref.ref(t), hash(r) == hash(t))
try:
    weakref.ref(k)
except TypeError as e:
    print(e)
try:
    s.c = 1
except AttributeError as e:
    print(e)
print(gc.get_referents(k)[0], len(gc.get_referents(r)))`,
  ],
  [
    "always new, after the basic reference, called back and cleared",
    `import gc, weakref
class T:
    pass
t = T()
def cb(w):
    print("callback", type(w).__name__, getattr(w, "key", None), w())
k1 = weakref.KeyedRef(t, cb, 1)
plain = weakref.ref(t)
k2 = weakref.KeyedRef(t, None, 2)
k3 = weakref.KeyedRef(t, cb, 3)
print(weakref.getweakrefcount(t), [getattr(w, "key", "plain") for w in weakref.getweakrefs(t)])
print(weakref.ref(t) is plain, weakref.KeyedRef(t, None, 2) is k2)
del k2
print([getattr(w, "key", "plain") for w in weakref.getweakrefs(t)])
del t
print(k1(), k3(), plain())
class Node:
    pass
n = Node()
k = weakref.KeyedRef(n, None, None)
k.key = [k]
del k
print("collected", gc.collect(), weakref.getweakrefcount(n))`,
  ],
  [
    "argument errors of ref.__new__",
    `import weakref
def attempt(f):
    try:
        print(f())
    except TypeError as e:
        print("TypeError:", e)
class R(weakref.ref):
    pass
class T:
    pass
attempt(lambda: R())
attempt(lambda: R(T(), None, 3))
attempt(lambda: R(1))
attempt(lambda: weakref.KeyedRef(T(), None))
attempt(lambda: weakref.ref.__new__(list, T()))
attempt(lambda: object.__new__(R))`,
  ],
  [
    "WeakValueDictionary holds KeyedRefs",
    `import gc, sys, weakref
class V:
    pass
d = weakref.WeakValueDictionary()
vs = [V() for _ in range(3)]
for i, v in enumerate(vs):
    d[i] = v
e = d.data[1]
print(type(e).__name__, e.key, sys.getsizeof(e), len(d))
del e, vs[1]
print(len(d), sorted(d.keys()))
for key, value in list(d.items()):
    del vs[0]
print(len(d), sorted(d))
d.setdefault("x", vs[0])
print(type(d.data["x"]).__name__, d.data["x"].key)`,
  ],
  [
    "WeakMethod is a ref subclass: its slots, referents, callbacks when the object or the function dies",
    `import gc, sys, weakref
class C:
    def m(self):
        return 1
c = C()
wm = weakref.WeakMethod(c.m, lambda r: print("dead", type(r).__name__, r()))
print(type(wm).__bases__, type(wm).__slots__, sys.getsizeof(wm), gc.is_tracked(wm))
print(weakref.getweakrefs(c) == [wm], weakref.getweakrefcount(c), type(wm._func_ref).__name__)
print(wm._meth_type.__name__, wm._alive, wm == weakref.WeakMethod(c.m), wm != weakref.WeakMethod(c.m))
print(wm == weakref.ref(c), weakref.ref(c) == wm, hash(wm) == hash(c))
def g(self):
    return 2
C.g = g
wg = weakref.WeakMethod(c.g)
print(wg()())
del C.g, g
gc.collect()
print(wg(), wg._alive, wg == wg, wg == weakref.WeakMethod(c.m))
del c
print(wm(), wm._alive)
try:
    weakref.WeakMethod(print)
except TypeError as e:
    print(e)`,
  ],
]);

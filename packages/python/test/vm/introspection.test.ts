// Introspection a learner reaches for: dir(), code objects, cells, class dicts and their
// descriptors, dict views as sets. Each program runs under python3 and runPython.

import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { TYPE_NAMES } from "../../src/vm/type-names.js";
import { describeAgainstPython } from "./against-python.js";

describe("the built-in types' names dir() merges", () => {
  it("are the ones python3 has now", () => {
    const script = fileURLToPath(new URL("../../scripts/type-names.py", import.meta.url));
    const fresh = spawnSync("python3", [script], { encoding: "utf8" });
    expect(fresh.status).toBe(0);
    const want = Object.fromEntries(
      [...fresh.stdout.matchAll(/^ {2}"([\w.]+)": "([^"]*)",$/gm)].map((m) => [m[1], m[2]]),
    );
    expect(Object.keys(want).length).toBeGreaterThan(100);
    expect(TYPE_NAMES).toEqual(want);
  });
});

describeAgainstPython("dir()", [
  [
    "an instance: its dict, its class's, object's",
    `class P:
    "doc"
    k = 1
    def __init__(self):
        self.a = 1
    def m(self):
        pass
print(dir(P()))
print(dir(P))`,
  ],
  [
    "slots, subclasses of slotted classes, exceptions",
    `class S:
    __slots__ = ("b", "a")
class T(S):
    pass
class E(ValueError):
    pass
t = T()
t.c = 1
print(dir(S()), dir(t))
print(dir(E("x")))`,
  ],
  [
    "modules and the running scope",
    `import gc, sys
print([n for n in dir(gc) if not n.startswith("_")])
print("getrefcount" in dir(sys), dir(gc) == sorted(dir(gc)))
x = 1
def f(a, b=2):
    c = 3
    return dir()
print(f(0), "x" in dir())
del x
print("x" in dir())`,
  ],
  [
    "built-in objects and types",
    `import weakref
class C:
    pass
for o in (1, True, 1.5, "s", b"b", [], (), {}, set(), frozenset(), None, range(2), len, [].append,
          iter([]), iter({}), {}.keys(), weakref.ref(C), lambda: 0, type, object, slice(1), ValueError()):
    print(type(o).__name__, len(dir(o)), [n for n in dir(o) if not n.startswith("__")][:12])`,
  ],
  [
    "wrong calls",
    `try:
    dir(1, 2)
except TypeError as e:
    print(e)`,
  ],
]);

describeAgainstPython("class objects", [
  [
    "__hash__ = None for a class that defines __eq__ alone",
    `import sys
class Eq:
    def __eq__(self, other):
        return True
class Sub(Eq):
    pass
class Both:
    def __eq__(self, other):
        return True
    def __hash__(self):
        return 1
class Again(Both):
    def __eq__(self, other):
        return False
class Less:
    def __lt__(self, other):
        return True
class Err(Exception):
    def __eq__(self, other):
        return True
for k in (Eq, Sub, Both, Again, Less, Err):
    print(k.__name__, list(k.__dict__), k.__hash__ is None, sys.getsizeof(k.__dict__) > 0)
for make in (Eq, Sub, Both, Again, Less, Err):
    try:
        print(make.__name__, hash(make()) == hash(make()) if make is Both else type(hash(make())).__name__)
    except TypeError as e:
        print(e)
try:
    {Eq(): 1}
except TypeError as e:
    print(e)`,
  ],
  [
    "object.__hash__, the identity hash classes inherit",
    `class P:
    pass
p = P()
print(hash(p) == object.__hash__(p), P.__hash__ is object.__hash__, hash(p) == p.__hash__())
o = object()
print(hash(o) == object.__hash__(o))
def f():
    pass
print(hash(f) == object.__hash__(f), hash(P) == object.__hash__(P))`,
  ],
  [
    "dicts, descriptors, MRO and refcounts",
    `import sys, gc
class A:
    x = 1
class B(A):
    __slots__ = ("s",)
class C:
    __slots__ = ("v", "__weakref__")
class D(C):
    pass
class E(KeyError):
    pass
for k in (A, B, C, D, E):
    print(k.__name__, list(k.__dict__), sys.getrefcount(k), sys.getsizeof(k), k.__mro__ is k.__mro__)
print(A.__dict__["__dict__"], C.__dict__["v"], C.__dict__["__weakref__"])
print(type(A.__dict__).__name__, A.__dict__ == dict(A.__dict__), str(A.__dict__) == str(dict(A.__dict__)))
b = B()
try:
    b.s
except AttributeError as e:
    print(e)
b.s = 2
print(b.s, D().__weakref__)`,
  ],
  [
    "dropped classes are collected",
    `import gc
gc.collect()
def make(base):
    class K(base):
        def m(self):
            pass
    return K
class Base:
    pass
for base in (object, Base, Exception):
    make(base)
    print(base.__name__, gc.collect())`,
  ],
  [
    "nested qualified names",
    `def outer():
    class Inner:
        class Deeper:
            pass
    return Inner
I = outer()
print(I.__qualname__, I.Deeper.__qualname__, I.__name__, repr(I), repr(I.Deeper))
print(type(I()).__qualname__, repr(I())[:35])`,
  ],
]);

// Calls of built-in types and functions as CPython 3.11 makes them, where a program can see it:
// which ones pack their arguments in a tuple (no vectorcall: `str`, `int`, `bytes`, `zip`,
// `property`, `min`, `dir` …; the tuple is a referrer of each argument while the call runs),
// which accept an object with `__index__` (`range`, `chr`, `hex`, `round`, `float`, `sort`'s
// reverse), the order `list()` and `tuple()` ask `__iter__` and `__len__`, a class's own
// `__dir__`, the attributes of property, staticmethod and classmethod objects, and functions'
// `__annotations__`. Each program runs under python3 and runPython with the same output.

import { describeAgainstPython } from "./against-python.js";

describeAgainstPython("built-in calls against python3", [
  [
    "argument tuples of calls without vectorcall",
    `import gc
seen = []
def mark(self):
    seen.append(sum(1 for r in gc.get_referrers(self) if type(r) is tuple))
class O:
    def __str__(self): mark(self); return "s"
    def __repr__(self): mark(self); return "r"
    def __index__(self): mark(self); return 1
    def __int__(self): mark(self); return 1
    def __float__(self): mark(self); return 1.0
    def __complex__(self): mark(self); return 1j
    def __bytes__(self): mark(self); return b"b"
    def __iter__(self): mark(self); return iter([1])
    def __bool__(self): mark(self); return True
    def __len__(self): mark(self); return 1
    def __hash__(self): mark(self); return 1
    def __format__(self, spec): mark(self); return "f"
    def __reversed__(self): mark(self); return iter([])
    def __abs__(self): mark(self); return 1
    def __round__(self, n=None): mark(self); return 1
    def __dir__(self): mark(self); return []
    def __neg__(self): mark(self); return 1
    def __get__(self, *a): mark(self); return 1
    def __call__(self, *a): mark(self); return 1
for name in ["str", "repr", "int", "float", "complex", "bytes", "bool", "tuple", "list", "set", "frozenset", "dict.fromkeys", "enumerate", "zip", "map", "filter", "reversed", "iter", "len", "hash", "format", "abs", "round", "sorted", "sum", "min", "max", "any", "all", "range", "slice", "hex", "oct", "bin", "chr", "divmod", "dir", "vars", "id", "callable", "type", "isinstance", "print", "ascii", "next", "getattr", "hasattr", "property", "staticmethod", "classmethod", "super", "object"]:
    seen.clear()
    f = eval(name)
    o = O()
    try:
        if name in ("map", "filter"): r = f(o, [1]); list(r)
        elif name in ("divmod",): r = f(o, 1)
        elif name in ("isinstance",): r = f(o, int)
        elif name in ("getattr", "hasattr"): r = f(o, "zz", None) if name == "getattr" else f(o, "zz")
        elif name == "print": r = f(o, end="")
        else: r = f(o)
        if name in ("enumerate", "zip", "iter", "reversed"): list(r)
    except Exception as e:
        seen.append(type(e).__name__)
    print(name, seen)
`,
  ],
  [
    "__index__, __getattribute__ and the tuples seen from inside",
    `import gc
seen = []
def mark(self):
    seen.append(sum(1 for r in gc.get_referrers(self) if type(r) is tuple))
class O:
    def __getattribute__(self, name):
        if name not in ("__class__",): mark(self)
        return object.__getattribute__(self, name)
    def __eq__(self, other): mark(self); return False
    __hash__ = object.__hash__
    def __lt__(self, other): mark(self); return False
    def __index__(self): mark(self); return 1
for name in ["slice", "property", "staticmethod", "classmethod", "super", "object", "type", "getattr", "hasattr", "setattr", "delattr", "vars", "dir", "isinstance", "sorted", "min", "max", "pow", "divmod", "round", "format", "range", "hex", "chr", "oct", "bin", "int", "float", "bool", "str", "list.index", "tuple.count", "dict", "set", "frozenset", "enumerate", "reversed", "next", "iter"]:
    seen.clear()
    f = eval(name)
    o = O()
    try:
        if name in ("setattr",): r = f(o, "x", 1)
        elif name in ("delattr",): r = f(o, "x")
        elif name in ("getattr", "hasattr"): r = f(o, "zz")
        elif name in ("isinstance", "issubclass"): r = f(o, int)
        elif name in ("sorted", "min", "max"): r = f([o, O()])
        elif name in ("list.index",): r = [1, o].index(o)
        elif name in ("tuple.count",): r = (1, o).count(o)
        elif name in ("pow", "divmod", "round"): r = f(2, o)
        elif name in ("dict",): r = f(a=o)
        elif name in ("set", "frozenset", "enumerate", "reversed", "iter"): r = f([o])
        elif name in ("super",): r = f(O, o)
        else: r = f(o)
    except Exception as e:
        seen.append(type(e).__name__)
    print(name, seen)
`,
  ],
  [
    "list() and tuple() ask __iter__, then __len__",
    `class O:
    def __iter__(self): print("iter"); return iter([1, 2])
    def __len__(self): print("len"); return 2
print(list(O()))
print(tuple(O()))
l = []; l.extend(O()); print(l)
print(sorted(O()))
print([*O()])
`,
  ],
  [
    "staticmethod, classmethod and property attributes",
    `import sys
def f():
    "doc of f"
sm = staticmethod(f); cm = classmethod(f); p = property(f)
print(sys.getsizeof(sm), sys.getsizeof(cm), sys.getsizeof(p))
print(sm.__name__, sm.__qualname__, sm.__doc__, sm.__module__, sm.__wrapped__ is f)
print(sorted(sm.__dict__), sorted(cm.__dict__))
print(p.__doc__, p.fget is f, p.fset, p.fdel)
class C:
    @property
    def x(self):
        "the x"
        return 1
print(C.x.__doc__, C.x.__name__ if hasattr(C.x, "__name__") else "-")
import gc
print(gc.is_tracked(sm), gc.is_tracked(p), len(gc.get_referents(sm)), len(gc.get_referents(p)))
`,
  ],
  [
    "function annotations",
    `import sys
def f(a: int, b: "str" = "x", *args: float, c: list = None, **kw: dict) -> bool:
    "doc"
print(f.__annotations__)
def g(): pass
print(g.__annotations__, g.__annotations__ is g.__annotations__)
class K:
    def m(self, __x: int) -> "K": pass
print(K.m.__annotations__)
try:
    def h(x: Undefined): pass
except NameError as e:
    print(e)
sm = staticmethod(f)
print(sorted(sm.__dict__), sm.__name__, sm.__doc__)
`,
  ],
  [
    "property copies, docs and names",
    `import sys, gc
class C:
    def __init__(self): self._x = 0
    @property
    def x(self):
        "the x"
        return self._x
    @x.setter
    def x(self, v): self._x = v
print(C.x.__doc__, sys.getsizeof(C.x), len(gc.get_referents(C.x)))
c = C(); c.x = 5; print(c.x)
p = property(lambda s: 1, doc="given")
print(p.__doc__)
q = p.getter(lambda s: 2)
print(q.__doc__)
try:
    del c.x
except AttributeError as e:
    print(e)
class D:
    y = property(lambda s: 1)
try:
    D().y = 3
except AttributeError as e:
    print(e)
`,
  ],
]);

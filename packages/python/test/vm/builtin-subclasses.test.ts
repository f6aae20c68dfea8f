// Subclasses of list, dict and set, and slot wrappers bound to objects, each a small program run
// by python3 (a fork of one driver process for the file) and by runPython: stdout and exit
// status must be equal. The programs print sizes, tracking, referents and release orders, so a
// layout or a traversal that drifts from CPython 3.11's shows.

import { describeAgainstPython } from "./against-python.js";

/** A class whose instances say when they die, for release orders. */
const NODE = `
class N:
    def __init__(self, n): self.n = n
    def __repr__(self): return "N(" + str(self.n) + ")"
    def __del__(self): print("del", self.n)
`;

const subclasses: ReadonlyArray<readonly [string, string]> = [
  [
    "sizes, tracking and the layout type_new gives",
    `import sys, gc
class L(list): pass
class D(dict): pass
class S(set): pass
class E(Exception): pass
class Bare(list): __slots__ = ()
class One(dict): __slots__ = ("a",)
class Weak(list): __slots__ = ("__weakref__",)
class Dicted(set): __slots__ = ("__dict__",)
class Deeper(L): pass
class More(One): __slots__ = ("b", "c")
for c in (L, D, S, E, Bare, One, Weak, Dicted, Deeper, More):
    o = c()
    print(c.__name__, sys.getsizeof(o), gc.is_tracked(o), hasattr(o, "__dict__"),
          sorted(k for k in c.__dict__ if k != "__module__"))
for n in range(12):
    l = L(range(n))
    d = D(zip(range(n), range(n)))
    print(n, sys.getsizeof(l), sys.getsizeof(d), sys.getsizeof(S(range(n))))
x = L([1, 2, 3])
x.extend(range(20))
print(sys.getsizeof(x), sys.getsizeof(list(x)), sys.getsizeof([*x]), sys.getsizeof(x[:]))
`,
  ],
  [
    "references: the dict, the class, then the base's items",
    `import sys, gc
class L(list): pass
class D(dict): pass
class S(set): pass
a, b = "a" + str(1), "b" + str(2)
l = L([a, b]); l.tag = "t"
print(gc.get_referents(l)[0], gc.get_referents(l)[1] is L, gc.get_referents(l)[2:])
d = D(k=a); d.extra = b
print(gc.get_referents(d)[0], gc.get_referents(d)[1] is D, gc.get_referents(d)[2:])
s = S([a])
print(gc.get_referents(s)[0] is S, gc.get_referents(s)[1:])
print(sys.getrefcount(a), sys.getrefcount(l), sys.getrefcount(L) - sys.getrefcount(D))
before = sys.getrefcount(L)
many = [L() for _ in range(7)]
print(sys.getrefcount(L) - before)
del many
print(sys.getrefcount(L) - before, sys.getrefcount(a))
del l, d, s
print(sys.getrefcount(a), sys.getrefcount(b))
`,
  ],
  [
    "release order: the finalizer, the slots, the dict, then the base's own",
    `${NODE}
class L(list):
    __slots__ = ("x", "__dict__")
    def __del__(self): print("L.__del__", len(self))
l = L([N(1), N(2)])
l.y = N("attr")
l.x = N("slot")
del l
print("--")
class D(dict): pass
d = D(a=N("a"), b=N("b"))
d.z = N("z")
d = None
print("--")
class S(set): pass
s = S([1])
s.m = N("m")
del s
print("end")
`,
  ],
  [
    "cycles through the items, the dict and the slots",
    `import gc
gc.disable()
gc.collect()
class L(list): pass
class D(dict): pass
class P(list): __slots__ = ("other",)
a = L(); a.append(a)
b = L(); c = D(); b.append(c); c.back = b
p = P(); q = P(); p.other = q; q.other = p
del a, b, c, p, q
print(gc.collect())
x = L()
x.me = x
del x
print(gc.collect())
gc.enable()
`,
  ],
  [
    "overrides the interpreter and builtins call",
    `class L(list):
    def __getitem__(self, i): return ("got", i)
    def __setitem__(self, i, v): print("set", i, v); super().__setitem__(i, v)
    def __delitem__(self, i): print("del", i); super().__delitem__(i)
    def __len__(self): return 99
    def __contains__(self, v): return v == "x"
    def __iter__(self): return iter(["i", "t"])
    def __bool__(self): return False
    def __repr__(self): return "L!"
l = L([1, 2, 3])
print(l[0], l[1:], len(l), "x" in l, 1 in l, list(l), [*l], sorted(l), bool(l))
l[0] = "zero"
del l[1]
print(list.__len__(l), list.__getitem__(l, 0), list.__repr__(l), l, str(l), f"{l}", [l])
print(list.__contains__(l, 3), list(list.__iter__(l)), tuple(l), set(l) == {"i", "t"})
print(l + [4], type(l + [4]).__name__, type(l.copy()).__name__, l == [ "zero", 3])
class D(dict):
    def __missing__(self, k): return k * 2
d = D(a=1)
print(d["a"], d["bb"], d.get("bb"), "bb" in d, len(d))
class S(set):
    def __len__(self): return 0
s = S([1, 2])
print(len(s), bool(s), set.__len__(s), s, S(), repr(S([3])), type(s | {9}).__name__)
class V(list):
    def __add__(self, other): return V(list(self) + list(other))
    def __radd__(self, other): return "radd"
    def __eq__(self, other): return "eq called"
    def __lt__(self, other): return NotImplemented
v = V([1])
print(type(v + [2]).__name__, v + [2], [0] + v, v == [1], [1] == v, v != [1], v < [2], v * 2)
class U(set):
    def __or__(self, other): return "or"
print(U() | {1}, {1} | U(), U([1]) & {1}, U([1]) - {1})
`,
  ],
  [
    "calling the class: __init__, the base's, and their errors",
    `class L(list): pass
class D(dict): pass
class S(set): pass
print(L("abc"), D([(1, 2)], x=3), sorted(S("aab")), L(), D(), S())
for call in [lambda: L(1, 2), lambda: L(x=1), lambda: D(1, 2), lambda: S(x=1), lambda: L(5)]:
    try:
        call()
    except TypeError as e:
        print(e)
class Init(list):
    def __init__(self, n, fill):
        super().__init__([fill] * n)
        self.n = n
i = Init(3, "z")
print(i, i.n, vars(i), isinstance(i, list), [t.__name__ for t in type(i).__mro__])
list.__init__(i, "xy")
print(i)
i.__init__(2, 0)
print(i, i.n)
class Bad(dict):
    def __init__(self): return 1
try:
    Bad()
except TypeError as e:
    print(e)
`,
  ],
  [
    "attributes of instances with and without a dict",
    `class L(list): __slots__ = ("a",)
l = L()
for attempt in [lambda: l.a, lambda: setattr(l, "b", 1), lambda: l.__dict__]:
    try:
        print(attempt())
    except AttributeError as e:
        print("AttributeError", e)
l.a = 1
print(l.a)
del l.a
try:
    del l.a
except AttributeError as e:
    print("AttributeError", e)
class D(dict): pass
d = D()
d.x = 1
print(d.__dict__, vars(d), d)
del d.x
print(d.__dict__, hasattr(d, "x"))
try:
    del d.y
except AttributeError as e:
    print("AttributeError", e)
`,
  ],
];

describeAgainstPython("subclasses of list, dict and set", subclasses, { quiet: true });

const wrappers: ReadonlyArray<readonly [string, string]> = [
  [
    "a slot wrapper bound to an object is a method-wrapper",
    `import sys, gc
class C: pass
c = C()
for m in [c.__init__, (1).__add__, (2.5).__mul__, [].__len__, {}.__iter__, set().__contains__,
          [].append, [].__getitem__, {}.__getitem__, {}.__contains__]:
    print(type(m).__name__, sys.getsizeof(m), gc.is_tracked(m))
m = c.__init__
print(repr(m).split(" at ")[0], m(), callable(m))
a = (20).__add__
print(a(22), a(1.5), (2.5).__add__(1), (3).__mul__(True), (7).__floordiv__(2), (7).__mod__("x"))
before = sys.getrefcount(c)
keep = [c.__init__ for _ in range(3)]
print(sys.getrefcount(c) - before, gc.get_referents(a)[1])
`,
  ],
];

describeAgainstPython("slot wrappers", wrappers, { quiet: true });

const slottedBases: ReadonlyArray<readonly [string, string]> = [
  [
    "a class with a dict after a slotted base keeps the slots as fields",
    `import sys, gc
${NODE}
class A:
    __slots__ = ("a",)
class B(A):
    pass
class C(B):
    __slots__ = ("d", "c")
class P:
    pass
class Q(P):
    __slots__ = ("q",)
for cls in (A, B, C, P, Q):
    print(cls.__name__, sys.getsizeof(cls()), gc.is_tracked(cls()), sorted(cls.__dict__))
b = B()
b.a = "x" + str(1)
b.other = [1]
print(b.a, b.__dict__, gc.get_referents(b))
c = C(); c.a = 1; c.c = 2; c.d = 3; c.e = 4
print(c.a, c.c, vars(c), gc.get_referents(c)[:4])
q = Q(); q.q = "qq"; q.x = 5
print(q.q, vars(q))
del q.q
for attempt in [lambda: q.q, lambda: delattr(q, "q"), lambda: B().a]:
    try:
        attempt()
    except AttributeError as e:
        print("AttributeError", e)
c = C(); c.a = N("a"); c.c = N("c"); c.d = N("d"); c.z = N("dict")
del c
print("--")
gc.disable(); gc.collect()
b = B(); b.a = b
q = Q(); q.q = [q]
del b, q
print(gc.collect())
gc.enable()
`,
  ],
];

describeAgainstPython("slotted bases", slottedBases, { quiet: true });

// The built-in types without Py_TPFLAGS_BASETYPE (memoryview, the iterators, views and
// descriptors): a class statement naming one raises TypeError with the type's tp_name.
const notBases: ReadonlyArray<readonly [string, string]> = [
  [
    "types that are no base",
    `import collections, types, array
d = collections.deque()
for c in [memoryview, type(iter([])), type(reversed([])), type({}.keys()), type({}.values()), type({}.items()),
          types.MappingProxyType, type(iter(range(1))), type(iter(range(2**70))), type(iter(())), type(iter('')),
          type(iter('é')), type(iter(b'')), type(iter(bytearray())), type(iter({})), type(iter({}.values())),
          type(iter({}.items())), type(iter(set())), types.GeneratorType, types.CellType, types.CodeType,
          types.FrameType, types.FunctionType, types.BuiltinFunctionType, types.MethodType,
          types.WrapperDescriptorType, types.MethodDescriptorType, type((1).__add__), range, slice,
          type(None), type(...), type(NotImplemented), bool, types.TracebackType,
          type(iter(array.array('b'))), type(iter(d)), type(reversed(d))]:
    try:
        class X(c):
            pass
        print(c.__name__, 'is a base')
    except TypeError as e:
        print(e)
`,
  ],
];
describeAgainstPython("types no class derives from", notBases, { quiet: true });

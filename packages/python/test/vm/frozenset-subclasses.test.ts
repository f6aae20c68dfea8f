// Subclasses of frozenset against python3: made by frozenset's `__new__` (a class's own
// `__new__` through `super().__new__(cls, items)`), sized and tracked as type_new lays them
// out, hashed and compared as frozensets (dict and set keys), and the operations returning
// exact frozensets.

import { describeAgainstPython } from "./against-python.js";

describeAgainstPython("subclasses of frozenset", [
  [
    "layout, operations, hashing and __new__",
    `import gc, sys, weakref
class F(frozenset):
    pass
f = F([1, 2])
print(f, repr(f), type(f).__name__, len(f), 1 in f, f | {3}, type(f | {3}).__name__)
print(f == frozenset([1, 2]), hash(f) == hash(frozenset([1, 2])), len({f, frozenset([1, 2])}))
print(sys.getsizeof(f), sys.getsizeof(F()), gc.is_tracked(f), weakref.ref(f)() is f)
f.x = 3
print(f.x, f.__dict__)
class G(frozenset):
    __slots__ = ()
    def __repr__(self):
        return "G" + str(sorted(self))
print(G({3, 1}), sys.getsizeof(G({3, 1})), {G([1]): 2}[frozenset([1])])
print(type(f.copy()).__name__, type(frozenset(f)).__name__, frozenset(f) is f)
print(type(f & {1}).__name__, type(f - {1}).__name__, type(f ^ {9}).__name__, f.union([5]))
class H(frozenset):
    def __new__(cls, *items):
        return super().__new__(cls, items)
    def __init__(self, *items):
        self.n = len(items)
h = H(4, 5, 4)
print(sorted(h), h.n, type(h).__name__, F(), F("abc") == frozenset("abc"), bool(F()))
try:
    F([[1]])
except TypeError as e:
    print(e)
r = F([7])
print(len(gc.get_referents(r)), F in gc.get_referents(r))
del r
print(gc.collect())`,
  ],
]);

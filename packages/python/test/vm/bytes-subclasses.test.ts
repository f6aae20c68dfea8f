// Subclasses of bytes against python3: bytes_subtype_new's layout (33 bytes, the dict slot
// after the data, so sizes grow by one per byte), made by bytes' `__new__` or a class's own,
// hashed and compared as bytes, the methods and operators returning exact bytes, str() as
// bytes' own, copies, and `__slots__` refused as for int and tuple.

import { describeAgainstPython } from "./against-python.js";

describeAgainstPython("subclasses of bytes", [
  [
    "layout, sizes, __new__ and operations",
    `import sys, gc
class B(bytes):
    pass
b = B(b"abc")
print(b, repr(b), type(b).__name__, len(b), b[0], b[:2], type(b[:2]).__name__, b + b"x", type(b + b"x").__name__)
print(sys.getsizeof(b), sys.getsizeof(b"abc"), sys.getsizeof(B()), gc.is_tracked(b), b == b"abc", hash(b) == hash(b"abc"))
b.tag = 1
print(b.tag, b.__dict__)
class H(bytes):
    def __new__(cls, s):
        return super().__new__(cls, s.encode())
    def shout(self): return self.upper()
h = H("hi")
print(h, h.shout(), type(h.shout()).__name__, {h: 1}[b"hi"], b"hi" in {h}, h.decode(), list(h), bytes(h), type(bytes(h)).__name__)
print(B(3), B([65, 66]), B("é", "utf-8"), b"ab" < B(b"b"), B(b"x") * 3, type(B(b"x") * 3).__name__)
for n in range(0, 20):
    print(n, sys.getsizeof(B(b"x" * n)))
try:
    class S(bytes):
        __slots__ = ("a",)
except TypeError as e:
    print(e)
class E(bytes):
    __slots__ = ()
print(sys.getsizeof(E(b"ab")), gc.is_tracked(E(b"ab")))`,
  ],
  [
    "repr overrides, str, copies, referents and iteration",
    `import gc, sys, copy
class B(bytes):
    def __repr__(self): return "B(" + bytes.__repr__(self) + ")"
b = B(b"hello")
print(repr(b), str(b), b.upper(), b.split(b"l"), b.find(b"l"), b.startswith(b"he"), b.hex(), b.count(b"l"), b.replace(b"l", b"L"))
print(b"x" + b, type(b"x" + b).__name__, b == B(b"hello"), b != b"x", bytes.__len__(b) if hasattr(bytes, "__len__") else 5, b.__class__.__name__)
d = {b: 1, b"hello": 2}
print(len(d), d)
c = copy.copy(b); dc = copy.deepcopy(b)
print(type(c).__name__, c == b, type(dc).__name__)
r = B(b"z")
print(len(gc.get_referents(r)), B in gc.get_referents(r))
class C(B):
    pass
print(sys.getsizeof(C(b"ab")), C(b"ab"), isinstance(C(b""), bytes), issubclass(C, bytes))
for x in B(b"ab"):
    print(x)
print(f"{B(b'q')}", "%r" % B(b"q"), "%s" % B(b"q"))`,
  ],
]);

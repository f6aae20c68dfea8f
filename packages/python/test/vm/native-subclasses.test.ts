// Subclasses of bytearray and array.array against python3: type_new's layout after each base
// (bytearray gains a `__weakref__` slot and both the managed dict's pre-header; array, which has
// a weak reference list, the pre-header alone), tracking, repr naming the class, methods and
// operators returning the exact base type, `__init__` and `__new__` overrides, `__slots__`,
// copies; and a property: for random contents and growth, sizes and `__sizeof__` are python3's.

import { fcRuns, fcSeed } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPython } from "../../src/vm/run.js";
import { CPythonForks } from "../fuzz/cpython.js";
import { describeAgainstPython } from "./against-python.js";

describeAgainstPython("subclasses of bytearray and array.array", [
  [
    "layout, sizes, tracking and operations",
    `import sys, gc, array
class B(bytearray):
    pass
b = B(b'xyz')
print(b, repr(b), type(b + b'a'), type(b[0:1]), b.upper(), type(b.upper()))
b.tag = 1
print(b.__dict__, gc.is_tracked(b), gc.is_tracked(bytearray(b'x')))
print(sys.getsizeof(b), sys.getsizeof(bytearray(b'xyz')))
class A(array.array):
    pass
a = A('i', [1,2,3])
print(a, repr(a), type(a[0:2]), type(a + a), a.tolist())
a.x = 5
print(a.__dict__, gc.is_tracked(a), gc.is_tracked(array.array('i')))
print(sys.getsizeof(a), sys.getsizeof(array.array('i',[1,2,3])))
class C(array.array):
    def __new__(cls, *args):
        return super().__new__(cls, 'd', *args)
    def total(self): return sum(self)
c = C([1.5, 2.5])
print(c, c.total(), isinstance(c, array.array))
class D(bytearray):
    def __init__(self, n):
        super().__init__(n)
        self.n = n
d = D(3)
print(d, d.n, len(d))`,
  ],
  [
    "overrides, slots, weak references, memoryviews and copies",
    `import sys, gc, array, weakref, copy
class B(bytearray):
    __slots__ = ('tag',)
b = B(b'ab'); b.tag = 3
print(b, b.tag, sys.getsizeof(b), hasattr(b, '__dict__'), gc.is_tracked(b))
class W(bytearray):
    def __repr__(self): return 'W!'
    def __len__(self): return 99
w = W(b'abc')
print(repr(w), len(w), bytes(w), w == b'abc', b'ab' in w, list(w), w[1], w[::-1])
r = weakref.ref(w); print(r() is w)
del w; print(r())
w2 = W(3); w2.extend(b'xy'); w2 += b'!'; print(type(w2).__name__, bytes(w2))
try: hash(B())
except TypeError as e: print(e)
m = memoryview(B(b'hey')); print(m.tolist(), bytes(m[1:]))
class A(array.array):
    def __init__(self, *a):
        self.note = 'made'
a = A('b', b'\\x01\\x02')
print(a, a.note, a.typecode, a.itemsize, len(a), list(a), a * 2, type(a*2).__name__)
a.append(3); print(a, sys.getsizeof(a))
class A2(A): pass
a2 = A2('H', [7, 8]); print(a2, isinstance(a2, A), type(a2).__mro__)
print(sys.getsizeof(B()), sys.getsizeof(A('i')), B.__sizeof__(B(b'abc')), A('i').__sizeof__())
try: A()
except TypeError as e: print('E', e)
try: A('z')
except ValueError as e: print('E', e)
print(copy.copy(B(b'q')))
x = B(b'abc'); x.extra = [x]
del x
print(gc.collect() >= 0)
print(B.__base__, A.__base__, B(b'a') + B(b'b'), bytearray(b'x') + B(b'y'))
print(B.fromhex('4142'), type(B.fromhex('4142')).__name__)
print(type(B(b'a').copy()).__name__, B(b'a,b').split(b','))`,
  ],
]);

describe("bytearray and array subclasses against python3", () => {
  let cpython: CPythonForks;
  beforeAll(() => {
    cpython = new CPythonForks();
  });
  afterAll(() => cpython.close());

  it("size, grow and shrink as python3's do", async () => {
    const seed = fcSeed();
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 40 }),
        fc.constantFrom("b", "B", "h", "i", "q", "d"),
        fc.array(fc.integer({ min: -3, max: 6 }), { maxLength: 10 }),
        fc.boolean(),
        async (data, typecode, steps, slots) => {
          const source = `import sys, gc, array
class B(bytearray):
    ${slots ? '__slots__ = ("tag",)' : "pass"}
class A(array.array):
    ${slots ? '__slots__ = ("tag",)' : "pass"}
b = B(bytes(${JSON.stringify(data)}))
a = A(${JSON.stringify(typecode)}, ${JSON.stringify(data)})
print(sys.getsizeof(b), b.__sizeof__(), sys.getsizeof(a), a.__sizeof__(), gc.is_tracked(b), gc.is_tracked(a))
for n in ${JSON.stringify(steps)}:
    if n >= 0:
        b.extend(bytes(n)); a.extend([1] * n)
    else:
        del b[n:]; del a[n:]
    print(len(b), sys.getsizeof(b), len(a), sys.getsizeof(a), b == bytearray(b), a == array.array(a.typecode, a))
print(repr(b)[:20], repr(a)[:20], type(b + b"").__name__, type(a[:]).__name__)
`;
          const want = await cpython.run(source);
          const got = runPython(source, { filename: "prog.py" });
          expect(got.stdout).toBe(want.stdout);
          expect(got.status).toBe(want.status);
        },
      ),
      { numRuns: fcRuns(25), ...(seed !== undefined ? { seed } : {}) },
    );
  });
});

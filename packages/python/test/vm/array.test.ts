// The array module against python3: sys.getsizeof through growth and shrinking (array_resize's
// over-allocation), the allocations and traced memory an array makes, every method, slicing,
// operators, comparisons and CPython's errors; and a property over random operation sequences
// on arrays of every typecode, sizes printed after each step; and iterators over arrays, which
// read the buffer as they go, while the array changes under them.

import { fcRuns, fcSeed } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPython } from "../../src/vm/run.js";
import { CPythonForks } from "../fuzz/cpython.js";
import { describeAgainstPython } from "./against-python.js";

describeAgainstPython("array", [
  [
    "sizes, methods, operators and errors",
    String.raw`from array import array
import sys, array as A
a = array('i'); print(sys.getsizeof(a), a, A.typecodes)
sizes = []
for n in range(40):
    a.append(n); sizes.append(sys.getsizeof(a))
print(sizes)
while a: a.pop()
print(sys.getsizeof(a), a)
print(sys.getsizeof(array('d', [1.0]*10)), sys.getsizeof(array('b', range(10))), sys.getsizeof(array('u', 'abc')), sys.getsizeof(array('q', (1, 2))))
b = array('d', [1.5, 2.5, -0.0]); print(b, b[0], b[-1], b[1:], b.tolist(), b.itemsize, b.typecode, len(b))
f = array('f', [0.1, 1/3]); print(f, f.tobytes().hex())
h = array('h', b'\x01\x00\x02\x00'); print(h, h.tobytes())
h.frombytes(b'\xff\xff'); h.extend([7, 8]); h.extend(array('h', [9])); h.insert(0, -5); h.insert(100, 99); print(h, h.index(7), h.count(99), 8 in h, 100 in h)
h.remove(99); h.reverse(); print(h, h.pop(0), h)
u = array('u', 'héllo'); print(u, u.tounicode(), u[1], list(u))
x = array('i', [1, 2, 3]); y = x + array('i', [4]); z = x * 2; x += array('i', [9]); x *= 2; print(y, z, x, 3 * array('b', [1]))
print(array('i', [1, 2]) == array('i', [1, 2]), array('i', [1, 2]) < array('i', [1, 3]), array('i', [1]) == array('d', [1.0]), array('i', [1]) != [1])
s = array('i', range(10)); s[2:5] = array('i', [0]); print(s); del s[::2]; print(s); s[::2] = array('i', [7, 7]); print(s); del s[0]; print(s, s[::-1])
c = array('L', [2**64 - 1]); print(c, c[0], array('Q', [5]), array('l', [-2**63]))
for bad in [lambda: array('i', [2**31]), lambda: array('B', [-1]), lambda: array('x'), lambda: array('i', 'abc'), lambda: array('i', [1.5]),
            lambda: array('i', [1]) + [1], lambda: array('i', [1]) + array('d', [1]), lambda: array('i').pop(), lambda: array('i', [1])[5],
            lambda: array('u', [5]), lambda: array('i', [1]).remove(3), lambda: array('h', b'\x01'), lambda: hash(array('i')),
            lambda: array('i', [1]).index(4), lambda: array(5), lambda: array('ab')]:
    try: print(bad())
    except Exception as e: print(type(e).__name__, e)
g = array('i', (i * i for i in range(5))); print(g, sys.getsizeof(g))
import copy; print(copy.copy(g), copy.deepcopy(g), g.buffer_info()[1])`,
  ],
  [
    "blocks and traced memory",
    `import sys, tracemalloc
from array import array
a = None
b0 = sys.getallocatedblocks()
a = array('i', range(100))
print(sys.getallocatedblocks() - b0)
a = None
print(sys.getallocatedblocks() - b0)
tracemalloc.start()
x = array('d', [0.0]) * 1000
print(tracemalloc.get_traced_memory()[0])
x.extend(array('d', [1.0]) * 10)
print(tracemalloc.get_traced_memory()[0], sys.getsizeof(x))
tracemalloc.stop()`,
  ],
]);

const TYPECODES = ["b", "B", "h", "H", "i", "I", "l", "L", "q", "Q", "f", "d"];

const step = fc.oneof(
  fc.integer({ min: -200, max: 300 }).map((v) => `a.append(${v})`),
  fc
    .array(fc.integer({ min: 0, max: 100 }), { maxLength: 20 })
    .map((l) => `a.extend([${l.join(", ")}])`),
  fc.integer({ min: 0, max: 40 }).map((n) => `a.extend(x for x in range(${n}))`),
  fc.constant("a.pop() if a else None"),
  fc.integer({ min: -5, max: 5 }).map((i) => `a.pop(${i}) if len(a) > ${Math.abs(i)} else None`),
  fc.integer({ min: -3, max: 30 }).map((i) => `a.insert(${i}, 7)`),
  fc
    .tuple(fc.integer({ min: -5, max: 30 }), fc.integer({ min: -5, max: 30 }))
    .map(([i, j]) => `del a[${i}:${j}]`),
  fc.integer({ min: 1, max: 3 }).map((k) => `del a[::${k + 1}]`),
  fc.constant("a.frombytes(a.tobytes())"),
  fc.integer({ min: 0, max: 3 }).map((k) => `a *= ${k}`),
  fc.constant("a += a[:3]"),
  fc.constant("a.reverse()"),
  fc.constant("a = a[::-1]"),
);

describe("array against python3", () => {
  let cpython: CPythonForks;
  beforeAll(() => {
    cpython = new CPythonForks();
  });
  afterAll(() => cpython.close());

  it("sizes and contents follow python3's through random operations", async () => {
    const seed = fcSeed();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...TYPECODES),
        fc.array(step, { minLength: 1, maxLength: 25 }),
        async (tc, steps) => {
          const lines = ["import sys", "from array import array", `a = array('${tc}')`];
          for (const s of steps) {
            lines.push("try:");
            lines.push(`    ${s}`);
            lines.push("except (OverflowError, IndexError, ValueError) as e:");
            lines.push("    print(type(e).__name__, e)");
            lines.push("print(len(a), sys.getsizeof(a), a[:6])");
          }
          const source = `${lines.join("\n")}\n`;
          const want = await cpython.run(source);
          const got = runPython(source, { filename: "prog.py" });
          expect(got.stdout).toBe(want.stdout);
          expect(got.status).toBe(want.status);
        },
      ),
      { numRuns: fcRuns(40), ...(seed !== undefined ? { seed } : {}) },
    );
  });

  it("iterators read the array as it is when asked, as python3's do", async () => {
    const seed = fcSeed();
    // Between two next() calls: append, pop, del a slice or nothing; the iterator's size, the
    // array's reference count (the iterator lets it go when exhausted) and what it yields.
    const change = fc.constantFrom(
      "a.append(7)",
      "a.extend(a[:2])",
      "a.pop() if a else None",
      "del a[:1]",
      "a.insert(0, 1)",
      "",
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...TYPECODES),
        fc.array(fc.integer({ min: 0, max: 100 }), { maxLength: 6 }),
        fc.array(change, { maxLength: 12 }),
        async (tc, values, changes) => {
          const init =
            tc === "u"
              ? JSON.stringify(values.map((v) => String.fromCharCode(97 + (v % 26))).join(""))
              : `[${values.join(", ")}]`;
          const lines = [
            "import sys, gc",
            "from array import array",
            `a = array('${tc}', ${init})`,
            "it = iter(a)",
            "print(type(it).__name__, sys.getsizeof(it), gc.is_tracked(it), sys.getrefcount(a))",
          ];
          for (const c of changes) {
            lines.push(`print(next(it, 'end'), sys.getrefcount(a))`);
            if (c)
              lines.push(
                tc === "u"
                  ? c.replace("append(7)", "append('z')").replace("insert(0, 1)", "insert(0, 'y')")
                  : c,
              );
          }
          lines.push("print(list(it), list(it), a)");
          const source = `${lines.join("\n")}\n`;
          const want = await cpython.run(source);
          const got = runPython(source, { filename: "prog.py" });
          expect(got.stdout).toBe(want.stdout);
          expect(got.status).toBe(want.status);
        },
      ),
      { numRuns: fcRuns(40), ...(seed !== undefined ? { seed } : {}) },
    );
  });
});

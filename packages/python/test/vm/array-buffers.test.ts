// memoryview of array.array against python3: the view keeps the array's item format and size
// (tolist, indexing, slicing with steps, item and slice assignment with struct's checks),
// casts to and from the byte formats, comparisons by value across formats, the array's exports
// count refusing every resize with BufferError until each view is released, and arrays as
// bytes-like arguments. A property: random typecodes, items and operations give python3's
// output.

import { fcRuns, fcSeed } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPython } from "../../src/vm/run.js";
import { CPythonForks } from "../fuzz/cpython.js";
import { describeAgainstPython } from "./against-python.js";

describeAgainstPython("memoryview of array.array", [
  [
    "format, items, casts, release and resizes",
    `import array
a = array.array('i', [1,2,3,4])
m = memoryview(a)
print(m.tolist(), m.format, m.itemsize, m.nbytes, len(m), m.readonly, m.ndim, m.shape, m.strides)
print(m[1], m[1:3].tolist(), m.cast('B').tolist()[:8])
m[0] = 10
print(a)
try:
    a.append(5)
except BufferError as e:
    print('BufferError', e)
m.release()
a.append(5); print(a)
with memoryview(array.array('d',[1.5])) as mv:
    print(mv.tolist(), mv.format, bytes(mv))`,
  ],
  [
    "comparisons, assignments, errors, exports and bytes-like arrays",
    `import array, sys, gc
a = array.array('d', [1.5, -2.0, float('nan')])
m = memoryview(a)
print(m.format, m.itemsize, m.nbytes, m.shape, m.strides, m.tolist()[:2], m[-1] != m[-1])
print(m == a, m == memoryview(array.array('d', [1.5, -2.0, 0.0])), m[:2] == array.array('f', [1.5, -2.0]))
b = m.cast('B'); print(len(b), b.format, b[:8].tolist()); 
i = b.cast('i'); print(i.format, len(i), i.itemsize)
try: m.cast('i')
except TypeError as e: print('TypeError', e)
try: memoryview(array.array('b', [1,2,3])).cast('i')
except TypeError as e: print('TypeError', e)
try: m.cast('x')
except ValueError as e: print('ValueError', e)
h = memoryview(array.array('h', [1, 2, 3, 4]))
h[0] = -5; h[1:3] = array.array('h', [7, 8]); print(h.obj, h[::2].tolist(), h[::-1].tolist())
for bad in (70000, 1.5, 'x'):
    try: h[0] = bad
    except (ValueError, TypeError) as e: print(type(e).__name__, e)
try: h[0:2] = b'ab'
except ValueError as e: print('ValueError', e)
q = memoryview(array.array('Q', [2**64-1])); print(q[0], q.tolist(), bytes(q))
u = memoryview(array.array('u', 'hi')); print(u.format, u.itemsize)
try: u.tolist()
except NotImplementedError as e: print('NotImplementedError', e)
arr = array.array('i', [1, 2])
v1 = memoryview(arr); v2 = v1[1:]
for op in (lambda: arr.append(3), lambda: arr.extend([4]), lambda: arr.pop(), lambda: arr.frombytes(b'1234')):
    try: op()
    except BufferError as e: print('BufferError', e)
v1.release(); 
try: arr.append(3)
except BufferError as e: print('still', e)
v2.release(); arr.append(3); print(arr)
print(bytes(array.array('h', [1, 256])), b''.join([array.array('B', [65, 66])]), bytearray(array.array('b', [67])))
with memoryview(array.array('i', [9])) as mv:
    print(mv[0], list(mv), hash(memoryview(b'ab')) == hash(b'ab'))
try: hash(memoryview(array.array('i', [1])).toreadonly())
except ValueError as e: print('ValueError', e)
print(sys.getsizeof(memoryview(array.array('i'))), memoryview(array.array('i')).tolist())
bm = memoryview(array.array('B', [1, 2])); bm[0:2] = b'\\x05\\x06'; print(bm.tolist(), bm == b'\\x05\\x06')
class A(array.array): pass
print(memoryview(A('H', [3])).tolist())`,
  ],
]);

const VALUES: Readonly<Record<string, fc.Arbitrary<string>>> = {
  b: fc.integer({ min: -128, max: 127 }).map(String),
  B: fc.integer({ min: 0, max: 255 }).map(String),
  h: fc.integer({ min: -32768, max: 32767 }).map(String),
  H: fc.integer({ min: 0, max: 65535 }).map(String),
  i: fc.integer().map(String),
  I: fc.integer({ min: 0, max: 2 ** 32 - 1 }).map(String),
  q: fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }).map(String),
  Q: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }).map(String),
  f: fc.constantFrom("0.5", "-1.25", "3.0", "1e30"),
  d: fc
    .double({ noNaN: true })
    .map((x) => (Object.is(x, -0) ? "-0.0" : String(x)).replace("Infinity", "float('inf')")),
};

describe("memoryview of array.array against python3", () => {
  let cpython: CPythonForks;
  beforeAll(() => {
    cpython = new CPythonForks();
  });
  afterAll(() => cpython.close());

  it("reads, writes, casts and guards the array as python3 does", async () => {
    const seed = fcSeed();
    const typecodes = Object.keys(VALUES);
    await fc.assert(
      fc.asyncProperty(
        fc
          .constantFrom(...typecodes)
          .chain((tc) =>
            fc.tuple(fc.constant(tc), fc.array(VALUES[tc]!, { maxLength: 8 }), VALUES[tc]!),
          ),
        fc.array(
          fc.oneof(
            fc.constant("print(m.tolist(), len(m), m.nbytes, m.shape, m.strides)"),
            fc
              .tuple(
                fc.integer({ min: -9, max: 9 }),
                fc.integer({ min: -3, max: 3 }).filter((s) => s !== 0),
              )
              .map(([start, step]) => `print(m[${start}::${step}].tolist())`),
            fc.integer({ min: -9, max: 9 }).map((i) => `m[${i}] = x`),
            fc.integer({ min: -9, max: 9 }).map((i) => `print(m[${i}])`),
            fc.constant("print(m.cast('B').tolist())"),
            fc.constant("m = m.cast('B').cast(a.typecode)"),
            fc.constant("a.append(x)"),
            fc.constant("del a[:1]"),
            fc.constant("print(m == a, m == m.tobytes(), bytes(a) == m.tobytes())"),
            fc.constant("m.release()"),
            fc.constant("m = memoryview(a)"),
          ),
          { maxLength: 8 },
        ),
        async ([tc, items, x], ops) => {
          const source = `import array
a = array.array(${JSON.stringify(tc)}, [${items.join(", ")}])
x = ${x}
m = memoryview(a)
${ops.map((op) => `try:\n    ${op}\nexcept (IndexError, ValueError, TypeError, BufferError) as e:\n    print(type(e).__name__, e)`).join("\n")}
print(a)
`;
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

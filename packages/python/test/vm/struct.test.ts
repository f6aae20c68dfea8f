// The struct module against python3: sizes and alignment of native and standard formats,
// packing and unpacking of every code (half floats rounded as PyFloat_Pack2 rounds them),
// Struct, pack_into/unpack_from/iter_unpack, and _struct.c's errors; and a property over random
// formats and values.

import { fcRuns, fcSeed } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPython } from "../../src/vm/run.js";
import { CPythonForks } from "../fuzz/cpython.js";
import { describeAgainstPython } from "./against-python.js";

describeAgainstPython("struct", [
  [
    "integer range errors of every byte order",
    `import struct
for pre in '@<>!=':
  for c in 'bBhHiIlLqQ':
    for v in [-1, -129, 256, -2**15-1, 2**16, 2**32, -2**31-1, 2**63, 2**64, -2**63-1, -2**70, 2**70]:
      try: struct.pack(pre+c, v); r='OK'
      except Exception as e: r=str(e)
      print(pre+c, v, r)`,
  ],
  [
    "every code, Struct and errors",
    String.raw`import struct
for fmt, vals in [('ci', (b'a', 7)), ('ic', (7, b'a')), ('<ci', (b'a', 7)), ('>hHiIqQ', (-2, 65535, -3, 7, -2**63, 2**64 - 1)),
                  ('@bBhHiIlLqQnN', (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)), ('!l', (-5,)), ('=L', (2**32 - 1,)), ('3s5p?x2x', (b'abcdef', b'xy', [1])),
                  ('fde', (0.1, -2.5, 1/3)), ('<e', (65504.0,)), ('P', (-1,)), ('  i  h ', (1, 2)), ('0s', (b'',)), (b'<h', (5,))]:
    p = struct.pack(fmt, *vals)
    print(fmt, struct.calcsize(fmt), p, struct.unpack(fmt, p))
for v in [0.0, -0.0, 1e-8, 6e-5, 65519.0, 2.0**-24, 2.0**-25, 3 * 2.0**-25, 1.5, 0.3333]:
    print(v, struct.pack('<e', v), struct.unpack('<e', struct.pack('<e', v)))
s = struct.Struct('<2h'); print(s.format, s.size, s.pack(1, 2), s.unpack(b'\x01\x00\x02\x00'), list(s.iter_unpack(b'\x01\x00\x02\x00' * 2)))
buf = bytearray(10); struct.pack_into('<i', buf, 2, -1); print(buf, struct.unpack_from('<i', buf, 2), struct.unpack_from('<h', buf, offset=-2))
print(list(struct.iter_unpack('>H', b'\x00\x01\x00\x02')))
for fmt, v in [('b', 128), ('B', -1), ('h', 2**15), ('H', -1), ('i', 2**31), ('I', -1), ('I', 2**32), ('l', 2**63), ('<l', 2**31), ('<L', 2**32), ('Q', -1), ('q', 1.5), ('c', b'ab'), ('s', 'x'), ('e', 1e6), ('z', 1), ('3', 1), ('<n', 1), ('f', 'x'), ('P', 2**64)]:
    try: print(struct.pack(fmt, v))
    except Exception as e: print(fmt, v, type(e).__name__, e)
for f in [lambda: struct.unpack('i', b'12'), lambda: struct.unpack_from('i', b'123', 1), lambda: list(struct.iter_unpack('i', b'12345')), lambda: struct.pack('ii', 1), lambda: struct.calcsize(5), lambda: struct.pack_into('i', bytearray(2), 0, 1), lambda: struct.unpack('i', 'abcd')]:
    try: print(f())
    except Exception as e: print(type(e).__name__, e)
print(issubclass(struct.error, Exception), struct.error.__module__)

for f in ['>f', 'f', '<f']:
    try: print(struct.pack(f, 1e300))
    except Exception as e: print(type(e).__name__, e)`,
  ],
]);

const CODES = "xcbB?hHiIlLqQnNefdspP";

const field = fc.tuple(
  fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }),
  fc.constantFrom(...CODES),
);

const value = fc.oneof(
  fc.bigInt({ min: -(1n << 66n), max: 1n << 66n }).map(String),
  fc.integer({ min: -300, max: 70000 }).map(String),
  fc.double({ noNaN: true }).map((d) => `float(${JSON.stringify(String(d))})`),
  fc.constantFrom("b'a'", "b'xyz'", "b''", "True", "None", "'s'"),
);

describe("struct against python3", () => {
  let cpython: CPythonForks;
  beforeAll(() => {
    cpython = new CPythonForks();
  });
  afterAll(() => cpython.close());

  it("packs and unpacks random formats as python3 does", async () => {
    const seed = fcSeed();
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(
            fc.constantFrom("", "@", "=", "<", ">", "!"),
            fc.array(field, { minLength: 1, maxLength: 4 }),
            fc.array(value, { maxLength: 6 }),
          ),
          { minLength: 1, maxLength: 6 },
        ),
        async (cases) => {
          const lines = ["import struct"];
          for (const [order, fields, values] of cases) {
            const fmt = order + fields.map(([n, c]) => `${n ?? ""}${c}`).join("");
            lines.push("try:");
            lines.push(`    print(struct.calcsize(${JSON.stringify(fmt)}))`);
            lines.push(`    p = struct.pack(${JSON.stringify(fmt)}, ${values.join(", ")})`);
            lines.push(`    print(p, struct.unpack(${JSON.stringify(fmt)}, p))`);
            lines.push("except (struct.error, OverflowError, TypeError) as e:");
            lines.push("    print(type(e).__name__, e)");
          }
          const source = `${lines.join("\n")}\n`;
          const want = await cpython.run(source);
          const got = runPython(source, { filename: "prog.py" });
          expect(got.stdout).toBe(want.stdout);
          expect(got.status).toBe(want.status);
        },
      ),
      { numRuns: fcRuns(60), ...(seed !== undefined ? { seed } : {}) },
    );
  });

  it("rounds random doubles to half precision as python3 does", async () => {
    const seed = fcSeed();
    await fc.assert(
      fc.asyncProperty(fc.array(fc.double(), { minLength: 1, maxLength: 30 }), async (xs) => {
        const lines = ["import struct"];
        for (const x of xs) {
          lines.push("try:");
          lines.push(`    print(struct.pack('<e', float(${JSON.stringify(String(x))})).hex())`);
          lines.push("except OverflowError as e:");
          lines.push("    print(e)");
        }
        const source = `${lines.join("\n")}\n`;
        const want = await cpython.run(source);
        const got = runPython(source, { filename: "prog.py" });
        expect(got.stdout).toBe(want.stdout);
      }),
      { numRuns: fcRuns(30), ...(seed !== undefined ? { seed } : {}) },
    );
  });
});

// `bytes % args` and `bytearray % args` (PEP 461) against python3: the conversions, flags,
// widths and precisions of printf-style formatting over bytes, `%b`/`%s` of buffers and of
// `__bytes__`, `%a`/`%r` as ASCII, `%c` of an int or one byte, the mapping form with bytes
// keys, and CPython's errors, word for word.

import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPython } from "../../src/vm/run.js";
import { CPythonForks } from "../fuzz/cpython.js";
import { describeAgainstPython } from "./against-python.js";

const show = `
def show(f):
    try:
        r = f()
        print(type(r).__name__, repr(r))
    except Exception as e:
        print(type(e).__name__, e)
`;

describeAgainstPython(
  "bytes % args",
  [
    [
      "conversions",
      `${show}
show(lambda: b"%s and %b" % (b"ab", bytearray(b"cd")))
show(lambda: b"%d %i %u %x %X %o" % (-12, True, 7, 255, 3054, 8))
show(lambda: b"%05.1f|%+d|%#x|%#o|%e|%G" % (3.14159, 5, 255, 8, 12345.678, 1e-20))
show(lambda: b"%5.2s|%-6b|%.0s|" % (b"abcdef", b"ab", b"zz"))
show(lambda: b"%*d|%-*d|%.*f" % (5, 1, 4, 2, 2, 3.14159))
show(lambda: b"%r %a" % ("\\xe9", [b"x", "y\\n", "\\u1234"]))
show(lambda: b"%c%c%c" % (65, b"z", bytearray(b"q")))
show(lambda: b"%%%s%%" % b"!")
show(lambda: b"%d" % 2**70)
show(lambda: b"%s" % memoryview(b"mv"))
show(lambda: b"%(x)s-%(y)d" % {b"x": b"1", b"y": 2})
show(lambda: b"plain" % ())
show(lambda: b"a" % [1])
show(lambda: b"a" % {})
show(lambda: b"\\xff%s\\x00" % b"\\x80")
`,
    ],
    [
      "a bytearray template",
      `${show}
show(lambda: bytearray(b"%s-%d") % (b"x", 3))
show(lambda: bytearray(b"abc") % ())
class BA(bytearray): pass
show(lambda: BA(b"%s") % b"sub")
t = bytearray(b"%s")
r = t % b"q"
print(r is t, t)
`,
    ],
    [
      "bytes subclasses, __bytes__ and the slot methods",
      `${show}
class B(bytes): pass
class H:
    def __bytes__(self): return b"HH"
class Bad:
    def __bytes__(self): return "no"
show(lambda: B(b"%s!") % b"sub")
show(lambda: b"%s" % H())
show(lambda: b"%s" % Bad())
show(lambda: b"%s" % B(b"kept"))
show(lambda: bytes.__mod__(b"%d", 4))
show(lambda: b"%x".__mod__(255))
show(lambda: bytes.__rmod__(b"%d", 4))
show(lambda: bytearray.__mod__(bytearray(b"%d"), 5))
show(lambda: 5 % b"x")
import array
show(lambda: b"%s" % array.array("b", [65, 66]))
`,
    ],
    [
      "errors",
      `${show}
show(lambda: b"%s" % "x")
show(lambda: b"%b" % 1)
show(lambda: b"%s" % None)
show(lambda: b"%c" % 256)
show(lambda: b"%c" % -1)
show(lambda: b"%c" % b"ab")
show(lambda: b"%c" % "a")
show(lambda: b"%\\xe9" % 1)
show(lambda: b"%y" % 1)
show(lambda: b"%d %d" % (1,))
show(lambda: b"%d" % (1, 2))
show(lambda: b"%d" % "x")
show(lambda: b"%x" % 1.5)
show(lambda: b"%f" % "x")
show(lambda: b"%" % ())
show(lambda: b"%(a" % {})
show(lambda: b"%(x)s" % {"x": b"1"})
show(lambda: b"%(a)s" % [1])
show(lambda: b"x" % b"y")
show(lambda: b"x" % "y")
show(lambda: b"%s" % (1, 2))
show(lambda: b"%(x)s %s" % {b"x": b"1"})
`,
    ],
    [
      "the result's memory",
      `import sys
r = b"%s-%s" % (b"ab", b"cd")
print(sys.getsizeof(r), sys.getrefcount(r))
a = bytearray(b"%d") % 12345
print(sys.getsizeof(a), a.__alloc__())
`,
    ],
  ],
  { quiet: true },
);

// A conversion drawn from its parts: flags, a width, a precision and the type, with an argument
// of a kind the type takes (or one it refuses).
const flags = fc.array(fc.constantFrom("-", "+", " ", "#", "0"), { maxLength: 3 });
const width = fc.option(fc.integer({ min: 0, max: 12 }), { nil: undefined });
const precision = fc.option(fc.integer({ min: 0, max: 8 }), { nil: undefined });
const byteValues = fc.uint8Array({ maxLength: 6 });
const bytesLiteral = (d: Uint8Array): string =>
  `b"${Array.from(d, (x) => `\\x${x.toString(16).padStart(2, "0")}`).join("")}"`;
const argument = fc.oneof(
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map((n) => `(${n})`),
  fc.integer({ min: -300, max: 300 }).map((n) => `(${n})`),
  fc.double({ noNaN: true, min: -1e30, max: 1e30 }).map((x) => `(${x})`),
  byteValues.map(bytesLiteral),
  byteValues.map((d) => `bytearray(${bytesLiteral(d)})`),
  fc.constantFrom('"s"', "None", "[1, b'x']", "True", "3.5"),
);
const conversion = fc.tuple(
  flags,
  width,
  precision,
  fc.constantFrom(..."sbracdiuoxXeEfFgG"),
  argument,
);

describe("bytes % args against python3", () => {
  let cpython: CPythonForks;
  beforeAll(() => {
    cpython = new CPythonForks();
  });
  afterAll(() => cpython.close());

  it("formats random conversions as python3 does, errors included", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(conversion, { minLength: 1, maxLength: 3 }), {
          minLength: 1,
          maxLength: 10,
        }),
        fc.boolean(),
        async (templates, asBytearray) => {
          const lines = [show];
          for (const convs of templates) {
            const spec = convs
              .map(
                ([f, w, p, t]) => `%${f.join("")}${w ?? ""}${p === undefined ? "" : `.${p}`}${t}`,
              )
              .join("|");
            const template = asBytearray ? `bytearray(b"<${spec}>")` : `b"<${spec}>"`;
            lines.push(`show(lambda: ${template} % (${convs.map((c) => c[4]).join(", ")},))`);
          }
          const program = `${lines.join("\n")}\n`;
          const want = await cpython.run(program);
          const got = runPython(program, { filename: "prog.py" });
          expect(got.stderr).toBe("");
          expect(got.stdout).toBe(want.stdout);
        },
      ),
      { numRuns: 60 },
    );
  });
});

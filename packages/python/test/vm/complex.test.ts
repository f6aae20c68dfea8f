// complex numbers against python3: literals and their constant folding, the constructor, the
// arithmetic with ints and floats (operands drawn at the edges: zeros of both signs, the
// infinities, NaN, subnormals, huge values), equality, hash, abs, repr and format, the errors,
// and the objects' size and tracking.

import { fcRuns, fcSeed } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { runPython } from "../../src/vm/run.js";
import { CPythonForks } from "../fuzz/cpython.js";
import { describeAgainstPython } from "./against-python.js";

const seed = fcSeed();
const seeded = seed !== undefined ? { seed } : {};

/** A float as Python source (the specials through float()). */
function floatSource(x: number): string {
  if (Number.isNaN(x)) return "float('nan')";
  if (x === Infinity) return "float('inf')";
  if (x === -Infinity) return "float('-inf')";
  if (Object.is(x, -0)) return "-0.0";
  const s = String(x);
  return /[.e]/.test(s) ? s : `${s}.0`;
}

const part = fc.oneof(
  fc.constantFrom(
    0,
    -0,
    1,
    -1,
    0.5,
    2.5,
    1e308,
    -1e308,
    5e-324,
    1e-310,
    Infinity,
    -Infinity,
    NaN,
    3,
    4,
  ),
  fc.double({ noNaN: true, min: -1e6, max: 1e6 }),
  fc.integer({ min: -50, max: 50 }),
);

/** An operand: an int, a float or a complex number, as source. */
const operand = fc.oneof(
  fc.tuple(part, part).map(([re, im]) => `complex(${floatSource(re)}, ${floatSource(im)})`),
  part.map(floatSource),
  fc.constantFrom("0", "1", "-3", "7", "2**60", "True"),
);

function program(pairs: ReadonlyArray<readonly [string, string]>): string {
  const lines = [
    "def show(f):",
    "    try:",
    "        v = f()",
    "        print(repr(v), hash(v) if type(v) is complex and v == v else '')",
    "    except Exception as e:",
    "        print(type(e).__name__, e)",
    "def run(a, b):",
    "    for f in (lambda: a + b, lambda: a - b, lambda: a * b, lambda: a / b, lambda: -a,",
    "              lambda: abs(a), lambda: a == b, lambda: a != b, lambda: complex(a),",
    "              lambda: format(complex(a), '.3g'), lambda: format(complex(a), '>30'), lambda: bool(a)):",
    "        show(f)",
    "    if type(b) is int or (type(b) is float and b == int(b) and abs(b) <= 100):",
    "        show(lambda: complex(a) ** b)",
  ];
  for (const [a, b] of pairs) lines.push(`run(${a}, ${b})`);
  return `${lines.join("\n")}\n`;
}

describe("complex arithmetic at the edges", () => {
  const cpython = new CPythonForks(20);
  afterAll(() => cpython.close());

  it("prints what python3 prints for every operator, hash, abs, repr and format", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(operand, operand), { minLength: 1, maxLength: 6 }),
        async (pairs) => {
          const source = program(pairs);
          const want = await cpython.run(source);
          const got = runPython(source, { filename: "prog.py" });
          expect(got.stdout).toBe(want.stdout);
          expect(got.status).toBe(want.status);
        },
      ),
      { numRuns: fcRuns(40), ...seeded },
    );
  }, 120_000);
});

describeAgainstPython("complex numbers", [
  [
    "literals, folding and the constructor",
    `def f():
    return 1+2j, -1j, 2j**2, (-8)**0.5, 1j*1j, 3-0j, -(0j), 1j+True, 1/2j
print(f.__code__.co_consts)
print(f())
for s in ["1+2j", " ( -1.5e3-2.5J ) ", "j", "-j", "nan+infj", "1_0j", "-inf", "1e-3+1e+3j", "2"]:
    print(repr(complex(s)))
print(complex(), complex(2), complex(2.5), complex(1+2j, 3j), complex(imag=3), complex(real=1, imag=2))
class C:
    def __complex__(self):
        return 5j
class F:
    def __float__(self):
        return 2.5
print(complex(C()), complex(F(), 1), complex(True, False))
z = 1+2j
print(complex(z) is z, z.real, z.imag, z.conjugate(), (5).conjugate(), (2.5).conjugate())`,
  ],
  [
    "errors",
    `tests = [
    lambda: 1/0j, lambda: 0j ** -1, lambda: (1+2j) // 2, lambda: (1+2j) % 2, lambda: 1j < 2j,
    lambda: complex("x"), lambda: complex("1", 2), lambda: complex(1, "2"), lambda: complex(None),
    lambda: 10j ** 1000, lambda: int(1j), lambda: float(1j), lambda: abs(complex(1e308, 1e308)),
    lambda: divmod(1j, 2), lambda: complex(2**1100), lambda: 1j + 2**1100, lambda: pow(1j, 2, 3),
    lambda: ~1j, lambda: 1j & 1, lambda: complex(x=1), lambda: complex(1, 2, 3),
    lambda: complex("1+2"), lambda: complex("1 + 2j"), lambda: complex([]), lambda: complex(1, []),
    lambda: format(1j, "020"), lambda: format(1j, "=10"), lambda: format(1j, "x"),
]
for f in tests:
    try:
        print(f())
    except Exception as e:
        print(type(e).__name__, e)`,
  ],
  [
    "memory: size, tracking, hashing as dict keys, formatting",
    `import gc, sys
z = complex(3.0, 4)
print(sys.getsizeof(z), gc.is_tracked(z), abs(z), hash(z), hash(3+0j) == hash(3))
print({1: "a"}[1+0j], {1j: 2}[1j], {2.5: 1}[complex(2.5, 0)], len({1, 1+0j, 1.0}))
print(f"{z}", "%s" % (1j,), str(-0j), [2j], f"{z:.2f}", f"{z:^20}", format(-0.0+0j, ""))
print(sorted([3+0j, 1j, -2], key=abs), sum([1j, 2j, 3]), 2 * (1+1j) ** 7)`,
  ],
]);

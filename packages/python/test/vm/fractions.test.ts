// The fractions module against python3: construction from ints, floats, strs and Rationals,
// arithmetic with ints, floats and complex numbers, comparisons, hashes, limit_denominator,
// rounding and errors; and a property over random Fractions and operators.

import { fcRuns, fcSeed } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPython } from "../../src/vm/run.js";
import { CPythonForks } from "../fuzz/cpython.js";
import { describeAgainstPython } from "./against-python.js";

describeAgainstPython("fractions", [
  [
    "construction, arithmetic, comparisons, hashes and errors",
    `from fractions import Fraction as F
import numbers, math
print(F(3, 4), repr(F(-6, 8)), F('1.25e-2'), F(' -3/9 '), F(0.1), F(2.5), F(F(1, 3)), F(7), F(True), F('1_000.5'), F('.5'), F('5.'))
a, b = F(1, 3), F(-5, 7)
for x, y in [(a, b), (a, 2), (3, b), (a, 0.5), (0.25, b), (a, 1j), (b, 3)]:
    print(x + y, x - y, x * y, x / y, (x // y, x % y, divmod(x, y)) if not isinstance(y, complex) else None)
print(a ** 2, b ** -3, F(-2, 3) ** -3, 2 ** F(3), 2 ** F(1, 2), F(4) ** F(1, 2), F(1, 4) ** 0.5, F(2) ** F(-2))
print(a < b, a > 0.3, a == F(2, 6), F(1, 2) == 0.5, F(1, 2) == 0.5 + 0j, a < math.inf, a == math.nan, sorted([F(1, 2), 0.4, 1, F(-1, 3)]))
print(hash(F(1, 2)) == hash(0.5), hash(F(5)) == hash(5), hash(F(-1)), hash(F(1, 3)), hash(F(10**30, 7)), hash(F(1, 2305843009213693951)))
print(F(3.141592653589793).limit_denominator(100), F(3.141592653589793).limit_denominator(), F(1, 3).limit_denominator(2))
print(round(F(5, 2)), round(F(7, 2)), round(F(-5, 2)), round(F(12345, 1000), 2), round(F(12345, 1), -2), math.floor(b), math.ceil(b), math.trunc(b), int(b), float(a))
print(F.from_float(0.3), F.from_float(3), a.as_integer_ratio(), bool(F(0)), abs(b), -a, +a, a.numerator, a.denominator, hasattr(a, 'is_integer'))
print(isinstance(a, numbers.Rational), issubclass(F, numbers.Real), type(a + 1).__name__, type(a + 1.0).__name__)
for bad in [lambda: F(1, 0), lambda: F('x'), lambda: F('1/-2'), lambda: F(1.5, 2), lambda: a / 0, lambda: F(0) ** -1,
            lambda: F(math.inf), lambda: F(math.nan), lambda: a // 0, lambda: F.from_float('x'), lambda: a.limit_denominator(0),
            lambda: F([1]), lambda: a + 'x', lambda: F(-3, 4) / F(0), lambda: a < 'x']:
    try: print(bad())
    except Exception as e: print(type(e).__name__, e)
print({F(1, 2): 'half'}[0.5], sum([F(1, 3)] * 3), F(1, 3) * 3 == 1, max(F(1, 2), F(2, 3)))
import copy
print(copy.copy(a) is a, copy.deepcopy(a) is a)`,
  ],
]);

const small = fc.integer({ min: -60, max: 60 });
const fraction = fc
  .tuple(
    fc.oneof(small, fc.bigInt({ min: -(10n ** 25n), max: 10n ** 25n })),
    fc.integer({ min: 1, max: 90 }),
  )
  .map(([n, d]) => `F(${n}, ${d})`);
const operand = fc.oneof(
  { weight: 4, arbitrary: fraction },
  { weight: 2, arbitrary: small.map(String) },
  {
    weight: 1,
    arbitrary: fc
      .double({ min: -100, max: 100, noNaN: true })
      .map((x) => `float(${JSON.stringify(String(x))})`),
  },
  { weight: 1, arbitrary: fc.constantFrom("F('-1.5e2')", "F('3/9')", "F(0.1)", "F(0)", "0") },
);
const OPS = ["+", "-", "*", "/", "//", "%", "<", "<=", "==", "!=", ">", ">="];

describe("fractions against python3", () => {
  let cpython: CPythonForks;
  beforeAll(() => {
    cpython = new CPythonForks();
  });
  afterAll(() => cpython.close());

  it("computes random Fraction expressions as python3 does", async () => {
    const seed = fcSeed();
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc
              .tuple(operand, fc.constantFrom(...OPS), operand)
              .map(([x, op, y]) => `${x} ${op} ${y}`),
            fc.tuple(fraction, fc.integer({ min: -4, max: 4 })).map(([x, p]) => `${x} ** ${p}`),
            fraction.map(
              (x) => `(hash(${x}), round(${x}), round(${x}, 2), float(${x}), int(${x}))`,
            ),
            fc
              .tuple(fraction, fc.integer({ min: 1, max: 50 }))
              .map(([x, m]) => `${x}.limit_denominator(${m})`),
            fc
              .double({ noNaN: true, noDefaultInfinity: true })
              .map((x) => `F(float(${JSON.stringify(String(x))}))`),
          ),
          { minLength: 1, maxLength: 15 },
        ),
        async (exprs) => {
          const lines = ["from fractions import Fraction as F"];
          for (const e of exprs) {
            lines.push("try:");
            lines.push(`    r = ${e}`);
            lines.push("    print(repr(r), str(r))");
            lines.push("except Exception as e:");
            lines.push("    print(type(e).__name__, e)");
          }
          const source = `${lines.join("\n")}\n`;
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

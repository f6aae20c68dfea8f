// The evaluator computes small ints and floats on fast paths (numbers, not bigints) and falls
// back to the general protocol at their edges: one digit, two digits, 2**53. Operands drawn
// around those edges, every binary operator and comparison, in functions (where the fast paths
// run) and at module level, printed by python3 and by runPython: the outputs must be equal.

import { fcRuns, fcSeed } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { runPython } from "../../src/vm/run.js";
import { CPythonForks } from "../fuzz/cpython.js";

const seed = fcSeed();
const seeded = seed !== undefined ? { seed } : {};

/** Ints near the edges of the fast paths, and any others. */
const edgeInt = fc.oneof(
  fc.constantFrom(0n, 1n, -1n, 2n, 5n, -5n, 256n, 257n, -6n),
  ...[30n, 31n, 53n, 60n, 62n].map((bits) =>
    fc
      .tuple(fc.bigInt(-3n, 3n), fc.constantFrom(1n, -1n))
      .map(([d, sign]) => sign * (1n << bits) + d),
  ),
  fc.bigInt({ min: -(1n << 70n), max: 1n << 70n }),
  fc.integer().map(BigInt),
);

const edgeFloat = fc.oneof(
  fc.double({ noNaN: false }),
  fc.constantFrom(0, -0, 0.5, -1.5, 1e308, 2 ** 53, Number.POSITIVE_INFINITY),
);

const BINARY = ["+", "-", "*", "//", "%", "/", "&", "|", "^", "<<", ">>", "**"];
const COMPARE = ["<", "<=", "==", "!=", ">", ">="];

function floatLiteral(x: number): string {
  if (Number.isNaN(x)) return "float('nan')";
  if (!Number.isFinite(x)) return x > 0 ? "float('inf')" : "-float('inf')";
  if (Object.is(x, -0)) return "-0.0";
  const s = String(x);
  return /[.e]/.test(s) ? s : `${s}.0`;
}

/** A program printing `a op b` for every operator and every pair, errors included. */
function program(pairs: readonly (readonly [string, string])[]): string {
  const lines = [
    "def show(f):",
    "    try:",
    "        v = f()",
    "    except Exception as e:",
    "        print(type(e).__name__, e)",
    "    else:",
    "        print(type(v).__name__, repr(v))",
    "",
    "def run(a, b):",
  ];
  for (const op of [...BINARY, ...COMPARE]) {
    // `**` and shifts by huge amounts would run for ages: CPython and we both refuse or take
    // long alike, so keep them to small right operands. `**` stays with ints: a negative number
    // to a fractional power is complex (test/vm/complex.test.ts), and a float power is the
    // JavaScript engine's, which is not always correctly rounded as C's pow is.
    const guard =
      op === "**"
        ? "abs(b) < 64 and type(a) is int and type(b) is int and "
        : op === "<<"
          ? "abs(b) < 64 and "
          : "";
    lines.push(`    if ${guard}True: show(lambda: a ${op} b)`);
  }
  lines.push("    x = a", "    x += b", "    x -= a", "    print('inplace', repr(x))");
  lines.push("    print(-a, +a, ~a if type(a) is int else a, not a)");
  lines.push("");
  for (const [a, b] of pairs) lines.push(`run(${a}, ${b})`);
  // The same at module level, where no function's fast path is involved.
  for (const [a, b] of pairs.slice(0, 3)) {
    lines.push(`a, b = ${a}, ${b}`, "print(a + b, a - b, a * b, a < b, a == b)");
  }
  return `${lines.join("\n")}\n`;
}

describe("ints and floats on the evaluator's fast paths", () => {
  const cpython = new CPythonForks(20);
  afterAll(() => cpython.close());

  it("print what python3 prints, for every operator at the edges of one digit, two digits and 2**53", async () => {
    const pair = fc.oneof(
      fc.tuple(edgeInt, edgeInt).map(([a, b]) => [`(${a})`, `(${b})`] as const),
      fc.tuple(edgeFloat, edgeFloat).map(([a, b]) => [floatLiteral(a), floatLiteral(b)] as const),
      fc.tuple(edgeInt, edgeFloat).map(([a, b]) => [`(${a})`, floatLiteral(b)] as const),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(pair, { minLength: 1, maxLength: 12 }), async (pairs) => {
        const source = program(pairs);
        const want = await cpython.run(source);
        const got = runPython(source, { filename: "prog.py" });
        expect(got.stdout).toBe(want.stdout);
        expect(got.status).toBe(want.status);
      }),
      { numRuns: fcRuns(40), ...seeded },
    );
  }, 120_000);
});

// Chains of `yield from` generators a few hundred deep, against python3: each level resumes the
// next one inside it (as CPython's gen_send_ex does in C), so each level holds JavaScript
// frames; the chain must run inside a test worker, whose JavaScript stack is smaller than the
// CLI's, at depths python3 runs. Values sent in, values yielded out and return values passed
// back up the chain are python3's.

import { fcRuns, fcSeed } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { runPython } from "../../src/vm/run.js";
import { CPythonForks } from "../fuzz/cpython.js";

const seed = fcSeed();
const seeded = seed !== undefined ? { seed } : {};

function program(depth: number, leafSize: number, sends: readonly number[]): string {
  return `${[
    "def leaf(n):",
    "    total = 0",
    "    for i in range(n):",
    "        got = yield i",
    "        total += got or 0",
    "    return total",
    "def chain(depth, n):",
    "    if depth == 0:",
    "        result = yield from leaf(n)",
    "    else:",
    "        result = yield from chain(depth - 1, n)",
    "    return result + 1",
    `g = chain(${depth}, ${leafSize})`,
    "out = [next(g, 'empty')]",
    `for v in ${JSON.stringify(sends)}:`,
    "    try:",
    "        out.append(g.send(v))",
    "    except StopIteration as stop:",
    "        out.append(('returned', stop.value))",
    "        break",
    "print(out)",
    "g.close()",
  ].join("\n")}\n`;
}

describe("chains of yield from", () => {
  const cpython = new CPythonForks(20);
  afterAll(() => cpython.close());

  it("pass values down and up a chain 300 deep as python3 does", async () => {
    const source = program(300, 3, [5, 6, 7, 8]);
    const want = await cpython.run(source);
    expect(want.stdout).toContain("returned");
    const got = runPython(source, { filename: "prog.py" });
    expect(got.stdout).toBe(want.stdout);
    expect(got.status).toBe(want.status);
  });

  it("send, yield and return through chains of any depth up to 300 as python3 does", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 300 }),
        fc.nat(4),
        fc.array(fc.integer({ min: -5, max: 5 }), { maxLength: 6 }),
        async (depth, leafSize, sends) => {
          const source = program(depth, leafSize, sends);
          const want = await cpython.run(source);
          const got = runPython(source, { filename: "prog.py" });
          expect(got.stdout).toBe(want.stdout);
          expect(got.status).toBe(want.status);
        },
      ),
      { numRuns: fcRuns(20), ...seeded },
    );
  }, 120_000);
});

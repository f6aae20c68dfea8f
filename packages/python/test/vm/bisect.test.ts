// The bisect module against python3: bisect_left/right and insort_left/right with lo, hi and
// key, their errors; and a property over random sorted lists and probes.

import { fcRuns, fcSeed } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPython } from "../../src/vm/run.js";
import { CPythonForks } from "../fuzz/cpython.js";
import { describeAgainstPython } from "./against-python.js";

describeAgainstPython("bisect", [
  [
    "searches, insertions, keys and errors",
    `import bisect
s = [1, 2, 2, 2, 5, 8, 13]
print(bisect.bisect(s, 2), bisect.bisect_left(s, 2), bisect.bisect_right(s, 2, 2, 5), bisect.bisect_left(s, 9, hi=3))
bisect.insort(s, 2); bisect.insort_left(s, 6); bisect.insort_right(s, 0, 0, 1); print(s)
people = [("ann", 3), ("bob", 7)]
bisect.insort(people, ("cy", 5), key=lambda p: p[1]); bisect.insort_left(people, ("di", 7), key=lambda p: p[1])
print(people, bisect.bisect_left(people, 6, key=lambda p: p[1]), bisect.bisect(people, 7, key=lambda p: p[1]))
grades = "FDCBA"
print([grades[bisect.bisect([60, 70, 80, 90], score)] for score in [33, 99, 77, 70, 89, 90, 100]])
for f in [lambda: bisect.bisect([1], 1, -1), lambda: bisect.insort([1], 1, lo=-2), lambda: bisect.bisect(None, 1),
          lambda: bisect.bisect([1, "a"], 2)]:
    try:
        print(f())
    except Exception as e:
        print(type(e).__name__, e)`,
  ],
]);

describe("bisect against python3", () => {
  let cpython: CPythonForks;
  beforeAll(() => {
    cpython = new CPythonForks();
  });
  afterAll(() => cpython.close());

  it("finds python3's positions in random sorted lists", async () => {
    const seed = fcSeed();
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 15 }),
        fc.array(fc.tuple(fc.integer({ min: -1, max: 10 }), fc.nat(16), fc.nat(16)), {
          minLength: 1,
          maxLength: 10,
        }),
        async (items, probes) => {
          const lines = ["import bisect", `s = sorted([${items.join(", ")}])`];
          for (const [x, lo, hi] of probes) {
            lines.push(`print(bisect.bisect_left(s, ${x}), bisect.bisect_right(s, ${x}, ${lo}))`);
            lines.push(`print(bisect.bisect_left(s, ${x}, ${lo}, ${hi}, key=lambda v: v))`);
            lines.push(`bisect.insort(s, ${x}, ${lo}, ${hi}); print(s)`);
          }
          const source = `${lines.join("\n")}\n`;
          const want = await cpython.run(source);
          const got = runPython(source, { filename: "prog.py" });
          expect(got.stdout).toBe(want.stdout);
          expect(got.status).toBe(want.status);
        },
      ),
      { numRuns: fcRuns(30), ...(seed !== undefined ? { seed } : {}) },
    );
  });
});

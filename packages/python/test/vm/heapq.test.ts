// The heapq module against python3: the list a heap is after every operation (the sift steps are
// _heapqmodule.c's, so equal items land where CPython puts them), merge, nlargest, nsmallest,
// the C functions' argument errors; and a property over random operation sequences.

import { fcRuns, fcSeed } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPython } from "../../src/vm/run.js";
import { CPythonForks } from "../fuzz/cpython.js";
import { describeAgainstPython } from "./against-python.js";

describeAgainstPython("heapq", [
  [
    "heaps, merge, nlargest and nsmallest",
    `import heapq
data = [5, 3, 9, 1, 5, 7, 2, 8, 3, 0, 6, 4, 9, 1]
h = []
for x in data:
    heapq.heappush(h, x)
print(h, [heapq.heappop(h) for _ in range(4)], h)
d = data[:]; heapq.heapify(d); print(d, heapq.heappushpop(d, 4), heapq.heapreplace(d, 99), d)
print(heapq.nlargest(4, data), heapq.nsmallest(4, data), heapq.nsmallest(3, data, key=lambda v: -v))
print(heapq.nlargest(1, data), heapq.nsmallest(0, data), heapq.nlargest(3, iter(data), key=str))
print(heapq.nsmallest(20, data), heapq.nlargest(2, []), heapq.nsmallest(3, iter(data)))
print(list(heapq.merge([1, 4, 9], [2, 3, 10], [], [0])), list(heapq.merge([9, 4], [5, 1], reverse=True)))
print(list(heapq.merge(["bb", "c"], ["a", "dddd"], key=len)), list(heapq.merge()))
tasks = [(3, "write"), (1, "plan"), (2, "test"), (1, "idea")]
heapq.heapify(tasks)
print([heapq.heappop(tasks) for _ in range(4)], heapq.__all__)`,
  ],
  [
    "argument errors",
    `import heapq
for f in [lambda: heapq.heappop([]), lambda: heapq.heappush((), 1), lambda: heapq.heapreplace([], 1),
          lambda: heapq.heappop(()), lambda: heapq.heapify({}), lambda: heapq.heappushpop((), 1),
          lambda: heapq.heappush([1], "a"), lambda: heapq.heappushpop([], 1)]:
    try:
        print(f())
    except Exception as e:
        print(type(e).__name__, e)`,
  ],
]);

const op = fc.oneof(
  fc.integer({ min: -5, max: 20 }).map((v) => `heapq.heappush(h, ${v})`),
  fc.constant("heapq.heappop(h) if h else None"),
  fc.integer({ min: -5, max: 20 }).map((v) => `heapq.heappushpop(h, ${v})`),
  fc.integer({ min: -5, max: 20 }).map((v) => `heapq.heapreplace(h, ${v}) if h else None`),
  fc.integer({ min: 0, max: 6 }).map((n) => `heapq.nlargest(${n}, h)`),
  fc.integer({ min: 0, max: 6 }).map((n) => `heapq.nsmallest(${n}, h, key=lambda v: v % 7)`),
  fc.constant("list(heapq.merge(sorted(h), sorted(h[::2])))"),
);

describe("heapq against python3", () => {
  let cpython: CPythonForks;
  beforeAll(() => {
    cpython = new CPythonForks();
  });
  afterAll(() => cpython.close());

  it("leaves the heap python3 leaves after random operations", async () => {
    const seed = fcSeed();
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: -5, max: 20 }), { maxLength: 20 }),
        fc.array(op, { minLength: 1, maxLength: 20 }),
        async (start, ops) => {
          const lines = [
            "import heapq",
            `h = [${start.join(", ")}]`,
            "heapq.heapify(h)",
            "print(h)",
          ];
          for (const o of ops) lines.push(`print(${o}, h)`);
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

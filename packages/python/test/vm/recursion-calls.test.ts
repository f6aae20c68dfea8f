// Which calls count toward the recursion limit, against python3: Python frames always; a call
// of a type through `_PyObject_MakeTpCall` (int, complex, bytes, zip, a class) adds a level,
// while the types 3.11 calls through their vectorcall (list, tuple, dict, set, frozenset,
// float, bool, range, map, filter, enumerate, reversed) add none. A property: recursion
// through a random cycle of such calls stops where python3's does (against plain recursion
// under the same limit), with python3's message.

import { spawnSync } from "node:child_process";
import { fcRuns, fcSeed } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runPython } from "../../src/vm/run.js";

/**
 * python3's stdout and status for `source` run as a program of its own (`-c`): a forked driver
 * would add its own frames to the depth.
 */
function python3(source: string): { stdout: string; status: number } {
  const run = spawnSync("python3", ["-c", source], { encoding: "utf8", timeout: 30_000 });
  if (run.error || run.status === null) throw new Error(`python3 did not run: ${run.error}`);
  return { stdout: run.stdout, status: run.status };
}

/** Ways of calling `g(n + 1)` through a built-in type's call, each a Python expression. */
const THROUGH: readonly string[] = [
  "list(map(g, [n + 1]))",
  "tuple(map(g, [n + 1]))",
  "list(filter(g, [n + 1]))",
  "set(map(g, [n + 1]))",
  "frozenset(map(g, [n + 1]))",
  "dict(map(lambda k: (k, g(k)), [n + 1]))",
  "list(enumerate(map(g, [n + 1])))",
  "list(zip(map(g, [n + 1])))",
  "int(Hook(g, n))",
  "float(Hook(g, n))",
  "bool(Hook(g, n))",
  "complex(Hook(g, n))",
  "range(Hook(g, n))",
  "reversed(Hook(g, n))",
  "g(n + 1)",
];

describe("recursion through calls of built-in types against python3", () => {
  it("stops at python3's depth with python3's message", () => {
    const seed = fcSeed();
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...THROUGH), { minLength: 1, maxLength: 3 }),
        // Limits the test runner's smaller JavaScript stack holds (deeper ones are the corpus's).
        fc.integer({ min: 40, max: 150 }),
        (cycle, limit) => {
          const source = `import sys
class Hook:
    def __init__(self, g, n): self.g, self.n = g, n
    def __int__(self): return self.g(self.n + 1)
    def __float__(self): return self.g(self.n + 1)
    def __bool__(self): return self.g(self.n + 1)
    def __complex__(self): return self.g(self.n + 1)
    def __index__(self): return self.g(self.n + 1)
    def __reversed__(self): return self.g(self.n + 1)
reached = 0
${cycle
  .map(
    (c, i) => `def g${i}(n):
    global reached
    reached = n
    g = g${(i + 1) % cycle.length}
    return ${c}`,
  )
  .join("\n")}
sys.setrecursionlimit(${limit})
def plain(n):
    global reached
    reached = n
    return plain(n + 1)
try:
    plain(0)
except RecursionError:
    base = reached
try:
    g0(0)
except RecursionError as e:
    # The depth against plain recursion's under the same limit (what the runner's own frames
    # add to both cancels out).
    print(reached - base, e)
`;
          const want = python3(source);
          const got = runPython(source, { filename: "prog.py" });
          expect(got.stdout).toBe(want.stdout);
          expect(got.status).toBe(want.status);
        },
      ),
      { numRuns: fcRuns(30), ...(seed !== undefined ? { seed } : {}) },
    );
  });
});

// Which builtin function calls count toward the recursion limit, against python3. In 3.11 a
// call site is generic until its code has warmed up (8 calls or loop iterations), and a generic
// call of a builtin function counts a C call; then PRECALL specialises it: METH_O builtins
// (`repr`, `hash`, `any`, …) still count one (PRECALL_NO_KW_BUILTIN_O), `len` and `isinstance`
// and the METH_FASTCALL builtins (`next`, `sum`, `sorted`, `iter`, `getattr`, `format`,
// `print`, …) count none, and METH_VARARGS ones (`min`, `max`) never specialise. PyObject_Str,
// PyObject_Repr, comparisons and the slots add their own levels. A property: recursion through
// a random cycle of such calls stops where python3's does. (Which of a cycle's calls meets the
// limit, and so the message's "while calling a Python object", can still differ; so do the
// depths through `sorted(…, key=…)` and `functools.reduce`.)

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

/** Ways of calling `g(n + 1)` through a builtin function, each a Python expression. */
const THROUGH: readonly string[] = [
  "next(gen(g, n))",
  "next(Hook(g, n))",
  "sum(gen(g, n))",
  "sorted(gen(g, n))",
  "min(gen(g, n))",
  "max([1, 2], key=lambda x: g(n + 1))",
  "any(gen(g, n))",
  "all(gen(g, n))",
  "list(map(g, [n + 1]))",
  "list(filter(g, [n + 1]))",
  "tuple(gen(g, n))",
  "dict(gen(g, n))",
  "repr(Hook(g, n))",
  "str(Hook(g, n))",
  "format(Hook(g, n))",
  "f'{Hook(g, n)}'",
  "getattr(Hook(g, n), 'x')",
  "isinstance(1, int) and g(n + 1)",
  "hash(Hook(g, n))",
  "len(Hook(g, n))",
  "iter(Hook(g, n))",
  "print(Hook(g, n), end='')",
  "Hook(g, n) < 1",
  "g(n + 1)",
];

describe("recursion through builtin function calls against python3", () => {
  it("stops at python3's depth", () => {
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
    def step(self): return self.g(self.n + 1)
    def __str__(self): return self.step()
    def __repr__(self): return self.step()
    def __format__(self, spec): return self.step()
    def __getattr__(self, name): return self.step()
    def __hash__(self): return self.step()
    def __len__(self): return self.step()
    def __iter__(self): return self.step()
    def __next__(self): return self.step()
    def __lt__(self, other): return self.step()
def gen(g, n):
    yield g(n + 1)
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
except RecursionError:
    # The depth against plain recursion's under the same limit (what the runner's own frames
    # add to both cancels out).
    print(reached - base)
`;
          const want = python3(source);
          const got = runPython(source, { filename: "prog.py" });
          expect(got.stdout).toBe(want.stdout);
          expect(got.status).toBe(want.status);
        },
      ),
      { numRuns: fcRuns(40), ...(seed !== undefined ? { seed } : {}) },
    );
  });
});

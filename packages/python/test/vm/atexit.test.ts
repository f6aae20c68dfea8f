// The atexit module against python3: handlers run last-registered first, with their arguments,
// after the program ends normally, by sys.exit or by an uncaught exception; before the exit's
// collections and module teardown (so before __del__ of globals and of garbage cycles), and in
// one list with weakref.finalize's exit function, wherever the first finalize was made;
// unregister, a failing handler, _run_exitfuncs and _clear; and a property over random
// registration sequences.

import { spawnSync } from "node:child_process";
import { fcRuns, fcSeed } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runPython } from "../../src/vm/run.js";

/**
 * python3's stdout and status for a whole run, exit included (the forking driver of the other
 * tests leaves with os._exit, which runs no atexit handler).
 */
function python3(source: string): { stdout: string; status: number } {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith("PYTHON")),
  );
  const run = spawnSync("python3", ["-"], { input: source, encoding: "utf8", env });
  if (run.error || run.status === null) throw new Error(`python3 did not run: ${run.error}`);
  return { stdout: run.stdout, status: run.status };
}

/** Requires runPython's stdout and status to be python3's. */
function expectSame(source: string): void {
  const want = python3(source);
  const got = runPython(source, { filename: "prog.py" });
  expect(got.stdout).toBe(want.stdout);
  expect(got.status).toBe(want.status);
}

const programs: ReadonlyArray<readonly [string, string]> = [
  [
    "order against __del__, cycles and weakref.finalize",
    `import atexit, weakref
class Res:
    def __init__(self, name): self.name = name
    def __del__(self): print("__del__", self.name)
def bye(who, punct="!"):
    print("bye", who + punct)
atexit.register(bye, "first")
r = Res("global")
weakref.finalize(r, print, "finalize of global")
@atexit.register
def second():
    print("second handler sees r alive:", r.name)
atexit.register(bye, "third", punct="?")
def bad():
    raise ValueError("oops")
atexit.register(bad)
atexit.register(print, "removed")
atexit.unregister(print)
class Cycle:
    def __del__(self): print("cycle __del__")
c = Cycle(); c.me = c; del c
print("main done", atexit.register(len) is len)
atexit.unregister(len)`,
  ],
  [
    "a finalize made before any handler runs after them all",
    `import weakref, atexit
class T: pass
t = T()
weakref.finalize(t, print, "finalizer")
atexit.register(print, "handler 1")
atexit.register(print, "handler 2")`,
  ],
  [
    "a finalize made after the last handler runs first",
    `import weakref, atexit
class T: pass
t = T()
atexit.register(print, "handler 1")
weakref.finalize(t, print, "finalizer")`,
  ],
  [
    "handlers after sys.exit and after an uncaught exception",
    `import atexit, sys
atexit.register(print, "cleanup ran")
def later():
    atexit.register(print, "registered while exiting: not run")
    print("later")
atexit.register(later)
sys.exit(3)`,
  ],
  [
    "an uncaught exception",
    `import atexit
atexit.register(print, "still runs")
raise KeyError("boom")`,
  ],
  [
    "_run_exitfuncs, _clear and errors",
    `import atexit
atexit.register(print, "run now")
atexit._run_exitfuncs()
atexit.register(print, "cleared")
atexit._clear()
try:
    atexit.register(5)
except TypeError as e:
    print(e)
atexit.register(print, "at exit", sep="-")`,
  ],
];

describe("atexit against python3", () => {
  it.each(programs)("%s", (_, source) => expectSame(`${source}\n`));

  it("runs random registrations in python3's order", () => {
    const seed = fcSeed();
    const step = fc.oneof(
      fc.nat(9).map((n) => `atexit.register(say, ${n})`),
      fc
        .nat(9)
        .map(
          (n) => `atexit.unregister(say) if ${n} == 0 else atexit.register(say, ${n}, end="!\\n")`,
        ),
      fc.nat(9).map((n) => `objs.append(T()); weakref.finalize(objs[-1], say, "fin${n}")`),
      fc.constant("atexit.register(lambda: print('lambda'))"),
    );
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 12 }), (steps) => {
        const lines = [
          "import atexit, weakref",
          "class T: pass",
          "objs = []",
          "def say(x, end='\\n'):",
          "    print('say', x, end=end)",
          ...steps,
          "print('end of main')",
        ];
        expectSame(`${lines.join("\n")}\n`);
      }),
      { numRuns: fcRuns(30), ...(seed !== undefined ? { seed } : {}) },
    );
  });
});

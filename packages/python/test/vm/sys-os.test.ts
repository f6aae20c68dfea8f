// sys.flags, sys.implementation and os's constants, environ and getenv against python3 (run as
// `python3 prog.py` without PYTHON* settings, which would change its flags); and a property:
// random sequences of os.environ operations on keys of the test's own agree with python3's.

import { spawnSync } from "node:child_process";
import { fcRuns, fcSeed } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runPython } from "../../src/vm/run.js";

const ENV = Object.fromEntries(
  Object.entries(process.env).filter(
    ([key]) => !key.startsWith("PYTHON") && !key.startsWith("MMT_"),
  ),
);

/** python3's and runPython's stdout and status for `source` (runPython given python3's environment). */
function both(source: string): { want: [string, number]; got: [string, number] } {
  const run = spawnSync("python3", ["-c", source], { env: ENV, encoding: "utf8", timeout: 30_000 });
  if (run.error || run.status === null) throw new Error(`python3 did not run: ${run.error}`);
  const ours = runPython(source, { filename: "prog.py", process: { environ: ENV, pid: 7 } });
  return { want: [run.stdout, run.status], got: [ours.stdout, ours.status] };
}

describe("sys and os against python3", () => {
  it("gives sys.flags, sys.implementation and os's constants", () => {
    const { want, got } = both(`import sys, os
print(sys.flags, len(sys.flags), sys.flags[3], type(sys.flags).__name__, sys.getsizeof(sys.flags))
print(sys.implementation, type(sys.implementation).__name__)
try:
    type(sys.flags)()
except TypeError as e:
    print(e)
print(os.name, os.sep, os.pathsep, os.linesep, os.curdir, os.pardir, os.extsep, os.altsep, os.devnull)
print(os.environ == os.environ, os.environ.get("PATH") == os.getenv("PATH"), sorted(os.environ) == sorted(os.environ.keys()))
print(type(os.getpid()).__name__, type(os.environ).__name__)
try:
    os.environ[1] = "x"
except TypeError as e:
    print(e)
`);
    expect(got).toEqual(want);
  });

  it("agrees with python3 on random os.environ operations", () => {
    const seed = fcSeed();
    const key = fc.constantFrom("MMT_A", "MMT_B", "MMT_C");
    const value = fc.constantFrom("", "1", "two words", "é");
    const op = fc.oneof(
      fc
        .tuple(key, value)
        .map(([k, v]) => `os.environ[${JSON.stringify(k)}] = ${JSON.stringify(v)}`),
      key.map(
        (k) => `print(os.environ.get(${JSON.stringify(k)}), os.getenv(${JSON.stringify(k)}, "d"))`,
      ),
      key.map((k) => `print(${JSON.stringify(k)} in os.environ)`),
      key.map((k) => `print(os.environ.pop(${JSON.stringify(k)}, None))`),
      key.map(
        (k) =>
          `try:\n    del os.environ[${JSON.stringify(k)}]\nexcept KeyError as e:\n    print("KeyError", e)`,
      ),
      key.map(
        (k) =>
          `try:\n    print(os.environ[${JSON.stringify(k)}])\nexcept KeyError as e:\n    print("KeyError", e)`,
      ),
      fc
        .tuple(key, value)
        .map(
          ([k, v]) => `print(os.environ.setdefault(${JSON.stringify(k)}, ${JSON.stringify(v)}))`,
        ),
      fc.constant('print(sorted((k, v) for k, v in os.environ.items() if k.startswith("MMT_")))'),
    );
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 12 }), (ops) => {
        const { want, got } = both(`import os\n${ops.join("\n")}\n`);
        expect(got).toEqual(want);
      }),
      { numRuns: fcRuns(25), ...(seed !== undefined ? { seed } : {}) },
    );
  });
});

// locals() in a function is the frame's one f_locals dict (CPython 3.11): each call refreshes
// it from the variables, so every dict a function read is the same object, and what it holds
// at the end is the last refresh, with the names exec() put there. Random function bodies
// binding, deleting and reading variables and cells are run by python3 and by runPython.

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { runPython } from "../../src/vm/run.js";

const dir = mkdtempSync(join(tmpdir(), "frame-locals-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const env = {
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("PYTHON"))),
  PYTHONHASHSEED: "0",
};

function python3(source: string): { stdout: string; stderr: string; status: number | null } {
  const file = join(dir, "prog.py");
  writeFileSync(file, source);
  const run = spawnSync("python3", [file], { encoding: "utf8", env });
  return { stdout: run.stdout, stderr: run.stderr, status: run.status };
}

const name = fc.constantFrom("a", "b", "c");
/** A statement of the function's body. */
const statement = fc.oneof(
  fc.tuple(name, fc.integer({ min: 0, max: 999 })).map(([n, v]) => `${n} = ${v}`),
  name.map((n) => `if "${n}" in dir(): del ${n}`),
  fc.constant("seen.append(locals())"),
  fc.constant("seen.append(sys._getframe().f_locals)"),
  fc.integer({ min: 0, max: 9 }).map((v) => `exec("e${v} = ${v}")`),
  fc.constant('seen[-1]["written"] = 1 if seen else None'),
);

function program(body: readonly string[]): string {
  return `${[
    "import gc",
    "import sys",
    "def run():",
    "    seen = []",
    "    def reads_c():",
    "        return c",
    "    c = 0",
    ...body.map((s) => `    ${s}`),
    "    seen.append(locals())",
    "    print('all one dict:', all(d is seen[0] for d in seen))",
    "    print('names:', sorted(k for k in seen[0] if k != 'seen'))",
    "    print('values:', sorted((k, v) for k, v in seen[0].items() if isinstance(v, int)))",
    "    print('refcount:', sys.getrefcount(seen[0]))",
    "gc.collect()",
    "run()",
    "print('collected:', gc.collect())",
  ].join("\n")}\n`;
}

describe("locals() in a function", () => {
  it("is the frame's one dict, refreshed as python3 refreshes it", () => {
    fc.assert(
      fc.property(fc.array(statement, { maxLength: 10 }), (body) => {
        const source = program(body);
        const want = python3(source);
        const got = runPython(source, { filename: "prog.py" });
        expect(got.stdout).toBe(want.stdout);
        expect(got.status).toBe(want.status);
      }),
      { numRuns: 25, endOnFailure: true },
    );
  });
});

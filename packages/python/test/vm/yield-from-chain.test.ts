// Chains of `yield from` generators, and of generators looping over generators, against
// python3: SEND and FOR_ITER resume a generator of ours in the evaluator's loop (its frame linked
// to the caller's, as CPython 3.11 links frames), so a chain holds no JavaScript frames per
// level and runs inside a test worker, whose JavaScript stack is smaller than the CLI's, as deep
// as python3's recursion limit allows, failing at python3's depth with python3's traceback.
// Values sent in, values yielded out and return values passed back up the chain are python3's.
// Where a builtin calls back into Python (a comparison's `__eq__`), each level does hold
// JavaScript frames: past a raised limit python3 crashes there, and we raise RecursionError.

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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

const dir = mkdtempSync(join(tmpdir(), "mm-deep-chains-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** python3 running `source` as the file prog.py, as `mm py prog.py` runs it. */
function python3(source: string): { stdout: string; stderr: string; status: number } {
  writeFileSync(join(dir, "prog.py"), source);
  const run = spawnSync("python3", ["prog.py"], { cwd: dir, encoding: "utf8" });
  if (run.error || run.status === null) throw new Error(`python3 did not run: ${run.error}`);
  // python3 names the program by its absolute path in a traceback.
  const stderr = run.stderr.replaceAll(join(dir, "prog.py"), "prog.py");
  return { stdout: run.stdout, stderr, status: run.status };
}

/** mm running the same program. */
function mm(source: string): { stdout: string; stderr: string; status: number } {
  const got = runPython(source, { filename: "prog.py" });
  return { stdout: got.stdout, stderr: got.stderr, status: got.status };
}

const chains = [
  "def chain(n):",
  "    if n == 0:",
  "        yield 'leaf'",
  "        return 0",
  "    r = yield from chain(n - 1)",
  "    return r + 1",
  "def walk(n):",
  "    if n:",
  "        for x in walk(n - 1):",
  "            yield x",
  "    else:",
  "        yield 'leaf'",
  "def top(n):",
  "    r = yield from chain(n)",
  "    yield ('returned', r)",
  // No builtin between the levels: python3 counts a call of next() toward the limit or not
  // depending on its call site's specialisation.
  "def run(kind, n):",
  "    out = []",
  "    for x in top(n) if kind == 'chain' else walk(n):",
  "        out.append(x)",
  "    return out",
];

describe("chains as deep as python3's recursion limit allows", () => {
  it("run to python3's deepest chain, in a test worker", () => {
    const source = `${[
      ...chains,
      "def deepest(kind):",
      "    lo, hi = 0, 3000",
      "    while lo < hi:",
      "        mid = (lo + hi + 1) // 2",
      "        try:",
      "            run(kind, mid)",
      "            lo = mid",
      "        except RecursionError:",
      "            hi = mid - 1",
      "    return lo",
      "print(deepest('chain'), deepest('walk'))",
    ].join("\n")}\n`;
    const want = python3(source);
    // A few frames under the default limit of 1000, not a few hundred.
    expect(Number(want.stdout.split(" ")[0])).toBeGreaterThan(900);
    expect(mm(source)).toEqual({ ...want, stderr: "" });
  });

  for (const kind of ["chain", "walk"]) {
    it(`fail past it with python3's RecursionError and traceback (${kind})`, () => {
      const source = `${[...chains, `print(run('${kind}', 1500))`].join("\n")}\n`;
      const want = python3(source);
      expect(want.stderr).toContain("RecursionError: maximum recursion depth exceeded");
      expect(mm(source)).toEqual(want);
    });
  }

  it("go as deep as python3 under a raised limit", () => {
    const source = `${[
      "import sys",
      "sys.setrecursionlimit(12000)",
      ...chains,
      "for kind in ('chain', 'walk'):",
      "    for n in (5000, 11900, 12100):",
      "        try:",
      "            print(kind, n, run(kind, n))",
      "        except RecursionError as e:",
      "            print(kind, n, 'RecursionError', e)",
    ].join("\n")}\n`;
    const want = python3(source);
    expect(want.stdout).toContain("RecursionError");
    expect(mm(source)).toEqual({ ...want, stderr: "" });
  });

  it("agree with python3 at any depth and limit, within and past the limit", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("chain", "walk"),
        fc.constantFrom(100, 1000, 2500),
        fc.integer({ min: 0, max: 2600 }),
        (kind, limit, depth) => {
          const source = `${[
            "import sys",
            `sys.setrecursionlimit(${limit})`,
            ...chains,
            "try:",
            `    print(run('${kind}', ${depth}))`,
            "except RecursionError as e:",
            "    print('RecursionError', e)",
          ].join("\n")}\n`;
          expect(mm(source)).toEqual({ ...python3(source), stderr: "" });
        },
      ),
      { numRuns: fcRuns(25), ...seeded },
    );
  }, 120_000);

  it("raise RecursionError, not crash, where python3 crashes past a raised limit", () => {
    // Each level of == calls __eq__ from the comparison, inside the JavaScript stack: python3
    // runs out of C stack (a segmentation fault) long before a limit of 100000.
    const node = [
      "class Node:",
      "    def __init__(self, n): self.n = n",
      "    def __eq__(self, other): return self.n == other.n",
      "def nested(n):",
      "    t = 0",
      "    for i in range(n):",
      "        t = Node(t)",
      "    return t",
    ];
    const shallow = `${[...node, "print(nested(300) == nested(300))"].join("\n")}\n`;
    const want = python3(shallow);
    expect(mm(shallow)).toEqual(want);
    const deep = `${[
      "import sys",
      "sys.setrecursionlimit(100000)",
      ...node,
      "try:",
      "    print(nested(90000) == nested(90000))",
      "except RecursionError as e:",
      "    print('RecursionError', e)",
      "print(nested(300) == nested(300))",
    ].join("\n")}\n`;
    expect(mm(deep)).toEqual({
      stdout: `RecursionError maximum recursion depth exceeded\n${want.stdout}`,
      stderr: "",
      status: 0,
    });
  });
});

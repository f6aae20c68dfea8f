// The warnings CPython 3.11's compiler prints on stderr before a program runs ("is" with a
// literal), against python3 itself: each program is written to a file python3 runs, so the
// file name, the lines and the order come from the real interpreter; `-c` code names no line.

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runPython } from "../../src/vm/run.js";

const dir = mkdtempSync(join(tmpdir(), "mm-warnings-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const programs: ReadonlyArray<readonly [string, string]> = [
  [
    "identity against literals, the singletons allowed",
    `x = 1000
print(x is 1000, x is not None, () is (), x is ..., [] is [])
def f(a):
    return a is "abc" or a is not 5 or 1 is a is 2
print(f("q"))
if x is 1: print("one")
y = (lambda: x is -1)()
print(y, x is True, "abc" is "abc", x is (1 + 2))
`,
  ],
  ["no warning without a literal", "a = b = []\nprint(a is b, a is not None)\n"],
  ["a warning and then a traceback", "x = 5\nprint(x is 5)\nprint(1 / 0)\n"],
];

describe("compile warnings", () => {
  it.each(programs)("%s, from a file", (name, source) => {
    const file = join(dir, `${name.replace(/\W+/g, "_")}.py`);
    writeFileSync(file, source);
    const want = spawnSync("python3", [file], { encoding: "utf8" });
    const got = runPython(source, { filename: file });
    expect(got.stderr).toBe(want.stderr);
    expect(got.stdout).toBe(want.stdout);
    expect(got.status).toBe(want.status);
  });

  it("names <string> without a line for -c code", () => {
    const source = "x = 1\nprint(x is 1)\n";
    const want = spawnSync("python3", ["-c", source], { encoding: "utf8" });
    const got = runPython(source);
    expect(got.stderr).toBe(want.stderr);
    expect(got.stderr).toContain("SyntaxWarning");
    expect(got.stdout).toBe(want.stdout);
  });
});

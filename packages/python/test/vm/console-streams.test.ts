// The console's streams as objects of the program, against python3: sys holds stdout twice and
// nothing else does (its count 3 with getrefcount's argument), stderr is held once more by the
// interpreter, a program that drops every reference to stdout frees it (its pending text
// written as it goes), and print() and the REPL's display hook then report the lost stream.

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runPython } from "../../src/vm/run.js";

const dir = mkdtempSync(join(tmpdir(), "mm-console-streams-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** python3's and runPython's stdout, stderr and status for `source`, run as prog.py. */
function both(source: string) {
  const file = join(dir, "prog.py");
  writeFileSync(file, source);
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith("PYTHON")),
  );
  const run = spawnSync("python3", [file], { encoding: "utf8", env, timeout: 30_000 });
  if (run.error || run.status === null) throw new Error(`python3 did not run: ${run.error}`);
  const ours = runPython(source, { filename: file });
  return {
    want: { stdout: run.stdout, stderr: run.stderr, status: run.status },
    got: { stdout: ours.stdout, stderr: ours.stderr, status: ours.status },
  };
}

describe("the console's streams", () => {
  it("are held as python3 holds them, and a dropped stdout dies and is reported lost", () => {
    const { want, got } = both(`import sys, weakref, io
print(sys.getrefcount(sys.stdout), sys.getrefcount(sys.stderr), sys.getrefcount(sys.stdin))
print(sys.getrefcount(sys.__stdout__), sys.stdout is sys.__stdout__)
print("pending when the stream dies")
w = weakref.ref(sys.stdout)
err = sys.stderr
del sys.stdout
print("after del sys.stdout:", w() is not None, file=err)
try:
    print("lost")
except RuntimeError as e:
    print("print:", e, file=err)
del sys.__stdout__
print("after del sys.__stdout__:", w() is not None, file=err)
try:
    sys.displayhook(5)
except RuntimeError as e:
    print("displayhook:", e, file=err)
sys.stdout = None
print("to None: nothing")
sys.displayhook(None)
sys.stdout = io.StringIO()
print("into a StringIO")
kept = sys.stdout.getvalue()
sys.stdout = err
print("captured", repr(kept))
`);
    expect(got).toEqual(want);
  });

  it("keep stdout alive while sys has not been read, and after it is restored", () => {
    const { want, got } = both(`print("first, before sys is imported")
import sys
out = sys.stdout
del sys.stdout
sys.stdout = out
del out
print(sys.getrefcount(sys.stdout), sys.stdout is sys.__stdout__)
sys.stdout = sys.stderr
del sys.__stdout__
print("to stderr now")
`);
    expect(got).toEqual(want);
  });
});

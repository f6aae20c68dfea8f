// print() and sys.stdout.write() keep what they wrote in python3's sys.stdout until 8 KiB are
// pending (a pipe or a file), until a newline (a terminal) or not at all (PYTHONUNBUFFERED):
// the strs, their bytes and the list holding them are heap objects, so the blocks and
// gc.get_count() read after a print are python3's. Random sequences of writes are run by
// python3, piped, on a terminal (a pty) and piped with PYTHONUNBUFFERED=1, and by runPython
// with the matching `stdoutIsTerminal` and environment.

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { runPython } from "../../src/vm/run.js";

const dir = mkdtempSync(join(tmpdir(), "stdout-buffer-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** python3's environment without a shell's PYTHON* settings (PYTHONUNBUFFERED would hide the buffer). */
const env = {
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("PYTHON"))),
  PYTHONHASHSEED: "0",
};

/** Where the program's stdout goes. */
type Mode = "pipe" | "terminal" | "unbuffered";

/**
 * python3's stdout for `source`: piped, through a pseudo-terminal (python3's pty module), or
 * piped with PYTHONUNBUFFERED set.
 */
function python3(source: string, mode: Mode): string {
  const file = join(dir, "prog.py");
  writeFileSync(file, source);
  const terminal = mode === "terminal";
  const args = terminal
    ? ["-c", "import pty, sys; pty.spawn(sys.argv[1:])", "python3", file]
    : [file];
  const run = spawnSync("python3", args, {
    encoding: "utf8",
    env: mode === "unbuffered" ? { ...env, PYTHONUNBUFFERED: "1" } : env,
    maxBuffer: 1 << 26,
  });
  if (run.status !== 0) throw new Error(`python3 failed: ${run.stderr}`);
  return terminal ? run.stdout.replaceAll("\r\n", "\n") : run.stdout;
}

/** runPython's stdout for `source` as python3 runs it in `mode`. */
function mm(source: string, mode: Mode): string {
  const got = runPython(source, {
    filename: "prog.py",
    stdoutIsTerminal: mode === "terminal",
    ...(mode === "unbuffered" ? { process: { environ: { PYTHONUNBUFFERED: "1" } } } : {}),
  });
  expect(got.stderr).toBe("");
  return got.stdout;
}

/**
 * One step of a program: what it writes to stdout. One argument per print: print packs its
 * arguments in a tuple, and the tuple free lists' start-up state is not this test's subject.
 */
const step = fc.oneof(
  fc.integer({ min: -100_000, max: 100_000 }).map((n) => `print(${n})`),
  fc.constantFrom(
    'print("x")',
    'print("x", end="")',
    'print("é")',
    "print(True)",
    "print(None)",
    "print(1.5)",
    'print("y" * 5000)',
    'print("z" * 9000)',
    'sys.stdout.write("w\\n")',
    'sys.stdout.write("w")',
    "sys.stdout.flush()",
    'print("flushed", flush=True)',
    "print()",
    "print(str(7))",
    "print(f'{8}')",
    "print(f'{9!s}', end='')",
  ),
);

/**
 * A program running `steps` (after a first print, which makes print's keyword tuple), reading
 * the blocks and the first gc count after each into a list, printing the differences at the end.
 */
function program(steps: readonly string[]): string {
  const lines = [
    "import gc",
    "import sys",
    "gc.disable()",
    // The first gc count varies with the program's size in python3 (its compiler leaves some
    // tuples tracked): the readings keep counts relative to this one, so no reading is an int
    // past the small-int cache in one interpreter and not in the other.
    "base = gc.get_count()[0]",
    "out = sys.stdout",
    'print("start")',
    "sys.stdout.flush()",
    "readings = []",
    "def read():",
    "    readings.append((sys.getallocatedblocks(), gc.get_count()[0] - base))",
    "for _ in range(10):",
    "    read()",
    "readings.clear()",
    "read()",
  ];
  for (const s of steps) lines.push(s, "read()");
  lines.push(
    "sys.stdout.flush()",
    'print("\\nreadings")',
    "for (b0, g0), (b1, g1) in zip(readings, readings[1:]):",
    "    print(b1 - b0, g1 - g0)",
  );
  return `${lines.join("\n")}\n`;
}

describe("sys.stdout's pending text", () => {
  for (const [mode, where] of [
    ["pipe", "on a pipe"],
    ["terminal", "on a terminal"],
    ["unbuffered", "unbuffered (PYTHONUNBUFFERED)"],
  ] as const)
    it(`holds what python3's holds ${where}`, () => {
      fc.assert(
        fc.property(fc.array(step, { minLength: 1, maxLength: 10 }), (steps) => {
          const source = program(steps);
          expect(mm(source, mode)).toBe(python3(source, mode));
        }),
        { numRuns: 10, endOnFailure: true },
      );
    });

  it("says whether it is line-buffered and writes through, as python3's streams do", () => {
    const source =
      "import sys\nfor s in (sys.stdout, sys.stderr):\n    print(s.line_buffering, s.write_through)\n";
    for (const mode of ["pipe", "terminal", "unbuffered"] as const)
      expect(mm(source, mode)).toBe(python3(source, mode));
  });

  it("makes a new str for each str() of an int, as python3 does", () => {
    const source = "print(str(5) is str(5), f'{5}' is f'{5}', str(True) is str(True))\n";
    expect(runPython(source).stdout).toBe(python3(source, "pipe"));
  });
});

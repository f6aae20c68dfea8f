// The harness of the tests that run named programs by python3 (a fork of one driver process per
// describe block, see ../fuzz/cpython.ts) and by runPython, and require the same stdout and exit
// status.

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPython } from "../../src/vm/run.js";
import { CPythonForks } from "../fuzz/cpython.js";

/**
 * One test per `[name, source]` program under `title`: runPython's stdout and status must be
 * python3's; with `quiet`, runPython must also write nothing to stderr.
 */
export function describeAgainstPython(
  title: string,
  programs: ReadonlyArray<readonly [string, string]>,
  options: { readonly quiet?: boolean } = {},
): void {
  describe(title, () => {
    let cpython: CPythonForks;
    beforeAll(() => {
      cpython = new CPythonForks();
    });
    afterAll(() => cpython.close());

    it.each(programs)("%s", async (_, source) => {
      const want = await cpython.run(`${source}\n`);
      const got = runPython(`${source}\n`, { filename: "prog.py" });
      if (options.quiet) expect(got.stderr).toBe("");
      expect(got.stdout).toBe(want.stdout);
      expect(got.status).toBe(want.status);
    });
  });
}

/** What a program wrote and how it ended. */
export interface FileOutcome {
  readonly stdout: string;
  readonly stderr: string;
  readonly status: number;
}

/**
 * A runner of programs as the file `prog.py` in a scratch folder of their own (removed after
 * the test file's tests, `prefix` naming it): python3's outputs (`python3 prog.py`, block
 * buffered as off a terminal) and runPython's for the same source. Call it at a test file's
 * top level.
 */
export function fileRunner(
  prefix: string,
): (source: string) => { want: FileOutcome; got: FileOutcome } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return (source) => {
    const file = join(dir, "prog.py");
    writeFileSync(file, source);
    const run = spawnSync("python3", ["prog.py"], {
      cwd: dir,
      encoding: "utf8",
      timeout: 30_000,
      env: { ...process.env, PYTHONUNBUFFERED: "" },
    });
    if (run.error || run.status === null) throw new Error(`python3 did not run: ${run.error}`);
    const ours = runPython(source, { filename: file });
    return {
      want: { stdout: run.stdout, stderr: run.stderr, status: run.status },
      got: { stdout: ours.stdout, stderr: ours.stderr, status: ours.status },
    };
  };
}

/**
 * A program that prints the repr of each expression of `calls`, or the type and message of the
 * exception it raises, one line each.
 */
export function printEach(calls: readonly string[]): string {
  return `${calls
    .map(
      (c) => `try:\n    print(repr(${c}))\nexcept Exception as e:\n    print(type(e).__name__, e)`,
    )
    .join("\n")}\n`;
}

/** Runs `source` by python3 (a fork of `cpython`) and by runPython: stdout and status must agree. */
export async function expectAsPython(cpython: CPythonForks, source: string): Promise<void> {
  const want = await cpython.run(source);
  const got = runPython(source, { filename: "prog.py" });
  expect(got.stdout).toBe(want.stdout);
  expect(got.status).toBe(want.status);
}

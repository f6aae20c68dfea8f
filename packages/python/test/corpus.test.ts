// The corpus, program by program: python3 3.11 runs each one, then runPython does, and their
// stdout and exit status must be equal. Programs that do not agree yet are listed, with the
// reason, in corpus/pending.json; the test checks that each listed program still differs (a
// program that starts agreeing must leave the list) and that every other program agrees.
// Both run in one temporary working directory, mm on the real files: a program that writes
// files writes them there, under relative names, and must remove them before it ends.

import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runPython, syncFileSystem } from "../src/index.js";
import { corpusPrograms, corpusRoot, pending, programSource } from "./corpus-files.js";

const all = corpusPrograms();

/** The working directory both interpreters run the programs in. */
const workDir = mkdtempSync(join(tmpdir(), "mm-corpus-"));
const files = syncFileSystem(fs, () => workDir);
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/**
 * The environment python3 runs in: this process's without the PYTHON* settings a developer's
 * shell may carry (PYTHONUNBUFFERED changes what print keeps alive in sys.stdout's buffer), and
 * with PYTHONHASHSEED fixed, as str hashes are here. So a run here is a run in CI.
 */
const PYTHON_ENV = {
  ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("PYTHON"))),
  PYTHONHASHSEED: "0",
};

/** python3's stdout and status for a corpus program. */
function cpython(program: string): { stdout: string; status: number } {
  const run = spawnSync("python3", [join(corpusRoot, program)], {
    cwd: workDir,
    encoding: "utf8",
    env: PYTHON_ENV,
    timeout: 60_000,
  });
  if (run.error || run.status === null) {
    if (process.env.CI) throw new Error(`python3 is needed in CI: ${run.error?.message}`);
    throw new Error(`python3 did not run ${program}: ${run.error?.message ?? run.signal}`);
  }
  return { stdout: run.stdout, status: run.status };
}

function ours(program: string): { stdout: string; status: number; stderr: string } {
  const source = programSource(program);
  const result = runPython(source, { filename: program, maxSteps: 50_000_000, files });
  return { stdout: result.stdout, status: result.status, stderr: result.stderr };
}

describe("the corpus", () => {
  it("has programs in every folder and a pending list naming only programs that exist", () => {
    expect(all.length).toBeGreaterThanOrEqual(150);
    for (const program of Object.keys(pending)) expect(all).toContain(program);
  });

  it("is as large as the package's README says", () => {
    const readme = readFileSync(join(corpusRoot, "..", "README.md"), "utf8");
    expect(readme).toContain(`\`corpus/\` holds ${all.length} programs`);
  });

  for (const program of all) {
    const reason = pending[program];
    if (reason === undefined) {
      it(`${program} prints what python3 prints`, () => {
        const expected = cpython(program);
        expect(readdirSync(workDir), "the files python3's run left").toEqual([]);
        const actual = ours(program);
        expect(readdirSync(workDir), "the files mm's run left").toEqual([]);
        expect({ stdout: actual.stdout, status: actual.status }).toEqual(expected);
      });
    } else {
      it(`${program} still differs (${reason})`, () => {
        const expected = cpython(program);
        let actual: { stdout: string; status: number };
        try {
          actual = ours(program);
        } catch (error) {
          // A crash of the evaluator is a difference too, but say which.
          actual = { stdout: `crashed: ${(error as Error).message}`, status: -1 };
        }
        expect({ stdout: actual.stdout, status: actual.status }).not.toEqual(expected);
      });
    }
  }
});

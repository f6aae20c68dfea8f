// Runs the built CLI as a user would: `node dist/mm.js ...` in a child process, with an
// environment that does not pick a strategy behind the test's back.

import { type SpawnSyncOptions, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The built executable. */
export const MM = join(import.meta.dirname, "..", "dist", "mm.js");
/** The runtime's conformance traces. */
export const TRACES = join(
  import.meta.dirname,
  "..",
  "..",
  "..",
  "packages",
  "runtime",
  "conformance",
  "traces",
);
/** CPython's driver for mm-traces. */
export const DRIVER = join(TRACES, "..", "mmtrace.py");

/** What a run of `mm` did. */
export interface Ran {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment tests run mm in: this one, without strategy or colour settings. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of ["MM_COLLECTOR", "MM_ALLOCATOR", "MM_DEBUG", "NO_COLOR", "FORCE_COLOR"])
    delete env[key];
  return { ...env, ...extra };
}

/** Runs `mm args...` and waits for it. */
export function mm(
  args: readonly string[],
  options: {
    input?: string;
    env?: Record<string, string>;
    cwd?: string;
    nodeOptions?: string[];
    /** Kill mm after this many milliseconds (its status is then null). */
    timeout?: number;
  } = {},
): Ran {
  const spawnOptions: SpawnSyncOptions = {
    encoding: "utf8",
    env: cleanEnv(options.env),
    maxBuffer: 64 << 20,
    ...(options.input !== undefined ? { input: options.input } : {}),
    ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
    ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
  };
  const run = spawnSync(
    process.execPath,
    [...(options.nodeOptions ?? []), MM, ...args],
    spawnOptions,
  );
  return { status: run.status, stdout: String(run.stdout), stderr: String(run.stderr) };
}

/** A fresh temporary directory. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "mm-cli-"));
}

/** Whether python3 3.11 is here; in CI its absence is an error, elsewhere a printed skip. */
export function hasPython(what: string): boolean {
  const probe = spawnSync("python3", ["-c", "import sys; print(sys.version_info[:2] == (3, 11))"], {
    encoding: "utf8",
  });
  const ok = probe.status === 0 && probe.stdout.trim() === "True";
  if (!ok && process.env.CI) throw new Error(`${what} needs python3 3.11 on PATH, and CI has none`);
  if (!ok) console.log(`${what} skipped: python3 3.11 is not on PATH`);
  return ok;
}

/** CPython's event log of a trace, as the driver prints it. */
export function cpythonEvents(file: string): string {
  const run = spawnSync("python3", [DRIVER, file], { encoding: "utf8", maxBuffer: 64 << 20 });
  if (run.status !== 0) throw new Error(`the driver failed on ${file}: ${run.stderr}`);
  return run.stdout;
}

/** Whether `text` holds an ANSI escape sequence. */
export function hasAnsi(text: string): boolean {
  return text.includes("\x1b[");
}

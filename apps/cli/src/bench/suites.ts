// The benchmark suites of the workspace: every package's bench/*.bench.ts, run one after the
// other with the package's own tsx, and the records each writes to bench-results/ (each
// figure beside its baseline measured in the same run, see @mm/bench-kit).

import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { BenchRecord } from "@mm/bench-kit";

/** One benchmark file of one package. */
export interface BenchFile {
  /** The package's name, e.g. `@mm/heap`. */
  readonly packageName: string;
  /** The package's directory. */
  readonly dir: string;
  /** The file, relative to the package, e.g. `bench/free-store.bench.ts`. */
  readonly file: string;
}

/** The first directory at or above one of `starts` that holds `pnpm-workspace.yaml`. */
export function findWorkspaceRoot(starts: readonly string[]): string | undefined {
  for (const start of starts) {
    let dir = resolve(start);
    for (;;) {
      if (existsSync(join(dir, "pnpm-workspace.yaml"))) return dir;
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return undefined;
}

/** Every `packages/<name>/bench/*.bench.ts` under `root`, by package directory, then file. */
export function benchFiles(root: string): BenchFile[] {
  const packages = join(root, "packages");
  if (!existsSync(packages)) return [];
  const out: BenchFile[] = [];
  for (const name of readdirSync(packages).sort()) {
    const dir = join(packages, name);
    const bench = join(dir, "bench");
    const manifest = join(dir, "package.json");
    if (!existsSync(bench) || !existsSync(manifest)) continue;
    const packageName = (JSON.parse(readFileSync(manifest, "utf8")) as { name: string }).name;
    for (const file of readdirSync(bench).sort()) {
      if (file.endsWith(".bench.ts")) out.push({ packageName, dir, file: `bench/${file}` });
    }
  }
  return out;
}

/** What one benchmark file did. */
export interface BenchOutcome {
  readonly bench: BenchFile;
  readonly ok: boolean;
  /** Its stdout and stderr, for when it failed. */
  readonly output: string;
  /** The records of the suites it wrote in this run. */
  readonly records: readonly BenchRecord[];
  readonly elapsedMs: number;
}

/** The tsx a package runs its benchmarks with, or undefined when it is not installed. */
export function tsxOf(bench: BenchFile): string | undefined {
  const tsx = join(bench.dir, "node_modules", ".bin", "tsx");
  return existsSync(tsx) ? tsx : undefined;
}

/**
 * Runs one benchmark file (in quick mode if asked: `--quick` and `MM_BENCH_QUICK=1`, as
 * bench-kit's `quickMode` reads them), then reads the suites it wrote.
 */
export function runBench(
  root: string,
  bench: BenchFile,
  quick: boolean,
  env: Readonly<Record<string, string | undefined>>,
): Promise<BenchOutcome> {
  const tsx = tsxOf(bench);
  const started = Date.now();
  return new Promise((done) => {
    if (!tsx) {
      done({
        bench,
        ok: false,
        output: `tsx is not installed in ${bench.dir} (run pnpm install)`,
        records: [],
        elapsedMs: 0,
      });
      return;
    }
    const child = spawn(tsx, [bench.file, ...(quick ? ["--quick"] : [])], {
      cwd: bench.dir,
      env: { ...env, ...(quick ? { MM_BENCH_QUICK: "1" } : {}) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on("error", (error) => {
      output += error.message;
    });
    child.on("close", (code) => {
      done({
        bench,
        ok: code === 0,
        output,
        records: code === 0 ? recordsSince(root, started) : [],
        elapsedMs: Date.now() - started,
      });
    });
  });
}

/** The records of every suite file in `bench-results/` written at or after `since`. */
function recordsSince(root: string, since: number): BenchRecord[] {
  const dir = join(root, "bench-results");
  if (!existsSync(dir)) return [];
  const records: BenchRecord[] = [];
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith(".json")) continue;
    const suite = JSON.parse(readFileSync(join(dir, file), "utf8")) as {
      date: string;
      records: BenchRecord[];
    };
    if (Date.parse(suite.date) >= since) records.push(...suite.records);
  }
  return records;
}

// The benchmark harness: every figure is measured beside a baseline in the same process and
// reported as a ratio, then written as one JSON file per suite under bench-results/.

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, join, resolve } from "node:path";
import { Bench } from "tinybench";

/** One timed case: `run` is measured; `setup` runs untimed before each iteration. */
export interface TimedCase {
  readonly name: string;
  readonly run: () => void;
  readonly setup?: () => void;
}

/** Options of {@link timeCases}. */
export interface TimingOptions {
  /** Timed iterations per case; the median is reported. @defaultValue `5` */
  readonly iterations?: number;
  /** Untimed iterations first, so the JIT has warmed up. @defaultValue `1` */
  readonly warmupIterations?: number;
}

/** Runs each case and returns its median time per iteration in milliseconds, by name. */
export function timeCases(
  cases: readonly TimedCase[],
  options: TimingOptions = {},
): Map<string, number> {
  const medians = new Map<string, number>();
  for (const [name, samples] of timeSamples(cases, options)) medians.set(name, median(samples));
  return medians;
}

/** Runs each case and returns every timed iteration's milliseconds, by name. */
export function timeSamples(
  cases: readonly TimedCase[],
  options: TimingOptions = {},
): Map<string, number[]> {
  const bench = new Bench({
    iterations: options.iterations ?? 5,
    warmupIterations: options.warmupIterations ?? 1,
    time: 0,
    warmupTime: 0,
    retainSamples: true,
  });
  for (const c of cases) {
    bench.add(c.name, c.run, c.setup ? { beforeEach: c.setup, async: false } : { async: false });
  }
  bench.runSync();
  const samples = new Map<string, number[]>();
  for (const task of bench.tasks) {
    const result = task.result;
    if (result.state === "errored") throw result.error;
    if (result.state !== "completed")
      throw new Error(`benchmark case ${task.name} did not complete`);
    const taken = result.latency.samples;
    if (!taken || taken.length === 0)
      throw new Error(`benchmark case ${task.name} kept no samples`);
    samples.set(task.name, [...taken]);
  }
  return samples;
}

/** The median of `values` (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error("the median of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Samples by case name, in milliseconds. */
export type Samples = Record<string, readonly number[]>;

/** What {@link interleaveRounds} measured: every sample of both sides, by case name. */
export interface InterleavedSamples {
  readonly ours: Map<string, number[]>;
  /** Undefined when the reference could not run (python3 missing, say). */
  readonly reference: Map<string, number[]> | undefined;
}

/**
 * Alternates rounds of our cases with rounds of a reference measured elsewhere (CPython, run as
 * a child process), so that a burst of machine noise falls on both sides rather than on one.
 * Compare a statistic of the pooled samples, the same one on both sides (the suites here take
 * the best of each, as `timeit` does). The reference is dropped as a whole as soon as a round of
 * it fails (returns undefined).
 */
export function interleaveRounds(
  rounds: number,
  ours: (round: number) => Samples,
  reference: (round: number) => Samples | undefined,
): InterleavedSamples {
  const mine = new Map<string, number[]>();
  let theirs: Map<string, number[]> | undefined = new Map();
  const pool = (into: Map<string, number[]>, samples: Samples) => {
    for (const [name, values] of Object.entries(samples)) {
      into.set(name, [...(into.get(name) ?? []), ...values]);
    }
  };
  for (let round = 0; round < rounds; round++) {
    if (theirs) {
      const samples = reference(round);
      if (samples) pool(theirs, samples);
      else theirs = undefined;
    }
    pool(mine, ours(round));
  }
  return { ours: mine, reference: theirs };
}

/**
 * Runs `python3 -c script ...args` and parses what it prints as JSON: the reference side of the
 * suites that measure CPython. A failure (python3 missing, the script raising) is returned, not
 * thrown, so a suite can skip its CPython rows and say why.
 */
export function runPythonJson<T>(
  script: string,
  args: readonly string[],
): { readonly value: T } | { readonly failure: string } {
  const run = spawnSync("python3", ["-c", script, ...args], {
    encoding: "utf8",
    maxBuffer: 1 << 20,
  });
  if (run.status === 0) return { value: JSON.parse(run.stdout) as T };
  return { failure: run.error?.message ?? run.stderr };
}

/** `"a–b"`: the range of `values`, each with `digits` decimals, for a record's notes. */
export function spread(values: readonly number[], digits = 1): string {
  if (values.length === 0) throw new Error("the spread of no values");
  return `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}`;
}

/** A figure beside the baseline it was measured with. */
export interface BenchRecord {
  /** The suite (the JSON file) this record belongs to. */
  readonly suite: string;
  /** What was measured. */
  readonly case: string;
  /** The measured figure. */
  readonly figure: number;
  /** Its unit, e.g. `"ops/s"`, `"ms"`, `"ns/object"`, `"bytes/live byte"`. */
  readonly unit: string;
  /** The case it was measured beside, in the same run. */
  readonly baseline: string;
  /** The baseline's figure, in the same unit. */
  readonly baselineFigure: number;
  /** `figure / baselineFigure`. */
  readonly ratio: number;
  /** Whether a larger figure is better (ops/s) or worse (ms). */
  readonly higherIsBetter: boolean;
  /** The target, as a ratio bound, e.g. `">= 10"` or `"<= 0.5"`. */
  readonly target?: string;
  /** Whether the ratio meets the target. */
  readonly meetsTarget?: boolean;
  /** Anything a reader needs to interpret the figure. */
  readonly notes?: string;
}

/** What a caller gives for one record; the suite, ratio and verdict are filled in. */
export interface RecordInput {
  readonly case: string;
  readonly figure: number;
  readonly unit: string;
  readonly baseline: string;
  readonly baselineFigure: number;
  readonly higherIsBetter: boolean;
  /** A bound on the ratio: `{ atLeast: 10 }` or `{ atMost: 0.5 }`. */
  readonly target?: { readonly atLeast?: number; readonly atMost?: number };
  readonly notes?: string;
}

/** Collects records and writes them to `bench-results/<name>.json` at the workspace root. */
export class BenchSuite {
  readonly name: string;
  readonly records: BenchRecord[] = [];

  constructor(name: string) {
    this.name = name;
  }

  record(input: RecordInput): BenchRecord {
    const ratio = input.figure / input.baselineFigure;
    const { target, ...rest } = input;
    let verdict: Pick<BenchRecord, "target" | "meetsTarget"> = {};
    if (target?.atLeast !== undefined) {
      verdict = { target: `>= ${target.atLeast}`, meetsTarget: ratio >= target.atLeast };
    } else if (target?.atMost !== undefined) {
      verdict = { target: `<= ${target.atMost}`, meetsTarget: ratio <= target.atMost };
    }
    const record: BenchRecord = { suite: this.name, ...rest, ratio, ...verdict };
    this.records.push(record);
    return record;
  }

  /** Prints the table and writes the JSON file; returns its path. */
  finish(): string {
    const rows = this.records.map((r) => ({
      case: r.case,
      figure: `${formatFigure(r.figure)} ${r.unit}`,
      baseline: `${r.baseline}: ${formatFigure(r.baselineFigure)}`,
      ratio: `${r.ratio.toFixed(r.ratio < 10 ? 3 : 1)}x`,
      target: r.target === undefined ? "" : `${r.target} ${r.meetsTarget ? "met" : "MISSED"}`,
    }));
    console.log(`\n${this.name}`);
    console.table(rows);
    const dir = join(workspaceRoot(), "bench-results");
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${this.name}.json`);
    const cpu = cpus()[0];
    writeFileSync(
      file,
      `${JSON.stringify(
        {
          suite: this.name,
          date: new Date().toISOString(),
          node: process.version,
          cpu: cpu ? `${cpu.model} x${cpus().length}` : "unknown",
          records: this.records,
        },
        null,
        2,
      )}\n`,
    );
    return file;
  }
}

/** `--quick` (or MM_BENCH_QUICK=1) asks every suite for its small sizes. */
export function quickMode(): boolean {
  return process.argv.includes("--quick") || process.env.MM_BENCH_QUICK === "1";
}

function formatFigure(value: number): string {
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString("en-US");
  return value.toPrecision(4);
}

function workspaceRoot(): string {
  let dir = resolve(process.cwd());
  while (!existsSync(join(dir, "pnpm-workspace.yaml"))) {
    const parent = dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}

export {
  type AllocationTrace,
  BumpAllocator,
  buildTrace,
  mulberry32,
  type ReplayOptions,
  type ReplayTarget,
  replay,
  type TraceOptions,
} from "./trace.js";

// Python programs on three engines: runPython (in this process, after a warm-up), CPython 3.11
// (python3, one child process per run) and Pyodide (CPython compiled to WebAssembly, loaded once
// in this process). Every run times its own workload with time.perf_counter, so start-up,
// parsing and compiling are left out on every side alike. The first round of each case is
// traced: tracemalloc's peak around the workload is read there, the outputs are checked against
// python3's, and its times are dropped (it is also the warm-up at full size). Then the timed
// rounds alternate the three engines case by case, in an order that rotates each round, so that
// a burst of machine noise is spread over all of them; each ratio is the best run against the
// best run (as timeit reports), the range of the per-round ratios beside it.
//   pnpm bench                       binary-trees at depths 14 and 16, full sizes, 3 timed rounds
//                                    (a quarter of an hour on a busy 2-core machine, most of it
//                                    binary-trees at depth 16 on runPython: two runs of minutes)
//   pnpm bench --quick               binary-trees at depth 12, small sizes, 1 timed round (1.5 min)
//   MM_PY_BENCH_ROUNDS=N             timed rounds (at least 1)
//   MM_PY_BENCH_BUDGET=S             an engine runs no more rounds of a case once its timed runs
//                                    of it add up to S seconds (default 60: binary-trees at
//                                    depth 16 takes minutes a run on runPython today)
//   MM_PY_BENCH_ONLY=name,name       only the cases whose name contains one of these
// A program that fails on an engine (an exception, an output other than python3's) stays in the
// table as "fails: <reason>" and is not run on that engine again.

import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { BenchSuite, median, quickMode, spread } from "@mm/bench-kit";
import { loadPyodide, type PyodideInterface } from "pyodide";
import { runPython } from "../src/vm/run.js";
import {
  type BenchCase,
  casesFor,
  lastLine,
  outputDifference,
  type ParsedRun,
  parseRun,
  programSource,
} from "./programs.js";

const quick = quickMode();
const rounds = Math.max(1, Number(process.env.MM_PY_BENCH_ROUNDS ?? (quick ? 1 : 3)) || 1);
const budgetMs = Math.max(0, Number(process.env.MM_PY_BENCH_BUDGET ?? 60) || 0) * 1000;
const only = (process.env.MM_PY_BENCH_ONLY ?? "")
  .split(",")
  .map((s) => s.trim())
  .filter((s) => s !== "");
const cases = casesFor(quick ? "quick" : "full").filter(
  (c) => only.length === 0 || only.some((o) => c.name.includes(o)),
);
if (cases.length === 0) throw new Error(`MM_PY_BENCH_ONLY=${only.join(",")} selects no case`);

/** The engines, under the names the table uses. */
type Engine = "python3" | "mm" | "pyodide";
const engines: readonly Engine[] = ["python3", "mm", "pyodide"];

/** What one run gave: the parsed figures, or why it failed. */
type RunOutcome = { readonly run: ParsedRun } | { readonly failure: string };

/** Everything measured for one case. */
interface CaseRecord {
  readonly c: BenchCase;
  /** python3's output of the traced run: what the other engines must print. */
  expected?: string;
  /** Wall times of the timed rounds, in round order (shorter when an engine failed). */
  readonly times: Record<Engine, number[]>;
  /** Peaks of the traced run, in bytes. */
  readonly peaks: Partial<Record<Engine, number>>;
  /** Why an engine failed, which ends its runs of this case. */
  readonly failures: Partial<Record<Engine, string>>;
}

const log = (line: string) => process.stderr.write(`${line}\n`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/**
 * The interpreter python3 names, run directly: `python3` can be a version manager's shell script,
 * whose own start-up would be counted in the start-up figure below.
 */
const python3 = (() => {
  const child = spawnSync("python3", ["-c", "import sys; print(sys.executable)"], {
    encoding: "utf8",
  });
  return child.status === 0 && child.stdout.trim() !== "" ? child.stdout.trim() : "python3";
})();

/** One run by python3: its own process, the program given with -c. */
function runCPython(source: string): RunOutcome {
  const child = spawnSync(python3, ["-c", source], { encoding: "utf8", maxBuffer: 1 << 24 });
  if (child.error) return { failure: child.error.message };
  if (child.status !== 0) return { failure: lastLine(child.stderr) };
  const run = parseRun(child.stdout);
  return run ? { run } : { failure: "no timing line in python3's output" };
}

/**
 * One run by runPython, in this process, on a new runtime, in this process's environment as
 * python3's runs are (a PYTHONUNBUFFERED there changes what print keeps, in both).
 */
function runMm(source: string, filename: string): RunOutcome {
  try {
    const result = runPython(source, { filename, process: { environ: process.env } });
    if (result.status !== 0) return { failure: lastLine(result.stderr) };
    const run = parseRun(result.stdout);
    return run ? { run } : { failure: "no timing line in the output" };
  } catch (error) {
    return { failure: `internal error: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** Pyodide, loaded once; its stdout is gathered into `pyodideOut` while a program runs. */
let pyodide: PyodideInterface | undefined;
let pyodideOut = "";
let pyodideLoadMs = 0;
let pyodideVersion = "";
let pyodideFailure = "";
try {
  const started = performance.now();
  // Where its files are, given: it would find them from its own stack trace, which a
  // TypeScript loader's transforms can hide.
  const indexURL = `${dirname(createRequire(import.meta.url).resolve("pyodide/package.json"))}/`;
  pyodide = await loadPyodide({ indexURL, stdout: () => {}, stderr: () => {} });
  pyodideLoadMs = performance.now() - started;
  const decoder = new TextDecoder();
  pyodide.setStdout({
    write: (buffer) => {
      pyodideOut += decoder.decode(buffer, { stream: true });
      return buffer.length;
    },
  });
  pyodideVersion = `Pyodide ${pyodide.version}, Python ${String(pyodide.runPython("import sys; sys.version.split()[0]"))}`;
  log(`${pyodideVersion} loaded in ${pyodideLoadMs.toFixed(0)} ms`);
} catch (error) {
  pyodideFailure = error instanceof Error ? error.message : String(error);
  log(`Pyodide did not load: ${pyodideFailure}`);
}

/** One run by Pyodide, in a fresh globals dict, as `python3 FILE` runs a program. */
function runPyodide(source: string, filename: string): RunOutcome {
  if (!pyodide) return { failure: `did not load: ${pyodideFailure}` };
  pyodideOut = "";
  const globals = pyodide.globals.get("dict")();
  try {
    globals.set("__name__", "__main__");
    pyodide.runPython(source, { globals, filename });
    const run = parseRun(pyodideOut);
    return run ? { run } : { failure: "no timing line in the output" };
  } catch (error) {
    return { failure: lastLine(error instanceof Error ? error.message : String(error)) };
  } finally {
    globals.destroy();
  }
}

function runOn(engine: Engine, c: BenchCase, trace: boolean): RunOutcome {
  const source = programSource(c.program, c.n, trace);
  const filename = `${c.program.name}.py`;
  if (engine === "python3") return runCPython(source);
  if (engine === "mm") return runMm(source, filename);
  return runPyodide(source, filename);
}

/** Runs `engine` on the case unless it failed before; a failure or a wrong output ends it. */
function measure(record: CaseRecord, engine: Engine, trace: boolean): ParsedRun | undefined {
  if (record.failures[engine] !== undefined) return undefined;
  if (engine !== "python3" && record.expected === undefined) return undefined;
  const outcome = runOn(engine, record.c, trace);
  if ("failure" in outcome) {
    record.failures[engine] = outcome.failure;
    log(`  ${engine}: fails: ${outcome.failure}`);
    return undefined;
  }
  if (engine !== "python3") {
    const difference = outputDifference(outcome.run.output, record.expected!);
    if (difference !== undefined) {
      record.failures[engine] = difference;
      log(`  ${engine}: fails: ${difference}`);
      return undefined;
    }
  }
  log(`  ${engine}: ${seconds(outcome.run.ms)}${trace ? `, peak ${outcome.run.peak} bytes` : ""}`);
  return outcome.run;
}

// python3's start-up, the figure Pyodide's load is set beside: both are what a program waits
// for before its first line runs.
const startups: number[] = [];
for (let i = 0; i < 3; i++) {
  const started = performance.now();
  spawnSync(python3, ["-c", "pass"]);
  startups.push(performance.now() - started);
}

// The warm-up of runPython: every program once at its smoke-test size, so the traced round
// below is not the first time the JIT sees the evaluator's paths.
for (const c of casesFor("tiny")) runMm(programSource(c.program, c.n, false), "warm-up.py");

const records: CaseRecord[] = cases.map((c) => ({
  c,
  times: { python3: [], mm: [], pyodide: [] },
  peaks: {},
  failures: {},
}));
const suiteStarted = performance.now();
for (const record of records) {
  log(`${record.c.name}: traced run`);
  for (const engine of engines) {
    const run = measure(record, engine, true);
    if (!run) continue;
    record.peaks[engine] = run.peak;
    if (engine === "python3") record.expected = run.output;
  }
}
for (let round = 0; round < rounds; round++) {
  // Rotated so that no engine always runs right after another one's garbage.
  const order = engines.map((_, i) => engines[(i + round) % engines.length]!);
  for (const record of records) {
    log(`${record.c.name}: round ${round + 1}/${rounds}`);
    for (const engine of order) {
      const spent = record.times[engine].reduce((a, b) => a + b, 0);
      if (round > 0 && spent >= budgetMs) continue;
      const run = measure(record, engine, false);
      if (run) record.times[engine].push(run.ms);
    }
  }
}
log(`measured in ${seconds(performance.now() - suiteStarted)}`);

/** The best-run ratio of `engine` to python3 and the range of the per-round ratios. */
function ratios(record: CaseRecord, engine: Engine) {
  const mine = record.times[engine];
  const theirs = record.times.python3;
  const n = Math.min(mine.length, theirs.length);
  if (n === 0) return undefined;
  const perRound = mine.slice(0, n).map((ms, i) => ms / theirs[i]!);
  return {
    best: Math.min(...mine),
    baseline: Math.min(...theirs),
    ratio: Math.min(...mine) / Math.min(...theirs),
    spread: spread(perRound, perRound.some((r) => r < 10) ? 2 : 1),
    medians: `${median(mine).toFixed(1)} vs ${median(theirs).toFixed(1)} ms`,
    runs: n,
  };
}

const suite = new BenchSuite("python-programs");
const engineName: Record<Engine, string> = {
  python3: "CPython 3.11",
  mm: "mm (runPython)",
  pyodide: "Pyodide",
};
for (const record of records) {
  const name = record.c.name;
  for (const engine of ["mm", "pyodide"] as const) {
    const r = ratios(record, engine);
    if (!r) continue;
    suite.record({
      case: `${name}: wall time, ${engineName[engine]}`,
      figure: r.best,
      unit: "ms",
      baseline: `CPython 3.11, best of ${record.times.python3.length}`,
      baselineFigure: r.baseline,
      higherIsBetter: false,
      notes:
        `best of ${record.times[engine].length}, engines alternating case by case; per-round ` +
        `ratios ${r.spread}x; medians ${r.medians}; ${record.c.program.about}`,
    });
  }
  const cpythonPeak = record.peaks.python3;
  if (cpythonPeak === undefined || cpythonPeak === 0) continue;
  if (record.peaks.mm !== undefined) {
    suite.record({
      case: `${name}: tracemalloc peak, mm (runPython)`,
      figure: record.peaks.mm,
      unit: "bytes",
      baseline: "CPython 3.11, same program",
      baselineFigure: cpythonPeak,
      higherIsBetter: false,
      notes: "tracemalloc.get_traced_memory() peak from start() before the workload to its end",
    });
  }
  if (record.peaks.pyodide !== undefined) {
    suite.record({
      case: `${name}: tracemalloc peak, Pyodide`,
      figure: record.peaks.pyodide,
      unit: "bytes",
      baseline: "CPython 3.11, same program",
      baselineFigure: cpythonPeak,
      higherIsBetter: false,
      notes: "WebAssembly is 32-bit: 4-byte pointers and sizes make its objects smaller",
    });
  }
}
if (pyodide) {
  suite.record({
    case: "Pyodide load (loadPyodide, once)",
    figure: pyodideLoadMs,
    unit: "ms",
    baseline: `python3 -c pass, process start to exit, median of ${startups.length}`,
    baselineFigure: median(startups),
    higherIsBetter: false,
    notes: `${pyodideVersion}; its runs above exclude it, as python3's exclude start-up`,
  });
}

// The summary, one row per case, with the failures the records cannot hold.
const ms = (values: readonly number[]) =>
  values.length === 0 ? "" : Math.min(...values).toFixed(1);
const timeCell = (record: CaseRecord, engine: Engine) => {
  const failure = record.failures[engine];
  if (failure !== undefined) return `fails: ${failure}`;
  return ms(record.times[engine]);
};
const ratioCell = (record: CaseRecord, engine: Engine) => {
  if (record.failures[engine] !== undefined) return "";
  const r = ratios(record, engine);
  return r ? `${r.ratio.toFixed(r.ratio < 10 ? 2 : 1)}x (${r.spread}, ${r.runs} rounds)` : "";
};
const peakCell = (record: CaseRecord, engine: Engine) => {
  const failure = record.failures[engine];
  if (failure !== undefined && record.peaks[engine] === undefined) return "";
  return record.peaks[engine]?.toLocaleString("en-US") ?? "";
};
const peakRatio = (record: CaseRecord, engine: Engine) => {
  const mine = record.peaks[engine];
  const theirs = record.peaks.python3;
  return mine === undefined || !theirs ? "" : `${(mine / theirs).toFixed(2)}x`;
};
console.log(
  `\npython programs: best wall time (ms) of up to ${rounds} round${rounds === 1 ? "" : "s"}, ` +
    "ratio to python3 with the range of per-round ratios; tracemalloc peak (bytes)",
);
console.table(
  records.map((r) => ({
    case: r.c.name,
    python3: timeCell(r, "python3"),
    mm: timeCell(r, "mm"),
    "mm/py3": ratioCell(r, "mm"),
    pyodide: timeCell(r, "pyodide"),
    "pyodide/py3": ratioCell(r, "pyodide"),
    "py3 peak": peakCell(r, "python3"),
    "mm peak": peakCell(r, "mm"),
    "mm/py3 peak": peakRatio(r, "mm"),
    "pyodide peak": peakCell(r, "pyodide"),
  })),
);
if (pyodide) {
  console.log(
    `${pyodideVersion}: load ${pyodideLoadMs.toFixed(0)} ms (python3 start-up ` +
      `${median(startups).toFixed(0)} ms)`,
  );
} else console.log(`Pyodide columns empty: it did not load (${pyodideFailure})`);

// The suite's JSON as the other suites write it, plus the failures, which have no figure to
// make a record of.
const file = suite.finish();
const written = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
written.failures = records.flatMap((r) =>
  engines.flatMap((engine) => {
    const reason = r.failures[engine];
    return reason === undefined ? [] : [{ case: r.c.name, engine, reason }];
  }),
);
writeFileSync(file, `${JSON.stringify(written, null, 2)}\n`);
console.log(`wrote ${file}`);

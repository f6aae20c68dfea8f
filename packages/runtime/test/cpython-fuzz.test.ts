// Random wide traces (test/support/arbitrary.ts: long-lived populations, chains past the
// trashcan's depth, dicts past 8 slots, more attribute names than a key table holds, weak
// references inside cycles, low thresholds) run by CPython 3.11 through the conformance driver
// and by the runtime: the two event logs must be equal after `comparableEvents`
// (test/support/normalise.ts), the one function that applies the documented exclusions.
//
// CPython runs the whole sample first, in one python3 (conformance/batch.py forks one child per
// trace), so that 1,000 traces cost seconds rather than 1,000 interpreter starts. The property
// then draws the same traces from the same seed; a failure shrinks as usual, and each shrunk
// trace is run by the driver on its own.

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fcRuns, fcSeed } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { formatEvent, Runtime } from "../src/index.js";
import { wideTraceText } from "./support/arbitrary.js";
import { comparableEvents } from "./support/normalise.js";

const conformance = join(import.meta.dirname, "..", "conformance");
const probe = spawnSync("python3", ["-c", "import sys; print(sys.version_info[:2] == (3, 11))"], {
  encoding: "utf8",
});
const python = probe.status === 0 && probe.stdout.trim() === "True";
if (!python && process.env.CI) {
  throw new Error("the CPython fuzzing needs python3 3.11 on PATH, and CI has none");
}

const RUNS = fcRuns(1000);
// The seed is fixed for the run (MM_FC_SEED, which CI pins, or a random one printed on failure)
// so that the batch and the property draw the same traces.
const SEED = fcSeed() ?? Math.floor(Math.random() * 0x7fffffff);
const dir = mkdtempSync(join(tmpdir(), "mm-fuzz-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface DriverResult {
  readonly status: number;
  readonly events: string[];
  readonly stderr: string;
}

/** CPython's results for many traces, by trace text, from one python3. */
function cpythonBatch(texts: readonly string[]): Map<string, DriverResult> {
  const files = texts.map((text, i) => {
    const file = join(dir, `t${String(i).padStart(5, "0")}.jsonl`);
    writeFileSync(file, `${text}\n`);
    return file;
  });
  const out = new Map<string, DriverResult>();
  // The folder, not the paths: a command line would not hold thousands of them.
  const run = spawnSync("python3", [join(conformance, "batch.py"), dir], {
    encoding: "utf8",
    maxBuffer: 1 << 30,
  });
  if (run.status !== 0) throw new Error(`batch.py failed: ${run.stderr}`);
  const byFile = new Map<string, DriverResult>();
  for (const line of run.stdout.split("\n")) {
    if (line === "") continue;
    const r = JSON.parse(line) as DriverResult & { file: string };
    byFile.set(r.file, r);
  }
  texts.forEach((text, i) => {
    const r = byFile.get(files[i]!);
    if (r) out.set(text, r);
  });
  rmSync(dir, { recursive: true, force: true });
  return out;
}

const cache = new Map<string, DriverResult>();
let misses = 0;

/** CPython's log of one trace: from the batch, or (a shrunk trace) from the driver alone. */
function cpythonLog(text: string): string[] {
  let r = cache.get(text);
  if (r === undefined) {
    misses++;
    const file = join(tmpdir(), `mm-fuzz-${process.pid}-${misses}.jsonl`);
    writeFileSync(file, `${text}\n`);
    const run = spawnSync("python3", [join(conformance, "mmtrace.py"), file], {
      encoding: "utf8",
      maxBuffer: 1 << 28,
    });
    rmSync(file, { force: true });
    r = {
      status: run.status ?? -1,
      events: run.stdout.split("\n").filter((l) => l !== ""),
      stderr: run.stderr,
    };
    cache.set(text, r);
  }
  if (r.status !== 0) throw new Error(`the driver refused a generated trace: ${r.stderr}`);
  return r.events;
}

function runtimeLog(text: string): string[] {
  const rt = new Runtime({ env: {}, log: () => {} });
  const events = rt.runTrace(text).map(formatEvent);
  rt.verify();
  return events;
}

describe.runIf(python)("random wide traces against CPython 3.11", () => {
  it(
    `${RUNS} traces give CPython's event log, up to the documented exclusions (seed ${SEED})`,
    () => {
      for (const [text, r] of cpythonBatch(fc.sample(wideTraceText, { seed: SEED, numRuns: RUNS })))
        cache.set(text, r);
      const rules = new Map<string, number>();
      fc.assert(
        fc.property(wideTraceText, (text) => {
          const [ours, theirs] = comparableEvents(text, [runtimeLog(text), cpythonLog(text)]);
          rules.set(ours!.rule, (rules.get(ours!.rule) ?? 0) + 1);
          expect(ours!.events).toEqual(theirs!.events);
        }),
        { seed: SEED, numRuns: RUNS },
      );
      // The batch and the property drew the same traces: no trace needed a python3 of its own.
      expect(misses).toBe(0);
      // The exclusions never swallow the whole sample: some traces are compared whole.
      expect(rules.get("all") ?? 0).toBeGreaterThan(0);
      // A limit for a run that shares the machine with the rest of CI: about 90 s when it
      // runs alongside other test tasks, scaled with the run count.
    },
    Math.round(600_000 * Math.max(1, RUNS / 1000)),
  );
});

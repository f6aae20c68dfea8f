// Conformance with CPython 3.11: every trace of conformance/traces runs in CPython (through
// the driver, live) and in the runtime, and the two event logs must be equal line for line.

import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatEvent, parseTrace, Runtime, TraceRun } from "../src/index.js";

const dir = join(import.meta.dirname, "..", "conformance");
const traces = readdirSync(join(dir, "traces"))
  .filter((f) => f.endsWith(".jsonl"))
  .sort();
const probe = spawnSync("python3", ["-c", "import sys; print(sys.version_info[:2] == (3, 11))"], {
  encoding: "utf8",
});
const python = probe.status === 0 && probe.stdout.trim() === "True";
if (!python && process.env.CI) {
  throw new Error("the conformance tests need python3 3.11 on PATH, and CI has none");
}
if (!python) console.log("conformance tests skipped: python3 3.11 is not on PATH");

/** CPython's event log of a trace, one JSON line per event. */
function cpythonLog(file: string): string[] {
  const run = spawnSync("python3", [join(dir, "mmtrace.py"), file], {
    encoding: "utf8",
    maxBuffer: 64 << 20,
  });
  if (run.status !== 0) throw new Error(`the driver failed on ${file}: ${run.stderr}`);
  return run.stdout.split("\n").filter((line) => line !== "");
}

describe.runIf(python)("event logs equal CPython 3.11's", () => {
  it.each(traces)("%s", (name) => {
    const file = join(dir, "traces", name);
    const expected = cpythonLog(file);
    const trace = parseTrace(readFileSync(file, "utf8"), name);
    const runtime = new Runtime({ env: {} });
    const actual = new TraceRun(runtime, trace).run().map(formatEvent);
    expect(actual).toEqual(expected);
    // The same program inside a modelled process (arenas in its mmap region, the free store on
    // its brk heap, frames on its stack) behaves the same.
    const inProcess = new Runtime({ env: {}, process: true });
    expect(inProcess.runTrace(trace).map(formatEvent)).toEqual(expected);
    inProcess.verify();
    // Under GC stress (a collection at every container allocation, a verification after every
    // op) nothing breaks, and the events no collection timing can move, errors and sizes, stay
    // CPython's. The two traces of 10,000 and more ops are verified every 1,000th op.
    const big = name.startsWith("auto-collect-");
    const stressed = new Runtime({
      env: {},
      stress: true,
      log: () => {},
      ...(big ? { stressVerifyEvery: 1000 } : {}),
    });
    expect(timingFree(stressed.runTrace(trace).map(formatEvent))).toEqual(timingFree(expected));
    stressed.verify();
  });
});

/** Errors and sizes: the events that do not depend on when collections run. */
function timingFree(log: readonly string[]): string[] {
  return log.filter((line) => /^\{"event":"(error|sizeof)"/.test(line));
}

// mm gen: every kind writes a trace that parses back, runs under every collector without an
// error event, and (with python3) gives CPython's event log.

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fc, test } from "@fast-check/vitest";
import { defaultRegistry, parseTrace, Runtime } from "@mm/runtime";
import { countSteps } from "@mm/views";
import { fcRuns } from "@mm/vitest-config/fast-check";
import { describe, expect, it } from "vitest";
import { workloads } from "../src/workloads/kinds.js";
import { cpythonEvents, hasPython, mm, tempDir } from "./support.js";

const kinds = workloads.map((w) => w.kind);
const COLLECTORS = defaultRegistry.collectorNames();

describe("mm gen", () => {
  it.each(kinds)(
    "%s: parses back and runs under every collector, every step, no error event",
    (kind) => {
      const dir = tempDir();
      const file = join(dir, `${kind}.jsonl`);
      const wrote = mm(["gen", kind, "--size", "60", "--seed", "3", "--out", file, "--json"]);
      expect(wrote.status).toBe(0);
      const report = JSON.parse(wrote.stdout);
      const text = readFileSync(file, "utf8");
      expect(report).toEqual({
        kind,
        size: 60,
        seed: 3,
        lines: text.split("\n").length - 1,
        bytes: Buffer.byteLength(text),
        file,
      });
      const trace = parseTrace(text, file);
      expect(trace.header.description).toEqual(expect.any(String));
      const compared = mm(["compare", file, "--svg", join(dir, "chart.svg"), "--json"]);
      expect(compared.status).toBe(0);
      const runs = JSON.parse(compared.stdout).runs;
      expect(runs.map((r: { collector: string }) => r.collector)).toEqual(COLLECTORS);
      for (const run of runs) {
        expect(run.steps).toBe(countSteps(trace.ops));
        expect(run.eventKinds.error, `${kind} under ${run.collector}`).toBeUndefined();
      }
    },
  );

  it("writes to stdout by default, the same trace for the same seed and another for another", () => {
    const one = mm(["gen", "requests", "-n", "20"]);
    expect(one.status).toBe(0);
    expect(one.stdout.split("\n")[0]).toMatch(
      /^\{"mm-trace":1,"description":"requests: 20 requests/,
    );
    expect(mm(["gen", "requests", "-n", "20", "--seed", "1"]).stdout).toBe(one.stdout);
    expect(mm(["gen", "requests", "-n", "20", "--seed", "2"]).stdout).not.toBe(one.stdout);
    const dir = tempDir();
    const wrote = mm(["gen", "churn", "-o", "c.jsonl"], { cwd: dir });
    expect(wrote.stdout).toBe("wrote c.jsonl: churn, size 10,000, seed 1, 11 lines\n");
  });

  it("refuses unknown kinds and bad sizes", () => {
    const cases: Array<[string[], string]> = [
      [
        ["gen"],
        "mm: mm gen needs a kind (churn, growth, cycles, chains, requests) (see mm gen --help)\n",
      ],
      [
        ["gen", "leaks"],
        "mm: unknown kind 'leaks': use one of churn, growth, cycles, chains, requests (see mm gen --help)\n",
      ],
      [
        ["gen", "churn", "--size", "0"],
        "mm: --size must be a positive integer, got '0' (see mm gen --help)\n",
      ],
      [
        ["gen", "churn", "--seed", "x"],
        "mm: --seed must be a positive integer, got 'x' (see mm gen --help)\n",
      ],
      [
        ["gen", "churn", "--json"],
        "mm: --json needs --out: without it the trace itself goes to stdout (see mm gen --help)\n",
      ],
    ];
    for (const [args, message] of cases) {
      const ran = mm(args);
      expect([ran.status, ran.stdout, ran.stderr]).toEqual([1, "", message]);
    }
  });

  it.runIf(hasPython("generated traces against CPython"))(
    "gives CPython's event log for every kind",
    () => {
      const dir = tempDir();
      for (const workload of workloads) {
        const kind = workload.kind;
        const file = join(dir, `${kind}.jsonl`);
        writeFileSync(file, workload.write(150, 5).text());
        const ran = mm(["run", "--events", file]);
        expect(ran.status).toBe(0);
        expect(ran.stdout, kind).toBe(cpythonEvents(file));
      }
    },
  );
});

describe("workloads", () => {
  test.prop(
    [
      fc.constantFrom(...workloads),
      fc.integer({ min: 1, max: 40 }),
      fc.integer({ min: 1, max: 2 ** 31 - 1 }),
    ],
    {
      numRuns: fcRuns(25),
    },
  )(
    "any size and seed give a valid trace that runs under every collector without errors",
    (workload, size, seed) => {
      const trace = parseTrace(workload.write(size, seed).text(), workload.kind);
      for (const collector of COLLECTORS) {
        let steps = 0;
        const events = new Runtime({ env: {}, collector, log: () => {} }).runTrace(
          trace,
          undefined,
          {
            onStep: (step) => {
              steps = step;
            },
          },
        );
        expect(events.filter((e) => e.event === "error")).toEqual([]);
        expect(steps).toBe(countSteps(trace.ops));
      }
    },
  );

  test.prop(
    [
      fc.constantFrom(...workloads),
      fc.integer({ min: 1, max: 30 }),
      fc.integer({ min: 1, max: 1000 }),
    ],
    {
      numRuns: fcRuns(50),
    },
  )("the same size and seed always give the same trace", (workload, size, seed) => {
    expect(workload.write(size, seed).text()).toBe(workload.write(size, seed).text());
  });
});

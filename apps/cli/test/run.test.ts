// mm run: the summary (text and --json), the event log against CPython's, and every way a
// user can get it wrong.

import { copyFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cpythonEvents, hasPython, mm, TRACES, tempDir } from "./support.js";

const fixtures = join(import.meta.dirname, "fixtures");
const cycle = join(fixtures, "cycle.jsonl");

function summary(args: string[]) {
  const ran = mm(["run", ...args, "--json"]);
  expect(ran.stderr).toBe("");
  expect(ran.status).toBe(0);
  return JSON.parse(ran.stdout);
}

describe("mm run", () => {
  it("prints objects, heap bytes, collections, pauses and events", () => {
    const ran = mm(["run", cycle]);
    expect(ran.status).toBe(0);
    const labels = ran.stdout.split("\n").map((line) => line.split(/\s+/)[0]);
    expect(labels).toEqual([
      "trace",
      "strategy",
      "objects",
      "heap",
      "collections",
      "pauses",
      "events",
      "",
    ]);
    expect(ran.stdout).toMatch(/objects +8 allocated, 3 freed, 5 live, 2 leaked/);
    expect(ran.stdout).toMatch(/collections gen0 0, gen1 0, gen2 1\n/);
  });

  it("counts as leaked what nothing reaches, under each collector", () => {
    const leaked = Object.fromEntries(
      ["cpython", "refcount", "tracing", "none"].map((c) => {
        const s = summary([cycle, "--collector", c]);
        expect(s.objects.allocated).toBe(8);
        expect(s.objects.live).toBe(s.objects.allocated - s.objects.freed);
        return [c, s.objects.leaked];
      }),
    );
    // a <-> b is left for the end; refcount also keeps c <-> d; none keeps the dropped str too.
    // The dict keys written in the code are constants, never leaks.
    expect(leaked).toEqual({ cpython: 2, refcount: 4, tracing: 2, none: 5 });
  });

  it("reports the trace's own collections and pauses, not the runner's start state", () => {
    const s = summary([cycle]);
    expect(s.collections).toEqual([0, 0, 1]);
    expect(s.pauses.count).toBe(1);
    expect(s.pauses.maxMs).toBe(s.pauses.totalMs);
    expect(s.pauses.medianMs).toBe(s.pauses.totalMs);
    expect(summary([cycle, "-c", "refcount"]).collections).toEqual([0, 0, 0]);
    const churn = summary([join(TRACES, "auto-collect-churn-100k.jsonl")]);
    expect(churn.collections).toEqual([130, 11, 2]); // 142 triggers and the final collect(2)
    expect(churn.pauses.count).toBe(143);
    expect(churn.pauses.maxMs).toBeGreaterThanOrEqual(churn.pauses.medianMs);
    expect(churn.steps).toBe(churn.totalSteps);
  });

  it("samples heap bytes at every step: the peak is above the final figure when memory is given back", () => {
    const dir = tempDir();
    const file = join(dir, "big-then-small.jsonl");
    writeFileSync(
      file,
      [
        '{"mm-trace": 1}',
        '{"op":"new","var":"keep","type":"list"}',
        '{"op":"repeat","times":40000,"ops":[{"op":"new","var":"f","type":"float","value":1.5},{"op":"append","obj":"keep","value":"f"}]}',
        '{"op":"del","var":"keep"}',
        '{"op":"del","var":"f"}',
        "",
      ].join("\n"),
    );
    const s = summary([file]);
    expect(s.heapBytes.peak).toBeGreaterThan(s.heapBytes.final);
    expect(s.objects.freed).toBe(s.objects.allocated);
    const none = summary([file, "-c", "none"]);
    expect(none.objects.freed).toBe(0);
    expect(none.heapBytes.peak).toBeGreaterThan(s.heapBytes.final);
  });

  it("takes the allocator and the preset", () => {
    const s = summary([cycle, "--allocator", "malloc_debug", "--preset", "3.13"]);
    expect([s.allocator, s.preset]).toEqual(["malloc_debug", "3.13"]);
    expect(summary([cycle, "-c", "tracing"]).preset).toBe(null);
  });
});

describe("mm run --events", () => {
  const names = ["resurrect-weakref.jsonl", "threshold-gen2-rule.jsonl", "errors-messages.jsonl"];

  it("prints nothing but the event log, one JSON line per event", () => {
    const ran = mm(["run", "--events", cycle]);
    expect(ran.status).toBe(0);
    expect(ran.stderr).toBe("");
    const lines = ran.stdout.trimEnd().split("\n");
    expect(lines.map((line) => JSON.parse(line).event)).toEqual([
      "finalize",
      "collect",
      "refcount",
    ]);
  });

  it.runIf(hasPython("mm run --events against CPython"))(
    "equals CPython's log, byte for byte",
    () => {
      for (const name of [...names, "cycle.jsonl"]) {
        const file = name === "cycle.jsonl" ? cycle : join(TRACES, name);
        const ran = mm(["run", "--events", file]);
        expect(ran.status).toBe(0);
        expect(ran.stdout, name).toBe(cpythonEvents(file));
      }
    },
  );
});

describe("mm run errors", () => {
  it("names a missing file in one line and exits with 1", () => {
    const ran = mm(["run", "no-such-trace.jsonl"]);
    expect([ran.status, ran.stdout, ran.stderr]).toEqual([
      1,
      "",
      "mm: no-such-trace.jsonl: no such file\n",
    ]);
  });

  it("names the file and line of an invalid trace, with no stack trace", () => {
    const dir = tempDir();
    copyFileSync(join(fixtures, "bad-trace.jsonl"), join(dir, "bad.jsonl"));
    const ran = mm(["run", "bad.jsonl"], { cwd: dir });
    expect(ran.status).toBe(1);
    expect(ran.stderr).toBe('mm: bad.jsonl:3: unknown op "frobnicate"\n');
    writeFileSync(join(dir, "not-json.jsonl"), '{"mm-trace": 1}\n{"op": \n');
    const notJson = mm(["run", "not-json.jsonl"], { cwd: dir });
    expect(notJson.status).toBe(1);
    expect(notJson.stderr).toMatch(/^mm: not-json\.jsonl:2: not valid JSON: [^\n]*\n$/);
  });

  it("refuses a directory, bad options and impossible strategies", () => {
    const cases: Array<[string[], RegExp]> = [
      [["run", fixtures], /^mm: .*fixtures: is a directory, not a trace file\n$/],
      [["run"], /^mm: mm run needs a trace file \(see mm run --help\)\n$/],
      [
        ["run", cycle, cycle],
        /^mm: mm run takes a trace file, not also '.*cycle\.jsonl' \(see mm run --help\)\n$/,
      ],
      [
        ["run", cycle, "--frobnicate"],
        /^mm: unknown option '--frobnicate' \(see mm run --help\)\n$/,
      ],
      [
        ["run", cycle, "--collector"],
        /^mm: option '-c, --collector <value>' argument missing \(see mm run --help\)\n$/,
      ],
      [
        ["run", cycle, "--collector", "arc"],
        /^mm: --collector must be one of cpython, refcount, tracing, none, got 'arc' \(see mm run --help\)\n$/,
      ],
      [
        ["run", cycle, "--allocator", "jemalloc"],
        /^mm: --allocator must be one of pymalloc, malloc, pymalloc_debug, malloc_debug, got 'jemalloc'/,
      ],
      [
        ["run", cycle, "--preset", "3.12"],
        /^mm: --preset must be one of 3\.11, 3\.13, got '3\.12'/,
      ],
      [
        ["run", cycle, "--preset", "3.13", "-c", "refcount"],
        /^mm: the 3\.13 preset pins the generational collector's thresholds, and the refcount collector has none/,
      ],
    ];
    for (const [args, message] of cases) {
      const ran = mm(args);
      expect(ran.status, args.join(" ")).toBe(1);
      expect(ran.stderr).toMatch(message);
      expect(ran.stderr.split("\n")).toHaveLength(2);
    }
  });

  it("refuses a bad MM_COLLECTOR from the environment", () => {
    const ran = mm(["run", cycle], { env: { MM_COLLECTOR: "arc" } });
    expect(ran.status).toBe(1);
    expect(ran.stderr).toBe(
      "mm: MM_COLLECTOR=arc is not one of cpython, refcount, tracing, none\n",
    );
  });
});

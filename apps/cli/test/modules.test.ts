// --collector-module and --allocator-module: a strategy from an ES module runs under mm run and
// beside the built-in ones in mm compare; a bad module is one line on stderr and exit code 1.

import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { mm, tempDir } from "./support.js";

const fixtures = join(import.meta.dirname, "fixtures");
const cycle = join(fixtures, "cycle.jsonl");
const modules = join(fixtures, "modules");

describe("strategies from modules", () => {
  it("runs a trace on a collector and an allocator loaded from modules", () => {
    const ran = mm([
      "run",
      cycle,
      "--collector-module",
      join(modules, "counted.mjs"),
      "--allocator-module",
      join(modules, "raw-allocator.mjs"),
      "--json",
    ]);
    expect(ran.stderr).toBe("");
    expect(ran.status).toBe(0);
    const summary = JSON.parse(ran.stdout);
    expect([summary.collector, summary.allocator]).toEqual(["counted", "raw"]);
    // Counting alone: the same objects leak as under the built-in refcount strategy.
    const builtin = JSON.parse(mm(["run", cycle, "--collector", "refcount", "--json"]).stdout);
    expect(summary.objects).toEqual(builtin.objects);
  });

  it("takes a loaded name with --collector, and keeps the built-ins choosable", () => {
    const dir = tempDir();
    const ran = mm(
      ["run", cycle, "--collector-module", "counted.mjs", "--collector", "cpython", "--json"],
      { cwd: modules },
    );
    expect(ran.status).toBe(0);
    expect(JSON.parse(ran.stdout).collector).toBe("cpython");
    const unknown = mm(["run", cycle, "--collector", "counted"], { cwd: dir });
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(
      /^mm: --collector must be one of cpython, refcount, tracing, none, got 'counted'/,
    );
  });

  it("compares a loaded collector beside the built-in ones", () => {
    const dir = tempDir();
    const ran = mm(
      ["compare", cycle, "--collector-module", join(modules, "counted.mjs"), "--json"],
      { cwd: dir },
    );
    expect(ran.status).toBe(0);
    const runs = JSON.parse(ran.stdout).runs as Array<{
      collector: string;
      objects: { leaked: number };
    }>;
    expect(runs.map((r) => r.collector)).toEqual([
      "cpython",
      "refcount",
      "tracing",
      "none",
      "counted",
    ]);
    expect(runs[4]!.objects).toEqual(runs[1]!.objects);
    const chosen = mm(
      [
        "compare",
        cycle,
        "--collector-module",
        join(modules, "counted.mjs"),
        "--collectors",
        "counted,cpython",
        "--json",
      ],
      { cwd: dir },
    );
    expect(JSON.parse(chosen.stdout).runs.map((r: { collector: string }) => r.collector)).toEqual([
      "counted",
      "cpython",
    ]);
  });

  it("refuses a bad module with one line and exit code 1", () => {
    const cases: Array<[string[], RegExp]> = [
      [
        ["--collector-module", "missing.mjs"],
        /^mm: --collector-module: no such file 'missing\.mjs'/,
      ],
      [["--collector-module", "throws.mjs"], /could not be loaded: cannot start: no licence key/],
      [
        ["--collector-module", "not-a-module.txt"],
        /^mm: --collector-module: 'not-a-module\.txt' could not be loaded: /,
      ],
      [
        ["--collector-module", "no-export.mjs"],
        /exports no collector: export \{ name, capabilities, create\(host\) \}/,
      ],
      [
        ["--allocator-module", "no-export.mjs"],
        /exports no allocator: export \{ name, create\(host\) \}/,
      ],
      [
        ["--collector-module", "no-capabilities.mjs"],
        /^mm: no-capabilities\.mjs: 'vague' needs capabilities/,
      ],
      [
        ["--collector-module", "not-a-collector.mjs"],
        /collector 'hollow': create\(\) returned an object without a track\(\) method/,
      ],
      [
        ["--collector-module", "counted.mjs", "--collector-module", "counted.mjs"],
        /a collector named 'counted' is already registered/,
      ],
    ];
    for (const [args, message] of cases) {
      for (const command of ["run", "compare"]) {
        const ran = mm([command, cycle, ...args], { cwd: modules });
        expect(ran.status, `${command} ${args.join(" ")}`).toBe(1);
        expect(ran.stderr).toMatch(message);
        expect(ran.stderr.trimEnd().split("\n")).toHaveLength(1);
        expect(ran.stdout).toBe("");
      }
    }
  });
});

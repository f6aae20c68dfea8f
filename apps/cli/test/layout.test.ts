// mm layout: a runtime's process after a trace, a real ELF executable's (checked against the
// kernel's own /proc/PID/maps), and both together.

import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { mm, TRACES, tempDir } from "./support.js";

const churn = join(TRACES, "auto-collect-churn-100k.jsonl");
const cycle = join(import.meta.dirname, "fixtures", "cycle.jsonl");
const cat = ["/usr/bin/cat", "/bin/cat"]
  .map((f) => (existsSync(f) ? realpathSync(f) : ""))
  .find((f) => f !== "");

interface Mapping {
  start: number;
  end: number;
  perms: string;
  path: string;
}

function layoutJson(args: string[]) {
  const ran = mm(["layout", ...args, "--json"]);
  expect(ran.stderr).toBe("");
  expect(ran.status).toBe(0);
  return JSON.parse(ran.stdout);
}

describe("mm layout TRACE", () => {
  it("maps one arena per pymalloc arena of the run, below mmap_base, and the free store on the brk heap", () => {
    const none = layoutJson([churn, "--collector", "none"]);
    const heap = mm(["heap", churn, "--collector", "none", "--json"]);
    const arenas = JSON.parse(heap.stdout).arenas.length;
    expect(none.runtime.arenas).toBe(arenas);
    const arenaMaps: Mapping[] = none.mappings.filter(
      (m: Mapping) => m.path === "[anon:cpython:pymalloc]",
    );
    const mapped = arenaMaps.reduce((n, m) => n + m.end - m.start, 0);
    expect(mapped).toBe(arenas * none.runtime.arenaBytes);
    const mmapBase = 0x7ffff7fff000;
    expect(Math.max(...arenaMaps.map((m) => m.end))).toBe(mmapBase);
    const stats = JSON.parse(mm(["run", churn, "--collector", "none", "--json"]).stdout);
    expect(none.runtime.arenas * none.runtime.arenaBytes + none.runtime.freeStoreBytes).toBe(
      stats.heapBytes.final,
    );
    const cpython = layoutJson([churn]);
    expect(cpython.runtime.arenas).toBeLessThan(none.runtime.arenas);
  });

  it("prints the segments and /proc/PID/maps, with the trace's names interned in rodata", () => {
    const ran = mm(["layout", cycle]);
    expect(ran.status).toBe(0);
    expect(ran.stdout).toMatch(
      /^a modelled runtime process after all 18 steps of cycle\.jsonl \(cpython collector, pymalloc allocator\)\n/,
    );
    expect(ran.stdout).toMatch(
      /\nthe runtime's heap: 1 pymalloc arena of 1 MiB in the mmap region \([\d.]+ KiB in blocks\), 0 B of free store on the brk heap \(0 B in blocks\); 8 names and keys interned in rodata\n/,
    );
    expect(ran.stdout).toMatch(
      /\nrodata +0x000000401000 +0x000000411000 +64 KiB .* constants area, 8 interned\n/,
    );
    expect(ran.stdout).toMatch(
      /\n\/proc\/1\/maps\n00400000-00401000 r-xp 00000000 00:00 0 +mm-runtime\n/,
    );
    expect(ran.stdout).toMatch(
      /\n7ffff7eff000-7ffff7fff000 rw-p 00000000 00:00 0 +\[anon:cpython:pymalloc\]\n/,
    );
  });

  it("stops at a step and draws the SVG", () => {
    const dir = tempDir();
    const early = layoutJson([churn, "--at", "10", "--svg", join(dir, "layout.svg")]);
    expect([early.step, early.totalSteps]).toEqual([10, 200011]);
    expect(readFileSync(early.svg, "utf8")).toMatch(/^<svg/);
  });
});

describe.runIf(cat !== undefined)("mm layout --elf", () => {
  it("loads an executable's segments where the kernel puts them, as its own maps show", () => {
    const ran = mm(["layout", "--elf", cat!]);
    expect(ran.status).toBe(0);
    const ours = ran.stdout.split("\n").filter((line) => line.endsWith(` ${cat}`));
    expect(ours.length).toBeGreaterThanOrEqual(3);
    const kernel = spawnSync("setarch", ["-R", cat!, "/proc/self/maps"], { encoding: "utf8" });
    if (kernel.status !== 0) {
      console.log("the kernel comparison skipped: setarch -R cannot turn randomisation off here");
      return;
    }
    const theirs = kernel.stdout.split("\n").filter((line) => line.endsWith(` ${cat}`));
    expect(ours).toEqual(theirs);
  });

  it("puts a runtime's heap in that executable's process", () => {
    const both = layoutJson([cycle, "--elf", cat!]);
    expect(both.elf).toBe(cat);
    expect(both.runtime.interned).toBe(0);
    const paths = both.mappings.map((m: Mapping) => m.path);
    expect(paths).toContain(cat);
    expect(paths).toContain("[anon:cpython:pymalloc]");
  });
});

describe("mm layout errors", () => {
  it("needs a trace or an executable, and refuses what cannot be loaded", () => {
    const cases: Array<[string[], RegExp]> = [
      [
        ["layout"],
        /^mm: mm layout needs a trace file, --elf FILE, or both \(see mm layout --help\)\n$/,
      ],
      [
        ["layout", "--elf", cycle, "--collector", "none"],
        /^mm: --collector, --allocator, --preset and --at need a trace file/,
      ],
      [
        ["layout", "--elf", cycle],
        /^mm: .*cycle\.jsonl: cannot load ELF file \(not-elf\): the file does not start with the ELF magic 7f 45 4c 46\n$/,
      ],
      [["layout", "--elf", "no-such-program"], /^mm: no-such-program: no such file\n$/],
      [["layout", "missing.jsonl"], /^mm: missing\.jsonl: no such file\n$/],
    ];
    for (const [args, message] of cases) {
      const ran = mm(args);
      expect(ran.status, args.join(" ")).toBe(1);
      expect(ran.stderr).toMatch(message);
    }
  });
});

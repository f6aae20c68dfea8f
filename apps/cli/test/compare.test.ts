// mm compare: one table with a row per collector, sparklines of live bytes on one scale, and
// the SVG chart of live and mapped bytes with the collections marked.

import { chmodSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { mm, tempDir } from "./support.js";

const cycle = join(import.meta.dirname, "fixtures", "cycle.jsonl");

describe("mm compare", () => {
  it("prints one row per collector and a sparkline each, and writes the chart to the current directory", () => {
    const dir = tempDir();
    const ran = mm(["compare", cycle], { cwd: dir });
    expect(ran.status).toBe(0);
    const rows = ran.stdout
      .split("\n")
      .filter((line) => /^(cpython|refcount|tracing|none) /.test(line));
    expect(rows.map((r) => r.split(/\s+/)[0])).toEqual(["cpython", "refcount", "tracing", "none"]);
    const sparks = ran.stdout
      .split("\n")
      .filter((line) => /^ {2}(cpython|refcount|tracing|none) +[▁▂▃▄▅▆▇█]+ /.test(line));
    expect(sparks).toHaveLength(4);
    expect(ran.stdout).toMatch(/\nchart: cycle\.compare\.svg\n$/);
    expect(ran.stdout).toMatch(
      /\nlive: bytes in blocks handed out; .* Pauses after a warm-up of 18 steps\.\n/,
    );
    const svg = readFileSync(join(dir, "cycle.compare.svg"), "utf8");
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).toContain(">live bytes, log scale: in blocks handed out");
    expect(svg).toContain(">mapped heap bytes: pymalloc's arenas and the free store's regions<");
    // A legend entry per collector, the leaking ones with their count; a marks row each.
    for (const entry of [
      "cpython (2 leaked)",
      "refcount (4 leaked)",
      "tracing (2 leaked)",
      "none (5 leaked)",
    ])
      expect(svg).toContain(`>${entry}</text>`);
    expect(svg.match(/<title>gen2 \/ full<\/title>/g)?.length).toBe(2);
  });

  it("gives every run as JSON, with the same steps and a heap series", () => {
    const dir = tempDir();
    const ran = mm(
      ["compare", cycle, "--collectors", "none,cpython", "--svg", "chart.svg", "--json"],
      { cwd: dir },
    );
    expect(ran.status).toBe(0);
    const out = JSON.parse(ran.stdout);
    expect(out.svg).toBe(join(dir, "chart.svg"));
    expect(existsSync(out.svg)).toBe(true);
    expect(out.runs.map((r: { collector: string }) => r.collector)).toEqual(["none", "cpython"]);
    for (const run of out.runs) {
      expect(run.steps).toBe(18);
      expect(run.heapSeries[0][0]).toBe(0);
      expect(Math.max(...run.heapSeries.map((p: number[]) => p[1]))).toBe(run.heapBytes.peak);
      expect(run.liveSeries.at(-1)).toEqual([18, run.liveBytes]);
      expect(run.pauses.warmupSteps).toBe(18);
    }
    expect(out.runs[0].collectionMarks).toEqual([]);
    expect(out.runs[1].collectionMarks).toEqual([{ step: 11, generation: 2 }]);
    expect(out.runs[0].objects.leaked).toBe(5);
    expect(out.runs[1].objects.leaked).toBe(2);
  });

  it("shows in live bytes the leak that mapped bytes hide: 552 objects of the requests workload", () => {
    const dir = tempDir();
    const file = join(dir, "requests.jsonl");
    expect(mm(["gen", "requests", "--out", file]).status).toBe(0);
    const ran = mm(
      [
        "compare",
        file,
        "--collectors",
        "cpython,refcount",
        "--json",
        "--svg",
        "requests.compare.svg",
      ],
      { cwd: dir },
    );
    expect(ran.status).toBe(0);
    const [cpython, refcount] = JSON.parse(ran.stdout).runs;
    expect(refcount.objects.leaked).toBe(552);
    expect(cpython.objects.leaked).toBe(0);
    // The arenas mapped are the same; the bytes still held are not.
    expect(refcount.heapBytes.peak).toBe(cpython.heapBytes.peak);
    expect(refcount.heapBytes.final).toBe(cpython.heapBytes.final);
    expect(refcount.liveBytes).toBeGreaterThan(cpython.liveBytes + 552 * 16);
    const svg = readFileSync(join(dir, "requests.compare.svg"), "utf8");
    expect(svg).toContain(">refcount (552 leaked)</text>");
  });

  it("refuses unknown or repeated collectors, and a chart it cannot write", () => {
    const unknown = mm(["compare", cycle, "--collectors", "cpython,arc"]);
    expect([unknown.status, unknown.stderr]).toEqual([
      1,
      "mm: --collectors takes names from cpython, refcount, tracing, none, got 'arc' (see mm compare --help)\n",
    ]);
    const twice = mm(["compare", cycle, "--collectors", "none,none"]);
    expect(twice.status).toBe(1);
    expect(twice.stderr).toMatch(/lists a collector twice/);
    const nowhere = mm(["compare", cycle, "--svg", join(tempDir(), "missing", "chart.svg")]);
    expect(nowhere.status).toBe(1);
    expect(nowhere.stderr).toMatch(
      /^mm: cannot write .*chart\.svg: its directory does not exist\n$/,
    );
    const readOnly = join(tempDir(), "ro");
    mkdirSync(readOnly);
    chmodSync(readOnly, 0o500);
    const denied = mm(["compare", cycle], { cwd: readOnly });
    if (process.getuid?.() !== 0) {
      expect(denied.status).toBe(1);
      expect(denied.stderr).toMatch(/permission denied/);
    }
    const missing = mm(["compare", "missing.jsonl"]);
    expect([missing.status, missing.stderr]).toEqual([1, "mm: missing.jsonl: no such file\n"]);
  });
});

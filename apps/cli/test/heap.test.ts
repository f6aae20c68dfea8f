// mm heap: pymalloc's arenas and pools as a grid and an SVG, at the end of a trace or a step.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { mm, TRACES, tempDir } from "./support.js";

const churn = join(TRACES, "repeat-churn.jsonl");

interface Cell {
  state: string;
  sizeClass: number;
  blocksInUse: number;
  blocksPerPool: number;
}

function heapJson(args: string[]) {
  const ran = mm(["heap", ...args, "--json"]);
  expect(ran.status).toBe(0);
  return JSON.parse(ran.stdout);
}

describe("mm heap", () => {
  it("draws one cell per pool, with its state and size class, and the classes in use", () => {
    const ran = mm(["heap", churn]);
    expect(ran.status).toBe(0);
    expect(ran.stdout).toMatch(
      /^pymalloc: repeat-churn\.jsonl after all 4,015 steps \(cpython collector\)\n/,
    );
    const grid = ran.stdout.split("\n").filter((line) => /^ {2}[ \d]\d {2}/.test(line));
    const cells = grid.flatMap((line) => {
      const row = line.slice(6).padEnd(16 * 4);
      return Array.from({ length: 16 }, (_, i) => row.slice(4 * i, 4 * i + 3)).filter(
        (c) => c.trim() !== "",
      );
    });
    const json = heapJson([churn]);
    expect(cells).toHaveLength(
      json.arenas.reduce((n: number, a: { totalPools: number }) => n + a.totalPools, 0),
    );
    const drawn = cells.map((c) => c.trim()).filter((c) => c !== "·");
    const carved = json.arenas
      .flatMap((a: { cells: Cell[] }) => a.cells)
      .filter((c: Cell) => c.state !== "untouched");
    const mark: Record<string, string> = { full: "#", used: "+", empty: "-" };
    expect(drawn).toEqual(
      carved.map((c: Cell) => `${mark[c.state]}${String(c.sizeClass).padStart(2, "0")}`),
    );
    expect(ran.stdout).toMatch(/\nclass +block +pools +blocks in use +available\n/);
  });

  it("gives arenas, pools and classes as JSON whose figures agree", () => {
    const json = heapJson([churn]);
    const cells: Cell[] = json.arenas.flatMap((a: { cells: Cell[] }) => a.cells);
    const inUse = cells.reduce((n, c) => n + c.blocksInUse, 0);
    expect(inUse).toBe(json.blocksInUse);
    for (const c of cells) {
      if (c.state === "full") expect(c.blocksInUse).toBe(c.blocksPerPool);
      if (c.state === "used") expect(c.blocksInUse).toBeLessThan(c.blocksPerPool);
      if (c.state === "empty") expect(c.blocksInUse).toBe(0);
    }
    for (const cls of json.classes) {
      const pools = cells.filter((c) => c.sizeClass === cls.sizeClass && c.state !== "empty");
      expect(pools.length).toBe(cls.pools);
    }
  });

  it("stops at a step with --at, and says so past the end", () => {
    const early = heapJson([churn, "--at", "3"]);
    expect([early.step, early.totalSteps]).toEqual([3, 4015]);
    const late = heapJson([churn]);
    expect(late.blocksInUse).toBeGreaterThan(early.blocksInUse);
    const past = mm(["heap", churn, "--at", "99999"]);
    expect(past.stdout).toMatch(/\(the trace has 4,015 steps; --at 99999 is past its end\)/);
  });

  it("draws the SVG picture", () => {
    const dir = tempDir();
    const ran = mm(["heap", churn, "--svg", "heap.svg"], { cwd: dir });
    expect(ran.status).toBe(0);
    expect(ran.stdout).toMatch(/\npicture: heap\.svg\n$/);
    const svg = readFileSync(join(dir, "heap.svg"), "utf8");
    expect(svg).toMatch(/^<svg /);
    expect(svg).toMatch(/arena 0 at 0x/);
    expect(svg.match(/<title>pool \d+: (used|full|empty), class/g)?.length).toBeGreaterThan(0);
  });

  it("refuses a malloc run and a bad step", () => {
    const malloc = mm(["heap", churn, "--allocator", "malloc"]);
    expect(malloc.status).toBe(1);
    expect(malloc.stderr).toMatch(
      /^mm: mm heap draws pymalloc's arenas, and this run uses the malloc allocator/,
    );
    for (const at of ["0", "-3", "two", "1.5"]) {
      const bad = mm(["heap", churn, `--at=${at}`]);
      expect(bad.status).toBe(1);
      expect(bad.stderr).toBe(
        `mm: --at must be a positive integer, got '${at}' (see mm heap --help)\n`,
      );
    }
  });
});

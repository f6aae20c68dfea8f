// mm tour, the README's main command: every step, real numbers, under 150 lines, and --step.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tourSteps } from "../src/tour/steps.js";
import { mm } from "./support.js";

const titles = tourSteps.map((s) => s.title);

describe("mm tour", () => {
  const ran = mm(["tour"]);

  it("runs every step, in order, in under 150 lines", () => {
    expect(ran.status).toBe(0);
    expect(ran.stderr).toBe("");
    const headings = ran.stdout.split("\n").filter((line) => /^\d+\. /.test(line));
    expect(headings).toEqual(titles.map((t, i) => `${i + 1}. ${t}`));
    expect(ran.stdout.split("\n").length).toBeLessThan(150);
    for (const [i] of titles.entries()) {
      const body = ran.stdout.split(/\n\d+\. [^\n]*\n/)[i + 1]!;
      expect(body, titles[i]).toMatch(/\d/);
    }
  });

  it("is what the root package.json's tour script runs", () => {
    const root = JSON.parse(
      readFileSync(join(import.meta.dirname, "..", "..", "..", "package.json"), "utf8"),
    );
    expect(root.scripts.tour).toMatch(/&& node apps\/cli\/dist\/mm\.js tour$/);
  });

  it("prints figures read from the runtime, consistent with --json", () => {
    const json = JSON.parse(mm(["tour", "--json"]).stdout);
    expect(json.steps.map((s: { title: string }) => s.title)).toEqual(titles);
    const fig = Object.fromEntries(
      json.steps.map((s: { title: string; figures: unknown }) => [s.title, s.figures]),
    );

    const heap = fig["The private heap"];
    expect(heap.withList.blocks - heap.fresh.blocks).toBeGreaterThanOrEqual(1001);
    expect(heap.withStr.heapBytes).toBeGreaterThan(heap.fresh.heapBytes);
    expect(ran.stdout).toContain(
      `sys.getallocatedblocks() ${heap.fresh.blocks} -> ${heap.withList.blocks.toLocaleString("en-US")}`,
    );

    const rc = fig["Reference counts"];
    expect(rc.refcounts).toEqual([2, 3, 4, 5, 2]);
    expect([rc.finalized, rc.freed]).toEqual([1, 1]);

    const cycles = fig["A cycle that counting cannot free"];
    expect(cycles.refcountOnly).toMatchObject({ collected: 0, afterCollect: 2, finalized: 0 });
    expect(cycles.cpython).toMatchObject({
      leftAlive: 2,
      collected: 2,
      afterCollect: 0,
      finalized: 2,
    });

    const gen = fig["Generations and thresholds"];
    expect(gen.threshold).toEqual([700, 10, 10]);
    expect(gen.firstGen0).toMatchObject({
      allocation: 701,
      before: [700, 0, 0],
      after: [0, 1, 0],
      promoted: 700,
    });
    expect(gen.firstGen1.before).toEqual([700, 11, 0]);
    expect(gen.firstGen1.after).toEqual([0, 0, 1]);
    expect(ran.stdout).toContain("container 701: count (700, 0, 0) -> (0, 1, 0)");

    const pools = fig["Pools, arenas and size classes"];
    expect([pools.sizeClass, pools.blockSize, pools.blocksPerPool]).toEqual([1, 32, 510]);
    expect(pools.filled.arenas).toBeGreaterThan(pools.fresh.arenas);
    expect(pools.filled.blocksInUse - pools.fresh.blocksInUse).toBe(pools.floats);
    expect(pools.half.empty).toBe(0);
    expect(pools.emptied.empty).toBeGreaterThan(0);
    expect(pools.emptied.arenas).toBeLessThan(pools.filled.arenas);

    const lists = fig["Free lists"];
    expect(lists.reused.sameBlock).toBe(true);
    expect(lists.parked.count).toEqual(lists.before.count);
    expect(lists.reused.count).toEqual(lists.before.count);
    expect(lists.reused.blocks).toBe(lists.before.blocks);
    expect(lists.floatReused).toBe(true);
    expect(lists.afterCollect.blocks).toBeLessThan(lists.beforeCollect.blocks);

    const del = fig["__del__ and resurrection"];
    expect(del.resurrected).toMatchObject({ delCalls: 1, finalized: true, freed: 0 });
    expect(del.died).toEqual({ delCalls: 1, freed: 1 });
    expect(del.cycle).toEqual({ collected: 2, finalizerOrder: ["a", "b"] });

    const weak = fig["Weak references"];
    expect(weak.countAfter).toBe(weak.countBefore);
    expect(weak.afterDeath).toEqual({ callbacks: 1, deref: null });

    const proc = fig["The process layout"];
    // Inside f: one frame, its first local slot holding box's virtual address, in an arena.
    expect(proc.frame.depth).toBe(1);
    expect(proc.boxIsResult).toBe(true);
    expect(proc.arena).toMatchObject({ path: "", end: proc.mmapBase });
    expect(proc.frame.slot).toBeGreaterThanOrEqual(proc.arena.start);
    expect(proc.frame.slot).toBeLessThan(proc.arena.end);
    expect(proc.frame.rbp).toBeGreaterThan(proc.mmapBase);
    // The item array is past pymalloc's limit: on the brk heap, which it grew.
    expect(proc.smallLimit).toBe(512);
    expect(proc.itemBytes).toBeGreaterThan(proc.smallLimit);
    expect(proc.breakBefore).toBe(proc.heapStart);
    expect(proc.breakAfter).toBeGreaterThan(proc.breakBefore);
    expect(proc.itemArray).toBeGreaterThanOrEqual(proc.heapStart);
    expect(proc.itemArray + proc.itemBytes).toBeLessThanOrEqual(proc.breakAfter);
    expect([proc.typeName.value, proc.greeting.value]).toEqual(["str", "greeting"]);
    for (const constant of [proc.typeName, proc.greeting]) {
      expect(constant.address).toBeGreaterThanOrEqual(proc.rodata.start);
      expect(constant.address).toBeLessThan(proc.rodata.start + proc.rodata.used);
    }
    expect(proc.fault).toMatch(
      /^segmentation fault: write of 1 byte at .*: rodata \(r--\) does not allow write$/,
    );
    // The recursion overflowed the small stack long before the recursion limit, and unwound.
    expect(proc.overflow.stackBytes).toBe(16384);
    expect(proc.overflow.depth).toBeGreaterThan(100);
    expect(proc.overflow.depth).toBeLessThan(1000);
    expect(proc.overflow.message).toMatch(/^stack overflow: a call .* below its limit /);
    expect(proc.overflow.unwound).toEqual({ frames: 0, liveObjects: 0 });
    expect(proc.overflow.goesOn).toBe(true);
    expect(ran.stdout).toContain(`call ${proc.overflow.depth + 1} needs the`);
    expect(ran.stdout).toContain(proc.maps[0]);

    const cm = fig["Context managers"];
    expect(cm).toMatchObject({
      closedInside: 0,
      closedAfter: 1,
      closedAfterError: true,
      warning: true,
      liveAfter: 0,
    });
  });

  it("shows the 3.13 preset's numbers when asked", () => {
    const json = JSON.parse(mm(["tour", "--preset", "3.13", "--json"]).stdout);
    const gen = json.steps.find(
      (s: { title: string }) => s.title === "Generations and thresholds",
    ).figures;
    expect(gen.threshold).toEqual([2000, 10, 10]);
    expect(gen.firstGen0.allocation).toBe(2001);
  });

  it("waits for Enter between steps with --step, and goes on at the end of input", () => {
    // Three Enters, then the end of input: the rest of the steps follow without waiting.
    const stepped = mm(["tour", "--step"], { input: "\n\n\n" });
    expect(stepped.status).toBe(0);
    const prompts = stepped.stderr.match(/-- press Enter for step \d+: [^-]+ --/g) ?? [];
    expect(prompts).toEqual(
      titles.slice(1).map((t, i) => `-- press Enter for step ${i + 2}: ${t} --`),
    );
    expect(stepped.stdout.split("\n").filter((l) => /^\d+\. /.test(l))).toHaveLength(titles.length);
  });

  it("refuses arguments it does not take", () => {
    const ran = mm(["tour", "extra"]);
    expect([ran.status, ran.stderr]).toEqual([
      1,
      "mm: mm tour takes no arguments, not also 'extra' (see mm tour --help)\n",
    ]);
    const preset = mm(["tour", "--preset", "2.7"]);
    expect(preset.status).toBe(1);
  });
});

// The heap map's data: one cell per pool slot read from pymalloc, the summary that counts each
// arena's pools, which form a map is drawn in, and the summary's layout.

import { fc, test } from "@fast-check/vitest";
import { Runtime } from "@mm/runtime";
import { fcRuns } from "@mm/vitest-config/fast-check";
import { describe, expect, it } from "vitest";
import {
  type ArenaMap,
  arenaGrid,
  arenaMap,
  arenaSummaries,
  arenaSvg,
  type CellState,
  FULL_FORM_MAX_ARENAS,
  heapMapForm,
  type PoolCell,
  summaryLayout,
} from "../src/index.js";
import { wellFormed } from "./xml.js";

const quiet = { env: {}, log: () => {} };

describe("the arena map", () => {
  test.prop(
    [
      fc.array(fc.tuple(fc.integer({ min: 1, max: 512 }), fc.boolean()), {
        minLength: 1,
        maxLength: 3000,
      }),
    ],
    { numRuns: fcRuns(40) },
  )("reads every pool of every arena, and the summary covers each arena exactly once", (ops) => {
    using rt = new Runtime(quiet);
    const pymalloc = rt.pymalloc!;
    const held: number[] = [];
    for (const [size, free] of ops) {
      if (free && held.length > 0) pymalloc.free(held.splice(size % held.length, 1)[0]!);
      else held.push(pymalloc.malloc(size));
    }
    const map = arenaMap(pymalloc);
    const summaries = arenaSummaries(map);
    expect(summaries.map((s) => s.index)).toEqual(map.arenas.map((a) => a.index));
    expect(new Set(summaries.map((s) => s.index)).size).toBe(map.arenas.length);
    const totals: Record<CellState, number> = { used: 0, full: 0, empty: 0, untouched: 0 };
    let blocks = 0;
    summaries.forEach((s, i) => {
      const arena = map.arenas[i]!;
      expect(arena.cells).toHaveLength(arena.totalPools);
      expect(s.pools.used + s.pools.full + s.pools.empty + s.pools.untouched).toBe(
        arena.totalPools,
      );
      expect(s.pools.empty + s.pools.untouched).toBe(arena.freePools);
      expect(s.blocksInUse).toBeLessThanOrEqual(s.blockCapacity);
      for (const state of Object.keys(totals) as CellState[]) totals[state] += s.pools[state];
      blocks += s.blocksInUse;
    });
    expect(totals).toEqual(map.counts);
    expect(blocks).toBe(map.blocksInUse);
    expect(map.blocksInUse).toBe(pymalloc.getAllocatedBlocks() - pymalloc.rawAllocatedBlocks);
  });
});

/** A map of `n` arenas, each with its pools in a mix of states (plain data, as a front end has). */
function syntheticMap(n: number): ArenaMap {
  const states: CellState[] = ["full", "used", "empty", "untouched"];
  const arenas = Array.from({ length: n }, (_, a) => {
    const cells: PoolCell[] = Array.from({ length: 64 }, (_, i) => {
      const state = states[(a + i * 7) % 4 === 0 ? 3 : (a * 3 + i) % 3]!;
      return state === "untouched"
        ? { state, sizeClass: -1, blockSize: 0, blocksInUse: 0, blocksPerPool: 0 }
        : {
            state,
            sizeClass: a % 32,
            blockSize: 16 * ((a % 32) + 1),
            blocksInUse: state === "full" ? 10 : state === "used" ? 4 : 0,
            blocksPerPool: 10,
          };
    });
    const free = cells.filter((c) => c.state === "empty" || c.state === "untouched").length;
    return { index: a, address: 0x100000 * (a + 1), totalPools: 64, freePools: free, cells };
  });
  const counts: Record<CellState, number> = { used: 0, full: 0, empty: 0, untouched: 0 };
  let blocksInUse = 0;
  for (const a of arenas)
    for (const c of a.cells) {
      counts[c.state]++;
      blocksInUse += c.blocksInUse;
    }
  return { arenaSize: 1 << 20, poolSize: 1 << 14, arenas, classes: [], counts, blocksInUse };
}

describe("the heap map's forms", () => {
  it("draws a cell per pool up to a dozen arenas, and a column per arena past them", () => {
    expect(heapMapForm(syntheticMap(FULL_FORM_MAX_ARENAS))).toBe("full");
    expect(heapMapForm(syntheticMap(FULL_FORM_MAX_ARENAS + 1))).toBe("summary");
    expect(heapMapForm(syntheticMap(500), "full")).toBe("full");
    expect(heapMapForm(syntheticMap(1), "summary")).toBe("summary");
  });

  it("keeps 142 arenas on one readable page, and says it is a summary", () => {
    const map = syntheticMap(142);
    const svg = arenaSvg(map, "142 arenas");
    expect(wellFormed(svg)).toBe(true);
    const [, width, height] = /width="(\d+)" height="(\d+)"/.exec(svg)!.map(Number);
    expect(width).toBeLessThanOrEqual(1000);
    expect(height).toBeLessThan(800);
    expect(svg).toContain("summary map: one column per arena");
    // Each arena's tooltip appears on its stacked parts; every arena is drawn.
    const drawn = new Set([...svg.matchAll(/<title>arena (\d+) at/g)].map((m) => Number(m[1])));
    expect(drawn.size).toBe(142);
    // The full form of the same map would be more than 20 times as tall.
    const full = arenaSvg(map, "142 arenas", { form: "full" });
    expect(Number(/height="(\d+)"/.exec(full)![1])).toBeGreaterThan(20 * height!);
  });

  test.prop([fc.nat({ max: 800 }), fc.integer({ min: 200, max: 3000 })])(
    "the summary places every arena once, inside the picture, without overlap",
    (n, width) => {
      const layout = summaryLayout(n, width, 100);
      expect(layout.positions).toHaveLength(n);
      expect(layout.columns * layout.rows).toBeGreaterThanOrEqual(n);
      const seen = new Set<string>();
      for (const { x, y } of layout.positions) {
        expect(x).toBeGreaterThanOrEqual(0);
        expect(x + 10).toBeLessThanOrEqual(Math.max(width, 60 + 10));
        expect(y).toBeGreaterThanOrEqual(100);
        seen.add(`${x},${y}`);
      }
      expect(seen.size).toBe(n);
    },
  );

  it("as text: a grid of cells per arena, or a line per arena past a dozen", () => {
    const few = arenaGrid(syntheticMap(2));
    expect(few).toMatch(/^arena 0 at 0x00100000: \d+ of 64 pools in use$/m);
    const many = arenaGrid(syntheticMap(40)).split("\n");
    expect(many[0]).toBe(
      "one line per arena, a character per pool (40 arenas; a cell per pool up to 12)",
    );
    const lines = many.filter((l) => /^ {2} ?\d+ {2}[#+\-.]{64} {2}\d+\/64 in use$/.test(l));
    expect(lines).toHaveLength(40);
  });
});

// Step: pools, arenas and size classes. Floats fill 32-byte blocks of size class 1, pool by
// pool, arena by arena; freeing half leaves every pool in use, freeing all empties the pools
// and hands an arena back.

import type { Handle } from "@mm/runtime";
import { arenaMap, type CellState, formatBytes } from "@mm/views";
import type { TourStep } from "./step.js";

const FLOATS = 80_000;
const MARK: Record<CellState, string> = { full: "#", used: "+", empty: "-", untouched: "." };

/** Size class 1 filling and emptying, with one line per arena. */
export const pools: TourStep = {
  title: "Pools, arenas and size classes",
  run(ctx) {
    using rt = ctx.runtime();
    const pymalloc = rt.pymalloc!;
    const { alignment } = pymalloc.geometry;
    const request = rt.freeLists.blockSize("float");
    const sizeClass = Math.ceil(request / alignment) - 1;
    const snapshot = () => {
      const map = arenaMap(pymalloc);
      const c = pymalloc.classStats()[sizeClass]!;
      const pools = map.arenas
        .flatMap((a) => a.cells)
        .filter((cell) => cell.sizeClass === sizeClass);
      const stats = pymalloc.mallocStats();
      return {
        arenas: map.arenas.length,
        arenasAllocatedTotal: stats.arenasAllocatedTotal,
        arenasReclaimed: stats.arenasReclaimed,
        pools: c.pools,
        full: pools.filter((p) => p.state === "full").length,
        used: pools.filter((p) => p.state === "used").length,
        empty: pools.filter((p) => p.state === "empty").length,
        blocksInUse: c.blocksInUse,
        whollyFree: map.arenas.filter((a) => a.freePools === a.totalPools).length,
        rows: map.arenas.map(
          (a) => `arena ${a.index} ${a.cells.map((cell) => MARK[cell.state]).join("")}`,
        ),
      };
    };
    const { blockSize, blocksPerPool } = pymalloc.classStats()[sizeClass]!;
    const fresh = snapshot();
    const floats: Handle[] = [];
    for (let i = 0; i < FLOATS; i++) floats.push(rt.float(i + 0.5));
    const filled = snapshot();
    floats.forEach((h, i) => {
      if (i % 2 === 0) h.release();
    });
    const half = snapshot();
    floats.forEach((h, i) => {
      if (i % 2 === 1) h.release();
    });
    const parked = rt.freeLists.count("float");
    const emptied = snapshot();
    const indent = (rows: string[]) => rows.map((r) => `    ${ctx.style.dim(r)}`);
    return {
      lines: [
        `A float asks for ${ctx.n(request)} bytes: a ${ctx.n(blockSize)}-byte block of size class ${ctx.n(sizeClass)}, ${ctx.n(blocksPerPool)} blocks to a ${formatBytes(pymalloc.geometry.poolSize)} pool.`,
        `Fresh: ${ctx.p(fresh.arenas, "arena")}, ${ctx.p(fresh.pools, "pool")} of class ${sizeClass}. (# full, + used, - empty, . never carved)`,
        `${ctx.n(FLOATS)} floats: ${ctx.p(filled.arenas, "arena")}, ${ctx.p(filled.pools, "pool")} of class ${sizeClass} (${ctx.n(filled.full)} full, ${ctx.n(filled.used)} used), ${ctx.p(filled.blocksInUse, "block")} of class ${sizeClass} in use`,
        ...indent(filled.rows),
        `Every other float freed: ${ctx.p(half.blocksInUse, "block")} in use, yet ${ctx.n(half.full)} full, ${ctx.n(half.used)} used, ${ctx.n(half.empty)} empty pools:`,
        "  a pool can serve another size class only once all its blocks are free.",
        `All freed: ${ctx.p(parked, "float")} parked on the float free list, ${ctx.p(emptied.blocksInUse, "block")} of class ${sizeClass} in use;`,
        `  pools ${ctx.n(emptied.used)} used, ${ctx.n(emptied.empty)} empty; arenas ${ctx.n(filled.arenas)} -> ${ctx.n(emptied.arenas)} (${ctx.n(emptied.arenasReclaimed)} handed back)`,
        ...(emptied.whollyFree > 0
          ? [
              `  ${ctx.p(emptied.whollyFree, "arena")} wholly free yet kept: pymalloc keeps its last usable arena, so that`,
              "  a program at the edge does not map and unmap it over and over.",
            ]
          : []),
        ...indent(emptied.rows),
      ],
      figures: {
        floats: FLOATS,
        sizeClass,
        blockSize,
        blocksPerPool,
        fresh: { ...fresh, rows: undefined },
        filled: { ...filled, rows: undefined },
        half: { ...half, rows: undefined },
        emptied: { ...emptied, rows: undefined },
        parkedFloats: parked,
      },
    };
  },
};

// The arenas as a terminal grid: one three-character cell per pool slot, sixteen to a row. The
// cell's mark says the pool's state and its digits the size class, so the picture reads the
// same without colour; on a terminal, colour repeats the state.

import type { Style } from "../output/style.js";
import { bytes, count } from "../output/units.js";
import type { ArenaMap, CellState, PoolCell } from "./arenas.js";

const PER_ROW = 16;
const MARK: Record<CellState, string> = { full: "#", used: "+", empty: "-", untouched: " " };

/** The grid of every arena, each under a heading, with a legend. */
export function arenaGrid(map: ArenaMap, style: Style): string {
  const paint: Record<CellState, (s: string) => string> = {
    full: style.red,
    used: style.yellow,
    empty: style.dim,
    untouched: style.dim,
  };
  const cell = (c: PoolCell) =>
    c.state === "untouched"
      ? paint.untouched(" · ")
      : paint[c.state](`${MARK[c.state]}${String(c.sizeClass).padStart(2, "0")}`);
  const out: string[] = [];
  for (const arena of map.arenas) {
    const used = arena.totalPools - arena.freePools;
    out.push(
      style.bold(
        `arena ${arena.index} at 0x${arena.address.toString(16).padStart(8, "0")}: ${used} of ${arena.totalPools} pools in use`,
      ),
    );
    for (let row = 0; row < arena.cells.length; row += PER_ROW) {
      const cells = arena.cells.slice(row, row + PER_ROW).map(cell);
      out.push(`  ${String(row).padStart(2)}  ${cells.join(" ")}`.trimEnd());
    }
  }
  out.push(
    "",
    `${paint.full("#nn")} full  ${paint.used("+nn")} used  ${paint.empty("-nn")} empty (nn: its last class)  ${paint.untouched(" · ")} never carved`,
    `nn is the size class: blocks of 16 × (nn + 1) bytes; a pool is ${bytes(map.poolSize)}, an arena ${bytes(map.arenaSize)}`,
  );
  return out.join("\n");
}

/** One line of figures: arenas, pools by state, blocks in use. */
export function arenaCounts(map: ArenaMap): string {
  const c = map.counts;
  return `${count(map.arenas.length)} arena${map.arenas.length === 1 ? "" : "s"}, pools: ${count(c.used)} used, ${count(c.full)} full, ${count(c.empty)} empty, ${count(c.untouched)} never carved; ${count(map.blocksInUse)} blocks in use`;
}

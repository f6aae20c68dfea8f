// The arenas as text: one three-character cell per pool slot, sixteen to a row, each arena
// under a heading; or, past a dozen arenas, one line per arena with a character per pool. The
// cell's mark says the pool's state (and its digits the size class), so the picture reads the
// same without colour; a front end that can colour text repeats the state in colour.

import { formatBytes } from "@mm/layout";
import { FULL_FORM_MAX_ARENAS, type HeapMapForm, heapMapForm } from "./arena-svg.js";
import { type ArenaMap, arenaSummaries, type CellState, type PoolCell } from "./arenas.js";
import { count } from "./units.js";

const PER_ROW = 16;
const MARK: Record<CellState, string> = { full: "#", used: "+", empty: "-", untouched: " " };
const SUMMARY_MARK: Record<CellState, string> = {
  full: "#",
  used: "+",
  empty: "-",
  untouched: ".",
};

/**
 * How text is painted: each function returns its text wrapped in the front end's codes, or
 * unchanged. A terminal's ANSI styles fit this shape; {@link plainText} paints nothing.
 */
export interface TextPaint {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
}

/** The paint that leaves text as it is. */
export const plainText: TextPaint = {
  bold: (t) => t,
  dim: (t) => t,
  red: (t) => t,
  yellow: (t) => t,
};

/**
 * Every arena as text, with a legend: a grid of cells per arena (`full`), a line per arena
 * (`summary`), or the one that suits the number of arenas (`auto`: full up to
 * {@link FULL_FORM_MAX_ARENAS}).
 */
export function arenaGrid(
  map: ArenaMap,
  paint: TextPaint = plainText,
  form: HeapMapForm | "auto" = "auto",
): string {
  const colour: Record<CellState, (s: string) => string> = {
    full: paint.red,
    used: paint.yellow,
    empty: paint.dim,
    untouched: paint.dim,
  };
  const out: string[] = [];
  if (heapMapForm(map, form) === "summary") {
    out.push(
      paint.dim(
        `one line per arena, a character per pool${form === "auto" ? ` (${count(map.arenas.length)} arenas; a cell per pool up to ${FULL_FORM_MAX_ARENAS})` : ""}`,
      ),
    );
    const width = String(map.arenas.at(-1)?.index ?? 0).length;
    const summaries = arenaSummaries(map);
    map.arenas.forEach((arena, i) => {
      const s = summaries[i]!;
      const marks = arena.cells.map((c) => colour[c.state](SUMMARY_MARK[c.state])).join("");
      out.push(
        `  ${String(arena.index).padStart(width)}  ${marks}${" ".repeat(64 - arena.cells.length)}  ${s.pools.full + s.pools.used}/${arena.totalPools} in use`,
      );
    });
    out.push(
      "",
      `${colour.full("#")} full  ${colour.used("+")} used  ${colour.empty("-")} empty  ${colour.untouched(".")} never carved; a pool is ${formatBytes(map.poolSize)}, an arena ${formatBytes(map.arenaSize)}`,
    );
    return out.join("\n");
  }
  const cell = (c: PoolCell) =>
    c.state === "untouched"
      ? colour.untouched(" · ")
      : colour[c.state](`${MARK[c.state]}${String(c.sizeClass).padStart(2, "0")}`);
  for (const arena of map.arenas) {
    const used = arena.totalPools - arena.freePools;
    out.push(
      paint.bold(
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
    `${colour.full("#nn")} full  ${colour.used("+nn")} used  ${colour.empty("-nn")} empty (nn: its last class)  ${colour.untouched(" · ")} never carved`,
    `nn is the size class: blocks of 16 × (nn + 1) bytes; a pool is ${formatBytes(map.poolSize)}, an arena ${formatBytes(map.arenaSize)}`,
  );
  return out.join("\n");
}

/** One line of figures: arenas, pools by state, blocks in use. */
export function arenaCounts(map: ArenaMap): string {
  const c = map.counts;
  return `${count(map.arenas.length)} arena${map.arenas.length === 1 ? "" : "s"}, pools: ${count(c.used)} used, ${count(c.full)} full, ${count(c.empty)} empty, ${count(c.untouched)} never carved; ${count(map.blocksInUse)} blocks in use`;
}

// The arenas as an SVG picture, in one of two forms. The full form draws each arena as a
// square of 8 × 8 pool slots, each slot coloured by its state, filled from the bottom as far as
// its blocks are in use, and labelled with its size class and block size; it grows 464 px
// taller for every three arenas. Past a dozen arenas the picture switches to the summary form:
// one thin column per arena, its pools stacked by state, so that hundreds of arenas fit on a
// page; the picture says which form it is and why.

import { formatBytes } from "@mm/layout";
import { type ArenaMap, type ArenaSummary, arenaSummaries, type CellState } from "./arenas.js";
import { element, svgDocument, text, titleLines } from "./svg.js";
import { count, plural } from "./units.js";

const CELL = 44;
const GAP = 4;
const SIDE = 8;
const ARENAS_PER_ROW = 3;
const FILL: Record<CellState, string> = {
  full: "#d62728",
  used: "#ff7f0e",
  empty: "#c7c7c7",
  untouched: "#ffffff",
};
/** The states bottom to top in a summary column. */
const STACK: readonly CellState[] = ["full", "used", "empty", "untouched"];

/** The most arenas the full form draws when the form is chosen automatically. */
export const FULL_FORM_MAX_ARENAS = 12;

/** The two forms of the heap map. */
export type HeapMapForm = "full" | "summary";

/** Options of {@link arenaSvg}. */
export interface ArenaSvgOptions {
  /**
   * `full` (a cell per pool), `summary` (a column per arena) or `auto`: full up to
   * {@link FULL_FORM_MAX_ARENAS} arenas, summary past them. @defaultValue `"auto"`
   */
  readonly form?: HeapMapForm | "auto";
  /** @defaultValue `960` for the summary; the full form is as wide as three arenas */
  readonly width?: number;
}

/** The form {@link arenaSvg} draws `map` in for the option `form`. */
export function heapMapForm(map: ArenaMap, form: HeapMapForm | "auto" = "auto"): HeapMapForm {
  if (form !== "auto") return form;
  return map.arenas.length > FULL_FORM_MAX_ARENAS ? "summary" : "full";
}

/** An SVG document of every arena of `map`, titled `title`, in the form `options.form`. */
export function arenaSvg(map: ArenaMap, title: string, options: ArenaSvgOptions = {}): string {
  return heapMapForm(map, options.form) === "full"
    ? fullSvg(map, title)
    : summarySvg(map, title, options.width ?? 960, options.form !== "summary");
}

function fullSvg(map: ArenaMap, title: string): string {
  const arenaSide = SIDE * (CELL + GAP);
  const block = arenaSide + 40;
  const columns = Math.min(ARENAS_PER_ROW, Math.max(1, map.arenas.length));
  const rows = Math.max(1, Math.ceil(map.arenas.length / ARENAS_PER_ROW));
  const width = Math.max(720, 20 + columns * block);
  const heading = titleLines(20, 26, title, width - 40);
  const legendY = heading.bottom + 22;
  const top = legendY + 32;
  const height = top + rows * (block + 20) + 10;
  const body: string[] = [...heading.elements, ...legend(20, legendY)];
  map.arenas.forEach((arena, a) => {
    const ox = 20 + (a % ARENAS_PER_ROW) * block;
    const oy = top + Math.floor(a / ARENAS_PER_ROW) * (block + 20);
    const used = arena.totalPools - arena.freePools;
    body.push(
      text(
        ox,
        oy,
        `arena ${arena.index} at 0x${arena.address.toString(16)}: ${used}/${arena.totalPools} pools`,
      ),
    );
    arena.cells.forEach((cell, i) => {
      const x = ox + (i % SIDE) * (CELL + GAP);
      const y = oy + 10 + Math.floor(i / SIDE) * (CELL + GAP);
      body.push(
        element("rect", {
          x,
          y,
          width: CELL,
          height: CELL,
          fill: "#ffffff",
          stroke: "#bbb",
          ...(cell.state === "untouched" ? { "stroke-dasharray": "3 2" } : {}),
        }),
      );
      if (cell.state === "untouched") return;
      const filled =
        cell.state === "empty" ? CELL : Math.max(2, (CELL * cell.blocksInUse) / cell.blocksPerPool);
      body.push(
        element(
          "rect",
          {
            x,
            y: y + CELL - filled,
            width: CELL,
            height: filled,
            fill: FILL[cell.state],
            "fill-opacity": 0.8,
          },
          `pool ${i}: ${cell.state}, class ${cell.sizeClass} (${cell.blockSize}-byte blocks), ${cell.blocksInUse}/${cell.blocksPerPool} blocks in use`,
        ),
        text(x + CELL / 2, y + 18, String(cell.sizeClass), {
          "text-anchor": "middle",
          "font-weight": "bold",
        }),
        text(x + CELL / 2, y + 34, `${cell.blockSize}B`, {
          "text-anchor": "middle",
          "font-size": 10,
        }),
      );
    });
  });
  body.push(
    text(
      20,
      height - 12,
      `full map: a cell per pool; pool ${formatBytes(map.poolSize)}, arena ${formatBytes(map.arenaSize)}; a pool's fill is the share of its blocks in use`,
      { fill: "#555" },
    ),
  );
  return svgDocument(width, height, title, body);
}

const COLUMN = 10;
const COLUMN_GAP = 3;
const COLUMN_HEIGHT = 96;
const ROW_GAP = 34;

/** Where each arena's column goes in the summary form: `columns` per row. */
export interface SummaryLayout {
  readonly columns: number;
  readonly rows: number;
  /** The column's top-left corner, per arena in `map.arenas`' order. */
  readonly positions: ReadonlyArray<{ readonly x: number; readonly y: number }>;
}

/** Lays out one column per arena in rows of at most as many as fit `width`. */
export function summaryLayout(arenas: number, width: number, top: number): SummaryLayout {
  const columns = Math.max(1, Math.floor((width - 80 + COLUMN_GAP) / (COLUMN + COLUMN_GAP)));
  const rows = Math.max(1, Math.ceil(arenas / columns));
  return {
    columns,
    rows,
    positions: Array.from({ length: arenas }, (_, i) => ({
      x: 60 + (i % columns) * (COLUMN + COLUMN_GAP),
      y: top + Math.floor(i / columns) * (COLUMN_HEIGHT + ROW_GAP),
    })),
  };
}

function summarySvg(map: ArenaMap, title: string, width: number, automatic: boolean): string {
  const heading = titleLines(20, 26, title, width - 40);
  const why = automatic
    ? `summary map: one column per arena, its pools stacked by state (${plural(map.arenas.length, "arena")}; the full map, a cell per pool, is drawn up to ${FULL_FORM_MAX_ARENAS})`
    : "summary map: one column per arena, its pools stacked by state";
  const whyLines = titleLines(20, heading.bottom + 18, why, width - 40, 12);
  const legendY = whyLines.bottom + 22;
  const top = legendY + 30;
  const summaries = arenaSummaries(map);
  const layout = summaryLayout(summaries.length, width, top);
  const height = top + layout.rows * (COLUMN_HEIGHT + ROW_GAP) + 30;
  const body: string[] = [
    ...heading.elements,
    ...whyLines.elements.map((e) => e.replace(' font-weight="bold"', ' fill="#333"')),
    ...legend(20, legendY),
  ];
  for (let row = 0; row < layout.rows; row++) {
    const y = top + row * (COLUMN_HEIGHT + ROW_GAP);
    body.push(
      text(52, y + 8, "64 pools", { "text-anchor": "end", fill: "#777", "font-size": 10 }),
      text(52, y + COLUMN_HEIGHT, "0", { "text-anchor": "end", fill: "#777", "font-size": 10 }),
    );
  }
  summaries.forEach((arena, i) => {
    const { x, y } = layout.positions[i]!;
    body.push(...column(arena, x, y));
    if (i % 10 === 0)
      body.push(
        text(x, y + COLUMN_HEIGHT + 14, String(arena.index), { fill: "#555", "font-size": 10 }),
      );
  });
  const c = map.counts;
  body.push(
    text(
      20,
      height - 12,
      `${plural(map.arenas.length, "arena")} of ${formatBytes(map.arenaSize)}; pools: ${count(c.full)} full, ${count(c.used)} used, ${count(c.empty)} empty, ${count(c.untouched)} never carved; ${count(map.blocksInUse)} blocks in use`,
      { fill: "#555" },
    ),
  );
  return svgDocument(width, height, title, body);
}

/** One arena's column: its pool slots stacked by state, full at the bottom. */
function column(arena: ArenaSummary, x: number, y: number): string[] {
  const perPool = COLUMN_HEIGHT / 64;
  const out = [
    element("rect", {
      x,
      y,
      width: COLUMN,
      height: COLUMN_HEIGHT,
      fill: "#ffffff",
      stroke: "#ccc",
      "stroke-width": 0.5,
    }),
  ];
  let bottom = y + COLUMN_HEIGHT;
  const tip = `arena ${arena.index} at 0x${arena.address.toString(16)}: ${arena.pools.full} full, ${arena.pools.used} used, ${arena.pools.empty} empty, ${arena.pools.untouched} never carved of ${arena.totalPools} pools; ${count(arena.blocksInUse)} blocks in use`;
  for (const state of STACK) {
    const h = arena.pools[state] * perPool;
    if (h === 0 || state === "untouched") continue;
    bottom -= h;
    out.push(element("rect", { x, y: bottom, width: COLUMN, height: h, fill: FILL[state] }, tip));
  }
  return out;
}

function legend(x: number, y: number): string[] {
  const items: Array<[CellState, string]> = [
    ["full", "full"],
    ["used", "used"],
    ["empty", "empty (last class)"],
    ["untouched", "never carved"],
  ];
  return items.flatMap(([state, label], i) => [
    element("rect", {
      x: x + i * 170,
      y: y - 11,
      width: 14,
      height: 14,
      fill: FILL[state],
      stroke: "#bbb",
    }),
    text(x + i * 170 + 20, y, label),
  ]);
}

// The arenas as an SVG picture: each arena a square of 8 × 8 pool slots, each slot coloured by
// its state, filled from the bottom as far as its blocks are in use, and labelled with its
// size class and block size.

import { svgDocument, text } from "../output/svg.js";
import { bytes } from "../output/units.js";
import type { ArenaMap, CellState } from "./arenas.js";

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

/** An SVG document of every arena of `map`, titled `title`. */
export function arenaSvg(map: ArenaMap, title: string): string {
  const arenaSide = SIDE * (CELL + GAP);
  const block = arenaSide + 40;
  const columns = Math.min(ARENAS_PER_ROW, Math.max(1, map.arenas.length));
  const rows = Math.max(1, Math.ceil(map.arenas.length / ARENAS_PER_ROW));
  const width = Math.max(720, 20 + columns * block);
  const height = 90 + rows * (block + 20);
  const body: string[] = [
    text(20, 26, title, { "font-size": 14, "font-weight": "bold" }),
    ...legend(20, 48),
  ];
  map.arenas.forEach((arena, a) => {
    const ox = 20 + (a % ARENAS_PER_ROW) * block;
    const oy = 80 + Math.floor(a / ARENAS_PER_ROW) * (block + 20);
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
        `<rect x="${x}" y="${y}" width="${CELL}" height="${CELL}" fill="#ffffff" stroke="#bbb"${cell.state === "untouched" ? ' stroke-dasharray="3 2"' : ""}/>`,
      );
      if (cell.state === "untouched") return;
      const filled =
        cell.state === "empty" ? CELL : Math.max(2, (CELL * cell.blocksInUse) / cell.blocksPerPool);
      body.push(
        `<rect x="${x}" y="${y + CELL - filled}" width="${CELL}" height="${filled}" fill="${FILL[cell.state]}" fill-opacity="0.8"><title>pool ${i}: ${cell.state}, class ${cell.sizeClass} (${cell.blockSize}-byte blocks), ${cell.blocksInUse}/${cell.blocksPerPool} blocks in use</title></rect>`,
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
      `pool ${bytes(map.poolSize)}, arena ${bytes(map.arenaSize)}; a pool's fill is the share of its blocks in use`,
      {
        fill: "#555",
      },
    ),
  );
  return svgDocument(width, height, title, body);
}

function legend(x: number, y: number): string[] {
  const items: Array<[CellState, string]> = [
    ["full", "full"],
    ["used", "used"],
    ["empty", "empty (last class)"],
    ["untouched", "never carved"],
  ];
  return items.flatMap(([state, label], i) => [
    `<rect x="${x + i * 170}" y="${y - 11}" width="14" height="14" fill="${FILL[state]}" stroke="#bbb"/>`,
    text(x + i * 170 + 20, y, label),
  ]);
}

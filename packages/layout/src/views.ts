// Views of an address space: the `/proc/PID/maps` text (Linux's exact columns), the summary
// table, and the SVG picture with log-scaled heights so a 4 KiB page and a 128 TiB gap both fit.

import type { MapsEntry, SegmentSummary } from "./api.js";
import { TASK_SIZE } from "./api.js";

function hexPad(value: number, width: number): string {
  return value.toString(16).padStart(width, "0");
}

/**
 * One line of `/proc/PID/maps`, as the kernel's `show_map_vma` prints it: the fields, then (if
 * there is a path) spaces up to column 72 and one more before the path. A line without a path
 * ends with the space after the inode.
 */
export function renderMapsLine(entry: MapsEntry): string {
  const line =
    `${hexPad(entry.start, 8)}-${hexPad(entry.end, 8)} ${entry.perms} ${hexPad(entry.offset, 8)} ` +
    `${hexPad(entry.deviceMajor, 2)}:${hexPad(entry.deviceMinor, 2)} ${entry.inode} `;
  return entry.path === "" ? line : `${line.padEnd(72, " ")} ${entry.path}`;
}

/** The whole `/proc/PID/maps` text: one line per entry, each ending with a newline. */
export function renderMaps(entries: readonly MapsEntry[]): string {
  return entries.map((entry) => `${renderMapsLine(entry)}\n`).join("");
}

/** Bytes in binary units: `512 B`, `4 KiB`, `1.5 MiB`, `127.9 TiB`. */
export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const text = unit === 0 || Number.isInteger(value) ? String(value) : value.toFixed(1);
  return `${text} ${units[unit]}`;
}

/** The summary as an aligned text table, highest segment first (as the picture is drawn). */
export function renderSummary(rows: readonly SegmentSummary[]): string {
  const address = (n: number) => `0x${hexPad(n, 12)}`;
  const table = [
    ["segment", "start", "end", "size", "used", "perms", "note"],
    ...[...rows]
      .reverse()
      .map((row) => [
        row.name,
        address(row.start),
        address(row.end),
        formatBytes(row.size),
        formatBytes(row.used),
        row.perms,
        row.note,
      ]),
  ];
  const widths = table[0]!.map((_, c) => Math.max(...table.map((r) => r[c]!.length)));
  return table
    .map((r) =>
      r
        .map((cell, c) => (c >= 3 && c <= 4 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
        .join("  ")
        .trimEnd(),
    )
    .join("\n")
    .concat("\n");
}

/** A box of the picture: a mapping (or the guard gap) with the words shown beside it. */
export interface PictureBlock {
  readonly start: number;
  readonly end: number;
  /** Picks the colour: a segment kind, or `guard`. */
  readonly kind: string;
  readonly label: string;
}

/** A register or pointer shown as an arrow at its address. */
export interface PictureMarker {
  readonly name: string;
  readonly address: number;
}

const COLOURS: Record<string, string> = {
  text: "#f4a582",
  rodata: "#fddbc7",
  data: "#d1e5f0",
  bss: "#92c5de",
  heap: "#a6dba0",
  mmap: "#c2a5cf",
  stack: "#fee08b",
  guard: "#e0e0e0",
};

function escapeXml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}

/** Height of a box: 26 px for a page (two lines of addresses), 6 px more per doubling. */
function blockHeight(bytes: number): number {
  return 26 + 6 * Math.log2(Math.max(bytes, 4096) / 4096);
}

/** Height of a gap: 12 px for a page, 1.5 px more for every doubling. */
function gapHeight(bytes: number): number {
  return 12 + 1.5 * Math.log2(Math.max(bytes, 4096) / 4096);
}

/**
 * Draws the address space from the top of user space (top of the picture) down to 0. Boxes and
 * gaps get heights that grow with the logarithm of their size, so every segment stays visible;
 * the gaps are labelled with their true size (or with `gapLabels`, keyed by the lowest address of
 * the gap).
 */
export function renderSvg(
  blocks: readonly PictureBlock[],
  markers: readonly PictureMarker[],
  gapLabels: ReadonlyMap<number, string>,
  title: string,
  width = 720,
): string {
  const sorted = [...blocks].sort((a, b) => b.start - a.start);
  const boxX = 150;
  const boxWidth = Math.max(120, Math.round(width * 0.3));
  const labelX = boxX + boxWidth + 56;
  const parts: string[] = [];
  const placed: Array<{ block: PictureBlock; top: number; height: number }> = [];
  let y = 40;
  let above = TASK_SIZE;
  const gap = (bytes: number, label = `${formatBytes(bytes)} unmapped`) => {
    const height = gapHeight(bytes);
    parts.push(
      `<rect x="${boxX}" y="${y.toFixed(1)}" width="${boxWidth}" height="${height.toFixed(1)}" fill="none" stroke="#999" stroke-dasharray="4 3"/>`,
      `<text x="${boxX + boxWidth / 2}" y="${(y + height / 2 + 4).toFixed(1)}" text-anchor="middle" fill="#666">${escapeXml(label)}</text>`,
    );
    y += height;
  };
  for (const block of sorted) {
    const contiguous = above === block.end && placed.length > 0;
    if (above > block.end) gap(above - block.end, gapLabels.get(block.end));
    const height = blockHeight(block.end - block.start);
    placed.push({ block, top: y, height });
    parts.push(
      `<rect x="${boxX}" y="${y.toFixed(1)}" width="${boxWidth}" height="${height.toFixed(1)}" fill="${COLOURS[block.kind] ?? "#ffffff"}" stroke="#333"${block.kind === "guard" ? ' stroke-dasharray="2 2"' : ""}/>`,
      // A boundary shared with the box above is labelled once, by that box.
      ...(contiguous
        ? []
        : [
            `<text x="${boxX - 8}" y="${(y + 11).toFixed(1)}" text-anchor="end">${hexAddress(block.end)}</text>`,
          ]),
      `<text x="${boxX - 8}" y="${(y + height - 3).toFixed(1)}" text-anchor="end">${hexAddress(block.start)}</text>`,
      `<text x="${labelX}" y="${(y + height / 2 + 4).toFixed(1)}">${escapeXml(block.label)}</text>`,
    );
    y += height;
    above = block.start;
  }
  if (above > 0) gap(above);
  // Arrows point at the exact address; labels that would overlap are pushed down a line.
  let lastLabel = Number.NEGATIVE_INFINITY;
  const arrows = markers
    .map((marker) => {
      const hit = placed.find(
        (p) => marker.address >= p.block.start && marker.address <= p.block.end,
      );
      if (!hit) return undefined;
      const span = hit.block.end - hit.block.start;
      return { marker, at: hit.top + ((hit.block.end - marker.address) / span) * hit.height };
    })
    .filter((arrow) => arrow !== undefined)
    .sort((a, b) => a.at - b.at);
  for (const { marker, at } of arrows) {
    const tip = boxX + boxWidth;
    const labelY = Math.max(at + 4, lastLabel + 12);
    lastLabel = labelY;
    parts.push(
      `<path d="M${tip + 2} ${at.toFixed(1)} l8 -4 v8 z" fill="#b2182b"/>`,
      `<text x="${tip + 14}" y="${labelY.toFixed(1)}" fill="#b2182b">${escapeXml(marker.name)}</text>`,
    );
  }
  const height = Math.ceil(y + 20);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="ui-monospace, Menlo, Consolas, monospace" font-size="11">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${boxX}" y="22" font-size="13" font-weight="bold">${escapeXml(title)}</text>`,
    ...parts,
    "</svg>",
    "",
  ].join("\n");
}

function hexAddress(address: number): string {
  return `0x${hexPad(address, 12)}`;
}

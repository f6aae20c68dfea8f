// Views of an address space as text: the `/proc/PID/maps` lines (Linux's exact columns) and the
// summary table. The picture of an address space is @mm/views' `addressSpaceSvg`.

import type { MapsEntry, SegmentSummary } from "./api.js";

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

/**
 * Bytes in the largest binary unit that keeps at least one whole, with three significant
 * digits at most: `512` → `"512 B"`, `1536` → `"1.5 KiB"`, `3407872` → `"3.25 MiB"`,
 * `2 ** 47` → `"128 TiB"`; whole bytes have grouped digits (`"1,000 B"`). The one byte
 * formatter of @mm: `@mm/views` and the `mm` CLI print sizes with it too.
 */
export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${Math.round(value).toLocaleString("en-US")} B`;
  const magnitude = Math.abs(value);
  const digits = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : 2;
  let shown = Number(value.toFixed(digits));
  // 1023.9 KiB rounds to 1024 KiB: that is 1 MiB.
  if (Math.abs(shown) >= 1024 && unit < units.length - 1) {
    shown = Number((value / 1024).toFixed(2));
    unit++;
  }
  return `${shown} ${units[unit]}`;
}

/** The summary as an aligned text table, highest segment first (as memory is drawn). */
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

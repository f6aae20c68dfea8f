// The text of sys._debugmallocstats(), character for character: obmalloc.c's printone()
// (label padded to column 35, "=", the value right-aligned in 21 columns with thousands
// commas) and _PyDebugAllocatorStats() for the free-list lines.

import type { MallocStats } from "../api.js";

/** `printone(out, msg, value)`: one `label = value` line, newline included. */
export function printone(label: string, value: number): string {
  const digits = String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${label.padEnd(35)}=${digits.padStart(21)}\n`;
}

/**
 * `_PyDebugAllocatorStats(out, name, n, size)`: `"%d %ss * %zd bytes each"` right-aligned
 * in 48 columns and a space, then `= n * size` as `printone` writes it.
 */
export function allocatorStatsLine(blockName: string, count: number, blockSize: number): string {
  return printone(
    `${`${count} ${blockName}s * ${blockSize} bytes each`.padStart(48)} `,
    count * blockSize,
  );
}

/** The output of `_PyObject_DebugMallocStats` for `stats` (the 64-bit, radix-tree build). */
export function formatMallocStats(stats: MallocStats): string {
  let out = `Small block threshold = ${stats.smallRequestThreshold}, in ${stats.sizeClasses} size classes.\n`;
  out += "\nclass   size   num pools   blocks in use  avail blocks\n";
  out += "-----   ----   ---------   -------------  ------------\n";
  for (const c of stats.classes) {
    if (c.pools === 0) continue;
    out += `${String(c.sizeClass).padStart(5)} ${String(c.blockSize).padStart(6)} ${String(c.pools).padStart(11)} ${String(c.blocksInUse).padStart(15)} ${String(c.availableBlocks).padStart(13)}\n`;
  }
  out += "\n";
  out += printone("# arenas allocated total", stats.arenasAllocatedTotal);
  out += printone("# arenas reclaimed", stats.arenasReclaimed);
  out += printone("# arenas highwater mark", stats.arenasHighwater);
  out += printone("# arenas allocated current", stats.arenasAllocatedCurrent);
  out += printone(
    `${stats.arenasAllocatedCurrent} arenas * ${stats.arenaSize} bytes/arena`,
    stats.arenasAllocatedCurrent * stats.arenaSize,
  );
  out += "\n";
  out += printone("# bytes in allocated blocks", stats.bytesInAllocatedBlocks);
  out += printone("# bytes in available blocks", stats.bytesInAvailableBlocks);
  out += printone(
    `${stats.unusedPools} unused pools * ${stats.poolSize} bytes`,
    stats.unusedPools * stats.poolSize,
  );
  out += printone("# bytes lost to pool headers", stats.bytesLostToPoolHeaders);
  out += printone("# bytes lost to quantization", stats.bytesLostToQuantization);
  out += printone("# bytes lost to arena alignment", stats.bytesLostToArenaAlignment);
  out += printone("Total", stats.totalBytes);
  const map = stats.arenaMap;
  out += "\narena map counts\n";
  out += printone("# arena map mid nodes", map.midNodes);
  out += printone("# arena map bot nodes", map.botNodes);
  out += "\n";
  out += printone("# bytes lost to arena map root", map.rootBytes);
  out += printone("# bytes lost to arena map mid", map.midBytes);
  out += printone("# bytes lost to arena map bot", map.botBytes);
  out += printone("Total", map.totalBytes);
  return out;
}

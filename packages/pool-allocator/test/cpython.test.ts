// pymalloc and the free lists against CPython 3.11 itself: the scripts in test/cpython/ run
// with python3, and what they print is the reference.

import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { FreeListKind, MallocStats, SizeClassStats } from "../src/index.js";
import { FreeLists } from "../src/index.js";
import { blocksPerPool } from "../src/internal/geometry.js";
import { formatMallocStats } from "../src/internal/stats-text.js";
import { checkPoolInvariants, pymalloc, requirePython, runPython } from "./support.js";

const script = (name: string) => join(import.meta.dirname, "cpython", name);

const ROW = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)$/;
const VALUE = /^(.+?)\s+=\s+([\d,]+)$/;
const FREE_LINE = /^\s*(\d+) free (?:(\d+)-sized )?Py(\w+)Objects \* (\d+) bytes each = +([\d,]+)$/;

interface Row {
  readonly pools: number;
  readonly blocksInUse: number;
  readonly availableBlocks: number;
}

/** The size-class rows of a `sys._debugmallocstats()` text, by class. */
function classRows(text: string): Map<number, Row> {
  const rows = new Map<number, Row>();
  for (const line of text.split("\n")) {
    const m = ROW.exec(line);
    if (m) {
      rows.set(Number(m[1]), {
        pools: Number(m[3]),
        blocksInUse: Number(m[4]),
        availableBlocks: Number(m[5]),
      });
    }
  }
  return rows;
}

/** The pymalloc part of a dump, as numbers, and its free-list lines apart. */
function parseDump(text: string): {
  stats: MallocStats;
  pymallocText: string;
  freeLines: string[];
} {
  const lines = text.split("\n");
  const head = /^Small block threshold = (\d+), in (\d+) size classes\.$/.exec(lines[0]!)!;
  const threshold = Number(head[1]);
  const sizeClasses = Number(head[2]);
  const values: Array<[string, number]> = [];
  const freeLines: string[] = [];
  let lastPymallocLine = 0;
  lines.forEach((line, i) => {
    if (FREE_LINE.test(line)) {
      freeLines.push(line);
      return;
    }
    const m = VALUE.exec(line);
    if (m) {
      values.push([m[1]!, Number(m[2]!.replaceAll(",", ""))]);
      lastPymallocLine = i;
    }
  });
  const value = (label: RegExp, nth = 0) => values.filter(([l]) => label.test(l))[nth]!;
  const [arenaLabel, arenaBytes] = value(/ arenas \* \d+ bytes\/arena$/);
  const [poolLabel] = value(/ unused pools \* \d+ bytes$/);
  const [arenasCurrent, arenaSize] = arenaLabel.split(/ arenas \* | bytes/).map(Number) as [
    number,
    number,
  ];
  const [unusedPools, poolSize] = poolLabel.split(/ unused pools \* | bytes/).map(Number) as [
    number,
    number,
  ];
  expect(arenasCurrent * arenaSize).toBe(arenaBytes);
  const rows = classRows(text);
  const alignment = threshold / sizeClasses;
  const geometry = {
    alignment,
    alignmentShift: Math.log2(alignment),
    smallRequestThreshold: threshold,
    sizeClasses,
    poolSize,
    poolHeaderSize: 48,
    poolOverhead: 48,
    arenaSize,
    maxPoolsInArena: arenaSize / poolSize,
    initialArenaObjects: 16,
  };
  const classes: SizeClassStats[] = Array.from({ length: sizeClasses }, (_, c) => ({
    sizeClass: c,
    blockSize: (c + 1) * alignment,
    blocksPerPool: blocksPerPool(geometry, c),
    pools: rows.get(c)?.pools ?? 0,
    blocksInUse: rows.get(c)?.blocksInUse ?? 0,
    availableBlocks: rows.get(c)?.availableBlocks ?? 0,
  }));
  const stats: MallocStats = {
    smallRequestThreshold: threshold,
    sizeClasses,
    classes,
    arenasAllocatedTotal: value(/^# arenas allocated total$/)[1],
    arenasReclaimed: value(/^# arenas reclaimed$/)[1],
    arenasHighwater: value(/^# arenas highwater mark$/)[1],
    arenasAllocatedCurrent: value(/^# arenas allocated current$/)[1],
    arenaSize,
    poolSize,
    bytesInAllocatedBlocks: value(/^# bytes in allocated blocks$/)[1],
    bytesInAvailableBlocks: value(/^# bytes in available blocks$/)[1],
    unusedPools,
    bytesLostToPoolHeaders: value(/^# bytes lost to pool headers$/)[1],
    bytesLostToQuantization: value(/^# bytes lost to quantization$/)[1],
    bytesLostToArenaAlignment: value(/^# bytes lost to arena alignment$/)[1],
    totalBytes: value(/^Total$/, 0)[1],
    arenaMap: {
      midNodes: value(/^# arena map mid nodes$/)[1],
      botNodes: value(/^# arena map bot nodes$/)[1],
      rootBytes: value(/^# bytes lost to arena map root$/)[1],
      midBytes: value(/^# bytes lost to arena map mid$/)[1],
      botBytes: value(/^# bytes lost to arena map bot$/)[1],
      totalBytes: value(/^Total$/, 1)[1],
    },
  };
  return { stats, pymallocText: `${lines.slice(0, lastPymallocLine + 1).join("\n")}\n`, freeLines };
}

/** Our free lists holding what CPython's free-list lines say, from blocks of `a`. */
function freeListsLike(freeLines: readonly string[]) {
  const a = pymalloc({}, { maximumBytes: 256 << 20 });
  const lists = new FreeLists(a);
  const kinds: Record<string, FreeListKind> = {
    Dict: "dict",
    Float: "float",
    List: "list",
    Tuple: "tuple",
  };
  for (const line of freeLines) {
    const m = FREE_LINE.exec(line)!;
    const kind = kinds[m[3]!]!;
    const length = Number(m[2] ?? 0);
    for (let i = 0; i < Number(m[1]); i++) {
      expect(lists.push(kind, a.malloc(lists.blockSize(kind, length)), length)).toBe(true);
    }
  }
  return { a, lists };
}

describe("against CPython 3.11", () => {
  for (const seed of [3011, 7]) {
    it(`has the same per-class table for the same requests (seed ${seed}): pools, blocks in use and available blocks added by the sequence, and sys.getallocatedblocks()`, (ctx) => {
      // mallocstats_delta.py runs a reproducible sequence of object(), int and bytes
      // allocations and frees between two dumps, after filling every partly used pool of the
      // classes it touches, so that it starts as our fresh allocator does. Compared, for
      // every class: after - before in CPython against ours after the same requests.
      const python = requirePython(ctx);
      const run = JSON.parse(runPython(python, [script("mallocstats_delta.py"), String(seed)]));
      const before = classRows(run.before);
      const after = classRows(run.after);
      for (const c of run.classes as number[]) {
        expect(before.get(c)?.availableBlocks ?? 0, `class ${c} was not filled`).toBe(0);
      }
      const a = pymalloc();
      const slots = new Map<number, number>();
      for (const request of run.requests as Array<[string, number, number?]>) {
        if (request[0] === "alloc") slots.set(request[1], a.malloc(request[2]!));
        else a.free(slots.get(request[1])!);
      }
      a.verify();
      checkPoolInvariants(a);
      const delta = (c: number) => {
        const b = before.get(c) ?? { pools: 0, blocksInUse: 0, availableBlocks: 0 };
        const x = after.get(c) ?? { pools: 0, blocksInUse: 0, availableBlocks: 0 };
        return [
          x.pools - b.pools,
          x.blocksInUse - b.blocksInUse,
          x.availableBlocks - b.availableBlocks,
        ];
      };
      const ours = a.classStats().map((c) => [c.pools, c.blocksInUse, c.availableBlocks]);
      const theirs = a.classStats().map((c) => delta(c.sizeClass));
      expect(ours).toEqual(theirs);
      expect(ours.some(([pools]) => pools! > 1)).toBe(true);
      const [blocksBefore, blocksAfter] = run.allocatedBlocks as [number, number];
      expect(a.getAllocatedBlocks()).toBe(blocksAfter - blocksBefore);
      expect(a.rawAllocatedBlocks).toBeGreaterThan(0);
    });
  }

  it("prints every line as CPython does: CPython's own numbers, formatted by us, give CPython's text byte for byte", (ctx) => {
    const python = requirePython(ctx);
    const run = JSON.parse(runPython(python, [script("mallocstats_delta.py"), "11"]));
    for (const text of [run.before, run.after] as string[]) {
      const { stats, pymallocText, freeLines } = parseDump(text);
      expect(formatMallocStats(stats)).toBe(pymallocText);
      const { lists } = freeListsLike(freeLines);
      expect(lists.debugTypeStats()).toBe(`${freeLines.join("\n")}\n`);
      // The whole text: the pymalloc part, a blank line, the free-list lines.
      expect(`${pymallocText}\n${lists.debugTypeStats()}`).toBe(text);
    }
  });

  it("prints the same labels, in the same order and columns, for our own allocator", (ctx) => {
    const python = requirePython(ctx);
    const run = JSON.parse(runPython(python, [script("mallocstats_delta.py"), "5"]));
    const a = pymalloc();
    a.attachFreeLists(new FreeLists(a));
    a.free(a.malloc(100));
    const shape = (text: string) =>
      text
        .split("\n")
        .filter((line) => !ROW.test(line))
        .map((line) => line.replace(/\d[\d,]*/g, "N").replace(/ {2,}/g, " "));
    expect(shape(a.debugMallocStats())).toEqual(shape(run.after));
    const columns = (text: string) =>
      text.split("\n").map((line) => (line.includes("=") ? line.indexOf("=") : -1));
    expect(columns(a.debugMallocStats()).filter((c) => c >= 0 && c < 40)).toEqual(
      columns(run.after).filter((c) => c >= 0 && c < 40),
    );
  });

  it("has CPython 3.11's free-list capacities: filled past them, both hold the same blocks", (ctx) => {
    // freelist_capacities.py creates 2,500 floats, tuples of each length 1-20, lists and
    // dicts, drops them, and prints the free-list lines and the growth of
    // sys.getallocatedblocks() from empty free lists (dict keys objects included).
    const python = requirePython(ctx);
    const run = JSON.parse(runPython(python, [script("freelist_capacities.py")]));
    const a = pymalloc({}, { maximumBytes: 256 << 20 });
    const lists = new FreeLists(a);
    a.attachFreeLists(lists);
    const fill = (kind: FreeListKind, length = 0) => {
      for (let i = 0; i < 2500; i++) {
        const block = a.malloc(lists.blockSize(kind, length));
        if (!lists.push(kind, block, length)) a.free(block);
      }
    };
    for (const kind of ["float", "list", "dict", "dictKeys"] as const) fill(kind);
    for (let n = 1; n <= 20; n++) fill("tuple", n);
    const freeLines = run.stats.split("\n").filter((line: string) => FREE_LINE.test(line));
    expect(lists.debugTypeStats()).toBe(`${freeLines.join("\n")}\n`);
    expect(a.getAllocatedBlocks()).toBe(run.parkedBlocks);
    expect(lists.parkedBlocks).toBe(run.parkedBlocks);
    expect(lists.clear()).toBe(run.parkedBlocks);
    expect(a.getAllocatedBlocks()).toBe(0);
  });

  it("lays blocks out in pools as CPython does (EXP-g): first at POOL_OVERHEAD, NUMBLOCKS per pool, LIFO reuse", (ctx) => {
    const python = requirePython(ctx);
    const cpython = JSON.parse(runPython(python, [script("pool_geometry.py")]));
    const a = pymalloc({}, { maximumBytes: 64 << 20 });
    const blocks = Array.from({ length: 200_000 }, () => a.malloc(16));
    let smallestOffset = Number.POSITIVE_INFINITY;
    let largestOffset = 0;
    const perPool = new Map<number, number>();
    for (const b of blocks) {
      smallestOffset = Math.min(smallestOffset, b % a.geometry.poolSize);
      largestOffset = Math.max(largestOffset, b % a.geometry.poolSize);
      const pool = Math.floor(b / a.geometry.poolSize);
      perPool.set(pool, (perPool.get(pool) ?? 0) + 1);
    }
    const x = a.malloc(16);
    a.free(x);
    expect({
      smallestOffset,
      largestOffset,
      mostBlocksInAPool: Math.max(...perPool.values()),
      freedBlockReusedNext: a.malloc(16) === x,
    }).toEqual(cpython);
  });
});

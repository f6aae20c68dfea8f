// pymalloc throughput and footprint on a small-object trace, beside CPython's own pymalloc (a C
// program of ours, built now against the machine's libpython3.11), @thi.ng/malloc and a bump
// allocator, all in one run.
//   pnpm bench            2,000,000 operations, about 50,000 blocks live
//   pnpm bench --quick    400,000 operations
//
// Fairness: both pymallocs replay the same trace file with the same loop (an array of ops, an
// array of sizes, addresses stored by slot), only malloc and free calls, timed around the loop
// alone; leftovers are freed outside the timing. Both get memory the OS has already committed:
// our Memory is created at its full size and zero-filled before each run; the C program's
// arenas come from one region it fills before timing, placed as our page source places them
// (4 KiB past a 1 MiB boundary, lowest free address first), so both lose the same pool per
// arena to alignment. The same loop over a bump allocator, in each language, shows what the
// loop itself costs.

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type AllocationTrace,
  BenchSuite,
  BumpAllocator,
  buildTrace,
  quickMode,
  replay,
  timeCases,
} from "@mm/bench-kit";
import { Memory, type MemoryBacking, MemoryPageSource } from "@mm/heap";
import { MemPool } from "@thi.ng/malloc";
import { PoolAllocator } from "../src/index.js";

const quick = quickMode();
const operations = quick ? 400_000 : 2_000_000;
/** thi.ng's first-fit search walks a free list of thousands of blocks: a prefix keeps it short. */
const thingOperations = quick ? 50_000 : 70_000;
/**
 * The machine may be shared: C and JS replays alternate in rounds, so both see the same load,
 * and each figure is the fastest round's median, the round least disturbed by other work (as
 * Python's timeit advises taking the minimum).
 */
const rounds = quick ? 2 : 5;
const iterations = 3;
/** Untimed replays first: the short trace of --quick would otherwise time the JIT's warm-up. */
const warmupIterations = quick ? 5 : 2;

/** 60% 16-64 B, 30% 65-256 B, 10% 257-512 B, uniform within each band. */
const smallObjectSize = (random: () => number): number => {
  const band = random();
  if (band < 0.6) return 16 + Math.floor(random() * 49);
  if (band < 0.9) return 65 + Math.floor(random() * 192);
  return 257 + Math.floor(random() * 256);
};

const trace = buildTrace({ operations, live: 50_000, seed: 42, size: smallObjectSize });
const addresses = new Int32Array(trace.slots);

/** The live requested bytes after each prefix: where they peak, and where the trace ends. */
function liveBytesProfile(
  t: AllocationTrace,
  count: number,
): { peakIndex: number; peak: number; final: number } {
  const slotBytes = new Int32Array(t.slots);
  let live = 0;
  let peak = 0;
  let peakIndex = 0;
  for (let i = 0; i < count; i++) {
    const op = t.ops[i]!;
    if (op >= 0) {
      slotBytes[op] = t.sizes[i]!;
      live += t.sizes[i]!;
      if (live > peak) {
        peak = live;
        peakIndex = i;
      }
    } else {
      live -= slotBytes[~op]!;
    }
  }
  return { peakIndex, peak, final: live };
}

/** Replays the first `count` ops, reading `footprint()` at the live-bytes peak and at the end. */
function footprints(
  target: { malloc(size: number): number; free(address: number): void },
  footprint: () => number,
  count: number,
): { peak: number; final: number } {
  const { peakIndex } = liveBytesProfile(trace, count);
  const slots = new Int32Array(trace.slots);
  let peak = 0;
  for (let i = 0; i < count; i++) {
    const op = trace.ops[i]!;
    if (op >= 0) slots[op] = target.malloc(trace.sizes[i]!);
    else target.free(slots[~op]!);
    if (i === peakIndex) peak = footprint();
  }
  return { peak, final: footprint() };
}

const memoryBytes = 256 << 20;
const prefaulted = Math.max(64 << 20, 4 * trace.peakLiveBytes);

/**
 * A pymalloc over memory whose pages the OS has already committed. The WebAssembly.Memory starts
 * at its full size instead of growing: growing detaches its buffer, and once any buffer in the
 * process has been detached V8 checks every typed-array access for it (see the README).
 */
function freshPool(backing: MemoryBacking = "wasm-memory"): PoolAllocator {
  const memory =
    backing === "wasm-memory"
      ? new Memory({ maximumBytes: memoryBytes, initialBytes: prefaulted, backing })
      : new Memory({ maximumBytes: memoryBytes, backing });
  memory.grow(prefaulted);
  memory.u8.fill(0);
  return new PoolAllocator(new MemoryPageSource(memory));
}

/**
 * `--backing=array-buffer`: time only a pymalloc over that backing and print the median, as a
 * child process. Views of a resizable buffer have their own kind of elements in V8: timed in
 * the same process, they would make the allocator's code polymorphic, slowing both runs.
 */
const childBacking = process.argv
  .find((arg) => arg.startsWith("--backing="))
  ?.slice("--backing=".length) as MemoryBacking | undefined;
if (childBacking !== undefined) {
  let child!: PoolAllocator;
  const times = timeCases(
    [
      {
        name: "pymalloc",
        setup: () => {
          child = freshPool(childBacking);
        },
        run: () => {
          if (replay(trace, child, addresses) !== 0) throw new Error("an allocation failed");
        },
      },
    ],
    { iterations, warmupIterations },
  );
  process.stdout.write(JSON.stringify({ ms: times.get("pymalloc") }));
  process.exit(0);
}

/** Times a pymalloc over a resizable ArrayBuffer in a child process; returns its median ms. */
function timeResizableInChild(): number {
  const run = spawnSync(
    process.execPath,
    [
      ...process.execArgv,
      process.argv[1]!,
      "--backing=array-buffer",
      ...(quick ? ["--quick"] : []),
    ],
    { encoding: "utf8" },
  );
  if (run.status !== 0) throw new Error(`the child benchmark failed: ${run.stderr}`);
  return JSON.parse(run.stdout).ms;
}

// ---------------------------------------------------------------------------------------
// CPython's pymalloc through the C program

interface CpythonRun {
  readonly ns: number[];
  readonly failed: number;
  readonly peakArenas: number;
  readonly finalArenas: number;
  readonly stats: string;
}

const work = mkdtempSync(join(tmpdir(), "mm-pool-bench-"));
process.on("exit", () => rmSync(work, { recursive: true, force: true }));

function writeTraceFile(t: AllocationTrace, peakIndex: number): string {
  const header = new Int32Array([0x52544d4d, t.ops.length, t.slots, peakIndex]);
  const file = join(work, "trace.bin");
  writeFileSync(
    file,
    Buffer.concat([
      Buffer.from(header.buffer),
      Buffer.from(t.ops.buffer, t.ops.byteOffset, t.ops.byteLength),
      Buffer.from(t.sizes.buffer, t.sizes.byteOffset, t.sizes.byteLength),
    ]),
  );
  return file;
}

/** Builds the replay program; returns its path, or why it cannot be built. */
function buildCpythonReplay(): { binary: string } | { missing: string } {
  const config = (flags: string[]) => spawnSync("python3-config", flags, { encoding: "utf8" });
  const includes = config(["--includes"]);
  const ldflags = config(["--ldflags", "--embed"]);
  if (includes.status !== 0 || ldflags.status !== 0) {
    return {
      missing: `python3-config is not available (${includes.error?.message ?? includes.stderr.trim()})`,
    };
  }
  const binary = join(work, "pymalloc-replay");
  const gcc = spawnSync(
    "gcc",
    [
      "-O2",
      ...includes.stdout.trim().split(/\s+/),
      join(import.meta.dirname, "pymalloc-replay.c"),
      "-o",
      binary,
      ...ldflags.stdout.trim().split(/\s+/),
    ],
    { encoding: "utf8" },
  );
  if (gcc.error || gcc.status !== 0) {
    return {
      missing: `gcc could not build against libpython3.11: ${gcc.error?.message ?? gcc.stderr.trim()}`,
    };
  }
  return { binary };
}

function runCpython(
  binary: string,
  file: string,
  arenas: "prefaulted" | "mmap" | "bump",
): CpythonRun {
  const run = spawnSync(binary, [file, String(iterations), arenas], {
    encoding: "utf8",
    maxBuffer: 16 << 20,
  });
  if (run.status !== 0) throw new Error(`pymalloc-replay failed: ${run.stderr}`);
  return { ...JSON.parse(run.stdout), stats: run.stderr };
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

// ---------------------------------------------------------------------------------------
// Runs

const profile = liveBytesProfile(trace, operations);
const traceFile = writeTraceFile(trace, profile.peakIndex);
const built = buildCpythonReplay();
const missing = "missing" in built ? built.missing : "";
let pool!: PoolAllocator;
let thing!: MemPool;
let bump!: BumpAllocator;
let failures = 0;

const ourCases = [
  {
    name: "pymalloc",
    setup: () => {
      pool = freshPool();
    },
    run: () => {
      failures += replay(trace, pool, addresses);
    },
  },
  {
    name: "bump",
    setup: () => {
      bump = new BumpAllocator(prefaulted);
    },
    run: () => void replay(trace, bump, addresses),
  },
];
const cpythonRuns: CpythonRun[] = [];
const cpythonMmapRuns: CpythonRun[] = [];
const cBumpRuns: CpythonRun[] = [];
const ourRounds: Array<Map<string, number>> = [];
const resizableMs: number[] = [];
for (let round = 0; round < rounds; round++) {
  if ("binary" in built) {
    cpythonRuns.push(runCpython(built.binary, traceFile, "prefaulted"));
    cpythonMmapRuns.push(runCpython(built.binary, traceFile, "mmap"));
    cBumpRuns.push(runCpython(built.binary, traceFile, "bump"));
  }
  ourRounds.push(timeCases(ourCases, { iterations, warmupIterations }));
  resizableMs.push(timeResizableInChild());
}
/** The fastest round's median time, in ms. */
const ourMs = (name: string) => Math.min(...ourRounds.map((r) => r.get(name)!));
const cpythonMs = (runs: readonly CpythonRun[]) => Math.min(...runs.map((r) => median(r.ns) / 1e6));
const cpython = cpythonRuns[0];

const prefix = timeCases(
  [
    {
      name: "pymalloc",
      setup: () => {
        pool = freshPool();
      },
      run: () => {
        failures += replay(trace, pool, addresses, { count: thingOperations });
      },
    },
    {
      name: "thi.ng",
      setup: () => {
        thing = new MemPool({ size: memoryBytes >> 2, compact: true, split: true });
      },
      run: () => {
        failures += replay(trace, thing, addresses, { count: thingOperations });
      },
    },
  ],
  { iterations: quick ? 1 : 3 },
);
if (failures > 0 || (cpython?.failed ?? 0) > 0) {
  throw new Error(`${failures + (cpython?.failed ?? 0)} allocations failed during the benchmark`);
}

// Footprint, untimed: bytes held per live requested byte at the peak and at the end.
const oursPool = freshPool();
const ours = footprints(oursPool, () => oursPool.stats().footprintBytes, operations);
const oursStatsText = oursPool.debugMallocStats();
const prefixPool = freshPool();
const oursPrefix = footprints(prefixPool, () => prefixPool.stats().footprintBytes, thingOperations);
const thingPool = new MemPool({ size: memoryBytes >> 2, compact: true, split: true });
const thingFootprint = footprints(thingPool, () => thingPool.stats().top, thingOperations);
const prefixProfile = liveBytesProfile(trace, thingOperations);
let bumped = 0;
let bumpedAtPeak = 0;
for (let i = 0; i < operations; i++) {
  if (trace.ops[i]! >= 0) bumped += (trace.sizes[i]! + 15) & ~15;
  if (i === profile.peakIndex) bumpedAtPeak = bumped;
}

// ---------------------------------------------------------------------------------------
// Records

const rate = (ops: number, ms: number) => (ops / ms) * 1000;
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const perLive = (bytes: number, live: number) => bytes / live;
const suite = new BenchSuite("pool-allocator");
const oursRate = rate(operations, ourMs("pymalloc"));
const arenaSize = oursPool.geometry.arenaSize;

if (cpython) {
  const cRate = rate(operations, cpythonMs(cpythonRuns));
  // The same trace must leave both allocators in the same state: compare the pymalloc part of
  // the stats (the arena map differs: CPython's is a 64-bit radix tree).
  const upToMap = (text: string) => text.slice(0, text.indexOf("\narena map counts"));
  const sameState = upToMap(cpython.stats) === upToMap(oursStatsText);
  suite.record({
    case: `pymalloc ops/s, ${fmt(operations)} ops`,
    figure: oursRate,
    unit: "ops/s",
    baseline: "CPython 3.11 pymalloc (C, libpython), same trace, pre-faulted arenas",
    baselineFigure: cRate,
    higherIsBetter: true,
    target: { atLeast: 0.5 },
    notes: `Memory backed by a WebAssembly.Memory of its full size; fastest of ${rounds} rounds (median of ${iterations} replays each), C and JS alternating; after the replay both allocators' _PyObject_DebugMallocStats tables ${sameState ? "are identical" : "DIFFER"}`,
  });
  suite.record({
    case: `pymalloc ops/s, ${fmt(operations)} ops, Memory over a resizable ArrayBuffer`,
    figure: rate(operations, Math.min(...resizableMs)),
    unit: "ops/s",
    baseline: "CPython 3.11 pymalloc (C, libpython), same trace, pre-faulted arenas",
    baselineFigure: cRate,
    higherIsBetter: true,
    notes:
      'backing: "array-buffer", timed in a child process: V8 re-reads the length of a resizable buffer\'s views on every access',
  });
  if (cpythonMmapRuns.length > 0) {
    suite.record({
      case: `pymalloc ops/s, ${fmt(operations)} ops (vs default mmap arenas)`,
      figure: oursRate,
      unit: "ops/s",
      baseline: "CPython 3.11 pymalloc (C), same trace, arenas from mmap/munmap",
      baselineFigure: rate(operations, cpythonMs(cpythonMmapRuns)),
      higherIsBetter: true,
      notes: "CPython's default arena allocator, page faults included: for reference only",
    });
  }
  // Where the time goes: the replay loop alone (a bump allocator in each language), and what
  // each pymalloc adds to it.
  const perOp = (ms: number) => (ms / operations) * 1e6;
  const jsLoop = perOp(ourMs("bump"));
  const cLoop = perOp(cpythonMs(cBumpRuns));
  suite.record({
    case: "replay loop alone (bump allocator), ns/op",
    figure: jsLoop,
    unit: "ns/op",
    baseline: "the same loop in C, same trace",
    baselineFigure: cLoop,
    higherIsBetter: false,
    notes: "reading the trace, storing addresses, the unpredictable alloc/free branch",
  });
  suite.record({
    case: "pymalloc time per op beyond the replay loop",
    figure: perOp(ourMs("pymalloc")) - jsLoop,
    unit: "ns/op",
    baseline: "CPython's pymalloc, beyond its C loop",
    baselineFigure: perOp(cpythonMs(cpythonRuns)) - cLoop,
    higherIsBetter: false,
    notes:
      "the allocators alone: the same memory accesses, but each typed-array access is bounds-checked, and ours also keeps the live-block bitmap",
  });
  suite.record({
    case: "pymalloc footprint per live byte, at the peak",
    figure: perLive(ours.peak, profile.peak),
    unit: "bytes/live byte",
    baseline: "CPython 3.11 pymalloc, same point of the same trace",
    baselineFigure: perLive(cpython.peakArenas * arenaSize, profile.peak),
    higherIsBetter: false,
    target: { atMost: 1 },
    notes: `${fmt(ours.peak)} bytes of arenas for ${fmt(profile.peak)} live requested bytes`,
  });
  suite.record({
    case: "pymalloc footprint per live byte, after the churn",
    figure: perLive(ours.final, profile.final),
    unit: "bytes/live byte",
    baseline: "CPython 3.11 pymalloc, end of the same trace",
    baselineFigure: perLive(cpython.finalArenas * arenaSize, profile.final),
    higherIsBetter: false,
    target: { atMost: 1 },
    notes: `${fmt(ours.final)} bytes of arenas for ${fmt(profile.final)} live requested bytes`,
  });
} else {
  console.log(`\nCPython's pymalloc row skipped: ${missing}`);
  suite.record({
    case: `pymalloc ops/s, ${fmt(operations)} ops (CPython row missing: ${missing})`,
    figure: oursRate,
    unit: "ops/s",
    baseline: "bump allocator, same trace",
    baselineFigure: rate(operations, ourMs("bump")),
    higherIsBetter: true,
  });
}

suite.record({
  case: `pymalloc ops/s, first ${fmt(thingOperations)} ops`,
  figure: rate(thingOperations, prefix.get("pymalloc")!),
  unit: "ops/s",
  baseline: "@thi.ng/malloc (first fit, compact, split), same ops",
  baselineFigure: rate(thingOperations, prefix.get("thi.ng")!),
  higherIsBetter: true,
  target: { atLeast: 50 },
  notes: `thi.ng is timed on a prefix (ramp to 50,000 live blocks, then churn): its first-fit walk over ${fmt(trace.slots)} slots makes the whole trace take minutes`,
});
suite.record({
  case: `pymalloc time, ${fmt(operations)} ops`,
  figure: ourMs("pymalloc"),
  unit: "ms",
  baseline: "bump allocator (never reuses), same trace",
  baselineFigure: ourMs("bump"),
  higherIsBetter: false,
  notes: `pymalloc ${fmt(oursRate)} ops/s; bump ${fmt(rate(operations, ourMs("bump")))} ops/s`,
});
suite.record({
  case: `@thi.ng/malloc footprint per live byte, first ${fmt(thingOperations)} ops, at their peak`,
  figure: perLive(thingFootprint.peak, prefixProfile.peak),
  unit: "bytes/live byte",
  baseline: "pymalloc, same point",
  baselineFigure: perLive(oursPrefix.peak, prefixProfile.peak),
  higherIsBetter: false,
});
suite.record({
  case: `@thi.ng/malloc footprint per live byte, first ${fmt(thingOperations)} ops, at their end`,
  figure: perLive(thingFootprint.final, prefixProfile.final),
  unit: "bytes/live byte",
  baseline: "pymalloc, same point",
  baselineFigure: perLive(oursPrefix.final, prefixProfile.final),
  higherIsBetter: false,
});
suite.record({
  case: "bump allocator footprint per live byte, at the peak",
  figure: perLive(bumpedAtPeak, profile.peak),
  unit: "bytes/live byte",
  baseline: "pymalloc, same point",
  baselineFigure: perLive(ours.peak, profile.peak),
  higherIsBetter: false,
});
suite.record({
  case: "bump allocator footprint per live byte, after the churn",
  figure: perLive(bumped, profile.final),
  unit: "bytes/live byte",
  baseline: "pymalloc, same point",
  baselineFigure: perLive(ours.final, profile.final),
  higherIsBetter: false,
});
suite.finish();

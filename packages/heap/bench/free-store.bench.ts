// Free-store throughput on a mixed-size trace (16 B to 64 KiB, about 10,000 blocks live),
// beside @thi.ng/malloc (first fit) and a bump allocator, all in the same run.
//   pnpm bench            the full trace: 1,000,000 operations
//   pnpm bench --quick    100,000 operations
//
// Each allocator is run twice: "pure" replays only the malloc/free calls; "touched" also
// writes the first word of every block when it is allocated and reads it before it is freed,
// as any program initialises and uses what it allocates. Every allocator's memory is
// pre-faulted before it is timed, so that none of them pays for the OS's first touch.

import { BenchSuite, BumpAllocator, buildTrace, quickMode, replay, timeCases } from "@mm/bench-kit";
import { MemPool } from "@thi.ng/malloc";
import { FreeStore, Memory, MemoryPageSource } from "../src/index.js";

const quick = quickMode();
const operations = quick ? 100_000 : 1_000_000;
/** thi.ng's first-fit search walks the free list; a prefix keeps its run within minutes. */
const thingOperations = quick ? 30_000 : 150_000;

const trace = buildTrace({
  operations,
  live: 10_000,
  seed: 42,
  // Log-uniform between 16 B and 64 KiB, squared towards the small end as real heaps are.
  size: (random) => Math.floor(16 * 2 ** (12 * random() ** 2)),
});
const addresses = new Int32Array(trace.slots);
const bumpSpace = Math.max(64 << 20, 4 * trace.peakLiveBytes);
const bumpMemory = new Uint32Array(bumpSpace >>> 2).fill(0);

let store!: FreeStore;
let pool!: MemPool;
let poolWords!: Uint32Array;
let bump!: BumpAllocator;
let failures = 0;

/** A store over memory whose pages the OS has already committed, as the bump allocator's are. */
const freshStore = () => {
  const memory = new Memory({ maximumBytes: 1 << 30 });
  memory.grow(bumpSpace);
  memory.u8.fill(0);
  store = new FreeStore(new MemoryPageSource(memory));
};
const freshBump = () => {
  bump = new BumpAllocator(bumpSpace);
};

const full = timeCases(
  [
    {
      name: "store pure",
      setup: freshStore,
      run: () => {
        failures += replay(trace, store, addresses);
      },
    },
    { name: "bump pure", setup: freshBump, run: () => void replay(trace, bump, addresses) },
    {
      name: "store touched",
      setup: freshStore,
      run: () => {
        failures += replay(trace, store, addresses, { touch: store.memory.u32 });
      },
    },
    {
      name: "bump touched",
      setup: freshBump,
      run: () => void replay(trace, bump, addresses, { touch: bumpMemory }),
    },
  ],
  { iterations: quick ? 3 : 7 },
);

const prefix = timeCases(
  [
    {
      name: "store",
      setup: freshStore,
      run: () => {
        failures += replay(trace, store, addresses, { count: thingOperations });
      },
    },
    {
      name: "thi.ng",
      setup: () => {
        pool = new MemPool({ size: 512 << 20, compact: true, split: true });
        poolWords = new Uint32Array(pool.buf);
      },
      run: () => {
        failures += replay(trace, pool, addresses, { count: thingOperations, touch: poolWords });
      },
    },
  ],
  { iterations: quick ? 1 : 3 },
);

if (failures > 0) throw new Error(`${failures} allocations failed during the benchmark`);

const rate = (ops: number, ms: number) => (ops / ms) * 1000;
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const suite = new BenchSuite("heap-free-store");
suite.record({
  case: `free-store ops/s, first ${fmt(thingOperations)} ops`,
  figure: rate(thingOperations, prefix.get("store")!),
  unit: "ops/s",
  baseline: "@thi.ng/malloc (first fit), same ops",
  baselineFigure: rate(thingOperations, prefix.get("thi.ng")!),
  higherIsBetter: true,
  target: { atLeast: 10 },
  notes:
    "thi.ng is timed on a prefix (ramp to 10,000 live blocks, then churn): its first-fit search makes the full trace take minutes",
});
suite.record({
  case: `free-store time, ${fmt(operations)} ops, blocks touched`,
  figure: full.get("store touched")!,
  unit: "ms",
  baseline: "bump allocator, same trace, blocks touched",
  baselineFigure: full.get("bump touched")!,
  higherIsBetter: false,
  target: { atMost: 4 },
  notes: `free store ${fmt(rate(operations, full.get("store touched")!))} ops/s; peak live ${(trace.peakLiveBytes / 2 ** 20).toFixed(1)} MiB`,
});
suite.record({
  case: `free-store time, ${fmt(operations)} ops, calls only`,
  figure: full.get("store pure")!,
  unit: "ms",
  baseline: "bump allocator, same trace, calls only",
  baselineFigure: full.get("bump pure")!,
  higherIsBetter: false,
  notes:
    "the bump allocator never reads or writes memory here, so this ratio is the bookkeeping cost of reuse and coalescing",
});
suite.finish();

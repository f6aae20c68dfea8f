// Reference counting: incref/decref throughput beside a plain typed-array increment loop, and
// the time to free a 1,000,000-object chain beside CPython 3.11 freeing the same chain
// (python3, in the same run). The chain's blocks come from @mm/pool-allocator, as CPython's come
// from pymalloc; a second row frees the same chain through @mm/heap's TLSF free store.
//   pnpm bench            1,000,000-object chains, 10,000,000 incref/decref pairs, five rounds
//   pnpm bench --quick    200,000 and 2,000,000, one round

import {
  BenchSuite,
  interleaveRounds,
  median,
  quickMode,
  runPythonJson,
  spread,
  timeCases,
  timeSamples,
} from "@mm/bench-kit";
import {
  FreeStore,
  Memory,
  MemoryPageSource,
  ObjectSpace,
  TypeFlags,
  TypeRegistry,
} from "@mm/heap";
import { PoolAllocator } from "@mm/pool-allocator";
import { RefCounter } from "../src/index.js";

const quick = quickMode();
const chainLength = quick ? 200_000 : 1_000_000;
const pairs = quick ? 2_000_000 : 10_000_000;

/**
 * A heap with CPython's 1-tuple shape: a GC object of 32 bytes holding one reference, 48 bytes
 * with its GC head, allocated by pymalloc (as in CPython) or by the TLSF free store.
 */
function world(allocator: "pymalloc" | "tlsf" = "pymalloc") {
  const memory = new Memory({ maximumBytes: 1 << 30 });
  memory.grow(256 << 20);
  memory.u8.fill(0);
  const pages = new MemoryPageSource(memory);
  const space = new ObjectSpace(
    allocator === "pymalloc" ? new PoolAllocator(pages) : new FreeStore(pages),
    new TypeRegistry(),
  );
  let rc!: RefCounter;
  const tuple = space.types.register({
    name: "tuple",
    basicSize: 24,
    itemSize: 8,
    flags: TypeFlags.Gc,
    traverse: (o, visit, arg) => visit(memory.u32[(o + 24) >>> 2]!, arg),
    dealloc: (o) => {
      const item = memory.u32[(o + 24) >>> 2]!;
      if (item !== 0) rc.decref(item);
    },
  });
  rc = new RefCounter(space);
  return { memory, space, rc, tuple };
}

// --- incref/decref throughput
const inc = world();
const target = inc.space.allocate(inc.tuple.id, 1);
const plain = new Uint32Array(1024);
const times = timeCases(
  [
    {
      name: "rc",
      run: () => {
        for (let i = 0; i < pairs; i++) {
          inc.rc.incref(target);
          inc.rc.decref(target);
        }
      },
    },
    {
      name: "plain",
      run: () => {
        for (let i = 0; i < pairs; i++) {
          plain[64] = plain[64]! + 1;
          plain[64] = plain[64]! - 1;
        }
      },
    },
  ],
  { iterations: 5 },
);

// --- freeing a chain: one world per allocator, the chain rebuilt before every timed run (from
// the blocks the previous run freed, so no run pays for fresh pages)
const worlds = new Map<"pymalloc" | "tlsf", ReturnType<typeof world>>();
/** The world of an allocator, made when its first run needs it. */
const worldOf = (allocator: "pymalloc" | "tlsf") => {
  const made = worlds.get(allocator);
  if (made) return made;
  const w = world(allocator);
  worlds.set(allocator, w);
  return w;
};
let head = 0;
const chainCase = (allocator: "pymalloc" | "tlsf") => ({
  name: allocator,
  setup: () => {
    const { space, memory, tuple } = worldOf(allocator);
    head = 0;
    for (let i = 0; i < chainLength; i++) {
      const t = space.allocate(tuple.id, 1);
      memory.u32[(t + 24) >>> 2] = head;
      head = t;
    }
  },
  run: () => {
    const w = worldOf(allocator);
    w.rc.decref(head);
    if (w.space.liveObjects !== 0) throw new Error("the chain was not freed");
  },
});
const python = `
import gc, json, sys, time
gc.disable()
n, runs = int(sys.argv[1]), int(sys.argv[2])
times = []
for _ in range(runs):
    t = ()
    for _ in range(n):
        t = (t,)
    start = time.perf_counter()
    del t
    times.append((time.perf_counter() - start) * 1000)
print(json.dumps(times))
`;
const runs = 3;
let failure = "";
// Five rounds of CPython and ours, alternating, so that a burst of noise lands on both.
const { ours, reference } = interleaveRounds(
  quick ? 1 : 5,
  () => ({ pymalloc: timeSamples([chainCase("pymalloc")], { iterations: runs }).get("pymalloc")! }),
  () => {
    const cpython = runPythonJson<number[]>(python, [String(chainLength), String(runs)]);
    if ("value" in cpython) return { cpython: cpython.value };
    failure = cpython.failure;
    return undefined;
  },
);
// The TLSF world runs last: its allocator would otherwise make the pymalloc runs' calls
// polymorphic, which no single-allocator program sees.
const tlsfMs = Math.min(...timeSamples([chainCase("tlsf")], { iterations: runs }).get("tlsf")!);

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const suite = new BenchSuite("refcount");
const rcMs = times.get("rc")!;
suite.record({
  case: `incref+decref pairs, ${fmt(pairs)}`,
  figure: (pairs / rcMs) * 1000,
  unit: "pairs/s",
  baseline: "a plain Uint32Array increment and decrement",
  baselineFigure: (pairs / times.get("plain")!) * 1000,
  higherIsBetter: true,
  notes: "checked: each call tests the live-object bit and the immortal flag",
});
const cpythonSamples = reference?.get("cpython");
if (cpythonSamples) {
  const ourSamples = ours.get("pymalloc")!;
  // Best of each side, as timeit reports: slower runs are other processes' doing, and on a
  // shared machine they are not rare. The medians are in the notes.
  const cpythonMs = Math.min(...cpythonSamples);
  suite.record({
    case: `free a ${fmt(chainLength)}-object chain of 1-tuples, pymalloc`,
    figure: Math.min(...ourSamples),
    unit: "ms",
    baseline: `CPython 3.11: del of the same chain, best of ${cpythonSamples.length}`,
    baselineFigure: cpythonMs,
    higherIsBetter: false,
    target: { atMost: 1 },
    notes:
      `best of ${ourSamples.length}; both free through pymalloc (ours: @mm/pool-allocator), ` +
      `rounds interleaved; medians ${median(ourSamples).toFixed(1)} vs ${median(cpythonSamples).toFixed(1)} ms, ` +
      `ranges ${spread(ourSamples)} vs ${spread(cpythonSamples)} ms`,
  });
  suite.record({
    case: `free a ${fmt(chainLength)}-object chain of 1-tuples, TLSF free store`,
    figure: tlsfMs,
    unit: "ms",
    baseline: `CPython 3.11, as above: best of ${cpythonSamples.length}`,
    baselineFigure: cpythonMs,
    higherIsBetter: false,
    notes: `best of ${runs}, run last; the same chain through @mm/heap's general-purpose free store, which coalesces every free`,
  });
} else {
  console.log(`CPython rows skipped: python3 failed (${failure})`);
}
suite.finish();

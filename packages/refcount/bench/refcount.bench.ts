// Reference counting: incref/decref throughput beside a plain typed-array increment loop, and
// the time to free a 1,000,000-object chain beside CPython 3.11 freeing the same chain
// (python3, in the same run).
//   pnpm bench            1,000,000-object chains, 10,000,000 incref/decref pairs
//   pnpm bench --quick    200,000 and 2,000,000

import { spawnSync } from "node:child_process";
import { BenchSuite, quickMode, timeCases } from "@mm/bench-kit";
import {
  FreeStore,
  Memory,
  MemoryPageSource,
  ObjectSpace,
  TypeFlags,
  TypeRegistry,
} from "@mm/heap";
import { RefCounter } from "../src/index.js";

const quick = quickMode();
const chainLength = quick ? 200_000 : 1_000_000;
const pairs = quick ? 2_000_000 : 10_000_000;

/** A heap with CPython's 1-tuple shape: a GC object of 32 bytes holding one reference. */
function world() {
  const memory = new Memory({ maximumBytes: 1 << 30 });
  memory.grow(256 << 20);
  memory.u8.fill(0);
  const space = new ObjectSpace(new FreeStore(new MemoryPageSource(memory)), new TypeRegistry());
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

// --- freeing a chain
let chain!: ReturnType<typeof world>;
let head = 0;
const chainTimes = timeCases(
  [
    {
      name: "free chain",
      setup: () => {
        chain = world();
        head = 0;
        for (let i = 0; i < chainLength; i++) {
          const t = chain.space.allocate(chain.tuple.id, 1);
          chain.memory.u32[(t + 24) >>> 2] = head;
          head = t;
        }
      },
      run: () => chain.rc.decref(head),
    },
  ],
  { iterations: quick ? 3 : 5 },
);

const python = `
import gc, sys, time
gc.disable()
n = int(sys.argv[1])
best = []
for _ in range(5):
    t = ()
    for _ in range(n):
        t = (t,)
    start = time.perf_counter()
    del t
    best.append(time.perf_counter() - start)
best.sort()
print(best[len(best) // 2] * 1000)
`;
const cpython = spawnSync("python3", ["-c", python, String(chainLength)], { encoding: "utf8" });

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
if (cpython.status === 0) {
  suite.record({
    case: `free a ${fmt(chainLength)}-object chain of 1-tuples`,
    figure: chainTimes.get("free chain")!,
    unit: "ms",
    baseline: "CPython 3.11: del of the same chain, median of 5",
    baselineFigure: Number(cpython.stdout.trim()),
    higherIsBetter: false,
    target: { atMost: 1 },
    notes:
      "ours frees through the TLSF free store; CPython through pymalloc and its tuple free list",
  });
} else {
  console.log(`CPython row skipped: python3 failed (${cpython.error?.message ?? cpython.stderr})`);
}
suite.finish();

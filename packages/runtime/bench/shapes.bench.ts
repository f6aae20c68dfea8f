// The collector and the reference counter on the heaps programs build, through the runtime's own
// object kinds (the embedding API a front end uses), beside CPython 3.11 building and collecting
// the same shapes in the same run:
//
//   lists        a list of N empty lists
//   dict         a dict of N instances, keyed by int
//   attrs        N/2 instances in a list, each with an attribute holding an empty list
//   trees        the benchmarks game's binary tree, every node an instance (left, right)
//   tuples       a chain of N 1-tuples, (((None,),),)…
//   two-cycles   EXP-a's chain: a_i.partner = b_i, b_i.partner = a_i, a_i.next = a_{i+1}, every
//                node an instance of a class of its own
//
// Each shape is timed all reachable (its root held: `collect(2)` after one settling collection)
// and all garbage (its root held only by a list that holds itself, both dropped: `collect(2)`
// finds and frees every object). Freeing by reference count is dropping the root of a reachable
// shape (not for two-cycles, which counting cannot free). Memory is the bytes of pymalloc's
// allocated blocks (each block its size class's size) that building a shape adds, on both sides:
// ours from the pool allocator's statistics, CPython's from `sys._debugmallocstats()`. The notes
// add the runtime's mapped heap bytes and CPython's `tracemalloc` peak, which count other things
// (whole mapped pages, and bytes as requested).
// CPython and ours alternate in rounds, so that a burst of machine noise lands on both sides;
// the best run of each side is compared, as `timeit` reports (medians and ranges in the notes).
//
//   pnpm bench                                   N = 100,000 and 1,000,000, three rounds
//   pnpm bench --quick                           N = 100,000, one round
//   MM_BENCH_SHAPES_N=100000,1000000,10000000    the sizes (with one over 2,000,000: one round
//   MM_BENCH_SHAPES_ROUNDS=2                     unless rounds are given)
// A round runs each case three times per side below 1,000,000 objects and once from there.

import {
  BenchSuite,
  interleaveRounds,
  median,
  quickMode,
  runPythonJson,
  type Samples,
  spread,
} from "@mm/bench-kit";
import type { Ref } from "../src/index.js";
import { objectCount, type Shape, ShapeBuilder, shapes } from "./shapes.js";

const quick = quickMode();
const sizes = (process.env.MM_BENCH_SHAPES_N ?? (quick ? "100000" : "100000,1000000"))
  .split(",")
  .map((s) => Number(s.trim()));
for (const n of sizes) {
  if (!Number.isInteger(n) || n < 1000) throw new Error(`MM_BENCH_SHAPES_N: bad size ${n}`);
}
const largest = Math.max(...sizes);
const rounds = Number(process.env.MM_BENCH_SHAPES_ROUNDS ?? (quick || largest > 2e6 ? 1 : 3));
/** Timed runs per shape, variant, size and round, on each side. */
const runsFor = (n: number) => (n >= 1e6 ? 1 : 3);

/** Shapes that counting alone frees when their root goes. */
const acyclic = (shape: Shape) => shape !== "two-cycles";

/** One runtime per size, reused by every run of that size (as a long-running program is). */
class World extends ShapeBuilder {
  /** Makes `root` garbage held by a cycle: holder = [root]; holder.append(holder); both dropped. */
  drop(root: Ref): void {
    const py = this.py;
    const holder = py.list([root]);
    py.append(holder, holder);
    py.decref(holder);
    py.decref(root);
  }

  /** Frees everything, then checks that nothing a run made outlived it. */
  settle(live: number): void {
    this.rt.gc.collect();
    const now = this.rt.stats().liveObjects;
    if (now !== live) throw new Error(`${now - live} objects outlived a run`);
  }
}

const worlds = new Map<number, World>();
const world = (n: number) => {
  let w = worlds.get(n);
  if (!w) {
    w = new World();
    worlds.set(n, w);
  }
  return w;
};

const now = () => performance.now();

/** One round of ours: every shape, variant and size, `runsFor(n)` runs each. */
function ourRound(): Samples {
  const samples: Record<string, number[]> = {};
  const add = (key: string, ms: number) => {
    const list = samples[key] ?? [];
    list.push(ms);
    samples[key] = list;
  };
  for (const n of sizes) {
    const w = world(n);
    w.rt.gc.collect();
    const live = w.rt.stats().liveObjects;
    for (const shape of shapes) {
      const count = objectCount(shape, n);
      for (let run = 0; run < runsFor(n); run++) {
        // Reachable: settle, then time a full collection that finds nothing.
        let root = w.build(shape, n);
        w.rt.gc.collect();
        let t = now();
        let found = w.rt.gc.collect();
        add(`reachable ${shape} ${n}`, now() - t);
        if (found !== 0) throw new Error(`collect() found ${found} in reachable ${shape}`);
        // Freeing by reference count: the root goes.
        t = now();
        w.py.decref(root);
        const freed = now() - t;
        if (acyclic(shape)) {
          add(`free ${shape} ${n}`, freed);
          if (w.rt.stats().liveObjects !== live) throw new Error(`dropping ${shape} left objects`);
        }
        w.settle(live);
        // Garbage: the shape and its holder, found and freed by one collection.
        root = w.build(shape, n);
        w.drop(root);
        t = now();
        found = w.rt.gc.collect();
        add(`garbage ${shape} ${n}`, now() - t);
        if (found !== count + 1) {
          throw new Error(`collect() found ${found} in garbage ${shape}, expected ${count + 1}`);
        }
        w.settle(live);
      }
    }
  }
  return samples;
}

/** pymalloc's bytes in allocated blocks now (each block its size class's size). */
function blockBytes(w: World): number {
  const stats = w.rt.pymalloc?.mallocStats();
  if (!stats) throw new Error("the shapes bench needs the runtime's pymalloc");
  return stats.bytesInAllocatedBlocks;
}

/**
 * What building each shape adds on a fresh runtime (first round only): pymalloc's bytes in
 * allocated blocks (`blocks …`) and the mapped heap bytes, which include the free store's large
 * blocks and whole free pages.
 */
function ourMemory(): Map<string, number> {
  const out = new Map<string, number>();
  for (const n of sizes) {
    for (const shape of shapes) {
      const w = new World();
      // CPython's side measures a build after its timed rounds have built and dropped the
      // shape: its class's shared keys, its free lists and its type caches are there already.
      // The same here: one build dropped and collected first.
      w.py.decref(w.build(shape, n));
      w.rt.gc.collect();
      const before = w.rt.heapBytes;
      const blocksBefore = blockBytes(w);
      const root = w.build(shape, n);
      out.set(`blocks ${shape} ${n}`, blockBytes(w) - blocksBefore);
      out.set(`${shape} ${n}`, w.rt.heapBytes - before);
      w.py.decref(root);
      w.rt[Symbol.dispose]();
    }
  }
  return out;
}

const python = `
import gc, json, math, os, re, sys, tempfile, time, tracemalloc
def block_bytes():
    # sys._debugmallocstats() writes to the C stderr: read it back through a file.
    with tempfile.TemporaryFile() as f:
        sys.stderr.flush()
        saved = os.dup(2)
        os.dup2(f.fileno(), 2)
        try:
            sys._debugmallocstats()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        f.seek(0)
        text = f.read().decode()
    return int(re.search(r"# bytes in allocated blocks += +([0-9,]+)", text).group(1).replace(",", ""))
class Node:
    pass
class C:
    pass
class Holder:
    pass
class Link:
    pass
def tree(d):
    o = Node()
    if d == 0:
        o.left = None; o.right = None
    else:
        o.left = tree(d - 1); o.right = tree(d - 1)
    return o
def build(shape, n):
    if shape == "lists":
        outer = []
        for _ in range(n): outer.append([])
        return outer
    if shape == "dict":
        d = {}
        for i in range(n): d[i] = C()
        return d
    if shape == "attrs":
        outer = []
        for _ in range(n // 2):
            o = Holder(); o.items = []; outer.append(o)
        return outer
    if shape == "trees":
        return tree(round(math.log2(n)) - 1)
    if shape == "tuples":
        leaf = None
        t = (leaf,)  # built here, as the runtime's side builds it ((None,) would be a constant)
        for _ in range(n - 1): t = (t,)
        return t
    if shape == "two-cycles":
        root = prev = None
        for _ in range(n // 2):
            a = Link(); b = Link()
            a.partner = b; b.partner = a; a.next = None; b.next = None
            if prev is None: root = a
            else: prev.next = a
            prev = a
        return root
shapes = ${JSON.stringify(shapes)}
memory = sys.argv[1] == "1"
args = sys.argv[2:]
out = {}
def add(key, ms):
    out.setdefault(key, []).append(ms)
gc.disable()
for n, runs in zip(map(int, args[0::2]), map(int, args[1::2])):
    for shape in shapes:
        for _ in range(runs):
            root = build(shape, n)
            gc.collect()
            t0 = time.perf_counter(); found = gc.collect(); t1 = time.perf_counter()
            add(f"reachable {shape} {n}", (t1 - t0) * 1000)
            assert found == 0, found
            t0 = time.perf_counter(); del root; t1 = time.perf_counter()
            if shape != "two-cycles":
                add(f"free {shape} {n}", (t1 - t0) * 1000)
            gc.collect()
            root = build(shape, n)
            holder = [root]; holder.append(holder); del holder; del root
            t0 = time.perf_counter(); found = gc.collect(); t1 = time.perf_counter()
            add(f"garbage {shape} {n}", (t1 - t0) * 1000)
        if memory:
            gc.collect()
            before = block_bytes()
            root = build(shape, n)
            out[f"blocks {shape} {n}"] = [block_bytes() - before]
            del root
            gc.collect()
            tracemalloc.start()
            root = build(shape, n)
            out[f"memory {shape} {n}"] = [tracemalloc.get_traced_memory()[1]]
            tracemalloc.stop()
            del root
            gc.collect()
print(json.dumps(out))
`;

let failure = "";
let ourBytes = new Map<string, number>();
const { ours, reference } = interleaveRounds(
  rounds,
  (round) => {
    if (round === 0) ourBytes = ourMemory();
    return ourRound();
  },
  (round): Samples | undefined => {
    const args = [
      round === 0 ? "1" : "0",
      ...sizes.flatMap((n) => [String(n), String(runsFor(n))]),
    ];
    const cpython = runPythonJson<Samples>(python, args);
    if ("value" in cpython) return cpython.value;
    failure = cpython.failure;
    return undefined;
  },
);

const suite = new BenchSuite("runtime-shapes");
const fmt = (n: number) => n.toLocaleString("en-US");
const best = (xs: readonly number[]) => Math.min(...xs);
const smallest = Math.min(...sizes);
for (const shape of shapes) {
  for (const n of sizes) {
    const count = objectCount(shape, n);
    for (const variant of ["reachable", "garbage", "free"] as const) {
      if (variant === "free" && !acyclic(shape)) continue;
      const key = `${variant} ${shape} ${n}`;
      const mine = ours.get(key)!;
      const theirs = reference?.get(key);
      if (!theirs) continue;
      const what = variant === "free" ? "drop the root" : `collect(2), ${variant}`;
      suite.record({
        case: `${shape}, ${fmt(count)} objects, ${what}`,
        figure: best(mine),
        unit: "ms",
        baseline: `CPython 3.11, same shape, best of ${theirs.length}`,
        baselineFigure: best(theirs),
        higherIsBetter: false,
        target: { atMost: variant === "free" ? 1 : 0.5 },
        notes:
          `best of ${mine.length}, rounds interleaved; medians ${median(mine).toFixed(1)} vs ` +
          `${median(theirs).toFixed(1)} ms, ranges ${spread(mine)} vs ${spread(theirs)} ms; ` +
          `${((best(mine) * 1e6) / count).toFixed(1)} vs ${((best(theirs) * 1e6) / count).toFixed(1)} ns/object`,
      });
    }
    const blocks = ourBytes.get(`blocks ${shape} ${n}`);
    const theirBlocks = reference?.get(`blocks ${shape} ${n}`)?.[0];
    const bytes = ourBytes.get(`${shape} ${n}`);
    const peak = reference?.get(`memory ${shape} ${n}`)?.[0];
    if (blocks !== undefined && theirBlocks !== undefined) {
      const perObject = (b: number) => (b / count).toFixed(1);
      suite.record({
        case: `${shape}, ${fmt(count)} objects, pymalloc memory`,
        figure: blocks,
        unit: "bytes",
        baseline: "CPython 3.11, pymalloc block bytes the same build adds",
        baselineFigure: theirBlocks,
        higherIsBetter: false,
        target: { atMost: 1 },
        notes:
          `pymalloc's allocated blocks the build adds on both sides, ${perObject(blocks)} vs ` +
          `${perObject(theirBlocks)} bytes/object; blocks over 512 bytes (a big list's items, ` +
          `a big dict's table) are outside pymalloc on both sides` +
          (bytes !== undefined && peak !== undefined
            ? `; mapped heap bytes ${perObject(bytes)}/object, CPython's tracemalloc peak ` +
              `${perObject(peak)}/object (requested bytes)`
            : ""),
      });
    }
    if (n !== smallest) {
      // Linear growth: ns per object at this size against the smallest size, same side.
      for (const variant of ["reachable", "garbage"] as const) {
        const at = (size: number) =>
          (best(ours.get(`${variant} ${shape} ${size}`)!) * 1e6) / objectCount(shape, size);
        suite.record({
          case: `${shape}, ns/object, ${variant}, ${fmt(n)} against ${fmt(smallest)}`,
          figure: at(n),
          unit: "ns/object",
          baseline: `ours at ${fmt(smallest)}`,
          baselineFigure: at(smallest),
          higherIsBetter: false,
          target: { atMost: 1.5 },
        });
      }
    }
  }
}
if (!reference) console.log(`CPython rows skipped: python3 failed (${failure})`);
suite.finish();

// collect(2) on N objects shaped as CPython's EXP-a (two-cycles chained: a_i <-> b_i, a_i -> a_{i+1}),
// three ways: all garbage, all garbage with DEBUG_SAVEALL (detection only), all reachable (and
// all reachable again with the JavaScript detection walks instead of the WebAssembly kernel);
// beside CPython 3.11 on the same shapes (python3), beside a plain typed-array scan of the same
// bytes (the memory-bandwidth floor), and beside the one-by-one floor of the unreachable rows
// (detection as ours does it, plus delete_garbage's deaths in turn as bare typed-array code: the
// least that clearing the trash object by object can cost on this heap). Objects come from
// @mm/pool-allocator, as CPython's come from pymalloc. CPython and ours alternate in rounds, so
// that a burst of machine noise lands on both sides, and the best run of each side is compared
// (medians and ranges go in the notes).
//   pnpm bench            N = 100,000 and 1,000,000, three rounds
//   pnpm bench --quick    N = 100,000, one round

import {
  BenchSuite,
  interleaveRounds,
  median,
  quickMode,
  runPythonJson,
  type Samples,
  spread,
  timeSamples,
} from "@mm/bench-kit";
import {
  GC_NEXT,
  GC_PREV,
  Memory,
  MemoryPageSource,
  OB_REFCNT,
  ObjectSpace,
  type TypeDescriptor,
  TypeFlags,
  TypeRegistry,
} from "@mm/heap";
import { PoolAllocator } from "@mm/pool-allocator";
import { DebugFlags, GenerationalCollector } from "../src/index.js";

const quick = quickMode();
const sizes = quick ? [100_000] : [100_000, 1_000_000];
const rounds = quick ? 1 : 3;
/** Timed runs per shape, size and round, for both sides. */
const runsFor = (n: number) => (n >= 1_000_000 ? 2 : 3);
type Shape = "unreachable" | "saveall" | "reachable";
const shapes: Shape[] = ["unreachable", "saveall", "reachable"];

/**
 * A heap with CPython's `__slots__ = ("partner", "next")` node: 32 bytes + the GC head. Its clear
 * and dealloc are CPython's for such a class (subtype_clear, subtype_dealloc: drop each slot), so
 * the type says `release: "fields"` and reference counting does them in place.
 */
function world(n: number) {
  const memory = new Memory({ maximumBytes: 1 << 30 });
  memory.grow(Math.max(64 << 20, n * 96));
  memory.u8.fill(0);
  const space = new ObjectSpace(
    new PoolAllocator(new MemoryPageSource(memory)),
    new TypeRegistry(),
  );
  const node = space.types.register({
    name: "Node",
    basicSize: 32,
    flags: TypeFlags.Gc,
    // Where the slots are, so the collector walks them without calling traverse.
    pointers: { fields: [16, 24] },
    traverse: (o, visit, arg) => {
      const u32 = memory.u32;
      const partner = u32[(o + 16) >>> 2]!;
      if (partner !== 0 && visit(partner, arg) !== 0) return 1;
      const next = u32[(o + 24) >>> 2]!;
      return next !== 0 ? visit(next, arg) : 0;
    },
    release: "fields",
  });
  const gc = new GenerationalCollector(space);
  gc.disable();
  const make = () => {
    const o = gc.allocate(node.id);
    gc.track(o);
    return o;
  };
  /** Builds the chain of n/2 two-cycles and returns its root (the only outside reference). */
  const build = () => {
    let root = 0;
    let prev = 0;
    for (let i = 0; i < n / 2; i++) {
      const a = make();
      const b = make();
      const u32 = memory.u32; // after the allocations: a growth would replace the views
      u32[(a + 16) >>> 2] = b; // a.partner = b: takes over our reference to b
      u32[(b + 16) >>> 2] = a; // b.partner = a: a new reference
      gc.rc.incref(a);
      if (prev === 0)
        root = a; // the root keeps our reference to a_0...
      else u32[(prev + 24) >>> 2] = a; // ...prev.next takes over the others
      prev = a;
    }
    return root;
  };
  return { memory, space, gc, build, node };
}

/** The header words the floor touches, written in place (an imported constant is a load). */
// biome-ignore lint/suspicious/noConstEnum: local to this module, so every compiler inlines it.
const enum Head {
  Refcnt = 0,
  Next = -16,
  Prev = -8,
}
if (Head.Refcnt !== OB_REFCNT || Head.Next !== GC_NEXT || Head.Prev !== GC_PREV) {
  throw new Error("the bench's header offsets are not @mm/heap's");
}

/**
 * The one-by-one deletion floor: the deaths that clearing an unreachable EXP-a chain object by
 * object causes, in delete_garbage's order, written as bare typed-array code. No address is checked, no hook or model
 * function is called; only the free stays as it is (ObjectSpace.freeAs and pymalloc's free),
 * since every implementation on this heap pays it. `head` is the list the chain is tracked in.
 */
function deleteBare(u32: Uint32Array, space: ObjectSpace, node: TypeDescriptor, head: number) {
  for (
    let first = u32[(head + Head.Next) >>> 2]!;
    first !== head;
    first = u32[(head + Head.Next) >>> 2]!
  ) {
    u32[(first + Head.Refcnt) >>> 2]! += 1; // Py_INCREF(op); clear(op); Py_DECREF(op)
    releaseBare(u32, space, node, first);
    dropBare(u32, space, node, first);
  }
}

/** Py_CLEAR of both slots. */
function releaseBare(u32: Uint32Array, space: ObjectSpace, node: TypeDescriptor, o: number) {
  const partner = u32[(o + 16) >>> 2]!;
  if (partner !== 0) {
    u32[(o + 16) >>> 2] = 0;
    dropBare(u32, space, node, partner);
  }
  const next = u32[(o + 24) >>> 2]!;
  if (next !== 0) {
    u32[(o + 24) >>> 2] = 0;
    dropBare(u32, space, node, next);
  }
}

/** Py_DECREF; at zero: untrack, release the slots, free. */
function dropBare(u32: Uint32Array, space: ObjectSpace, node: TypeDescriptor, o: number) {
  const count = u32[(o + Head.Refcnt) >>> 2]!;
  if (count > 1) {
    u32[(o + Head.Refcnt) >>> 2] = count - 1;
    return;
  }
  u32[(o + Head.Refcnt) >>> 2] = 0;
  const prev = u32[(o + Head.Prev) >>> 2]!;
  const next = u32[(o + Head.Next) >>> 2]!;
  u32[(prev + Head.Next) >>> 2] = next;
  u32[(next + Head.Prev) >>> 2] = prev;
  u32[(o + Head.Next) >>> 2] = 0;
  releaseBare(u32, space, node, o);
  space.freeAs(o, node);
}

const python = `
import gc, json, sys, time
class Node:
    __slots__ = ("partner", "next")
    def __init__(self):
        self.partner = None
        self.next = None
def build(n):
    root = prev = None
    for _ in range(n // 2):
        a = Node(); b = Node()
        a.partner = b; b.partner = a
        if prev is None: root = a
        else: prev.next = a
        prev = a
    return root
out = {}
for n, runs in zip(map(int, sys.argv[1::2]), map(int, sys.argv[2::2])):
    for shape in ("unreachable", "saveall", "reachable"):
        times = []
        for _ in range(runs):
            gc.collect(); gc.disable()
            root = build(n)
            if shape == "reachable":
                gc.collect()
            else:
                del root
            if shape == "saveall":
                gc.set_debug(gc.DEBUG_SAVEALL)
            t0 = time.perf_counter(); r = gc.collect(); t1 = time.perf_counter()
            gc.set_debug(0); del gc.garbage[:]
            if shape == "reachable":
                del root
            gc.enable()
            times.append((t1 - t0) * 1000)
        out[f"{shape} {n}"] = times
print(json.dumps(out))
`;

/** One world per size, reused by every run: each run's objects come from the blocks (and
 * arenas) the previous run freed, as in a long-running program. */
const worlds = new Map(sizes.map((n) => [n, world(n)]));

/** Frees whatever the previous run of size `n` left, and checks that nothing outlived it. */
function tearDownWorld(n: number, root: number) {
  const w = worlds.get(n)!;
  w.gc.garbage.clear();
  w.gc.setDebug(0);
  if (root !== 0) w.gc.rc.decref(root);
  w.gc.collect();
  if (w.space.liveObjects !== 0) throw new Error(`${w.space.liveObjects} objects outlived a run`);
}

/** The timed case of one shape: setup builds the objects, run collects them. */
function collectCase(n: number, shape: Shape) {
  const w = worlds.get(n)!;
  let root = 0;
  /** Frees whatever the previous run left: the reachable chain, or the saved garbage. */
  const tearDown = () => {
    tearDownWorld(n, root);
    root = 0;
  };
  return {
    name: `${shape} ${n}`,
    setup: () => {
      tearDown();
      const built = w.build();
      if (shape === "reachable") {
        root = built;
        w.gc.collect();
      } else {
        w.gc.rc.decref(built);
      }
      if (shape === "saveall") w.gc.setDebug(DebugFlags.SaveAll);
    },
    run: () => {
      const result = w.gc.collect();
      const expected = shape === "reachable" ? 0 : n;
      if (result !== expected)
        throw new Error(`collect() returned ${result} for ${shape}, expected ${expected}`);
    },
    tearDown,
  };
}

/** The deletion floor's case: the same unreachable chain, deleted by {@link deleteBare}. */
function floorCase(n: number) {
  const w = worlds.get(n)!;
  let head = 0;
  return {
    name: `floor ${n}`,
    setup: () => {
      tearDownWorld(n, 0);
      const root = w.build();
      w.gc.rc.decref(root);
      // Generation 0 held nothing before the build: the root is its first object.
      const u32 = w.memory.u32;
      head = u32[(root + GC_PREV) >>> 2]!;
      if (u32[(head + GC_NEXT) >>> 2] !== root) throw new Error("the chain is not a whole list");
    },
    run: () => {
      deleteBare(w.memory.u32, w.space, w.node, head);
      if (w.space.liveObjects !== 0) throw new Error("the floor left objects alive");
    },
    tearDown: () => tearDownWorld(n, 0),
  };
}

let failure = "";
const { ours, reference } = interleaveRounds(
  rounds,
  () => {
    const samples: Record<string, number[]> = {};
    for (const n of sizes) {
      for (const shape of shapes) {
        const c = collectCase(n, shape);
        samples[c.name] = timeSamples([c], { iterations: runsFor(n) }).get(c.name)!;
        c.tearDown();
      }
      const f = floorCase(n);
      samples[f.name] = timeSamples([f], { iterations: runsFor(n) }).get(f.name)!;
      f.tearDown();
      // The reachable chain again with the JavaScript walks, in the same round.
      const w = worlds.get(n)!;
      w.gc.walks = "js";
      const js = collectCase(n, "reachable");
      samples[`js ${js.name}`] = timeSamples([js], { iterations: runsFor(n) }).get(js.name)!;
      js.tearDown();
      w.gc.walks = "wasm";
    }
    return samples;
  },
  (): Samples | undefined => {
    const args = sizes.flatMap((n) => [String(n), String(runsFor(n))]);
    const cpython = runPythonJson<Samples>(python, args);
    if ("value" in cpython) return cpython.value;
    failure = cpython.failure;
    return undefined;
  },
);

const suite = new BenchSuite("gen-gc-collect");
const fmt = (n: number) => n.toLocaleString("en-US");
for (const n of sizes) {
  for (const shape of shapes) {
    const key = `${shape} ${n}`;
    const mine = ours.get(key)!;
    const theirs = reference?.get(key);
    // Best of each side, as timeit reports: slower runs are other processes' doing, and on a
    // shared machine they are not rare. The medians are in the notes.
    const ms = Math.min(...mine);
    if (theirs) {
      suite.record({
        case: `collect(2), ${fmt(n)} objects, ${shape}`,
        figure: ms,
        unit: "ms",
        baseline: `CPython 3.11, same shape, best of ${theirs.length}`,
        baselineFigure: Math.min(...theirs),
        higherIsBetter: false,
        target: { atMost: 0.5 },
        notes:
          `best of ${mine.length}, rounds interleaved; medians ${median(mine).toFixed(1)} vs ` +
          `${median(theirs).toFixed(1)} ms, ranges ${spread(mine)} vs ${spread(theirs)} ms`,
      });
    }
    if (shape === "reachable" && ours.has(`js ${key}`)) {
      // The detection walks as JavaScript loops against the WebAssembly kernel (the default),
      // on the same heap in the same rounds.
      const js = ours.get(`js ${key}`)!;
      suite.record({
        case: `collect(2), ${fmt(n)} objects, reachable, JavaScript walks`,
        figure: Math.min(...js),
        unit: "ms",
        baseline: "the same collection with the WebAssembly walks (the default)",
        baselineFigure: ms,
        higherIsBetter: false,
        notes: `best of ${js.length}; medians ${median(js).toFixed(1)} vs ${median(mine).toFixed(1)} ms`,
      });
    }
    if (shape === "unreachable" && theirs) {
      // What clearing the trash object by object costs at best on this heap: detection as ours
      // does it (the reachable row walks the same objects through the same three passes) plus
      // the deaths one by one as bare typed-array code with pymalloc's free. Ours frees this
      // chain, which only refers to itself, in one pass instead (rc.freeClosedList).
      const detect = Math.min(...ours.get(`reachable ${n}`)!);
      const floor = Math.min(...ours.get(`floor ${n}`)!);
      suite.record({
        case: `collect(2) one-by-one floor, ${fmt(n)} objects, unreachable`,
        figure: detect + floor,
        unit: "ms",
        baseline: `CPython 3.11, same shape, best of ${theirs.length}`,
        baselineFigure: Math.min(...theirs),
        higherIsBetter: false,
        notes:
          `detection ${detect.toFixed(1)} ms (the reachable row) + bare one-by-one deletion ` +
          `${floor.toFixed(1)} ms (${((floor * 1e6) / n).toFixed(1)} ns/object); ours ` +
          `${ms.toFixed(1)} ms`,
      });
    }
    if (shape === "reachable") {
      // The floor: read every byte the objects occupy once, as a typed-array sum.
      const objectBytes = n * 48;
      const words = new Uint32Array(objectBytes / 4);
      words.fill(1);
      let sink = 0;
      const scan = timeSamples(
        [
          {
            name: "scan",
            run: () => {
              // The array in a local: V8 reads a captured variable from its context on every
              // use, which would make this a loop of loads instead of the floor it stands for.
              const w = words;
              let s = 0;
              for (let i = 0, n = w.length; i < n; i++) s = (s + w[i]!) | 0;
              sink ^= s;
            },
          },
        ],
        { iterations: 7 },
      );
      suite.record({
        case: `ns per object, ${fmt(n)} reachable objects`,
        figure: (ms * 1e6) / n,
        unit: "ns/object",
        baseline: "plain typed-array scan of the same bytes",
        baselineFigure: (Math.min(...scan.get("scan")!) * 1e6) / n,
        higherIsBetter: false,
        target: { atMost: 5 },
        notes: `best of each; scanned ${fmt(objectBytes)} bytes (checksum ${sink >>> 0})`,
      });
    }
  }
}
if (!reference) console.log(`CPython rows skipped: python3 failed (${failure})`);
suite.finish();

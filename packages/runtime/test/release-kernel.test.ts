// The reference counter's in-place deaths run as a WebAssembly kernel (`releases: "wasm"`) or as
// the counter's JavaScript loops (`releases: "js"`, the default). The property builds the same
// random heap under both (lists, tuples, dicts, instances of plain classes, of a class with
// __del__, of a class with slot fields, shared children, weak references with and without
// callbacks, chains past the trashcan's depth), with random observers (an observer of the runtime,
// tracemalloc), drops every reference in the same random order, and may end with a collection of
// what is left; then every event seen, each id() a finalizer saw reused, every word of the heap,
// the statistics, pymalloc's statistics, `sys._debugmallocstats()` and the free lists' contents
// must be the same both ways. With the kernel the frees themselves run in WebAssembly while
// nobody watches them (no observer, no trace), a list's clear drops its items there, and a
// dict's key table release its keys and values (ints among them freed there too).

import { fcRuns } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Embedding, type Ref, Runtime, type RuntimeEvent } from "../src/index.js";

type Step =
  | { op: "list" | "tuple"; picks: number[] }
  | { op: "dict"; picks: number[]; keys: number; values: number }
  | { op: "instance"; cls: number; attrs: Array<[number, number]> }
  | { op: "slots"; picks: [number, number] }
  | { op: "append"; target: number; pick: number }
  | { op: "cycle"; target: number }
  | { op: "weakref"; target: number; callback: boolean }
  | { op: "leaf"; kind: number; value: number }
  | { op: "chain"; length: number }
  | { op: "clear"; target: number };

const names = ["a", "b", "c", "d"];
const pick = fc.nat({ max: 1000 });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    op: fc.constantFrom("list" as const, "tuple" as const),
    picks: fc.array(pick, { maxLength: 6 }),
  }),
  // Keys: small ints (immortal), ints that die with the dict, or strs (a str-keyed table);
  // values: picks, or new ints and floats that die with it too.
  fc.record({
    op: fc.constant("dict" as const),
    picks: fc.array(pick, { maxLength: 8 }),
    keys: fc.nat({ max: 2 }),
    values: fc.nat({ max: 2 }),
  }),
  fc.record({
    op: fc.constant("instance" as const),
    cls: fc.nat({ max: 2 }),
    attrs: fc.array(fc.tuple(fc.nat({ max: names.length - 1 }), pick), { maxLength: 4 }),
  }),
  fc.record({ op: fc.constant("slots" as const), picks: fc.tuple(pick, pick) }),
  fc.record({ op: fc.constant("append" as const), target: pick, pick }),
  fc.record({ op: fc.constant("cycle" as const), target: pick }),
  fc.record({ op: fc.constant("weakref" as const), target: pick, callback: fc.boolean() }),
  fc.record({
    op: fc.constant("leaf" as const),
    kind: fc.nat({ max: 2 }),
    value: fc.integer({ min: -1000, max: 1_000_000 }),
  }),
  // Past the trashcan's depth of 50: the deferred deaths go to the counter's own path.
  fc.record({ op: fc.constant("chain" as const), length: fc.integer({ min: 1, max: 120 }) }),
  // l.clear(): its items dropped in one run (the kernel's, with releases: "wasm").
  fc.record({ op: fc.constant("clear" as const), target: pick }),
);

interface Watch {
  observer: boolean;
  /** An observer added by the first __del__, in the middle of a cascade. */
  late: boolean;
  tracemalloc: boolean;
  collect: boolean;
}

/** Builds the heap of `steps` and drops every reference in `order`; returns what is seen. */
function run(
  steps: readonly Step[],
  order: readonly number[],
  watch: Watch,
  releases: "wasm" | "js",
): { seen: string[]; words: Uint32Array } {
  const rt = new Runtime({ heapBytes: 16 << 20, releases });
  rt.gc.disable();
  const py = new Embedding(rt);
  const seen: string[] = [];
  const record = (event: RuntimeEvent) => {
    if (event.kind === "free") seen.push(`free ${event.type} ${event.address} ${event.size}`);
    else if (event.kind === "finalize") seen.push(`finalize ${event.type} ${event.address}`);
    else if (event.kind === "weakref-callback") seen.push(`weakref-callback ${event.weakref}`);
  };
  let stopLate = () => {};
  let dropping = false;
  const classes = [
    py.defineClass("A"),
    py.defineClass("B", {
      del: (self) => {
        seen.push(`__del__ ${self}`);
        if (watch.late && dropping) {
          stopLate();
          stopLate = rt.observe(record);
        }
        // An allocation here takes a block the frees before it gave back: id() reuse.
        const scratch = py.list([self]);
        seen.push(`scratch ${scratch}`);
        py.decref(scratch);
        rt.verify();
      },
    }),
    py.defineClass("C"),
  ];
  const slotted = py.defineClass("S", { fields: 2 });
  const made: Ref[] = [];
  const weakrefs: Ref[] = [];
  const at = (n: number) => (made.length === 0 ? py.none : made[n % made.length]!);
  for (const s of steps) {
    switch (s.op) {
      case "list":
        made.push(py.list(s.picks.map(at)));
        break;
      case "tuple":
        made.push(py.tuple(s.picks.map(at)));
        break;
      case "dict": {
        const d = py.dict();
        s.picks.forEach((p, i) => {
          const key =
            s.keys === 0
              ? py.int(i)
              : s.keys === 1
                ? py.int(100_000 + p)
                : py.str(names[i % names.length]! + p);
          if (s.values === 0) py.dictSet(d, key, at(p));
          else {
            const value = s.values === 1 ? py.int(1000 + p) : py.float(p / 3);
            py.dictSet(d, key, value);
            py.decref(value);
          }
          py.decref(key);
        });
        made.push(d);
        break;
      }
      case "instance": {
        const o = py.instance(classes[s.cls]!);
        for (const [name, p] of s.attrs) py.setAttr(o, names[name]!, at(p));
        made.push(o);
        break;
      }
      case "slots": {
        const o = py.instance(slotted);
        py.setSlotField(o, 0, at(s.picks[0]));
        py.setSlotField(o, 1, at(s.picks[1]));
        made.push(o);
        break;
      }
      case "append": {
        const lists = made.filter((o) => py.typeName(o) === "list");
        if (lists.length > 0) py.append(lists[s.target % lists.length]!, at(s.pick));
        break;
      }
      case "cycle": {
        // A list that holds itself: only a collection frees it.
        const lists = made.filter((o) => py.typeName(o) === "list");
        if (lists.length > 0) {
          const l = lists[s.target % lists.length]!;
          py.append(l, l);
        }
        break;
      }
      case "weakref": {
        const instances = made.filter((o) => py.classOf(o) !== undefined);
        if (instances.length === 0) break;
        const target = instances[s.target % instances.length]!;
        weakrefs.push(
          py.weakref(target, s.callback ? (w) => seen.push(`callback ${w}`) : undefined),
        );
        break;
      }
      case "leaf":
        made.push(
          s.kind === 0
            ? py.int(s.value)
            : s.kind === 1
              ? py.float(s.value / 7)
              : py.str(`s${s.value}`),
        );
        break;
      case "clear": {
        const lists = made.filter((o) => py.typeName(o) === "list");
        if (lists.length > 0) py.clearList(lists[s.target % lists.length]!);
        break;
      }
      case "chain": {
        let t = py.tuple([at(s.length)]);
        for (let i = 1; i < s.length; i++) {
          const holder = i % 3 === 0 ? py.list([t]) : py.tuple([t]);
          py.decref(t);
          t = holder;
        }
        made.push(t);
        break;
      }
    }
  }
  const stop = watch.observer ? rt.observe(record) : () => {};
  dropping = true;
  if (watch.tracemalloc) rt.tracemalloc.start();
  const owned = [...made, ...weakrefs];
  for (const k of order) {
    if (owned.length === 0) break;
    const i = k % owned.length;
    py.decref(owned[i]!);
    owned.splice(i, 1);
    seen.push(`live ${rt.stats().liveObjects}`);
  }
  for (const o of owned) py.decref(o);
  if (watch.collect) seen.push(`collected ${rt.gc.collect(2)}`);
  if (watch.tracemalloc) {
    seen.push(`traced ${rt.tracemalloc.getTracedMemory().join(" ")}`);
    rt.tracemalloc.stop();
  }
  stop();
  stopLate();
  const { objectsAllocated, objectsFreed, liveObjects, heapBytes, liveBytes } = rt.stats();
  seen.push(`stats ${objectsAllocated} ${objectsFreed} ${liveObjects} ${heapBytes} ${liveBytes}`);
  seen.push(JSON.stringify(rt.pymalloc?.stats()));
  seen.push(rt.pymalloc?.debugMallocStats() ?? "");
  rt.verify();
  // The free lists' contents, newest first: the same objects parked in the same order.
  const lists = rt.freeLists;
  for (const kind of ["list", "dict", "dictKeys", "float"] as const) {
    const parked: number[] = [];
    for (let b = lists.pop(kind); b !== 0; b = lists.pop(kind)) parked.push(b);
    seen.push(`parked ${kind} ${parked.join(" ")}`);
  }
  for (let n = 1; n <= lists.tupleMaxLength; n++) {
    const parked: number[] = [];
    for (let b = lists.pop("tuple", n); b !== 0; b = lists.pop("tuple", n)) parked.push(b);
    seen.push(`parked tuple ${n} ${parked.join(" ")}`);
  }
  const memory = rt.space.memory;
  const words = new Uint32Array(memory.u32.subarray(0, memory.byteLength >>> 2));
  rt[Symbol.dispose]();
  return { seen, words };
}

describe("the release kernel", () => {
  it("frees the same blocks in the same order as the JavaScript path, to the same heap", () => {
    fc.assert(
      fc.property(
        fc.array(step, { minLength: 1, maxLength: 40 }),
        fc.array(fc.nat({ max: 1000 }), { maxLength: 60 }),
        fc.record({
          observer: fc.boolean(),
          late: fc.boolean(),
          tracemalloc: fc.boolean(),
          collect: fc.boolean(),
        }),
        (steps, order, watch) => {
          const wasm = run(steps, order, watch, "wasm");
          const js = run(steps, order, watch, "js");
          expect(wasm.seen).toEqual(js.seen);
          expect(wasm.words.length).toBe(js.words.length);
          let differing = -1;
          for (let i = 0; i < js.words.length; i++) {
            if (wasm.words[i] !== js.words[i]) {
              differing = i * 4;
              break;
            }
          }
          expect(differing).toBe(-1);
        },
      ),
      { numRuns: fcRuns(60) },
    );
  });

  it("takes over the counter's in-place deaths with releases: wasm, and not by default", () => {
    const wasm = new Runtime({ heapBytes: 16 << 20, releases: "wasm" });
    // The default, whatever MM_RELEASES the suite runs under.
    const js = new Runtime({ heapBytes: 16 << 20, env: {} });
    expect(js.config.releases).toBe("js");
    expect(wasm.strategy.rc.inPlaceRelease.kernel).toBeTypeOf("function");
    expect(js.strategy.rc.inPlaceRelease.kernel).toBeUndefined();
    expect(wasm.strategy.rc.inPlaceRelease.run).toBeTypeOf("function");
    expect(js.strategy.rc.inPlaceRelease.run).toBeUndefined();
    // A tree dropped at its root is one call into the kernel, which frees every node.
    let calls = 0;
    const access = wasm.strategy.rc.inPlaceRelease;
    const kernel = access.kernel!;
    access.kernel = (o, flags, depth) => {
      calls++;
      kernel(o, flags, depth);
    };
    const py = new Embedding(wasm);
    const before = wasm.stats().objectsFreed;
    const leaves = Array.from({ length: 10 }, () => py.list([]));
    const root = py.tuple(leaves);
    for (const l of leaves) py.decref(l);
    py.decref(root);
    expect(calls).toBe(1);
    expect(wasm.stats().objectsFreed - before).toBe(11);
    wasm.verify();
    wasm[Symbol.dispose]();
    js[Symbol.dispose]();
  });

  it("drops a dict's keys and values in one call, freeing its int keys and instances there", () => {
    const rt = new Runtime({ heapBytes: 16 << 20, releases: "wasm" });
    rt.gc.disable();
    const access = rt.strategy.rc.inPlaceRelease;
    let entries = 0;
    let kernels = 0;
    const entriesOf = access.entries!;
    const kernel = access.kernel!;
    access.entries = (first, count, stride, gap, depth) => {
      entries++;
      entriesOf(first, count, stride, gap, depth);
    };
    access.kernel = (o, flags, depth) => {
      kernels++;
      kernel(o, flags, depth);
    };
    const py = new Embedding(rt);
    const C = py.defineClass("C");
    const d = py.dict();
    for (let i = 0; i < 500; i++) {
      const k = py.int(1000 + i);
      const o = py.instance(C);
      const l = py.list([py.none]);
      py.setAttr(o, "x", l);
      py.decref(l);
      py.dictSet(d, k, o);
      py.decref(k);
      py.decref(o);
    }
    const live = rt.stats().liveObjects;
    const freed = rt.stats().objectsFreed;
    py.decref(d);
    expect(entries).toBe(1);
    expect(kernels).toBe(0);
    // The dict, 500 keys, 500 instances and their lists.
    expect(live - rt.stats().liveObjects).toBe(1501);
    expect(rt.stats().objectsFreed - freed).toBe(1501);
    rt.verify();
    rt[Symbol.dispose]();
  });

  it("frees through the object layer's function under the debug hooks, as the loops do", () => {
    // The debug hooks stand between the object space and pymalloc: the kernel cannot free by
    // itself there, and every free is the call out.
    const free = (releases: "wasm" | "js") => {
      const rt = new Runtime({ heapBytes: 16 << 20, releases, debugHooks: true });
      const py = new Embedding(rt);
      const C = py.defineClass("C");
      const items: Ref[] = [];
      for (let i = 0; i < 300; i++) {
        const o = py.instance(C);
        const l = py.list([py.none]);
        py.setAttr(o, "x", l);
        py.decref(l);
        items.push(o, py.tuple([o]));
      }
      const root = py.list(items);
      for (const o of items) py.decref(o);
      py.decref(root);
      rt.verify();
      const { pausesMs: _, ...stats } = rt.stats();
      const out = [JSON.stringify(stats), rt.pymalloc?.debugMallocStats() ?? ""];
      rt[Symbol.dispose]();
      return out;
    };
    expect(free("wasm")).toEqual(free("js"));
  });

  it("refuses a releases option that is neither", () => {
    expect(() => new Runtime({ releases: "c" as "js" })).toThrow(/releases must be "wasm" or "js"/);
    expect(() => new Runtime({ env: { MM_RELEASES: "c" } })).toThrow(/MM_RELEASES=c/);
  });
});

// The Collector contract: the gc-module state every collector shares (against a plain model),
// and the two strategies without a collection algorithm.

import {
  FreeStore,
  InvalidArgumentError,
  Memory,
  MemoryPageSource,
  ObjectSpace,
  TypeFlags,
  TypeRegistry,
} from "@mm/heap";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  COUNTING_CAPABILITIES,
  type Collector,
  CountingCollector,
  GarbageList,
  GcModuleState,
  GenerationalCollector,
  NO_CAPABILITIES,
  NoCollector,
  TracingCollector,
} from "../src/index.js";

function space(): ObjectSpace {
  const memory = new Memory({ maximumBytes: 16 << 20 });
  return new ObjectSpace(new FreeStore(new MemoryPageSource(memory)), new TypeRegistry());
}

/** A GC node with one counted slot at +16 (dropped when it dies). */
function nodeType(s: ObjectSpace, rc: () => Collector["rc"]) {
  const drop = (o: number) => {
    const held = s.memory.u32[(o + 16) >>> 2]!;
    s.memory.u32[(o + 16) >>> 2] = 0;
    if (held !== 0) rc().decref(held);
  };
  return s.types.register({
    name: "node",
    basicSize: 24,
    flags: TypeFlags.Gc | TypeFlags.Weakrefable,
    traverse: (o, visit, arg) => {
      const held = s.memory.u32[(o + 16) >>> 2]!;
      return held === 0 ? 0 : visit(held, arg);
    },
    clear: drop,
    dealloc: drop,
  });
}

describe("GcModuleState", () => {
  type Model = {
    enabled: boolean;
    debug: number;
    thresholds: number[];
    stats: Array<{ collections: number; collected: number; uncollectable: number }>;
    history: number;
    calls: string[];
  };
  type Real = { state: GcModuleState; calls: string[] };
  const int32 = fc.integer({ min: -0x8000_0000, max: 0x7fff_ffff });
  const bad = fc.constantFrom(1.5, Number.NaN, 2 ** 31, -(2 ** 31) - 1);
  const commands = [
    fc.boolean().map(
      (on): fc.Command<Model, Real> => ({
        check: () => true,
        run(m, r) {
          if (on) r.state.enable();
          else r.state.disable();
          m.enabled = on;
          expect(r.state.isEnabled()).toBe(m.enabled);
        },
        toString: () => (on ? "enable" : "disable"),
      }),
    ),
    fc
      .tuple(
        fc.oneof(int32, bad),
        fc.option(int32, { nil: undefined }),
        fc.option(int32, { nil: undefined }),
      )
      .map(
        ([t0, t1, t2]): fc.Command<Model, Real> => ({
          check: () => true,
          run(m, r) {
            if (!Number.isInteger(t0) || t0 > 0x7fff_ffff || t0 < -0x8000_0000) {
              expect(() => r.state.setThreshold(t0, t1, t2)).toThrow(InvalidArgumentError);
            } else {
              r.state.setThreshold(t0, t1, t2);
              m.thresholds = [t0, t1 ?? m.thresholds[1]!, t2 ?? m.thresholds[2]!];
            }
            expect(r.state.getThreshold()).toEqual(m.thresholds);
          },
          toString: () => `setThreshold(${t0}, ${t1}, ${t2})`,
        }),
      ),
    fc.oneof(int32, bad).map(
      (flags): fc.Command<Model, Real> => ({
        check: () => true,
        run(m, r) {
          if (Number.isInteger(flags) && flags <= 0x7fff_ffff && flags >= -0x8000_0000) {
            r.state.setDebug(flags);
            m.debug = flags;
          } else expect(() => r.state.setDebug(flags)).toThrow(InvalidArgumentError);
          expect(r.state.getDebug()).toBe(m.debug);
        },
        toString: () => `setDebug(${flags})`,
      }),
    ),
    fc.tuple(fc.integer({ min: 0, max: 2 }), fc.nat(100), fc.nat(100)).map(
      ([generation, collected, uncollectable]): fc.Command<Model, Real> => ({
        check: () => true,
        run(m, r) {
          r.state.invokeCallbacks("start", { generation, collected: 0, uncollectable: 0 });
          r.state.record({
            generation,
            collected,
            uncollectable,
            examined: 0,
            pauseMs: 0,
            automatic: false,
          });
          r.state.invokeCallbacks("stop", { generation, collected, uncollectable });
          const s = m.stats[generation]!;
          s.collections++;
          s.collected += collected;
          s.uncollectable += uncollectable;
          m.history++;
          m.calls.push("info", `start ${generation}`, "info", `stop ${generation} ${collected}`);
          expect(r.state.getStats()).toEqual(m.stats);
          expect(r.state.history).toHaveLength(m.history);
          expect(r.calls).toEqual(m.calls);
        },
        toString: () => `record(${generation}, ${collected}, ${uncollectable})`,
      }),
    ),
  ];

  it("keeps the gc module's settings and statistics as a plain model does (model test)", () => {
    fc.assert(
      fc.property(fc.commands(commands, { maxCommands: 40 }), (cmds) => {
        const calls: string[] = [];
        const state = new GcModuleState({
          garbage: GarbageList.listing(space()),
          unraisable: () => calls.push("unraisable"),
          callbackInfo: () => calls.push("info"),
        });
        state.callbacks.push((phase, info) => {
          calls.push(
            phase === "start"
              ? `start ${info.generation}`
              : `stop ${info.generation} ${info.collected}`,
          );
        });
        const model: Model = {
          enabled: true,
          debug: 0,
          thresholds: [700, 10, 10],
          stats: [0, 1, 2].map(() => ({ collections: 0, collected: 0, uncollectable: 0 })),
          history: 0,
          calls: [],
        };
        fc.modelRun(() => ({ model, real: { state, calls } }), cmds);
      }),
    );
  });

  it("sends a callback's exception to the unraisable hook and runs the rest", () => {
    const seen: string[] = [];
    const state = new GcModuleState({
      garbage: GarbageList.listing(space()),
      unraisable: (_error, where) => seen.push(where),
    });
    state.callbacks.push(function failing() {
      throw new Error("no");
    });
    state.callbacks.push((phase) => seen.push(phase));
    state.invokeCallbacks("start", { generation: 0, collected: 0, uncollectable: 0 });
    expect(seen).toEqual(["gc callback failing", "start"]);
  });
});

describe("the strategies without a collection algorithm", () => {
  it("counting frees at zero and leaks cycles; none frees nothing", () => {
    const s = space();
    let counting!: CountingCollector;
    const node = nodeType(s, () => counting.rc);
    counting = new CountingCollector(s);
    expect(counting.capabilities).toBe(COUNTING_CAPABILITIES);
    const a = counting.allocate(node.id, 0);
    counting.decref(a);
    expect(s.isLive(a)).toBe(false);
    const b = counting.allocate(node.id, 0);
    const c = counting.allocate(node.id, 0);
    s.memory.u32[(b + 16) >>> 2] = c;
    counting.incref(c);
    s.memory.u32[(c + 16) >>> 2] = b;
    counting.incref(b);
    counting.decref(b);
    counting.decref(c);
    expect(counting.collect()).toBe(0);
    expect([s.isLive(b), s.isLive(c)]).toEqual([true, true]);

    const s2 = space();
    const none = new NoCollector(s2);
    const plain = s2.types.register({ name: "int", basicSize: 32 });
    const d = none.allocate(plain.id, 0);
    none.decref(d);
    none.release(d);
    expect([s2.isLive(d), none.capabilities, none.collect()]).toEqual([true, NO_CAPABILITIES, 0]);
  });

  it("answer every gc-module question as a collector without generations", () => {
    const s = space();
    const all: Collector[] = [new CountingCollector(s)];
    const s2 = space();
    all.push(new TracingCollector(s2, { roots: () => {} }));
    for (const c of all) {
      expect(c.getCount()).toEqual([0, 0, 0]);
      expect(c.getStats()).toHaveLength(3);
      expect([c.getFreezeCount(), c.getObjects(), c.getReferrers(1)]).toEqual([0, [], []]);
      c.setThreshold(5);
      expect(c.getThreshold()).toEqual([5, 10, 10]);
      expect(() => c.setThreshold(0.5)).toThrow(InvalidArgumentError);
      expect(c.getThreshold()).toEqual([5, 10, 10]);
      c.disable();
      expect(c.isEnabled()).toBe(false);
      c.verify();
    }
    const tracing = all[1]!;
    tracing.collect(2);
    expect(tracing.getStats()[2]!.collections).toBe(1);
    expect(tracing.history).toHaveLength(1);
  });

  it("the generational collector keeps its gc-module state in the shared one", () => {
    const gc = new GenerationalCollector(space(), { preset: "3.13" });
    expect(gc.name).toBe("generational");
    expect(gc.state.thresholds).toEqual([2000, 10, 10]);
    gc.setThreshold(3);
    expect(gc.state.getThreshold()).toEqual([3, 10, 10]);
    gc.collect(1);
    expect(gc.state.stats[1]!.collections).toBe(1);
    expect(gc.history).toBe(gc.state.history);
    expect(gc.callbacks).toBe(gc.state.callbacks);
  });
});

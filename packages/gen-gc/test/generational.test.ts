import {
  FreeStore,
  HeapCorruptionError,
  InvalidArgumentError,
  Memory,
  MemoryPageSource,
  OB_FLAGS,
  ObjectFlags,
  ObjectSpace,
  TypeFlags,
  TypeRegistry,
} from "@mm/heap";
import { describe, expect, it, vi } from "vitest";
import {
  DebugFlags,
  type GcCallbackInfo,
  GcValueError,
  GenerationalCollector,
  Presets,
} from "../src/index.js";
import { generationalWorld } from "./fixtures.js";

describe("collecting cycles", () => {
  it("frees a two-cycle that reference counting cannot, and counts it", () => {
    const w = generationalWorld();
    const a = w.node();
    const b = w.node();
    w.set(a, 0, b);
    w.set(b, 0, a);
    w.gc.rc.decref(a);
    w.gc.rc.decref(b);
    expect(w.log.freed).toEqual([]);
    expect(w.gc.collect()).toBe(2);
    expect(w.log.freed.sort()).toEqual([a, b].sort());
    expect(w.gc.getStats()[2]).toEqual({ collections: 1, collected: 2, uncollectable: 0 });
    w.gc.verify();
  });

  it("runs finalizers once, in the order of the generation's list", () => {
    const w = generationalWorld();
    const [a, b, c] = [w.node("final"), w.node("final"), w.node("final")] as [
      number,
      number,
      number,
    ];
    w.set(a, 0, b);
    w.set(b, 0, c);
    w.set(c, 0, a);
    for (const o of [c, b, a]) w.gc.rc.decref(o);
    expect(w.gc.collect()).toBe(3);
    expect(w.log.finalized).toEqual([a, b, c]);
  });

  it("keeps the list order CPython gets when a tentatively unreachable object turns out reachable", () => {
    // a and b are allocated first but reachable only through c, which a root holds: a and b
    // move to the unreachable list, come back to the tail when c is scanned, and the survivors
    // end up ordered c, a, b (and their finalizers would run in that order on the next cycle).
    const w = generationalWorld();
    const a = w.node();
    const b = w.node();
    const c = w.node();
    w.set(c, 0, a);
    w.set(a, 0, b);
    w.gc.rc.decref(a);
    w.gc.rc.decref(b);
    expect(w.gc.collect(0)).toBe(0);
    expect(w.gc.getObjects(1)).toEqual([c, a, b]);
  });

  it("lets a finalizer resurrect an object, which is collected later without a second finalize", () => {
    const w = generationalWorld();
    const p = w.node("phoenix");
    w.set(p, 0, p);
    w.gc.rc.decref(p);
    expect(w.gc.collect()).toBe(0);
    expect(w.log.finalized).toEqual([p]);
    expect(w.gc.isFinalized(p)).toBe(true);
    expect(w.space.isLive(p)).toBe(true);
    w.gc.rc.decref(w.log.graveyard.pop()!);
    expect(w.gc.collect()).toBe(1);
    expect(w.log.finalized).toEqual([p]);
    expect(w.space.isLive(p)).toBe(false);
  });

  it("sets legacy finalizers and what they reach aside as uncollectable, in garbage", () => {
    const w = generationalWorld();
    const legacy = w.node("legacy");
    const child = w.node();
    w.set(legacy, 0, child);
    w.set(child, 0, legacy);
    const lone = w.node();
    w.set(lone, 0, lone);
    for (const o of [legacy, child, lone]) w.gc.rc.decref(o);
    expect(w.gc.collect()).toBe(3);
    expect(w.gc.garbage.toArray()).toEqual([legacy]);
    expect(w.space.isLive(child)).toBe(true);
    expect(w.space.isLive(lone)).toBe(false);
    expect(w.gc.getStats()[2]).toEqual({ collections: 1, collected: 1, uncollectable: 2 });
    expect(w.gc.collect()).toBe(0);
  });

  it("lets tp_clear of the trash free an uncollectable object that only the trash referred to, as CPython does", () => {
    // gc_collect_main clears the collectable trash before it hands the uncollectables to
    // gc.garbage ("It may also cause some objects in finalizers to be freed").
    const w = generationalWorld();
    const legacy = w.node("legacy");
    const holder = w.node();
    w.set(holder, 0, legacy);
    w.set(holder, 1, holder);
    for (const o of [legacy, holder]) w.gc.rc.decref(o);
    expect(w.gc.collect()).toBe(1);
    expect(w.space.isLive(holder)).toBe(false);
    expect(w.space.isLive(legacy)).toBe(false);
    expect(w.gc.garbage.toArray()).toEqual([]);
    expect(w.gc.getStats()[2]).toEqual({ collections: 1, collected: 1, uncollectable: 0 });
    w.gc.verify();
  });

  it("keeps all trash in garbage with DEBUG_SAVEALL", () => {
    const w = generationalWorld();
    const a = w.node();
    w.set(a, 0, a);
    w.gc.rc.decref(a);
    w.gc.setDebug(DebugFlags.SaveAll);
    expect(w.gc.collect()).toBe(1);
    expect(w.gc.garbage.toArray()).toEqual([a]);
    expect(w.space.isLive(a)).toBe(true);
  });

  it("appends the trash to garbage in list order with DEBUG_SAVEALL, each with a reference, and keeps it in the oldest generation", () => {
    const w = generationalWorld();
    const first = w.node();
    w.set(first, 0, first);
    w.gc.rc.decref(first);
    w.gc.setDebug(DebugFlags.SaveAll);
    expect(w.gc.collect()).toBe(1);
    const [a, b, c, d] = [w.node(), w.node("final"), w.node(), w.node()] as const;
    w.set(a, 0, b);
    w.set(b, 0, a);
    w.set(c, 0, d);
    w.set(d, 0, c);
    for (const o of [a, b, c, d]) w.gc.rc.decref(o);
    expect(w.gc.collect()).toBe(4);
    expect(w.log.finalized).toEqual([b]);
    expect(w.gc.garbage.toArray()).toEqual([first, a, b, c, d]);
    for (const o of w.gc.garbage) expect(w.gc.rc.refcount(o)).toBe(2);
    expect(w.gc.getObjects(2)).toEqual([first, a, b, c, d]);
    expect(w.log.freed).toEqual([]);
    w.gc.verify();
  });

  it("has verify() find a collection mark outside a collection and a tracked object without a GC head", () => {
    const w = generationalWorld();
    const a = w.node();
    const u32 = w.space.memory.u32;
    const at = (a + OB_FLAGS) >>> 2;
    const clean = u32[at]!;
    w.gc.verify();
    for (const bad of [
      clean | ObjectFlags.Collecting,
      clean | ObjectFlags.Unreachable,
      clean & ~ObjectFlags.GcHead,
    ]) {
      u32[at] = bad;
      expect(() => w.gc.verify()).toThrow(HeapCorruptionError);
    }
    u32[at] = clean;
    w.gc.verify();
  });

  it("finds only garbage in a full collection after one that a model's traverse threw out of", () => {
    const w = generationalWorld();
    let boom = true;
    const thrower = w.space.types.register({
      name: "thrower",
      basicSize: 24,
      flags: TypeFlags.Gc,
      traverse: () => {
        if (boom) throw new Error("boom");
        return 0;
      },
    });
    // a holds itself and is held by the program; the thrower comes after it in the list, so
    // the throw leaves a marked as examined, its own reference already subtracted.
    const a = w.node();
    w.set(a, 0, a);
    const t = w.gc.allocate(thrower.id);
    w.gc.track(t);
    expect(() => w.gc.collect()).toThrow("boom");
    boom = false;
    expect(w.gc.collect()).toBe(0);
    expect(w.space.memory.u32[(a + 16) >>> 2]).toBe(a);
    expect(w.gc.rc.refcount(a)).toBe(2);
  });

  it("never collects an immortal object, even on a cycle", () => {
    const w = generationalWorld();
    const a = w.node();
    const b = w.node();
    w.set(a, 0, b);
    w.set(b, 0, a);
    w.gc.rc.makeImmortal(b);
    w.gc.rc.decref(a);
    expect(w.gc.collect()).toBe(0);
    expect(w.space.isLive(a) && w.space.isLive(b)).toBe(true);
  });
});

describe("weak references in a collection", () => {
  it("clear a weakref to cyclic trash and run its callback when the weakref is reachable (EXP-b)", () => {
    const w = generationalWorld();
    const c = w.node();
    w.set(c, 0, c);
    const called: number[] = [];
    const wr = w.gc.rc.newWeakref(c, (ref) => called.push(ref));
    w.gc.rc.decref(c);
    expect(w.gc.collect()).toBe(1);
    expect(called).toEqual([wr]);
    expect(w.gc.rc.weakrefTarget(wr)).toBe(0);
  });

  it("clear the marks of trash that a callback untracks and keeps, so it can be tracked again", () => {
    const w = generationalWorld();
    const [a, b] = [w.node(), w.node()];
    w.set(a, 0, b);
    w.set(b, 0, a);
    // The callback runs mid-collection: it takes b out of the trash and keeps it.
    const wr = w.gc.rc.newWeakref(a, () => {
      w.gc.untrack(b);
      w.gc.rc.incref(b);
    });
    w.gc.rc.decref(a);
    w.gc.rc.decref(b);
    w.gc.collect();
    expect(w.space.isLive(b)).toBe(true);
    expect(w.gc.isTracked(b)).toBe(false);
    const flags = w.space.memory.u32[(b + OB_FLAGS) >>> 2]!;
    expect(flags & (ObjectFlags.Collecting | ObjectFlags.Unreachable)).toBe(0);
    w.gc.track(b);
    w.gc.verify();
    w.gc.rc.decref(b);
    w.gc.rc.decref(wr);
    w.gc.collect();
    expect(w.space.isLive(b)).toBe(false);
    w.gc.verify();
  });

  it("never run the callback of a weakref that is itself trash", () => {
    const w = generationalWorld();
    const c = w.node();
    const called: number[] = [];
    const wr = w.gc.rc.newWeakref(c, (ref) => called.push(ref));
    const holder = w.node();
    w.set(c, 0, holder);
    w.set(holder, 0, c);
    // The cycle holds the weakref: it is trash with the cycle.
    w.set(holder, 1, wr);
    w.gc.rc.decref(wr);
    w.gc.rc.decref(c);
    w.gc.rc.decref(holder);
    expect(w.gc.collect()).toBe(3);
    expect(called).toEqual([]);
  });

  it("run callbacks before finalizers, and count a weakref that the callback's decref frees", () => {
    // As with a WeakValueDictionary: a reachable holder keeps the weakref, and the callback
    // drops it from the holder, so the collection's own decref after the callback frees it.
    const w = generationalWorld();
    const order: string[] = [];
    const holder = w.node();
    const c = w.node("final");
    w.set(c, 0, c);
    const wr = w.gc.rc.newWeakref(c, () => {
      order.push("callback");
      w.set(holder, 0, 0);
    });
    w.set(holder, 0, wr);
    w.gc.rc.decref(wr);
    w.gc.rc.decref(c);
    w.log.finalized.length = 0;
    expect(w.gc.collect()).toBe(2);
    expect(order).toEqual(["callback"]);
    expect(w.log.finalized).toEqual([c]);
    expect(w.space.isLive(wr)).toBe(false);
  });
});

describe("counts and thresholds", () => {
  it("count container allocations minus deallocations, clamped at zero; free-list parking is invisible (EXP-b)", () => {
    const parked: number[] = [];
    const w = generationalWorld({
      free: (o) => {
        parked.push(w.space.retire(o));
      },
    });
    w.gc.collect();
    expect(w.gc.getCount()).toEqual([0, 0, 0]);
    const lists = Array.from({ length: 10 }, () => w.node());
    expect(w.gc.getCount()).toEqual([10, 0, 0]);
    for (const l of lists) w.gc.rc.decref(l);
    expect(parked).toHaveLength(10);
    expect(w.gc.getCount()).toEqual([10, 0, 0]);

    const real = generationalWorld();
    real.gc.collect();
    const objs = Array.from({ length: 10 }, () => real.node());
    expect(real.gc.getCount()).toEqual([10, 0, 0]);
    for (const o of objs) real.gc.rc.decref(o);
    expect(real.gc.getCount()).toEqual([0, 0, 0]);
    real.node();
    real.gc.collect(0);
    real.gc.rc.decref(real.gc.getObjects(1)[0]!);
    expect(real.gc.getCount()).toEqual([0, 1, 0]);
  });

  it("do not count allocations of non-container types", () => {
    const w = generationalWorld();
    w.gc.allocate(w.types.int.id);
    expect(w.gc.getCount()).toEqual([0, 0, 0]);
  });

  it("move as CPython's do after collections of each generation (EXP-b)", () => {
    const w = generationalWorld();
    for (let i = 0; i < 3; i++) w.gc.collect(0);
    expect(w.gc.getCount()).toEqual([0, 3, 0]);
    w.gc.collect(1);
    expect(w.gc.getCount()).toEqual([0, 0, 1]);
    w.gc.collect(2);
    expect(w.gc.getCount()).toEqual([0, 0, 0]);
  });

  it("trigger the first automatic collection at count 701, 11 gen-0 per gen-1, first gen-2 at collection 132 (EXP-e, 1,000,000 live objects)", () => {
    const log: Array<[number, number]> = [];
    const w = generationalWorld({}, 256 << 20);
    // As CPython does, each callback phase gets a new info dict: a fresh GC allocation the first
    // time, then one reused from the dict free list (invisible to the count).
    let freeDict = 0;
    const dictFreeList = { used: false };
    const w2 = generationalWorld(
      {
        callbackInfo: () => {
          if (!dictFreeList.used) {
            freeDict = w2.gc.allocate(w2.types.dict.id);
            dictFreeList.used = true;
          }
          return undefined;
        },
      },
      256 << 20,
    );
    w2.gc.collect();
    w2.gc.callbacks.push((phase, info) => {
      if (phase === "start") log.push([info.generation, w2.gc.getCount()[0]]);
    });
    for (let i = 0; i < 1_000_000; i++) w2.node();
    expect(freeDict).not.toBe(0);
    const gens = log.map(([g]) => g);
    expect(log[0]).toEqual([0, 702]);
    expect(log[1]).toEqual([0, 701]);
    expect(gens.slice(0, 24)).toEqual([...Array(11).fill(0), 1, ...Array(11).fill(0), 1]);
    expect(gens.indexOf(2)).toBe(132);
    // Without callbacks the trigger count is 701 (strictly above the threshold of 700).
    w.gc.collect();
    for (let i = 0; i < 700; i++) w.node();
    expect(w.gc.getCount()).toEqual([700, 0, 0]);
    w.node();
    expect(w.gc.getCount()).toEqual([0, 1, 0]);
  });

  it("apply the 25% rule: no full automatic collection until gen-1 survivors reach a quarter of the long-lived objects", () => {
    const w = generationalWorld({ thresholds: [10, 1, 1] });
    const keep = Array.from({ length: 400 }, () => w.node());
    w.gc.collect();
    w.gc.history.length = 0;
    for (let i = 0; i < 400; i++) keep.push(w.node());
    // Replay the rule over the recorded collections: pending grows by each gen-1 collection's
    // survivors; a full collection needs count2 > 1 (two gen-1 collections) and pending >= 100.
    let pending = 0;
    let gen1s = 0;
    let expectedAt = -1;
    let fullAt = -1;
    w.gc.history.forEach((h, i) => {
      if (fullAt >= 0) return;
      if (h.generation === 2) fullAt = i;
      if (h.generation === 1) {
        pending += h.examined - h.collected - h.uncollectable;
        gen1s++;
      }
      if (expectedAt < 0 && gen1s > 1 && pending >= 100) expectedAt = i + 1;
    });
    expect(expectedAt).toBeGreaterThan(6);
    expect(fullAt).toBe(expectedAt);
  });

  it("use 3.13's threshold with that preset", () => {
    expect(generationalWorld({ preset: "3.13" }).gc.getThreshold()).toEqual([...Presets["3.13"]]);
    expect(generationalWorld().gc.getThreshold()).toEqual([700, 10, 10]);
  });

  it("disable automatic collection with disable() or a zero threshold, but not gc.collect()", () => {
    for (const off of ["disable", "threshold"] as const) {
      const w = generationalWorld();
      if (off === "disable") w.gc.disable();
      else w.gc.setThreshold(0);
      for (let i = 0; i < 2000; i++) w.node();
      expect(w.gc.history).toHaveLength(0);
      expect(w.gc.collect()).toBe(0);
      expect(w.gc.history).toHaveLength(1);
    }
  });
});

describe("untracking", () => {
  it("untracks a tuple of non-containers in any collection, nested tuples one level per collection", () => {
    const w = generationalWorld();
    const int = w.gc.allocate(w.types.int.id);
    const inner = w.tuple(int);
    const outer = w.tuple(inner);
    // Only outer is referenced from outside: the collection moves inner behind it, so it sees
    // outer (whose item is still tracked) first and untracks inner only after.
    w.gc.rc.decref(inner);
    const holder = w.tuple(w.node());
    expect(w.gc.isTracked(inner) && w.gc.isTracked(outer)).toBe(true);
    w.gc.collect(0);
    expect(w.gc.isTracked(inner)).toBe(false);
    expect(w.gc.isTracked(outer)).toBe(true);
    w.gc.collect(1);
    expect(w.gc.isTracked(outer)).toBe(false);
    expect(w.gc.isTracked(holder)).toBe(true);
  });

  it("untracks dicts only in full collections", () => {
    // The fixture registers types in a fixed order, so the dict's id is known up front.
    const dictId = generationalWorld().types.dict.id;
    const w = generationalWorld({
      untrack: [{ typeId: dictId, fullCollectionsOnly: true, canUntrack: () => true }],
    });
    const d = w.gc.allocate(w.types.dict.id);
    w.gc.track(d);
    w.gc.collect(1);
    expect(w.gc.isTracked(d)).toBe(true);
    w.gc.collect(2);
    expect(w.gc.isTracked(d)).toBe(false);
  });
});

describe("freeze", () => {
  it("moves everything to the permanent generation, zeroes the counts, and hides it from collections", () => {
    const w = generationalWorld();
    const a = w.node();
    w.set(a, 0, a);
    w.node();
    w.gc.collect(0);
    w.node();
    w.gc.freeze();
    expect(w.gc.getCount()).toEqual([0, 0, 0]);
    expect(w.gc.getFreezeCount()).toBe(3);
    expect(w.gc.getObjects()).toEqual([]);
    w.gc.rc.decref(a);
    expect(w.gc.collect()).toBe(0);
    w.gc.unfreeze();
    expect(w.gc.getFreezeCount()).toBe(0);
    expect(w.gc.getObjects(2)).toHaveLength(3);
    expect(w.gc.collect()).toBe(1);
  });
});

describe("the gc module API", () => {
  it("refuses a generation outside 0..2 with Python's ValueError messages", () => {
    const w = generationalWorld();
    for (const g of [-1, 3, 1.5]) expect(() => w.gc.collect(g)).toThrow(GcValueError);
    expect(() => w.gc.collect(3)).toThrow("invalid generation");
    expect(() => w.gc.getObjects(3)).toThrow(
      "generation parameter must be less than the number of available generations (3)",
    );
    expect(() => w.gc.getObjects(-2)).toThrow("generation parameter cannot be negative");
    expect(() => w.gc.setThreshold(1.5)).toThrow(InvalidArgumentError);
    expect(() => w.gc.setDebug(Number.NaN)).toThrow(InvalidArgumentError);
    w.gc.verify();
  });

  it("returns 0 from a collection started inside one", () => {
    const w = generationalWorld();
    let nested = -1;
    w.gc.callbacks.push((phase) => {
      if (phase === "start") nested = w.gc.collect();
    });
    w.gc.collect();
    expect(nested).toBe(0);
  });

  it("calls gc.callbacks with CPython's phases and info, reporting a callback's exception (EXP-b)", () => {
    const reported: unknown[] = [];
    const w = generationalWorld({ unraisable: (e) => reported.push(e) });
    for (let i = 0; i < 3; i++) {
      const a = w.node();
      const b = w.node();
      w.set(a, 0, b);
      w.set(b, 0, a);
      w.gc.rc.decref(a);
      w.gc.rc.decref(b);
    }
    const events: Array<[string, GcCallbackInfo]> = [];
    w.gc.callbacks.push(() => {
      throw new Error("callback failed");
    });
    w.gc.callbacks.push((phase, info) => events.push([phase, info]));
    expect(w.gc.collect()).toBe(6);
    expect(events).toEqual([
      ["start", { generation: 2, collected: 0, uncollectable: 0 }],
      ["stop", { generation: 2, collected: 6, uncollectable: 0 }],
    ]);
    expect(reported).toHaveLength(2);
  });

  it("finds referrers in the three generations and referents of containers only", () => {
    const w = generationalWorld();
    const a = w.node();
    const b = w.node();
    const c = w.node();
    const int = w.gc.allocate(w.types.int.id);
    w.set(a, 0, c);
    w.set(b, 2, c);
    w.set(b, 3, int);
    expect(w.gc.getReferrers(c).sort()).toEqual([a, b].sort());
    expect(w.gc.getReferents(b, int, a)).toEqual([c, int, c]);
    w.gc.freeze();
    expect(w.gc.getReferrers(c)).toEqual([]);
  });

  it("answers is_tracked and is_finalized, false for non-containers", () => {
    const w = generationalWorld();
    const int = w.gc.allocate(w.types.int.id);
    const a = w.node("final");
    expect(w.gc.isTracked(int)).toBe(false);
    expect(w.gc.isFinalized(int)).toBe(false);
    expect(w.gc.isTracked(a)).toBe(true);
    w.gc.untrack(a);
    expect(w.gc.isTracked(a)).toBe(false);
    expect(() => w.gc.track(int)).toThrow(InvalidArgumentError);
    w.gc.track(a);
    expect(() => w.gc.track(a)).toThrow(/already tracked/);
  });

  it("prints CPython's debug lines", () => {
    const lines: string[] = [];
    const w = generationalWorld({ log: (line) => lines.push(line), clock: () => 0 });
    const a = w.node();
    w.set(a, 0, a);
    w.gc.rc.decref(a);
    const legacy = w.node("legacy");
    w.set(legacy, 0, legacy);
    w.gc.rc.decref(legacy);
    w.gc.setDebug(DebugFlags.Stats | DebugFlags.Collectable | DebugFlags.Uncollectable);
    w.gc.collect();
    expect(lines).toEqual([
      "gc: collecting generation 2...",
      "gc: objects in each generation: 2 0 0",
      "gc: objects in permanent generation: 0",
      `gc: collectable <node 0x${a.toString(16)}>`,
      `gc: uncollectable <legacy-node 0x${legacy.toString(16)}>`,
      "gc: done, 2 unreachable, 1 uncollectable, 0.0000s elapsed",
    ]);
  });

  it("calls the free-list hook after full collections only", () => {
    let cleared = 0;
    const w = generationalWorld({ clearFreeLists: () => cleared++ });
    w.gc.collect(0);
    w.gc.collect(1);
    expect(cleared).toBe(0);
    w.gc.collect(2);
    expect(cleared).toBe(1);
  });
});

describe("a collection with no weak reference or finalizer to handle", () => {
  // The shared fixture registers a type with a legacy finalizer, which keeps handle_weakrefs'
  // walk; these worlds have none, so when no trash object is weakly referenced, a weakref or
  // finalizable, the collection skips that walk and delete_garbage clears the marks instead.
  /** Pairs with two fields: without clear, or with release "fields" (and no free hook). */
  function pairWorld(release?: "fields") {
    const memory = new Memory({ maximumBytes: 16 << 20 });
    const space = new ObjectSpace(new FreeStore(new MemoryPageSource(memory)), new TypeRegistry());
    // Without clear, a cycle of pairs outlives delete_garbage, as such a cycle does in CPython.
    const pair = space.types.register({
      name: "pair",
      basicSize: 32,
      flags: TypeFlags.Gc,
      pointers: { fields: [16, 24] },
      ...(release ? { release } : {}),
    });
    const gc = new GenerationalCollector(space);
    const make = () => {
      const o = gc.allocate(pair.id);
      gc.track(o);
      return o;
    };
    const cycle = () => {
      const [a, b] = [make(), make()];
      gc.rc.incref(a);
      memory.u32[(a + 16) >>> 2] = b;
      memory.u32[(b + 16) >>> 2] = a;
      gc.rc.decref(a);
      return [a, b] as const;
    };
    return { gc, space, cycle, make };
  }

  it("leaves no collection mark on trash that outlives delete_garbage, which the next collection finds again", () => {
    const w = pairWorld();
    const [a, b] = w.cycle();
    expect(w.gc.collect()).toBe(2);
    expect(w.gc.getObjects(2)).toEqual([a, b]);
    w.gc.verify();
    expect(w.gc.collect()).toBe(2);
    expect(w.space.isLive(a) && w.space.isLive(b)).toBe(true);
    w.gc.verify();
  });

  it("keeps runs of trash without a clear in the oldest generation in list order, around a clear that frees", () => {
    const w = pairWorld();
    const [p1, p2] = w.cycle();
    // A release-fields holder that refers to itself and to p1: its clear frees it, and p1 lives
    // on, held by p2.
    const holderType = w.space.types.register({
      name: "holder",
      basicSize: 32,
      flags: TypeFlags.Gc,
      pointers: { fields: [16, 24] },
      release: "fields",
    });
    const h = w.gc.allocate(holderType.id);
    w.gc.track(h);
    w.space.memory.u32[(h + 16) >>> 2] = h;
    w.space.memory.u32[(h + 24) >>> 2] = p1;
    w.gc.rc.incref(p1);
    const [q1, q2] = w.cycle();
    const [r1, r2] = w.cycle();
    expect(w.gc.getObjects(0)).toEqual([p1, p2, h, q1, q2, r1, r2]);
    expect(w.gc.collect()).toBe(7);
    expect(w.space.isLive(h)).toBe(false);
    expect(w.gc.rc.refcount(p1)).toBe(1);
    expect(w.gc.getObjects(2)).toEqual([p1, p2, q1, q2, r1, r2]);
    w.gc.verify();
    expect(w.gc.collect()).toBe(6);
    expect(w.gc.getObjects(2)).toEqual([p1, p2, q1, q2, r1, r2]);
    w.gc.verify();
  });

  it("lowers the gen-0 count by the containers the counter frees, never below zero, as CPython's PyObject_GC_Del does", () => {
    const w = pairWorld("fields");
    const held = [w.cycle(), w.cycle()];
    for (const [a] of held) w.gc.rc.incref(a);
    expect(w.gc.getCount()[0]).toBe(4);
    w.gc.collect();
    expect(w.gc.getCount()[0]).toBe(0);
    // Four containers die with the count at 0: it stays at 0...
    for (const [a, b] of held) {
      w.space.memory.u32[(b + 16) >>> 2] = 0;
      w.gc.rc.decref(a);
      w.gc.rc.decref(a);
    }
    expect(w.space.liveObjects).toBe(0);
    // ...so three allocations after them count three.
    w.cycle();
    w.make();
    expect(w.gc.getCount()[0]).toBe(3);
  });

  it("keeps a release-fields object that outlives its clear in the oldest generation, from which it dies later in the same collection", () => {
    const w = pairWorld("fields");
    const [a, b] = w.cycle();
    const [k1, k2] = w.cycle();
    // k1.next holds a: clearing a frees b, but a lives on until k1's clear drops it.
    w.space.memory.u32[(k1 + 24) >>> 2] = a;
    w.gc.rc.incref(a);
    // k2.next holds a live object, so the trash is not closed: it is cleared one by one.
    const live = w.make();
    w.gc.rc.incref(live);
    w.space.memory.u32[(k2 + 24) >>> 2] = live;
    const freeClosedList = vi.spyOn(w.gc.rc, "freeClosedList");
    expect(w.gc.getObjects(0)).toEqual([a, b, k1, k2, live]);
    expect(w.gc.collect()).toBe(4);
    expect(freeClosedList.mock.results).toEqual([{ type: "return", value: false }]);
    expect(w.space.liveObjects).toBe(1);
    expect(w.gc.rc.refcount(live)).toBe(1);
    expect(w.gc.getObjects(2)).toEqual([live]);
    w.gc.verify();
  });

  it("frees trash that only refers to itself in one pass, and counts it as the clears would", () => {
    const w = pairWorld("fields");
    const trash = [w.cycle(), w.cycle(), w.cycle()].flat();
    // One cycle's objects also refer to the next cycle: the trash is one closed set.
    w.space.memory.u32[(trash[1]! + 24) >>> 2] = trash[2]!;
    w.gc.rc.incref(trash[2]!);
    const live = w.make();
    const freeClosedList = vi.spyOn(w.gc.rc, "freeClosedList");
    const containersFreed = w.space.containersFreed;
    expect(w.gc.collect()).toBe(6);
    expect(freeClosedList.mock.results).toEqual([{ type: "return", value: true }]);
    expect(trash.filter((o) => w.space.isLive(o))).toEqual([]);
    // The object space counts each container freed, as it does a death one by one.
    expect(w.space.containersFreed - containersFreed).toBe(6);
    expect(w.gc.getObjects(2)).toEqual([live]);
    expect(w.gc.getStats()[2]).toMatchObject({ collections: 1, collected: 6, uncollectable: 0 });
    w.gc.verify();
    w.space.verify();
  });

  it("leaves no collection mark on trash that DEBUG_SAVEALL keeps", () => {
    const w = pairWorld();
    const [a, b] = w.cycle();
    w.gc.setDebug(DebugFlags.SaveAll);
    expect(w.gc.collect()).toBe(2);
    expect(w.gc.garbage.toArray()).toEqual([a, b]);
    w.gc.verify();
  });
});

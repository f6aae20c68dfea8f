import { InvalidArgumentError, TypeFlags } from "@mm/heap";
import { describe, expect, it } from "vitest";
import { DebugFlags, TracingCollector } from "../src/index.js";
import { tracingWorld } from "./fixtures.js";

describe("TracingCollector", () => {
  it("frees what the roots do not reach, cycles included, and nothing else", () => {
    const w = tracingWorld();
    const a = w.node();
    const b = w.node();
    const c = w.node();
    w.set(a, 0, b);
    w.set(b, 0, a);
    w.roots.push(c);
    w.set(c, 1, w.node());
    expect(w.gc.collect()).toBe(2);
    expect(w.log.freed.sort()).toEqual([a, b].sort());
    expect(w.space.liveObjects).toBe(2);
  });

  it("collects when the allocation volume passes its pacing, before the new object exists", () => {
    const w = tracingWorld({ bytesBetweenCollections: 64 * 10 });
    for (let i = 0; i < 25; i++) w.node();
    expect(w.gc.history.length).toBe(2);
    expect(w.gc.history.every((h) => h.automatic === false && h.collected === 10)).toBe(true);
    w.gc.disable();
    for (let i = 0; i < 25; i++) w.node();
    expect(w.gc.history.length).toBe(2);
  });

  it("runs finalizers once and keeps what they resurrect", () => {
    const w = tracingWorld();
    const p = w.node("phoenix");
    const f = w.node("final");
    expect(w.gc.collect()).toBe(1);
    expect(w.log.finalized.sort()).toEqual([p, f].sort());
    expect(w.space.isLive(p)).toBe(true);
    w.log.graveyard.length = 0;
    expect(w.gc.collect()).toBe(1);
    expect(w.log.finalized).toHaveLength(2);
    expect(w.space.isLive(p)).toBe(false);
  });

  it("traces objects of a type a finalizer registered during the collection", () => {
    const w = tracingWorld();
    const kept = w.node();
    let box = 0;
    const u32 = () => w.space.memory.u32;
    const maker = w.space.types.register({
      name: "maker",
      basicSize: 24,
      flags: TypeFlags.Gc | TypeFlags.HasFinalizer,
      traverse: () => 0,
      finalize: () => {
        // A new GC type, one of whose objects the roots reach and which holds `kept`.
        const late = w.space.types.register({
          name: "late",
          basicSize: 24,
          flags: TypeFlags.Gc,
          traverse: (o, visit, arg) => visit(u32()[(o + 16) >>> 2]!, arg),
        });
        box = w.gc.allocate(late.id);
        u32()[(box + 16) >>> 2] = kept;
        w.roots.push(box);
      },
    });
    w.gc.allocate(maker.id);
    // Dead at the first mark: the maker and `kept`; the second mark finds `kept` through `box`.
    expect(w.gc.collect()).toBe(1);
    expect(w.space.isLive(box)).toBe(true);
    expect(w.space.isLive(kept)).toBe(true);
    w.space.verify();
  });

  it("clears weak references to the dead and runs the callbacks of reachable ones", () => {
    const w = tracingWorld();
    const target = w.node();
    const seen: number[] = [];
    const wr = w.gc.rc.newWeakref(target, (r) => seen.push(r));
    const deadRef = w.gc.rc.newWeakref(w.node(), (r) => seen.push(r));
    w.roots.push(wr);
    // Dead: the target, the second weakref and its target.
    expect(w.gc.collect()).toBe(3);
    expect(seen).toEqual([wr]);
    expect(w.gc.rc.weakrefTarget(wr)).toBe(0);
    expect(w.space.isLive(deadRef)).toBe(false);
  });

  it("keeps legacy finalizers and what they reach as uncollectable garbage", () => {
    const w = tracingWorld();
    const legacy = w.node("legacy");
    const child = w.node();
    w.set(legacy, 0, child);
    expect(w.gc.collect()).toBe(2);
    expect(w.gc.garbage.toArray()).toEqual([legacy]);
    expect(w.space.isLive(child)).toBe(true);
    expect(w.gc.collect()).toBe(0);
  });

  it("saves all trash with DEBUG_SAVEALL", () => {
    const w = tracingWorld();
    const a = w.node();
    w.gc.setDebug(DebugFlags.SaveAll);
    expect(w.gc.collect()).toBe(1);
    expect(w.gc.garbage.toArray()).toEqual([a]);
    expect(w.space.isLive(a)).toBe(true);
  });

  it("runs the shared phases in CPython's order under DEBUG_SAVEALL: finalizers first, then the save", () => {
    const w = tracingWorld();
    const f = w.node("final");
    const a = w.node();
    w.set(a, 0, f);
    w.gc.setDebug(DebugFlags.SaveAll);
    expect(w.gc.collect()).toBe(2);
    expect(w.log.finalized).toEqual([f]);
    expect(w.gc.garbage.toArray()).toEqual([f, a]);
    // Saved trash counts as collected, as CPython's `m` does.
    expect(w.gc.getStats()[2]).toEqual({ collections: 1, collected: 2, uncollectable: 0 });
    expect(w.log.freed).toEqual([]);
  });

  it("frees objects without a GC head with the trash, and keeps those a survivor reaches", () => {
    const w = tracingWorld();
    const legacy = w.node("legacy");
    const kept = w.gc.allocate(w.types.int.id);
    w.set(legacy, 0, kept);
    const lost = w.gc.allocate(w.types.int.id);
    const holder = w.node();
    w.set(holder, 0, lost);
    expect(w.gc.collect()).toBe(3);
    expect(w.space.isLive(kept)).toBe(true);
    expect(w.log.freed.sort()).toEqual([lost, holder].sort());
    expect(w.gc.getStats()[2]).toEqual({ collections: 1, collected: 2, uncollectable: 1 });
  });

  it("leaves no object on a list, after a collection and after one that threw", () => {
    const w = tracingWorld({ unraisable: () => {} });
    let fail = false;
    const bad = w.space.types.register({
      name: "bad",
      basicSize: 32,
      flags: TypeFlags.Gc | TypeFlags.LegacyFinalizer,
      traverse: () => {
        if (fail) throw new Error("traverse failed");
        return 0;
      },
    });
    const a = w.node();
    const b = w.node();
    w.set(a, 0, b);
    w.set(b, 0, a);
    const x = w.gc.allocate(bad.id);
    fail = true;
    expect(() => w.gc.collect()).toThrow("traverse failed");
    // Nothing stays linked through its GC head: gc_next is 0 for every container.
    for (const o of [a, b, x]) expect(w.space.memory.u32[(o - 16) >>> 2]).toBe(0);
    fail = false;
    expect(w.gc.collect()).toBe(3);
    expect(w.space.isLive(a)).toBe(false);
    expect(w.gc.garbage.toArray()).toEqual([x]);
    for (const o of [x, ...w.space.objects()]) {
      if (w.space.typeOf(o).isGc) expect(w.space.memory.u32[(o - 16) >>> 2]).toBe(0);
    }
    w.space.verify();
  });

  it("never frees immortal objects", () => {
    const w = tracingWorld();
    const a = w.node();
    w.gc.rc.makeImmortal(a);
    expect(w.gc.collect()).toBe(0);
    expect(w.space.isLive(a)).toBe(true);
  });

  it("returns 0 from a collection started inside one", () => {
    const w = tracingWorld();
    let nested = -1;
    const wr = w.gc.rc.newWeakref(w.node(), () => {
      nested = w.gc.collect();
    });
    w.roots.push(wr);
    expect(w.gc.collect()).toBe(1);
    expect(nested).toBe(0);
  });

  it("refuses a missing roots function and bad pacing", () => {
    const w = tracingWorld();
    expect(() => new TracingCollector(w.space, {} as never)).toThrow(InvalidArgumentError);
    expect(() => tracingWorld({ bytesBetweenCollections: -1 })).toThrow(InvalidArgumentError);
  });
});

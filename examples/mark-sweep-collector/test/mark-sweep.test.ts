// The collector on its own, over an object space and a roots callback: after a collection the
// live objects are exactly those the roots reach (checked against a plain reachability oracle
// on random graphs), finalizers run once and may resurrect, weak references to the dead are
// cleared. The broken variant fails the same property.

import {
  FreeStore,
  Memory,
  MemoryPageSource,
  ObjectSpace,
  type TypeDescriptor,
  TypeFlags,
  TypeRegistry,
} from "@mm/heap";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import markSweep, { MarkSweepCollector } from "../src/index.js";
import { ForgetfulMarkSweepCollector } from "./fixtures/forgetful.js";

/** A space with a two-field node (a pointer map) and a node holding a run of items. */
function world(make: typeof MarkSweepCollector = MarkSweepCollector) {
  const memory = new Memory({ maximumBytes: 16 << 20 });
  const space = new ObjectSpace(new FreeStore(new MemoryPageSource(memory)), new TypeRegistry());
  const pair = space.types.register({
    name: "pair",
    basicSize: 32,
    flags: TypeFlags.Gc | TypeFlags.Weakrefable,
    pointers: { fields: [16, 24] },
  });
  const vector = space.types.register({
    name: "vector",
    basicSize: 24,
    itemSize: 8,
    flags: TypeFlags.Gc,
    pointers: { items: { count: 16, first: 24 } },
  });
  const roots = new Set<number>();
  const gc = new make(space, { roots: (visit) => roots.forEach(visit), unraisable: () => {} });
  const link = (from: number, slot: number, to: number) => {
    space.memory.u32[(from + slot) >>> 2] = to;
  };
  return { space, gc, roots, pair, vector, link };
}

/**
 * A random object graph: each object a pair or a vector, each slot empty or naming an object
 * (taken modulo the number of objects), and some roots. Built without `chain` so that it
 * shrinks well.
 */
const graphs = fc.record({
  nodes: fc.array(
    fc.record({
      isPair: fc.boolean(),
      slots: fc.array(fc.option(fc.nat(), { nil: -1 }), { minLength: 2, maxLength: 4 }),
    }),
    { minLength: 1, maxLength: 12 },
  ),
  roots: fc.array(fc.nat(), { maxLength: 12 }),
});

type Graph = { nodes: Array<{ isPair: boolean; slots: number[] }>; roots: number[] };

/** Builds the graph and collects; returns whether the survivors are exactly the reachable objects. */
function survivorsAreReachable(make: typeof MarkSweepCollector, g: Graph): boolean {
  const w = world(make);
  const n = g.nodes.length;
  const objects = g.nodes.map(({ isPair, slots }) =>
    isPair ? w.gc.allocate(w.pair.id, 0) : w.gc.allocate(w.vector.id, slots.length),
  );
  const edges = g.nodes.map(({ isPair, slots }, i) => {
    const targets = (isPair ? slots.slice(0, 2) : slots).map((t) => (t < 0 ? 0 : objects[t % n]!));
    targets.forEach((t, k) => {
      if (isPair) w.link(objects[i]!, 16 + 8 * k, t);
      else {
        w.space.memory.u32[(objects[i]! + 16) >>> 2] = targets.length;
        w.link(objects[i]!, 24 + 8 * k, t);
      }
    });
    return targets.filter((t) => t !== 0);
  });
  for (const r of g.roots) w.roots.add(objects[r % n]!);
  // The oracle: plain reachability over the edges as built.
  const reachable = new Set<number>();
  const stack = [...w.roots];
  while (stack.length > 0) {
    const o = stack.pop()!;
    if (reachable.has(o)) continue;
    reachable.add(o);
    stack.push(...edges[objects.indexOf(o)]!);
  }
  const found = w.gc.collect();
  const live = [...w.space.objects()];
  return (
    found === objects.length - reachable.size &&
    live.length === reachable.size &&
    live.every((o) => reachable.has(o))
  );
}

describe("MarkSweepCollector", () => {
  it("keeps exactly what the roots reach (reachability oracle on random graphs)", () => {
    fc.assert(fc.property(graphs, (g) => survivorsAreReachable(MarkSweepCollector, g)));
  });

  it("the forgetful variant fails the same property, on a small graph", () => {
    const result = fc.check(
      fc.property(graphs, (g) => survivorsAreReachable(ForgetfulMarkSweepCollector, g)),
      // A fixed seed: this test shows the bug found and shrunk, the same way on every run.
      { numRuns: 1000, seed: 17 },
    );
    expect(result.failed).toBe(true);
    const [g] = result.counterexample as [Graph];
    // Shrunk to a handful of objects (this seed: four), one of them held by a last field
    // alone; the correct collector passes on it. The testkit property's test shrinks further.
    expect(g.nodes.length).toBeLessThanOrEqual(4);
    expect(survivorsAreReachable(MarkSweepCollector, g)).toBe(true);
  });

  it("runs a finalizer once, keeps what it resurrects, and clears weakrefs to the dead", () => {
    const w = world();
    let finalized = 0;
    const phoenix: TypeDescriptor = w.space.types.register({
      name: "phoenix",
      basicSize: 24,
      flags: TypeFlags.Gc | TypeFlags.HasFinalizer,
      pointers: { fields: [16] },
      finalize: (o) => {
        finalized++;
        w.roots.add(o);
      },
    });
    const gc = w.gc;
    const p = gc.allocate(phoenix.id, 0);
    const target = gc.allocate(w.pair.id, 0);
    let called = 0;
    const wr = gc.rc.newWeakref(target, () => called++);
    w.roots.add(wr);
    expect(gc.collect()).toBe(1);
    expect([finalized, w.space.isLive(p), w.space.isLive(target), called]).toEqual([
      1,
      true,
      false,
      1,
    ]);
    expect(gc.isFinalized(p)).toBe(true);
    w.roots.clear();
    expect(gc.collect()).toBe(2);
    expect(finalized).toBe(1);
    expect(w.space.liveObjects).toBe(0);
    expect(gc.getStats()[2]).toEqual({ collections: 2, collected: 3, uncollectable: 0 });
  });

  it("is a collector definition with a name, capabilities and a factory", () => {
    expect(markSweep.name).toBe("mark-sweep");
    expect(markSweep.capabilities.roots).toBe(true);
    expect(() => new MarkSweepCollector(world().space, {} as never)).toThrow(/roots\(visit\)/);
  });
});

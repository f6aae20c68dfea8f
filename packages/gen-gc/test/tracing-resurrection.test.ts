// Resurrection under the tracing collector: a finalizer that stores a dying object into a
// container the roots already reached (as `rescued.append(self)` does in Python) makes that
// object, and everything it reaches, live again. CPython's handle_resurrected_objects keeps all
// of it: nothing reachable from the roots after the finalizers may be freed or changed, GC
// objects and objects without a GC head alike.

import { TypeFlags, type Visit } from "@mm/heap";
import { fcRuns } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SLOTS, type TracingWorld, tracingWorld } from "./fixtures.js";

const slotAt = (object: number, i: number) => (object + 16 + 8 * i) >>> 2;

/**
 * A world with a root `box` (a plain node) and a node type whose finalizer stores the object
 * `rescue(o)` names (0 for none) into one of box's slots.
 */
function rescueWorld(rescue: (o: number) => [slot: number, object: number] | undefined) {
  const w = tracingWorld();
  const box = w.node();
  w.roots.push(box);
  const u32 = () => w.space.memory.u32;
  const traverse = (o: number, visit: Visit, arg: number) => {
    for (let i = 0; i < SLOTS; i++) {
      const child = u32()[slotAt(o, i)]!;
      if (child !== 0) visit(child, arg);
    }
    return 0;
  };
  const rescuer = w.space.types.register({
    name: "rescuer",
    basicSize: 16 + 8 * SLOTS,
    flags: TypeFlags.Gc | TypeFlags.Weakrefable | TypeFlags.HasFinalizer,
    traverse,
    finalize: (o) => {
      w.log.finalized.push(o);
      const stored = rescue(o);
      if (stored) u32()[slotAt(box, stored[0])] = stored[1];
    },
  });
  return { w, box, rescuer };
}

/** Every object the roots reach now, found by walking the slots as they are in memory. */
function reachable(w: TracingWorld, box: number): Set<number> {
  const seen = new Set<number>();
  const stack = [box, ...w.roots];
  while (stack.length > 0) {
    const o = stack.pop()!;
    if (seen.has(o)) continue;
    seen.add(o);
    // A freed object is not walked (its memory is no object's): the caller sees it is not live.
    if (!w.space.isLive(o) || !w.space.typeOf(o).isGc) continue;
    for (let i = 0; i < SLOTS; i++) {
      const child = w.space.memory.u32[slotAt(o, i)]!;
      if (child !== 0) stack.push(child);
    }
  }
  return seen;
}

describe("TracingCollector: resurrection through an object the roots already reached", () => {
  it("keeps a resurrected object's referents, GC heads or not, and does not change them", () => {
    let self = 0;
    const { w, box, rescuer } = rescueWorld((o) => (o === self ? [0, o] : undefined));
    const a = w.gc.allocate(rescuer.id);
    self = a;
    const list = w.node(); // a.other = [1]
    const one = w.gc.allocate(w.types.int.id);
    const name = w.gc.allocate(w.types.int.id);
    w.set(a, 0, name);
    w.set(a, 1, list);
    w.set(list, 0, one);
    w.set(list, 1, a); // a cycle through the resurrected object
    expect(w.gc.collect()).toBe(0);
    expect(w.log.finalized).toEqual([a]);
    expect(w.log.freed).toEqual([]);
    expect(w.space.memory.u32[slotAt(box, 0)]).toBe(a);
    for (const o of [a, list, one, name]) expect(w.space.isLive(o)).toBe(true);
    expect([0, 1].map((i) => w.space.memory.u32[slotAt(a, i)])).toEqual([name, list]);
    expect([0, 1].map((i) => w.space.memory.u32[slotAt(list, i)])).toEqual([one, a]);
    w.space.verify();
    w.gc.verify();
    // Once let go, the finalized object dies without its finalizer running again.
    w.space.memory.u32[slotAt(box, 0)] = 0;
    expect(w.gc.collect()).toBe(4);
    expect(w.log.finalized).toEqual([a]);
    expect(w.log.freed.sort()).toEqual([a, list, one, name].sort());
    w.space.verify();
  });

  it("frees nothing the roots reach after the finalizers, whatever graph they resurrect", () => {
    // A random graph of rescuers, plain nodes and ints (no GC head), none reachable at first;
    // each rescuer's finalizer stores some object of the graph into one of box's slots.
    const graph = fc.integer({ min: 1, max: 14 }).chain((n) =>
      fc.record({
        kinds: fc.array(fc.constantFrom("rescuer", "plain", "int"), {
          minLength: n,
          maxLength: n,
        }),
        edges: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(SLOTS - 1), fc.nat(n - 1)), {
          maxLength: 3 * n,
        }),
        rescues: fc.array(fc.option(fc.tuple(fc.nat(SLOTS - 1), fc.nat(n - 1))), {
          minLength: n,
          maxLength: n,
        }),
      }),
    );
    fc.assert(
      fc.property(graph, ({ kinds, edges, rescues }) => {
        const index = new Map<number, number>();
        const objects: number[] = [];
        const { w, box, rescuer } = rescueWorld((o) => {
          const rescue = rescues[index.get(o)!];
          return rescue ? [rescue[0], objects[rescue[1]]!] : undefined;
        });
        for (const kind of kinds) {
          const id =
            kind === "rescuer"
              ? rescuer.id
              : kind === "int"
                ? w.types.int.id
                : w.types.node.plain.id;
          const o = w.gc.allocate(id);
          index.set(o, objects.length);
          objects.push(o);
        }
        for (const [from, i, to] of edges) {
          if (kinds[from] !== "int") w.set(objects[from]!, i, objects[to]!);
        }
        const before = objects.map((o) =>
          Array.from({ length: SLOTS }, (_, i) => w.space.memory.u32[slotAt(o, i)]),
        );
        const swept = w.gc.collect();
        const live = reachable(w, box);
        // Whatever the roots reach is live, untouched, and was not freed even for a moment.
        for (const o of live) expect(w.space.isLive(o)).toBe(true);
        expect(w.log.freed.filter((o) => live.has(o))).toEqual([]);
        objects.forEach((o, k) => {
          if (live.has(o) && kinds[k] !== "int") {
            expect(
              Array.from({ length: SLOTS }, (_, i) => w.space.memory.u32[slotAt(o, i)]),
            ).toEqual(before[k]);
          }
        });
        // The rest is freed: the collection's count is exactly what it freed.
        const dead = objects.filter((o) => !live.has(o));
        expect(w.log.freed.sort()).toEqual(dead.sort());
        expect(swept).toBe(dead.length);
        w.space.verify();
        w.gc.verify();
        // A second collection finds nothing new and runs no finalizer again.
        const finalized = w.log.finalized.length;
        expect(w.gc.collect()).toBe(0);
        expect(w.log.finalized).toHaveLength(finalized);
        for (const o of live) expect(w.space.isLive(o)).toBe(true);
        w.space.verify();
      }),
      { numRuns: fcRuns(300) },
    );
  });
});

// The detection loops against CPython 3.11's update_refs, subtract_refs and move_unreachable
// written out plainly over the heap's graph as JavaScript arrays: on random graphs of objects
// whose references are described by pointer maps (fixed fields, and an inline run visited last
// to first, as a tuple's) or by a traverse function, a full collection must free exactly the
// objects the reference finds unreachable and leave the survivors in exactly the order its
// walk leaves them (a tentatively unreachable object that turns out reachable goes back to the
// tail, in the order its referrers' visits reach it). The collector marks "reachable, not yet
// scanned" with COLLECTING cleared where CPython sets gc_refs to 1; this test holds the two to
// the same lists.

import {
  FreeStore,
  Memory,
  MemoryPageSource,
  ObjectSpace,
  type TypeDescriptor,
  TypeFlags,
  TypeRegistry,
  type Visit,
} from "@mm/heap";
import { fcRuns } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { GenerationalCollector } from "../src/index.js";

/** Reference slots of the fixed-field kinds, at +16, +24, +32, +40. */
const FIELDS = [16, 24, 32, 40];
/** The tuple kind's item count at +16 and items from +24. */
const TUPLE_COUNT = 16;
const TUPLE_ITEMS = 24;

type Kind = "mapped" | "walked" | "tuple";

interface World {
  readonly gc: GenerationalCollector;
  readonly space: ObjectSpace;
  readonly kindOf: Map<number, Kind>;
  create(kind: Kind, items: number): number;
  /** The references `object` holds, in its traverse order (a tuple's last to first). */
  slots(object: number): number[];
}

function world(): World {
  const memory = new Memory({ maximumBytes: 16 << 20 });
  const space = new ObjectSpace(new FreeStore(new MemoryPageSource(memory)), new TypeRegistry());
  const kindOf = new Map<number, Kind>();
  let gc!: GenerationalCollector;
  const u32 = () => space.memory.u32;
  const slotsOf = (o: number): number[] => {
    if (kindOf.get(o) === "tuple") {
      const out: number[] = [];
      for (let i = u32()[(o + TUPLE_COUNT) >>> 2]! - 1; i >= 0; i--) {
        out.push(u32()[(o + TUPLE_ITEMS + 8 * i) >>> 2]!);
      }
      return out;
    }
    return FIELDS.map((f) => u32()[(o + f) >>> 2]!);
  };
  const drop = (o: number) => {
    const at =
      kindOf.get(o) === "tuple"
        ? Array.from(
            { length: u32()[(o + TUPLE_COUNT) >>> 2]! },
            (_, i) => (o + TUPLE_ITEMS + 8 * i) >>> 2,
          )
        : FIELDS.map((f) => (o + f) >>> 2);
    for (const slot of at) {
      const child = u32()[slot]!;
      u32()[slot] = 0;
      if (child !== 0) gc.rc.decref(child);
    }
  };
  const traverse = (o: number, visit: Visit, arg: number): number => {
    for (const child of slotsOf(o)) {
      if (child !== 0 && visit(child, arg) !== 0) return 1;
    }
    return 0;
  };
  const types: Record<Kind, TypeDescriptor> = {
    mapped: space.types.register({
      name: "mapped",
      basicSize: 48,
      flags: TypeFlags.Gc,
      pointers: { fields: FIELDS },
      clear: drop,
      dealloc: drop,
    }),
    walked: space.types.register({
      name: "walked",
      basicSize: 48,
      flags: TypeFlags.Gc,
      traverse,
      clear: drop,
      dealloc: drop,
    }),
    tuple: space.types.register({
      name: "tuple",
      basicSize: 24,
      itemSize: 8,
      flags: TypeFlags.Gc,
      pointers: { items: { count: TUPLE_COUNT, first: TUPLE_ITEMS, reverse: true } },
      // A clear, unlike CPython's tuple, so that a cycle of tuples alone is freed too.
      clear: drop,
      dealloc: drop,
    }),
  };
  gc = new GenerationalCollector(space, {
    free: (o) => {
      kindOf.delete(o);
      gc.release(o);
    },
  });
  gc.disable();
  return {
    gc,
    space,
    kindOf,
    create(kind, items) {
      const o = gc.allocate(types[kind].id, kind === "tuple" ? items : 0);
      kindOf.set(o, kind);
      gc.track(o);
      return o;
    },
    slots: slotsOf,
  };
}

/**
 * CPython's detection over `young` (the examined objects in list order): returns the
 * survivors in the order move_unreachable leaves them, and the unreachable set.
 */
function reference(
  young: readonly number[],
  refcount: (o: number) => number,
  slots: (o: number) => number[],
): { survivors: number[]; unreachable: Set<number> } {
  const examined = new Set(young);
  const gcRefs = new Map<number, number>();
  for (const o of young) gcRefs.set(o, refcount(o));
  for (const o of young) {
    for (const child of slots(o)) {
      if (examined.has(child)) gcRefs.set(child, gcRefs.get(child)! - 1);
    }
  }
  // The young list as an array the walk appends to; `gone` marks entries moved out of it.
  const list = [...young];
  const at = new Map(list.map((o, i) => [o, i]));
  const gone = new Set<number>();
  const unreachable = new Set<number>();
  for (let i = 0; i < list.length; i++) {
    const o = list[i]!;
    if (gone.has(o) && at.get(o) === i) continue;
    if (at.get(o) !== i) continue;
    if (gcRefs.get(o) === 0) {
      unreachable.add(o);
      gone.add(o);
      continue;
    }
    for (const child of slots(o)) {
      if (!examined.has(child)) continue;
      if (unreachable.has(child)) {
        unreachable.delete(child);
        gone.delete(child);
        at.set(child, list.length);
        list.push(child);
        gcRefs.set(child, 1);
      } else if (gcRefs.get(child) === 0) {
        gcRefs.set(child, 1);
      }
    }
  }
  const survivors = list.filter((o, i) => at.get(o) === i && !gone.has(o));
  return { survivors, unreachable };
}

/** A random program: objects, links between them, and which keep their creation reference. */
const programs = fc.integer({ min: 1, max: 40 }).chain((n) =>
  fc.record({
    kinds: fc.array(fc.constantFrom<Kind>("mapped", "walked", "tuple"), {
      minLength: n,
      maxLength: n,
    }),
    sizes: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: n, maxLength: n }),
    links: fc.array(
      fc.record({
        from: fc.nat(n - 1),
        slot: fc.nat(3),
        to: fc.nat(n - 1),
      }),
      { maxLength: 4 * n },
    ),
    // Few roots, so that most objects are reached only through others: the walk then meets
    // many that it must first take for unreachable.
    roots: fc.array(
      fc.nat(3).map((x) => x === 0),
      { minLength: n, maxLength: n },
    ),
    dropAfterFirst: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
  }),
);

describe("detection against CPython's algorithm written out", () => {
  it("frees exactly the unreachable objects and leaves the survivors in CPython's order", () => {
    fc.assert(
      fc.property(programs, ({ kinds, sizes, links, roots, dropAfterFirst }) => {
        const w = world();
        const u32 = () => w.space.memory.u32;
        const objects = kinds.map((kind, i) => w.create(kind, sizes[i]!));
        for (const { from, slot, to } of links) {
          const parent = objects[from]!;
          const child = objects[to]!;
          const offset =
            w.kindOf.get(parent) === "tuple"
              ? u32()[(parent + TUPLE_COUNT) >>> 2]! > slot
                ? TUPLE_ITEMS + 8 * slot
                : -1
              : FIELDS[slot]!;
          if (offset < 0) continue;
          const old = u32()[(parent + offset) >>> 2]!;
          w.gc.rc.incref(child);
          u32()[(parent + offset) >>> 2] = child;
          if (old !== 0) w.gc.rc.decref(old);
        }
        // Dropping a creation reference may free acyclic objects by count right away.
        const held = new Set<number>();
        objects.forEach((o, i) => {
          if (roots[i]) held.add(o);
          else w.gc.rc.decref(o);
        });
        for (let round = 0; round < 2; round++) {
          const young = w.gc.getObjects();
          const expected = reference(young, (o) => u32()[o >>> 2]!, w.slots);
          const found = w.gc.collect(2);
          expect(found).toBe(expected.unreachable.size);
          expect(w.gc.getObjects(2)).toEqual(expected.survivors);
          for (const o of expected.unreachable) expect(w.space.isLive(o)).toBe(false);
          expect(() => w.gc.verify()).not.toThrow();
          // Between the rounds some roots go, so that the second walk starts from the order
          // the first one left.
          objects.forEach((o, i) => {
            if (round === 0 && held.has(o) && dropAfterFirst[i] && w.space.isLive(o)) {
              held.delete(o);
              w.gc.rc.decref(o);
            }
          });
        }
      }),
      {
        numRuns: fcRuns(300),
        // A held tuple whose two items were made before it and are held by it alone: the walk
        // takes both for unreachable, then the tuple's visit (last item first) brings them back.
        examples: [
          [
            {
              kinds: ["tuple", "mapped", "tuple"],
              sizes: [0, 0, 2],
              links: [
                { from: 2, slot: 0, to: 0 },
                { from: 2, slot: 1, to: 1 },
              ],
              roots: [false, false, true],
              dropAfterFirst: [false, false, false],
            },
          ],
        ],
      },
    );
  });
});

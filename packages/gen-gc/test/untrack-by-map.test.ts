// An untrack rule declared as the pointer-map test (`byPointerMap`) is run by the collector
// itself: a rule of every collection inside move_unreachable's walk, a rule of full collections
// over the survivors that walk noted down. Both must untrack exactly what CPython's sequential
// walks after move_unreachable untrack (untrack_tuples, then untrack_dicts), which the same rules
// given as callbacks do: the property runs one random program in two worlds, one with each
// form, and compares after every collection which objects are tracked and the generation lists
// in order (the order decides what a later test sees as already untracked).

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
import { GenerationalCollector, type UntrackRule } from "../src/index.js";

type Kind = "node" | "tuple" | "dict" | "int";
const SLOTS = 4;

interface World {
  readonly gc: GenerationalCollector;
  readonly space: ObjectSpace;
  readonly types: Record<Kind, TypeDescriptor>;
}

/** Traverse and clear over `count(o)` slots of 8 bytes from `first` (last to first with `reverse`). */
function slots(space: ObjectSpace, count: (o: number) => number, first: number, reverse: boolean) {
  const at = (o: number, i: number, n: number) => (o + first + 8 * (reverse ? n - 1 - i : i)) >>> 2;
  return {
    traverse: (o: number, visit: Visit, arg: number): number => {
      const n = count(o);
      for (let i = 0; i < n; i++) {
        const child = space.memory.u32[at(o, i, n)]!;
        if (child !== 0 && visit(child, arg) !== 0) return 1;
      }
      return 0;
    },
    clear: (gc: () => GenerationalCollector) => (o: number) => {
      const n = count(o);
      for (let i = 0; i < n; i++) {
        const child = space.memory.u32[at(o, i, n)]!;
        space.memory.u32[at(o, i, n)] = 0;
        if (child !== 0) gc().rc.decref(child);
      }
    },
  };
}

/** A world whose rules are callbacks (`byMap` false) or pointer-map tests (true). */
function world(byMap: boolean): World {
  const memory = new Memory({ maximumBytes: 16 << 20 });
  const space = new ObjectSpace(new FreeStore(new MemoryPageSource(memory)), new TypeRegistry());
  let gc!: GenerationalCollector;
  const four = slots(space, () => SLOTS, 16, false);
  const items = slots(space, (o) => space.memory.u32[(o + 16) >>> 2]!, 24, true);
  const fields = [16, 24, 32, 40];
  const types: Record<Kind, TypeDescriptor> = {
    node: space.types.register({
      name: "node",
      basicSize: 48,
      flags: TypeFlags.Gc,
      pointers: { fields },
      traverse: four.traverse,
      clear: four.clear(() => gc),
      dealloc: four.clear(() => gc),
    }),
    tuple: space.types.register({
      name: "tuple",
      basicSize: 24,
      itemSize: 8,
      flags: TypeFlags.Gc,
      pointers: { items: { count: 16, first: 24, reverse: true } },
      traverse: items.traverse,
      dealloc: items.clear(() => gc),
    }),
    dict: space.types.register({
      name: "dict",
      basicSize: 48,
      flags: TypeFlags.Gc,
      pointers: { fields },
      traverse: four.traverse,
      clear: four.clear(() => gc),
      dealloc: four.clear(() => gc),
    }),
    int: space.types.register({ name: "int", basicSize: 32 }),
  };
  // CPython's _PyObject_GC_MAY_BE_TRACKED: a container, unless an untracked tuple.
  const mayBeTracked = (o: number) =>
    space.typeOf(o).isGc && (space.typeOf(o) !== types.tuple || gc.isTracked(o));
  const test =
    (count: (o: number) => number, at: (o: number, i: number) => number) => (o: number) => {
      for (let i = 0; i < count(o); i++) {
        const ref = space.memory.u32[at(o, i) >>> 2]!;
        if (ref === 0 || mayBeTracked(ref)) return false;
      }
      return true;
    };
  const rules: UntrackRule[] = [
    {
      typeId: types.tuple.id,
      fullCollectionsOnly: false,
      canUntrack: test(
        (o) => space.memory.u32[(o + 16) >>> 2]!,
        (o, i) => o + 24 + 8 * i,
      ),
      ...(byMap ? { byPointerMap: true, untrackedIsAcyclic: true } : {}),
    },
    {
      typeId: types.dict.id,
      fullCollectionsOnly: true,
      canUntrack: test(
        () => SLOTS,
        (o, i) => o + 16 + 8 * i,
      ),
      ...(byMap ? { byPointerMap: true } : {}),
    },
  ];
  gc = new GenerationalCollector(space, { untrack: rules });
  gc.disable();
  return { gc, space, types };
}

const step = fc.record({
  kind: fc.constantFrom<Kind>("node", "tuple", "tuple", "dict", "int"),
  /** Picks among the objects made so far (modulo their number). */
  targets: fc.array(fc.nat(), { maxLength: SLOTS }),
  drop: fc.boolean(),
});

/** Runs the program in `w`; returns, after each collection, what the test compares. */
function run(
  w: World,
  steps: ReadonlyArray<{ kind: Kind; targets: readonly number[]; drop: boolean }>,
  cycles: readonly number[],
  generations: readonly number[],
): unknown[] {
  const { gc, space, types } = w;
  const made: number[] = [];
  const held: number[] = [];
  const live = () => made.filter((o) => space.isLive(o));
  const set = (o: number, offset: number, child: number) => {
    gc.rc.incref(child);
    space.memory.u32[(o + offset) >>> 2] = child;
  };
  for (const s of steps) {
    const now = live();
    const targets = now.length === 0 ? [] : s.targets.map((n) => now[n % now.length]!);
    let o: number;
    if (s.kind === "tuple") {
      o = gc.allocate(types.tuple.id, targets.length);
      for (let i = 0; i < targets.length; i++) set(o, 24 + 8 * i, targets[i]!);
      gc.track(o);
    } else if (s.kind === "int") {
      o = gc.allocate(types.int.id);
    } else {
      o = gc.allocate(types[s.kind].id);
      gc.track(o);
      for (let i = 0; i < targets.length; i++) set(o, 16 + 8 * i, targets[i]!);
    }
    made.push(o);
    if (s.drop) gc.rc.decref(o);
    else held.push(o);
  }
  // Cycles through nodes: a live node's last slot (when empty) to another live object.
  for (const c of cycles) {
    const now = live();
    const nodes = now.filter((o) => space.typeOf(o) === types.node);
    if (nodes.length === 0) break;
    const from = nodes[c % nodes.length]!;
    if (space.memory.u32[(from + 40) >>> 2] === 0) set(from, 40, now[(c >>> 3) % now.length]!);
  }
  const index = new Map(made.map((o, i) => [o, i]));
  const seen: unknown[] = [];
  for (const g of generations) {
    const found = gc.collect(g);
    seen.push(
      found,
      [0, 1, 2].map((k) => gc.getObjects(k).map((o) => index.get(o) ?? -1)),
      made.map((o) => space.isLive(o) && gc.isTracked(o)),
    );
  }
  for (const o of held) gc.rc.decref(o);
  return seen;
}

describe("untrack rules given as pointer-map tests", () => {
  it("untrack what the same rules as callbacks untrack, leaving the lists in the same order", () => {
    fc.assert(
      fc.property(
        fc.array(step, { minLength: 1, maxLength: 50 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 4 }),
        (steps, cycles, generations) => {
          const byCallback = run(world(false), steps, cycles, generations);
          const byMap = run(world(true), steps, cycles, generations);
          expect(byMap).toEqual(byCallback);
        },
      ),
      { numRuns: fcRuns(300) },
    );
  });

  it("untrack a chain of 1-tuples one link per collection, as CPython does", () => {
    // move_unreachable leaves the chain outermost first, so each tuple's item is still tracked
    // when the test reaches it, except the innermost one's.
    for (const byMap of [false, true]) {
      const { gc, space, types } = world(byMap);
      const none = gc.allocate(types.int.id);
      let t = 0;
      for (let i = 0; i < 5; i++) {
        const u = gc.allocate(types.tuple.id, 1);
        space.memory.u32[(u + 24) >>> 2] = t === 0 ? none : t;
        if (t === 0) gc.rc.incref(none);
        gc.track(u);
        t = u;
      }
      const tracked: number[] = [];
      for (let i = 0; i < 3; i++) {
        gc.collect(2);
        tracked.push(gc.getObjects(2).length);
      }
      expect(tracked).toEqual([4, 3, 2]);
    }
  });
});

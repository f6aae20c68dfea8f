// `release: "pointers"`: a type whose dealloc drops exactly its pointer map (the fields, then the
// item run) is released by the counter's own loops. Two such types here, one with its items
// inline and released last to first (a tuple), one with a field and its items in a block that
// keeps their count and are released first to last (an instance and its values block, freed
// by the free hook after the drops). Random acyclic heaps of them, with weak references and
// chains deeper than the trashcan's 50 (or, under a trashcan of 300, nesting in place up to the
// whole chain), die the same way with the in-place release on and off.

import {
  FreeStore,
  InvalidArgumentError,
  Memory,
  MemoryPageSource,
  ObjectSpace,
  type TypeDescriptor,
  TypeFlags,
  TypeRegistry,
} from "@mm/heap";
import { fcRuns } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RefCounter } from "../src/index.js";

/** `vec`: ob_size at +16, the items inline from +24. */
const VEC_SIZE = 16;
const VEC_ITEMS = 24;
/** `rec`: a field at +16, the values block's address at +24 (capacity, then the slots). */
const REC_FIELD = 16;
const REC_BLOCK = 24;

interface Plan {
  /** Per object: vec or rec, and the earlier objects it refers to (-1: an empty slot). */
  readonly objects: ReadonlyArray<{ vec: boolean; refs: number[]; weak: boolean }>;
  /** A chain this deep of vecs hangs off the last object. */
  readonly chain: number;
  /** The counter's trashcan depth: CPython's 50, or deeper than any chain here. */
  readonly trashcan: number;
}

const plans: fc.Arbitrary<Plan> = fc
  .array(
    fc.record({
      vec: fc.boolean(),
      refs: fc.array(fc.integer({ min: -1, max: 40 }), { maxLength: 5 }),
      weak: fc.boolean(),
    }),
    { minLength: 1, maxLength: 30 },
  )
  .chain((objects) =>
    fc.record({
      objects: fc.constant(objects),
      chain: fc.integer({ min: 0, max: 130 }),
      trashcan: fc.constantFrom(50, 300),
    }),
  );

function world(inPlace: boolean, trashcanDepth: number) {
  const memory = new Memory({ maximumBytes: 16 << 20 });
  const space = new ObjectSpace(new FreeStore(new MemoryPageSource(memory)), new TypeRegistry());
  const events: string[] = [];
  let rc!: RefCounter;
  const drop = (at: number) => {
    const u32 = space.memory.u32;
    const ref = u32[at >>> 2]!;
    if (ref !== 0) {
      u32[at >>> 2] = 0;
      rc.decref(ref);
    }
  };
  const vec = space.types.register({
    name: "vec",
    basicSize: 24,
    itemSize: 8,
    flags: TypeFlags.Gc | TypeFlags.Weakrefable,
    pointers: { items: { count: VEC_SIZE, first: VEC_ITEMS, reverse: true } },
    release: "pointers",
    dealloc: (o) => {
      for (let i = space.memory.u32[(o + VEC_SIZE) >>> 2]! - 1; i >= 0; i--) {
        drop(o + VEC_ITEMS + 8 * i);
      }
    },
  });
  const rec = space.types.register({
    name: "rec",
    basicSize: 32,
    flags: TypeFlags.Gc | TypeFlags.Weakrefable,
    pointers: {
      fields: [REC_FIELD],
      items: { block: REC_BLOCK, count: 0, countInBlock: true, first: 8 },
    },
    release: "pointers",
    dealloc: (o) => {
      drop(o + REC_FIELD);
      const block = space.memory.u32[(o + REC_BLOCK) >>> 2]!;
      if (block === 0) return;
      for (let i = 0; i < space.memory.u32[block >>> 2]!; i++) drop(block + 8 + 8 * i);
    },
  });
  rc = new RefCounter(space, {
    trashcanDepth,
    hooks: {
      untrack: () => {},
      untrackUnlinksOnly: true,
      free: (o, type) => {
        events.push(`free ${o}`);
        if (type === rec) {
          const block = space.memory.u32[(o + REC_BLOCK) >>> 2]!;
          if (block !== 0) space.allocator.free(block);
        }
        space.freeAs(o, type);
      },
    },
  });
  rc.releasePointersInPlace = inPlace;
  return { space, rc, vec, rec, events };
}

/**
 * Builds `plan`, drops every reference the test holds in order; returns what happened. With
 * `swapAt`, the counter's free hook is replaced by a copy of it (that also counts its calls)
 * before the drop of that index, to be replaced again by the copy's copy inside the first
 * death it sees: a replacement takes effect at once, in the middle of a deallocation too.
 */
function run(
  plan: Plan,
  inPlace: boolean,
  swapAt = -1,
  split = false,
  kernel = false,
): {
  events: string[];
  live: number;
  swapped: number;
  freesBefore: number;
  typed: number;
  byObject: number;
} {
  const w = world(inPlace, plan.trashcan);
  if (kernel) {
    // A release written outside the counter, from the steps it hands out: unlink, the drops,
    // the free. Every in-place death comes here once (its nested ones come back through it).
    const access = w.rc.inPlaceRelease;
    access.kernel = (o, flags, depth) => {
      w.events.push(`kernel ${o}`);
      expect(depth).toBeLessThan(access.trashcanDepth);
      expect(flags & access.inPlaceMask).not.toBe(0);
      const u32 = w.space.memory.u32;
      if ((flags & 4) !== 0 && u32[(o - 16) >>> 2] !== 0) {
        const next = u32[(o - 16) >>> 2]!;
        const prev = u32[(o - 8) >>> 2]!;
        u32[(prev - 16) >>> 2] = next;
        u32[(next - 8) >>> 2] = prev;
        u32[(o - 16) >>> 2] = 0;
      }
      access.releaseBody(o, flags, depth);
      access.free(o);
    };
  }
  let swapped = 0;
  let freesBefore = 0;
  const original = w.rc.freeHook!;
  // With `split`, the hook is given twice (setFreeHook): as itself, and as a function of the
  // object alone that reads the type from the header; each counts its calls.
  let typed = 0;
  let byObject = 0;
  if (split) {
    w.rc.setFreeHook(
      (o, type) => {
        typed++;
        original(o, type);
      },
      (o) => {
        byObject++;
        original(o, w.space.types.get(w.space.memory.u32[(o + 8) >>> 2]!));
      },
    );
  }
  const again = (o: number, type: TypeDescriptor) => {
    swapped++;
    original(o, type);
  };
  const copy = (o: number, type: TypeDescriptor) => {
    swapped++;
    w.rc.freeHook = again;
    original(o, type);
  };
  const u32 = () => w.space.memory.u32;
  const made: number[] = [];
  for (const spec of plan.objects) {
    const refs = spec.refs.map((r) => (r >= 0 && r < made.length ? made[r]! : 0));
    let o: number;
    if (spec.vec) {
      o = w.space.allocate(w.vec.id, refs.length);
      refs.forEach((r, i) => {
        if (r !== 0) w.rc.incref(r);
        u32()[(o + VEC_ITEMS + 8 * i) >>> 2] = r;
      });
    } else {
      o = w.space.allocate(w.rec.id);
      const [field = 0, ...values] = refs;
      if (field !== 0) w.rc.incref(field);
      u32()[(o + REC_FIELD) >>> 2] = field;
      if (values.length > 0) {
        const block = w.space.allocator.malloc(8 + 8 * values.length);
        u32()[block >>> 2] = values.length;
        values.forEach((r, i) => {
          if (r !== 0) w.rc.incref(r);
          u32()[(block + 8 + 8 * i) >>> 2] = r;
        });
        u32()[(o + REC_BLOCK) >>> 2] = block;
      }
    }
    if (spec.weak) w.rc.newWeakref(o, (wr) => w.events.push(`callback ${wr}`));
    made.push(o);
  }
  let tail = made[made.length - 1]!;
  w.rc.incref(tail);
  for (let i = 0; i < plan.chain; i++) {
    const link = w.space.allocate(w.vec.id, 1);
    u32()[(link + VEC_ITEMS) >>> 2] = tail;
    tail = link;
  }
  made.push(tail);
  made.forEach((o, i) => {
    if (i === swapAt) {
      freesBefore = w.events.filter((e) => e.startsWith("free ")).length;
      w.rc.freeHook = copy;
    }
    w.rc.decref(o);
  });
  w.space.verify();
  return { events: w.events, live: w.space.liveObjects, swapped, freesBefore, typed, byObject };
}

describe('release: "pointers"', () => {
  it("frees and calls back exactly as the type's dealloc does, trashcan included", () => {
    fc.assert(
      fc.property(plans, (plan) => {
        const inPlace = run(plan, true);
        const byDealloc = run(plan, false);
        expect(inPlace).toEqual(byDealloc);
      }),
      { numRuns: fcRuns(200) },
    );
  });

  it("hands its in-place deaths to a kernel set through inPlaceRelease, in its own order", () => {
    fc.assert(
      fc.property(plans, fc.boolean(), (plan, inPlace) => {
        const own = run(plan, inPlace);
        const byKernel = run(plan, inPlace, -1, false, true);
        // The same frees and callbacks in the same order; each in-place death entered the
        // kernel just before its drops.
        expect(byKernel.events.filter((e) => !e.startsWith("kernel "))).toEqual(own.events);
        expect(byKernel.live).toBe(own.live);
        // Every object dies (the test drops all it holds); a chain's links hold a reference each
        // and have no weak references: their deaths are in place, and the kernel's.
        const entered = byKernel.events.some((e) => e.startsWith("kernel "));
        if (!inPlace) expect(entered).toBe(false);
        else if (plan.chain > 0) expect(entered).toBe(true);
      }),
      { numRuns: fcRuns(100) },
    );
    const { rc } = world(true, 50);
    expect(rc.inPlaceRelease.records.length % 16).toBe(0);
    expect(() => {
      rc.inPlaceRelease.kernel = 3 as unknown as undefined;
    }).toThrow(/must be a function/);
  });

  it("takes a replaced free hook at once, for the deaths of a deallocation under way too", () => {
    fc.assert(
      fc.property(plans, fc.nat(), fc.boolean(), (plan, at, inPlace) => {
        const swapAt = at % (plan.objects.length + 1);
        const plain = run(plan, inPlace);
        const swapped = run(plan, inPlace, swapAt);
        expect(swapped.events).toEqual(plain.events);
        expect(swapped.live).toBe(plain.live);
        // Every free from the swap on went through the copies, and none before it.
        const frees = plain.events.filter((e) => e.startsWith("free ")).length;
        expect(plain.swapped).toBe(0);
        expect(swapped.swapped).toBe(frees - swapped.freesBefore);
      }),
      { numRuns: fcRuns(100) },
    );
  });

  it("calls a hook given with the object alone for in-place deaths, with the type for others", () => {
    fc.assert(
      fc.property(plans, fc.boolean(), fc.integer({ min: -1, max: 8 }), (plan, inPlace, at) => {
        const swapAt = at < 0 ? -1 : at % (plan.objects.length + 1);
        const plain = run(plan, inPlace, swapAt);
        const split = run(plan, inPlace, swapAt, true);
        expect(split.events).toEqual(plain.events);
        expect(split.live).toBe(plain.live);
        const frees = plain.events.filter((e) => e.startsWith("free ")).length;
        // Every death until a later assignment of freeHook (the swap) went through one of the
        // two; the assignment drops the one by object, so no death after it reaches either.
        expect(split.typed + split.byObject).toBe(swapAt < 0 ? frees : plain.freesBefore);
        if (!inPlace) expect(split.byObject).toBe(0);
      }),
      { numRuns: fcRuns(150) },
    );
  });

  it("refuses a by-object hook that is not a function", () => {
    const w = world(true, 50);
    const hook = w.rc.freeHook!;
    expect(() => w.rc.setFreeHook(hook, 7 as unknown as () => void)).toThrow(
      new InvalidArgumentError("setFreeHook: byObject must be a function (object) => void"),
    );
    expect(w.rc.freeHook).toBe(hook);
  });

  it("refuses a free hook that is not a function, or one for a counter without a hook", () => {
    const memory = new Memory({ maximumBytes: 1 << 20 });
    const space = new ObjectSpace(new FreeStore(new MemoryPageSource(memory)), new TypeRegistry());
    const bare = new RefCounter(space);
    expect(bare.freeHook).toBeUndefined();
    expect(() => {
      bare.freeHook = (o, type) => space.freeAs(o, type);
    }).toThrow(InvalidArgumentError);
    expect(bare.freeHook).toBeUndefined();
    const w = world(true, 50);
    const hook = w.rc.freeHook;
    expect(() => {
      w.rc.freeHook = 42 as unknown as () => void;
    }).toThrow(new InvalidArgumentError("freeHook must be a function (object, type) => void"));
    expect(w.rc.freeHook).toBe(hook);
  });

  it("is refused without a pointer map, without a dealloc, or with a finalizer", () => {
    const types = new TypeRegistry();
    const base = { basicSize: 24, flags: TypeFlags.Gc, traverse: () => 0 };
    const map = { fields: [16] };
    expect(() =>
      types.register({ ...base, name: "a", release: "pointers", dealloc: () => {} }),
    ).toThrow(new InvalidArgumentError('a.release "pointers" needs a pointer map'));
    expect(() =>
      types.register({ ...base, name: "b", pointers: map, release: "pointers" }),
    ).toThrow(
      new InvalidArgumentError('b.release "pointers" needs the dealloc that drops the pointer map'),
    );
    expect(() =>
      types.register({
        ...base,
        name: "c",
        flags: TypeFlags.Gc | TypeFlags.HasFinalizer,
        pointers: map,
        release: "pointers",
        dealloc: () => {},
        finalize: () => {},
      }),
    ).toThrow(new InvalidArgumentError('c.release "pointers" rules out a finalizer'));
    const ok = types.register({
      ...base,
      name: "d",
      pointers: map,
      release: "pointers",
      dealloc: () => {},
    });
    expect(ok.release).toBe("pointers");
  });
});

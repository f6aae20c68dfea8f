// Types with `release: "fields"` are released by the counter itself, in place. Whatever a
// program does, that must be indistinguishable from the model's own `dealloc` dropping the same
// slots in the same order: the same frees, finalizations and callbacks, in the same order, with
// the trashcan deferring the same deaths.

import {
  GC_NEXT,
  GC_PREV,
  InvalidAddressError,
  InvalidArgumentError,
  OB_FLAGS,
  OB_TYPE,
  ObjectFlags,
  TypeFlags,
} from "@mm/heap";
import { fcRuns } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RefcountError } from "../src/index.js";
import { makeWorld, type Release, SLOTS, slot, type World } from "./fixtures.js";

/** A forest to build: node i's kind and the earlier nodes its slots hold (-1: none). */
interface Plan {
  readonly kinds: ReadonlyArray<"node" | "final" | "weak">;
  readonly slots: ReadonlyArray<ReadonlyArray<number>>;
}

/** Nodes that each hold up to four earlier ones: chains deeper than the trashcan, and shared. */
const plans = fc
  .integer({ min: 1, max: 400 })
  .chain((n) =>
    fc.record({
      kinds: fc.array(fc.constantFrom("node", "node", "node", "final", "weak"), {
        minLength: n,
        maxLength: n,
      }),
      slots: fc.array(
        fc.array(fc.integer({ min: -1, max: n }), { minLength: SLOTS, maxLength: SLOTS }),
        {
          minLength: n,
          maxLength: n,
        },
      ),
    }),
  )
  .map(({ kinds, slots }) => ({
    kinds,
    // Mostly the previous node (long chains), sometimes any earlier one, never a later one.
    slots: slots.map((row, i) =>
      row.map((c, s) => (i === 0 || c < 0 ? -1 : s === 0 ? i - 1 : c % i)),
    ),
  }));

/** Builds a plan in a world; returns the nodes and the events as node indices. */
function run(plan: Plan, release: Release, trashcanDepth: number) {
  const w = makeWorld(16 << 20, { trashcanDepth }, release);
  const nodes: number[] = [];
  plan.kinds.forEach((kind, i) => {
    const o = w.space.allocate((kind === "final" ? w.finalNode : w.node).id);
    nodes.push(o);
    plan.slots[i]!.forEach((child, s) => {
      if (child >= 0) {
        w.rc.incref(nodes[child]!);
        w.set(o, s, nodes[child]!);
      }
    });
    if (kind === "weak") w.rc.newWeakref(o, (wr) => w.events.push(`callback ${wr}`));
  });
  const index = new Map(nodes.map((o, i) => [o, i]));
  // Drop the test's references, oldest first: a node whose holders are newer nodes lives on
  // until the newest holder goes, and then dies deep inside that one's deallocation.
  for (const o of nodes) w.rc.decref(o);
  const events = w.events.map((e) => {
    const [what, at] = e.split(" ");
    return `${what} ${index.get(Number(at)) ?? "weakref"}`;
  });
  return { w, events };
}

describe('release: "fields"', () => {
  it("frees, finalizes and calls back exactly as the model's dealloc does, trashcan included", () => {
    fc.assert(
      fc.property(plans, fc.constantFrom(3, 50), (plan, depth) => {
        const byModel = run(plan, "model", depth);
        const inPlace = run(plan, "fields", depth);
        expect(inPlace.events).toEqual(byModel.events);
        expect(inPlace.w.space.liveObjects).toBe(byModel.w.space.liveObjects);
        inPlace.w.space.verify();
        inPlace.w.space.allocator.verify();
      }),
      { numRuns: fcRuns(300) },
    );
  });
});

describe("a release that grows the memory", () => {
  it("goes on with the fields after a finalizer it ran grew the memory (and replaced the views)", () => {
    for (const release of ["model", "fields"] as const) {
      const w = makeWorld(64 << 20, {}, release);
      let grown = false;
      const blocks: number[] = [];
      const grower = w.space.types.register({
        name: `grower-${release}`,
        basicSize: 16,
        flags: TypeFlags.HasFinalizer,
        finalize: () => {
          const before = w.space.memory.u32;
          for (let i = 0; i < 8; i++) blocks.push(w.space.allocator.malloc(1 << 20));
          grown = w.space.memory.u32 !== before;
        },
      });
      const parent = w.space.allocate(w.node.id);
      w.set(parent, 0, w.space.allocate(grower.id));
      w.set(parent, 1, w.space.allocate(w.node.id));
      w.rc.decref(parent);
      expect(grown).toBe(true);
      expect(w.space.liveObjects).toBe(0);
      for (const b of blocks) w.space.allocator.free(b);
      w.space.verify();
      w.space.allocator.verify();
    }
  });
});

describe("a release after a finalizer that grows the memory", () => {
  it("releases the fields with the new views", () => {
    const w = makeWorld(64 << 20, {}, "fields");
    const blocks: number[] = [];
    const parentType = w.space.types.register({
      name: "growing-parent",
      basicSize: 32,
      flags: TypeFlags.HasFinalizer,
      pointers: { fields: [16, 24] },
      release: "fields",
      finalize: () => {
        for (let i = 0; i < 8; i++) blocks.push(w.space.allocator.malloc(1 << 20));
      },
    });
    const parent = w.space.allocate(parentType.id);
    const before = w.space.memory.u32;
    const kids = [w.space.allocate(w.node.id), w.space.allocate(w.node.id)];
    before[(parent + 16) >>> 2] = kids[0]!;
    before[(parent + 24) >>> 2] = kids[1]!;
    w.rc.decref(parent);
    expect(w.space.memory.u32 === before).toBe(false);
    expect(w.space.liveObjects).toBe(0);
    for (const b of blocks) w.space.allocator.free(b);
    w.space.verify();
  });
});

describe("clearFields", () => {
  it("drops each field in order, zeroing the slot first", () => {
    const w = makeWorld(16 << 20, {}, "fields");
    const parent = w.space.allocate(w.node.id);
    const kids = [0, 1, 2, 3].map(() => w.space.allocate(w.node.id));
    kids.forEach((k, i) => {
      w.set(parent, i, k);
    });
    w.rc.clearFields(parent);
    expect(w.events).toEqual(kids.map((k) => `free ${k}`));
    for (let i = 0; i < SLOTS; i++) expect(w.get(parent, i)).toBe(0);
    expect(w.rc.refcount(parent)).toBe(1);
    w.space.verify();
  });

  it("destroys the trashcan's deferred deaths after each field, as a model's clear of decrefs does", () => {
    const events = (release: Release) => {
      const w = makeWorld(16 << 20, {}, release);
      const parent = w.space.allocate(w.node.id);
      const made: number[] = [parent];
      for (let s = 0; s < 2; s++) {
        // A chain of 120 nodes in slot s: its death nests past the trashcan's 50.
        let next = 0;
        for (let i = 0; i < 120; i++) {
          const o = w.space.allocate(w.node.id);
          made.push(o);
          if (next !== 0) w.set(o, 0, next);
          next = o;
        }
        w.set(parent, s, next);
      }
      if (release === "fields") w.rc.clearFields(parent);
      else for (let s = 0; s < SLOTS; s++) w.set(parent, s, 0);
      expect(w.space.liveObjects).toBe(1);
      return w.events.map((e) => made.indexOf(Number(e.split(" ")[1])));
    };
    expect(events("fields")).toEqual(events("model"));
  });

  it("refuses a dead address and a type without release fields, changing nothing", () => {
    const fields = makeWorld(16 << 20, {}, "fields");
    const o = fields.space.allocate(fields.node.id);
    fields.rc.decref(o);
    expect(() => fields.rc.clearFields(o)).toThrow(InvalidAddressError);
    expect(() => fields.rc.clearFields(12_345)).toThrow(InvalidAddressError);
    const model = makeWorld(16 << 20);
    const m = model.space.allocate(model.node.id);
    const child = model.space.allocate(model.node.id);
    model.set(m, 0, child);
    expect(() => model.rc.clearFields(m)).toThrow(InvalidArgumentError);
    expect(() => model.rc.clearFields(m)).toThrow(/node does not have release "fields"/);
    expect(model.get(m, 0)).toBe(child);
    model.space.verify();
  });

  it("reports a field whose referent's count is already zero as an underflow", () => {
    const w = makeWorld(16 << 20, {}, "fields");
    const parent = w.space.allocate(w.node.id);
    const child = w.space.allocate(w.node.id);
    w.space.memory.u32[(parent + slot(0)) >>> 2] = child;
    w.space.memory.u32[child >>> 2] = 0;
    expect(() => w.rc.clearFields(parent)).toThrow(RefcountError);
    w.space.verify();
  });
});

/** A GC list head in the world's memory, and a way to track objects on it. */
function listOf(w: World) {
  const block = w.space.allocator.malloc(16);
  const head = block + 16;
  const u32 = () => w.space.memory.u32;
  u32()[(head + GC_NEXT) >>> 2] = head;
  u32()[(head + GC_PREV) >>> 2] = head;
  const track = (o: number) => {
    const last = u32()[(head + GC_PREV) >>> 2]!;
    u32()[(last + GC_NEXT) >>> 2] = o;
    u32()[(o + GC_PREV) >>> 2] = last;
    u32()[(o + GC_NEXT) >>> 2] = head;
    u32()[(head + GC_PREV) >>> 2] = o;
  };
  /** Takes `o` off the list, as a collector's untrack does. */
  const unlink = (o: number) => {
    const [next, prev] = [u32()[(o + GC_NEXT) >>> 2]!, u32()[(o + GC_PREV) >>> 2]!];
    u32()[(prev + GC_NEXT) >>> 2] = next;
    u32()[(next + GC_PREV) >>> 2] = prev;
    u32()[(o + GC_NEXT) >>> 2] = 0;
  };
  const items = () => {
    const out: number[] = [];
    for (let o = u32()[(head + GC_NEXT) >>> 2]!; o !== head; o = u32()[(o + GC_NEXT) >>> 2]!) {
      out.push(o);
    }
    return out;
  };
  return { head, track, unlink, items };
}

/** Two nodes, each holding the other in slot 0: a two-cycle that only the cycle keeps alive. */
function twoCycle(w: World): [number, number] {
  const [a, b] = [0, 1].map(() => w.space.allocate(w.node.id)) as [number, number];
  w.set(a, 0, b);
  w.set(b, 0, a);
  return [a, b];
}

/** Whether the world's memory holds exactly the words of `before`. */
function unchanged(w: World, before: Uint32Array): boolean {
  // The heap's bytes (the buffer past them holds the memory's side tables).
  const heap = w.space.memory.u8;
  return Buffer.from(heap.buffer, 0, heap.length).equals(Buffer.from(before.buffer));
}

describe("clearList", () => {
  it("clears a list of cycles as delete_garbage does, freeing each object as its cycle breaks", () => {
    const w = makeWorld(16 << 20, {}, "fields");
    const list = listOf(w);
    const [a, b, c] = [0, 1, 2].map(() => w.space.allocate(w.node.id)) as [number, number, number];
    for (const o of [a, b, c]) list.track(o);
    // a <-> b, and b -> c: the test's references go, only the cycle keeps them.
    w.set(a, 0, b);
    w.rc.incref(a);
    w.set(b, 0, a);
    w.set(b, 1, c);
    w.rc.decref(a);
    expect(list.items()).toEqual([a, b, c]);
    expect(w.rc.clearList(list.head)).toBe(list.head);
    // Clearing a drops b, which drops a (still held) and c; then a's own reference goes.
    expect(w.events).toEqual([`free ${c}`, `free ${b}`, `free ${a}`]);
    expect(list.items()).toEqual([]);
    w.space.verify();
  });

  it("stops at an object of another type and at one that outlives its clear", () => {
    const w = makeWorld(16 << 20, {}, "fields");
    const list = listOf(w);
    const kept = w.space.allocate(w.node.id);
    w.rc.incref(kept);
    const other = w.space.allocate(w.rc.weakrefType.id);
    list.track(kept);
    list.track(other);
    expect(w.rc.clearList(list.head)).toBe(kept);
    expect(w.rc.refcount(kept)).toBe(2);
    expect(list.items()).toEqual([kept, other]);
    w.rc.decref(kept);
    w.rc.decref(kept);
    expect(list.items()).toEqual([other]);
    expect(w.rc.clearList(list.head)).toBe(other);
  });
});

/**
 * A candidate for freeClosedList: members on a list (as a collector's unreachable list), and
 * a few objects outside it. A slot's target is a member (0..), an outsider (-2 - k) or none (-1).
 */
interface Scene {
  readonly members: ReadonlyArray<{
    readonly slots: readonly number[];
    readonly kind: "node" | "final" | "weak" | "immortal";
    /** The test keeps its reference to the member (a reference from outside the list). */
    readonly kept: boolean;
  }>;
  readonly outsiders: ReadonlyArray<readonly number[]>;
}

/** One thing that may keep a list from being closed garbage, applied at a random place. */
type Flaw =
  | "leads-out"
  | "referred-in"
  | "leads-out-and-referred-in"
  | "cleared"
  | "kept"
  | "final"
  | "weak"
  | "immortal";
const FLAWS: Flaw[] = [
  "leads-out",
  "referred-in",
  "leads-out-and-referred-in",
  "cleared",
  "kept",
  "final",
  "weak",
  "immortal",
];

/**
 * Random graphs of plain nodes, half of them left as they are and half with one or two flaws
 * (a flawed list may still come out closed: a later flaw can overwrite a slot). Slot 0 follows
 * a random permutation, so that every node starts with a referrer in the list (one without any
 * keeps the test's reference); the other slots hold random members or nothing.
 */
const scenes: fc.Arbitrary<Scene> = fc
  .record({ m: fc.integer({ min: 1, max: 40 }), o: fc.integer({ min: 1, max: 4 }) })
  .chain(({ m, o }) =>
    fc.record({
      slots: fc.array(
        fc.array(
          fc.oneof(
            { arbitrary: fc.constant(-1), weight: 1 },
            { arbitrary: fc.integer({ min: 0, max: m - 1 }), weight: 4 },
          ),
          { minLength: SLOTS, maxLength: SLOTS },
        ),
        { minLength: m, maxLength: m },
      ),
      ring: fc.uniqueArray(fc.integer({ min: 0, max: m - 1 }), { minLength: m, maxLength: m }),
      outsiders: fc.constant(o),
      flaws: fc.oneof(
        fc.constant([]),
        fc.array(
          fc.record({
            flaw: fc.constantFrom(...FLAWS),
            member: fc.integer({ min: 0, max: m - 1 }),
            slot: fc.integer({ min: 0, max: SLOTS - 1 }),
            outsider: fc.integer({ min: 0, max: o - 1 }),
          }),
          { minLength: 1, maxLength: 2 },
        ),
      ),
    }),
  )
  .map(({ slots, ring, outsiders, flaws }) => {
    const members = slots.map((row, i) => ({
      slots: [ring[i]!, ...row.slice(1)],
      kind: "node" as Scene["members"][number]["kind"],
      kept: false,
    }));
    const outside = Array.from({ length: outsiders }, () => Array<number>(SLOTS).fill(-1));
    for (const { flaw, member, slot, outsider } of flaws) {
      const m = members[member]!;
      if (flaw === "leads-out") m.slots[slot] = -2 - outsider;
      else if (flaw === "referred-in") outside[outsider]![slot] = member;
      else if (flaw === "leads-out-and-referred-in") {
        // One reference out and one in: the counts still add up to the fields.
        m.slots[slot] = -2 - outsider;
        outside[outsider]![slot] = member;
      } else if (flaw === "cleared") m.slots[slot] = -1;
      else if (flaw === "kept") m.kept = true;
      else m.kind = flaw;
    }
    return { members, outsiders: outside };
  });

/** Builds a scene in a world without a free hook; returns the members, outsiders and list. */
function stage(scene: Scene) {
  const w = makeWorld(16 << 20, {}, "fields", false);
  const list = listOf(w);
  const members = scene.members.map((m) =>
    w.space.allocate((m.kind === "final" ? w.finalNode : w.node).id),
  );
  const outsiders = scene.outsiders.map(() => w.space.allocate(w.node.id));
  const at = (t: number) => (t >= 0 ? members[t]! : outsiders[-2 - t]!);
  const fill = (o: number, slots: readonly number[]) => {
    slots.forEach((t, s) => {
      if (t === -1) return;
      w.rc.incref(at(t));
      w.set(o, s, at(t));
    });
  };
  scene.members.forEach((m, i) => {
    fill(members[i]!, m.slots);
  });
  scene.outsiders.forEach((slots, i) => {
    fill(outsiders[i]!, slots);
  });
  // The weak references stay alive: the test holds them.
  scene.members.forEach((m, i) => {
    if (m.kind === "weak") w.rc.newWeakref(members[i]!);
  });
  const u32 = w.space.memory.u32;
  scene.members.forEach((m, i) => {
    const o = members[i]!;
    list.track(o);
    u32[(o + OB_FLAGS) >>> 2]! |= ObjectFlags.Unreachable;
    if (m.kind === "immortal") w.rc.makeImmortal(o);
    // The test's own reference goes, as a program's does before a collection finds the cycle,
    // unless it is kept or is the only one (a count of zero is a dead object).
    else if (!m.kept && u32[o >>> 2]! > 1) u32[o >>> 2]! -= 1;
  });
  // The outsiders carry the collector's mark too, as objects left marked would: only being on
  // the list counts.
  for (const o of outsiders) u32[(o + OB_FLAGS) >>> 2]! |= ObjectFlags.Unreachable;
  return { w, list, members, outsiders };
}

/** The oracle: whether the scene's list is closed garbage that freeClosedList may free. */
function closedGarbage(scene: Scene): boolean {
  const indegree = scene.members.map(() => 0);
  for (const m of scene.members) for (const t of m.slots) if (t >= 0) indegree[t]! += 1;
  return (
    scene.members.every(
      (m, i) => m.kind === "node" && !m.kept && indegree[i]! > 0 && m.slots.every((t) => t >= -1),
    ) && scene.outsiders.every((slots) => slots.every((t) => t === -1))
  );
}

describe("freeClosedList", () => {
  it("frees a list exactly when it is closed garbage, to the state that clearing it reaches, and otherwise changes nothing", () => {
    fc.assert(
      fc.property(scenes, (scene) => {
        const { w, list, members, outsiders } = stage(scene);
        const counts = outsiders.map((o) => w.rc.refcount(o));
        const live = w.space.liveObjects;
        const before = w.space.memory.u32.slice();
        const freed = w.rc.freeClosedList(list.head);
        expect(freed).toBe(closedGarbage(scene));
        if (freed) {
          expect(list.items()).toEqual([]);
          expect(members.filter((o) => w.space.isLive(o))).toEqual([]);
          expect(w.space.liveObjects).toBe(live - members.length);
          // Clearing the same list one by one, as delete_garbage does, frees the same objects:
          // one that outlives its own clear leaves the list and dies in a later one.
          const twin = stage(scene);
          for (let at = twin.w.rc.clearList(twin.list.head); at !== twin.list.head; ) {
            twin.list.unlink(at);
            at = twin.w.rc.clearList(twin.list.head);
          }
          expect(twin.members.filter((o) => twin.w.space.isLive(o))).toEqual([]);
          expect(twin.w.space.liveObjects).toBe(w.space.liveObjects);
        } else {
          expect(unchanged(w, before)).toBe(true);
        }
        expect(outsiders.map((o) => w.rc.refcount(o))).toEqual(counts);
        expect(w.events).toEqual([]);
        w.space.verify();
        w.space.allocator.verify();
      }),
      { numRuns: fcRuns(1000) },
    );
  });

  it("declines with a free hook, or with an untrack hook that does more than unlink", () => {
    const untracked: number[] = [];
    let untrack = (_: number) => {};
    const worlds = [
      makeWorld(16 << 20, {}, "fields"),
      makeWorld(16 << 20, { hooks: { untrack: (o) => untrack(o) } }, "fields", false),
    ];
    for (const w of worlds) {
      const list = listOf(w);
      untrack = (o) => {
        untracked.push(o);
        list.unlink(o);
      };
      const [a, b] = twoCycle(w);
      for (const o of [a, b]) list.track(o);
      expect(w.rc.freeClosedList(list.head)).toBe(false);
      expect(list.items()).toEqual([a, b]);
      // Cleared one by one instead, the hooks see each death.
      expect(w.rc.clearList(list.head)).toBe(list.head);
      expect(w.space.liveObjects).toBe(0);
    }
    expect(worlds[0]!.events).toHaveLength(2);
    expect(untracked).toHaveLength(2);
  });

  it("declines a list that holds a freed object or never comes back to its head", () => {
    const w = makeWorld(16 << 20, {}, "fields", false);
    const list = listOf(w);
    const [a, b] = twoCycle(w);
    const u32 = w.space.memory.u32;
    for (const o of [a, b]) list.track(o);
    // b's next leads back to a: a walk from the head never returns to it.
    u32[(b + GC_NEXT) >>> 2] = a;
    expect(w.rc.freeClosedList(list.head)).toBe(false);
    // The links are as they were, without the stamps of the walk.
    expect([u32[(a + GC_NEXT) >>> 2], u32[(b + GC_NEXT) >>> 2]]).toEqual([b, a]);
    u32[(b + GC_NEXT) >>> 2] = list.head;
    // A freed object linked where b was.
    const dead = w.space.allocate(w.node.id);
    w.rc.decref(dead);
    u32[(a + GC_NEXT) >>> 2] = dead;
    u32[(dead + GC_NEXT) >>> 2] = list.head;
    expect(w.rc.freeClosedList(list.head)).toBe(false);
    u32[(a + GC_NEXT) >>> 2] = b;
    expect([a, b].every((o) => w.space.isLive(o))).toBe(true);
    w.space.verify();
    expect(w.rc.freeClosedList(list.head)).toBe(true);
    expect(w.space.liveObjects).toBe(0);
    w.space.verify();
  });

  it("declines a list whose field leads to a marked object off the list that refers back into it", () => {
    const w = makeWorld(16 << 20, {}, "fields", false);
    const list = listOf(w);
    const [a, b] = twoCycle(w);
    // Only a is on the list, though both carry the mark: the counts (1) equal a's fields (1).
    list.track(a);
    for (const o of [a, b]) w.space.memory.u32[(o + OB_FLAGS) >>> 2]! |= ObjectFlags.Unreachable;
    const before = w.space.memory.u32.slice();
    expect(w.rc.freeClosedList(list.head)).toBe(false);
    expect(unchanged(w, before)).toBe(true);
    // Cleared one by one, a's clear frees b, whose death frees a.
    expect(w.rc.clearList(list.head)).toBe(list.head);
    expect(w.space.liveObjects).toBe(0);
    w.space.verify();
  });

  it("clears its stamps after declining, so that the next list is judged afresh", () => {
    const w = makeWorld(16 << 20, {}, "fields", false);
    const [first, second] = [listOf(w), listOf(w)];
    const [a, c] = twoCycle(w);
    // a alone: its field leads to c, off the list. a was stamped on the way.
    first.track(a);
    expect(w.rc.freeClosedList(first.head)).toBe(false);
    // c alone: its field leads to a, off this list; a stale stamp would let it through.
    second.track(c);
    expect(w.rc.freeClosedList(second.head)).toBe(false);
    expect(w.space.isLive(a) && w.space.isLive(c)).toBe(true);
    w.space.verify();
  });

  it("judges a list afresh after one was freed, when new objects take the freed addresses", () => {
    const w = makeWorld(16 << 20, {}, "fields", false);
    const first = listOf(w);
    const [a, b] = twoCycle(w);
    for (const o of [a, b]) first.track(o);
    expect(w.rc.freeClosedList(first.head)).toBe(true);
    // The head is empty and can take objects again.
    expect(first.items()).toEqual([]);
    expect(w.space.memory.u32[(first.head + GC_PREV) >>> 2]).toBe(first.head);
    const [x, y, z] = [0, 1, 2].map(() => w.space.allocate(w.node.id)) as [number, number, number];
    expect(new Set([x, y])).toEqual(new Set([a, b]));
    // x, at a freed member's address, is off the next list and refers into it.
    w.set(x, 0, z);
    w.set(z, 0, x);
    const second = listOf(w);
    second.track(z);
    expect(w.rc.freeClosedList(second.head)).toBe(false);
    expect(w.space.isLive(z)).toBe(true);
    w.space.verify();
  });

  it.each([
    ["the list head's address", "head", 0],
    ["the list head's address", "head", 1],
    ["a misaligned address inside a list object", "misaligned", 0],
    ["a misaligned address inside a list object", "misaligned", 1],
  ] as const)("declines a list whose field holds %s (slot %i)", (_what, kind, bad) => {
    const w = makeWorld(16 << 20, {}, "fields", false);
    const list = listOf(w);
    const [a, b] = [0, 1].map(() => w.space.allocate(w.node.id)) as [number, number];
    w.set(a, 1 - bad, b);
    w.set(b, 0, a);
    // One more reference to a, from outside, balanced by the bad field: the counts (2 + 1) equal
    // the fields (3), so only the field's own test can refuse the list.
    w.rc.incref(a);
    w.space.memory.u32[(a + slot(bad)) >>> 2] = kind === "head" ? list.head : b + 4;
    for (const o of [a, b]) list.track(o);
    const before = w.space.memory.u32.slice();
    expect(w.rc.freeClosedList(list.head)).toBe(false);
    expect(unchanged(w, before)).toBe(true);
  });

  it("declines a list of one freed object, and an immortal one that refers to itself", () => {
    const w = makeWorld(16 << 20, {}, "fields", false);
    const freed = listOf(w);
    const dead = w.space.allocate(w.node.id);
    w.rc.decref(dead);
    freed.track(dead);
    expect(w.rc.freeClosedList(freed.head)).toBe(false);
    const v = makeWorld(16 << 20, {}, "fields", false);
    const immortal = listOf(v);
    const a = v.space.allocate(v.node.id);
    v.set(a, 0, a);
    v.rc.makeImmortal(a);
    immortal.track(a);
    expect(v.rc.freeClosedList(immortal.head)).toBe(false);
    expect(v.space.isLive(a)).toBe(true);
  });

  it("declines an object whose type id is corrupt, however large, with the heap as it was", () => {
    const w = makeWorld(16 << 20, {}, "fields", false);
    const list = listOf(w);
    const a = w.space.allocate(w.node.id);
    const u32 = w.space.memory.u32;
    u32[a >>> 2] = 0;
    u32[(a + OB_TYPE) >>> 2] = 0x2000_0000;
    list.track(a);
    const before = u32.slice();
    expect(w.rc.freeClosedList(list.head)).toBe(false);
    expect(unchanged(w, before)).toBe(true);
  });

  it("frees objects of a type registered since its last call, with a field in the pre-header", () => {
    const w = makeWorld(16 << 20, {}, "fields", false);
    const list = listOf(w);
    const warm = w.space.allocate(w.node.id);
    w.set(warm, 0, warm);
    list.track(warm);
    expect(w.rc.freeClosedList(list.head)).toBe(true);
    const late = w.space.types.register({
      name: "late",
      basicSize: 24,
      flags: TypeFlags.Gc,
      extraPreHeaderSize: 16,
      pointers: { fields: [-32, 16] },
      release: "fields",
    });
    const [a, b] = [0, 1].map(() => w.space.allocate(late.id)) as [number, number];
    const u32 = w.space.memory.u32;
    u32[(a - 32) >>> 2] = b;
    u32[(b + 16) >>> 2] = a;
    for (const o of [a, b]) list.track(o);
    expect(w.rc.freeClosedList(list.head)).toBe(true);
    expect(w.space.liveObjects).toBe(0);
    w.space.verify();
    w.space.allocator.verify();
  });

  it("looks up thousands of referents that come later in the list, and finds one that is off it", () => {
    const w = makeWorld(16 << 20, {}, "fields", false);
    const offsets = Array.from({ length: 10 }, (_, k) => 16 + 8 * k);
    const wide = w.space.types.register({
      name: "wide",
      basicSize: 96,
      flags: TypeFlags.Gc,
      pointers: { fields: offsets },
      release: "fields",
    });
    for (const leak of [false, true]) {
      const list = listOf(w);
      const n = 300;
      const objects = Array.from({ length: n }, () => w.space.allocate(wide.id));
      const u32 = w.space.memory.u32;
      for (const o of objects) u32[o >>> 2] = 0;
      // Ten fields each, spread over the whole list: most referents come later in it.
      objects.forEach((o, i) => {
        offsets.forEach((offset, k) => {
          const to = objects[(i * 7 + k * 13 + 5) % n]!;
          u32[(o + offset) >>> 2] = to;
          u32[to >>> 2]! += 1;
        });
      });
      const outsider = w.space.allocate(wide.id);
      if (leak) {
        // The last field leads out to an object that refers back in: the counts still add up.
        const last = objects[n - 1]!;
        u32[(outsider + 16) >>> 2] = u32[(last + 88) >>> 2]!;
        u32[(last + 88) >>> 2] = outsider;
      }
      for (const o of objects) list.track(o);
      const live = w.space.liveObjects;
      expect(w.rc.freeClosedList(list.head)).toBe(!leak);
      expect(w.space.liveObjects).toBe(leak ? live : live - n);
    }
  });

  it("leaves no stamp when a free throws part way", () => {
    const w = makeWorld(16 << 20, {}, "fields", false);
    const list = listOf(w);
    const [a, b] = [0, 1].map(() => w.space.allocate(w.node.id)) as [number, number];
    // Objects in between, so that c's stamp is in another word of the bitmap than a's and b's.
    for (let i = 0; i < 16; i++) w.space.allocate(w.node.id);
    const c = w.space.allocate(w.node.id);
    expect(c >>> 9).not.toBe(b >>> 9);
    w.set(a, 0, b);
    w.set(b, 0, a);
    w.rc.incref(c);
    w.set(c, 0, c);
    w.rc.decref(c);
    for (const o of [a, b, c]) list.track(o);
    // An allocator that finds a fault in the second block it is given back.
    const allocator = w.space.allocator;
    const free = allocator.free.bind(allocator);
    const faulty = b - w.node.preHeaderSize;
    allocator.free = (block) => {
      if (block === faulty) throw new Error("a fault in the free list");
      free(block);
    };
    expect(() => w.rc.freeClosedList(list.head)).toThrow("a fault in the free list");
    allocator.free = free;
    expect(w.space.isLive(c)).toBe(true);
    // c, stamped by that call, is off the next list and refers into it: it must not pass.
    const d = w.space.allocate(w.node.id);
    w.rc.incref(c);
    w.set(d, 0, c);
    w.set(c, 1, d);
    const next = listOf(w);
    next.track(d);
    expect(w.rc.freeClosedList(next.head)).toBe(false);
    expect(w.space.isLive(d)).toBe(true);
  });

  it("declines a list whose field holds an object without a GC head", () => {
    const w = makeWorld(16 << 20, {}, "fields", false);
    const leaf = w.space.types.register({ name: "leaf", basicSize: 16 });
    const list = listOf(w);
    const a = w.space.allocate(w.node.id);
    w.rc.incref(a);
    w.set(a, 0, a);
    w.set(a, 1, w.space.allocate(leaf.id));
    w.rc.decref(a);
    list.track(a);
    expect(w.rc.freeClosedList(list.head)).toBe(false);
    expect(list.items()).toEqual([a]);
    w.space.verify();
  });
});

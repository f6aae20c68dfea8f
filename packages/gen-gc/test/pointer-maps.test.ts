// Pointer maps change how the collectors walk references, never what they find: the same
// random programs run in worlds whose types are described by traverse functions, by pointer
// maps, or both, or whose fields-only types release their fields with `release: "fields"`
// (which the reference counter and delete_garbage then do in place), with and without a type
// that has a legacy finalizer (which decides whether the collector may fold
// move_legacy_finalizers' walk into handle_weakrefs', or skip that walk), and with and without
// a free hook (without one, the gen-0 count learns of deaths from the counter's count); every
// world must produce the same frees, finalizations and weakref callbacks in the same order, the
// same collection results and counts, and the same generation lists in the same order.

import {
  FreeStore,
  Memory,
  MemoryPageSource,
  ObjectSpace,
  type PointerMap,
  type TypeDescriptor,
  TypeFlags,
  TypeRegistry,
  type Visit,
} from "@mm/heap";
import { fcRuns } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { GenerationalCollector, TracingCollector } from "../src/index.js";

type Kind = "node" | "final" | "phoenix" | "wide" | "tuple" | "vec" | "inst" | "table";
const KINDS: Kind[] = ["node", "final", "phoenix", "wide", "tuple", "vec", "inst", "table"];

/** How a type describes its references in one world ("release": a map, and fields-only types with release "fields"). */
type Walk = "traverse" | "map" | "both" | "release";

interface Variant {
  readonly walk: Walk;
  /** Registers (and never uses) a type with a legacy finalizer. */
  readonly legacyType: boolean;
  /** Gives the collector no free hook (the world then sees no free events). */
  readonly noFreeHook?: boolean;
}

/** Where a kind keeps its reference slots: fixed fields, then a run of items. */
interface Layout {
  readonly basicSize: number;
  readonly itemSize?: number;
  readonly extraPreHeaderSize?: number;
  readonly fields: readonly number[];
  /**
   * The run: inline (tuple), in a block with the count in the object (vec) or in the block
   * (inst); or an entry table in a block (a dict's keys object).
   */
  readonly run?: "inline" | "block" | "counted-block" | "table";
  /** Whether the run is visited last to first (as CPython's tuple and list traverse do). */
  readonly reverse?: boolean;
}

const LAYOUTS: Record<Kind, Layout> = {
  node: { basicSize: 48, fields: [16, 24, 32, 40] },
  final: { basicSize: 48, fields: [16, 24, 32, 40] },
  phoenix: { basicSize: 48, fields: [16, 24, 32, 40] },
  wide: { basicSize: 64, fields: [56, 16, 24, 48, 32, 40] },
  tuple: { basicSize: 24, itemSize: 8, fields: [], run: "inline", reverse: true },
  vec: { basicSize: 40, fields: [32], run: "block", reverse: true },
  inst: { basicSize: 24, extraPreHeaderSize: 16, fields: [], run: "counted-block" },
  table: { basicSize: 32, fields: [16], run: "table" },
};
/** The vec's item count at +16 and block address at +24; the inst's values block at -24. */
const VEC_COUNT = 16;
const VEC_BLOCK = 24;
const INST_BLOCK = -24;
/**
 * The table kind's block address at +24. Its block: the entry count at 0, log2 of the index's
 * bytes at byte 4, the layout byte at 5, the index from 8, then the entries: {hash, key, _,
 * value} (16 bytes, keys visited) when the layout byte is 0, else {key, value} (8 bytes, keys
 * not visited, a live entry's key a nonzero marker). An entry whose key is 0 is a hole.
 */
const TABLE_BLOCK = 24;
const TABLE_LAYOUTS = [
  { stride: 16, key: 4, value: 12, visitKey: true },
  { stride: 8, key: 0, value: 4, visitKey: false },
] as const;
/** The entries of a table block: [address of the first, count, layout]. */
function tableOf(
  u32: Uint32Array,
  block: number,
): [number, number, (typeof TABLE_LAYOUTS)[number]] {
  const word = u32[(block + 4) >>> 2]!;
  const layout = TABLE_LAYOUTS[(word >>> 8) & 0xff ? 1 : 0];
  return [block + 8 + (1 << (word & 0xff)), u32[block >>> 2]!, layout];
}

function pointerMap(layout: Layout): PointerMap {
  switch (layout.run) {
    case "inline":
      return {
        fields: layout.fields,
        items: { count: 16, first: 24, reverse: layout.reverse === true },
      };
    case "block":
      return {
        fields: layout.fields,
        items: { count: VEC_COUNT, block: VEC_BLOCK, first: 0, reverse: layout.reverse === true },
      };
    case "counted-block":
      return {
        fields: layout.fields,
        items: { block: INST_BLOCK, count: 0, countInBlock: true, first: 8 },
      };
    case "table":
      return {
        fields: layout.fields,
        table: {
          block: TABLE_BLOCK,
          count: 0,
          index: 8,
          indexBytesLog2: 4,
          layoutByte: 5,
          layouts: TABLE_LAYOUTS,
        },
      };
    default:
      return { fields: layout.fields };
  }
}

type Event = [string, number];

interface World {
  readonly space: ObjectSpace;
  readonly types: Record<Kind, TypeDescriptor>;
  readonly events: Event[];
  /** References held by resurrecting finalizers. */
  readonly graveyard: number[];
  /** Every reference slot of `o`, as byte addresses (none for a weakref). */
  slots(o: number): number[];
}

function makeWorld(
  walk: Walk,
  legacyType: boolean,
  hooks: { decref: (o: number) => void; incref: (o: number) => void },
): World {
  const memory = new Memory({ maximumBytes: 8 << 20 });
  const space = new ObjectSpace(new FreeStore(new MemoryPageSource(memory)), new TypeRegistry());
  const u32 = () => space.memory.u32;
  const events: Event[] = [];
  const graveyard: number[] = [];
  const runOf = (o: number, layout: Layout): [number, number] => {
    switch (layout.run) {
      case "inline":
        return [o + 24, u32()[(o + 16) >>> 2]!];
      case "block": {
        const block = u32()[(o + VEC_BLOCK) >>> 2]!;
        return block === 0 ? [0, 0] : [block, u32()[(o + VEC_COUNT) >>> 2]!];
      }
      case "counted-block": {
        const block = u32()[(o + INST_BLOCK) >>> 2]!;
        return block === 0 ? [0, 0] : [block + 8, u32()[block >>> 2]!];
      }
      default:
        return [0, 0];
    }
  };
  const slotsOf = (o: number, layout: Layout): number[] => {
    if (layout.run === "table") {
      const slots = layout.fields.map((f) => o + f);
      const block = u32()[(o + TABLE_BLOCK) >>> 2]!;
      if (block === 0) return slots;
      const [first, count, entry] = tableOf(u32(), block);
      for (let i = 0, at = first; i < count; i++, at += entry.stride) {
        if (u32()[(at + entry.key) >>> 2] === 0) continue;
        slots.push(at + entry.value);
        if (entry.visitKey) slots.push(at + entry.key);
      }
      return slots;
    }
    const [first, count] = runOf(o, layout);
    const items = Array.from({ length: count }, (_, i) => first + 8 * i);
    if (layout.reverse) items.reverse();
    return [...layout.fields.map((f) => o + f), ...items];
  };
  const register = (kind: Kind, flags: number, finalize?: (o: number) => void) => {
    const layout = LAYOUTS[kind];
    const traverse = (o: number, visit: Visit, arg: number) => {
      for (const at of slotsOf(o, layout)) {
        const ref = u32()[at >>> 2]!;
        if (ref !== 0) {
          const stop = visit(ref, arg);
          if (stop !== 0) return stop;
        }
      }
      return 0;
    };
    const clear = (o: number) => {
      for (const at of slotsOf(o, layout)) {
        const ref = u32()[at >>> 2]!;
        if (ref !== 0) {
          u32()[at >>> 2] = 0;
          hooks.decref(ref);
        }
      }
    };
    const dealloc = (o: number) => {
      clear(o);
      const blockAt =
        layout.run === "block" ? VEC_BLOCK : layout.run === "table" ? TABLE_BLOCK : INST_BLOCK;
      if (layout.run === "block" || layout.run === "counted-block" || layout.run === "table") {
        const block = u32()[(o + blockAt) >>> 2]!;
        if (block !== 0) space.allocator.free(block);
      }
    };
    const releasesFields = walk === "release" && layout.run === undefined;
    return space.types.register({
      name: kind,
      basicSize: layout.basicSize,
      ...(layout.itemSize ? { itemSize: layout.itemSize } : {}),
      ...(layout.extraPreHeaderSize ? { extraPreHeaderSize: layout.extraPreHeaderSize } : {}),
      flags: TypeFlags.Gc | TypeFlags.Weakrefable | flags,
      ...(walk === "traverse" || walk === "both" ? { traverse } : {}),
      ...(walk !== "traverse" ? { pointers: pointerMap(layout) } : {}),
      ...(releasesFields ? { release: "fields" as const } : { clear, dealloc }),
      ...(finalize ? { finalize } : {}),
    });
  };
  const types: Record<Kind, TypeDescriptor> = {
    node: register("node", 0),
    final: register("final", TypeFlags.HasFinalizer, (o) => events.push(["finalize", o])),
    phoenix: register("phoenix", TypeFlags.HasFinalizer, (o) => {
      events.push(["finalize", o]);
      hooks.incref(o);
      graveyard.push(o);
    }),
    wide: register("wide", 0),
    tuple: register("tuple", 0),
    vec: register("vec", 0),
    inst: register("inst", 0),
    table: register("table", 0),
  };
  if (legacyType) {
    space.types.register({
      name: "legacy",
      basicSize: 24,
      flags: TypeFlags.Gc | TypeFlags.LegacyFinalizer,
      traverse: () => 0,
    });
  }
  return {
    space,
    types,
    events,
    graveyard,
    slots: (o) => {
      const layout = LAYOUTS[space.typeOf(o).name as Kind] as Layout | undefined;
      return layout ? slotsOf(o, layout) : [];
    },
  };
}

/** A generational world: `create` allocates and tracks, with the run's block if any. */
function generational(variant: Variant) {
  let gc!: GenerationalCollector;
  const world = makeWorld(variant.walk, variant.legacyType, {
    incref: (o) => gc.rc.incref(o),
    decref: (o) => gc.rc.decref(o),
  });
  gc = new GenerationalCollector(world.space, {
    thresholds: [7, 3, 3],
    ...(variant.noFreeHook
      ? {}
      : {
          free: (o: number) => {
            world.events.push(["free", o]);
            gc.release(o);
          },
        }),
  });
  const create = (kind: Kind, items: number, others: readonly number[] = []): number => {
    const space = world.space;
    const o = gc.allocate(world.types[kind].id, kind === "tuple" ? items : 0);
    const run = LAYOUTS[kind].run;
    if (run === "block" || run === "counted-block") {
      const block = space.allocator.calloc(1, 8 * items + 8);
      if (run === "block") {
        space.memory.u32[(o + VEC_BLOCK) >>> 2] = block;
        space.memory.u32[(o + VEC_COUNT) >>> 2] = items;
      } else {
        space.memory.u32[(o + INST_BLOCK) >>> 2] = block;
        space.memory.u32[block >>> 2] = items;
      }
    }
    if (run === "table") {
      // A table of `items` entries: the layout, the index's size (1, 2 or 4 bytes a slot of
      // 8) and the holes (every third entry) vary with the count.
      const layout = items % 2;
      const shift = 3 + (items % 3);
      const entry = TABLE_LAYOUTS[layout === 0 ? 0 : 1];
      const block = space.allocator.calloc(1, 8 + (1 << shift) + entry.stride * items);
      const u32 = space.memory.u32;
      u32[block >>> 2] = items;
      u32[(block + 4) >>> 2] = shift | (layout << 8);
      const first = block + 8 + (1 << shift);
      for (let i = 0; i < items; i++) {
        const at = first + entry.stride * i;
        // A live entry of the general layout starts with its key referring to one of the
        // objects made before (or the table itself), which holds a count for it; a str-like
        // key is a marker, never visited.
        if (i % 3 === 2) continue;
        if (entry.visitKey) {
          const key = others.length === 0 ? o : others[others.length - 1 - (i % others.length)]!;
          u32[(at + entry.key) >>> 2] = key;
          gc.rc.incref(key);
        } else u32[(at + entry.key) >>> 2] = 1;
      }
      space.memory.u32[(o + TABLE_BLOCK) >>> 2] = block;
    }
    gc.track(o);
    return o;
  };
  return { ...world, gc, create };
}

type Op =
  | { op: "create"; kind: Kind; items: number }
  | { op: "set"; parent: number; slot: number; child: number }
  | { op: "clear"; parent: number; slot: number }
  | { op: "drop"; root: number }
  | { op: "drop-resurrected"; index: number }
  | { op: "weakref"; target: number; callback: boolean }
  | { op: "collect"; generation: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    arbitrary: fc.record({
      op: fc.constant("create" as const),
      kind: fc.constantFrom(...KINDS),
      items: fc.integer({ min: 0, max: 5 }),
    }),
    weight: 4,
  },
  {
    arbitrary: fc.record({
      op: fc.constant("set" as const),
      parent: fc.nat(),
      slot: fc.nat(),
      child: fc.nat(),
    }),
    weight: 6,
  },
  {
    arbitrary: fc.record({ op: fc.constant("clear" as const), parent: fc.nat(), slot: fc.nat() }),
    weight: 1,
  },
  { arbitrary: fc.record({ op: fc.constant("drop" as const), root: fc.nat() }), weight: 4 },
  {
    arbitrary: fc.record({ op: fc.constant("drop-resurrected" as const), index: fc.nat() }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      op: fc.constant("weakref" as const),
      target: fc.nat(),
      callback: fc.boolean(),
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      op: fc.constant("collect" as const),
      generation: fc.integer({ min: 0, max: 2 }),
    }),
    weight: 2,
  },
);

/**
 * Runs `ops` in one world and returns everything observable, step by step (without the free
 * events when `frees` is false).
 */
function run(variant: Variant, ops: readonly Op[], frees = true): unknown[] {
  const w = generational(variant);
  const roots: number[] = [];
  const trace: unknown[] = [];
  const pick = (list: readonly number[], i: number) => list[i % list.length]!;
  for (const op of ops) {
    switch (op.op) {
      case "create":
        roots.push(w.create(op.kind, op.items, roots));
        break;
      case "set":
      case "clear": {
        if (roots.length === 0) break;
        const parent = pick(roots, op.parent);
        const slots = w.slots(parent);
        if (slots.length === 0) break;
        const at = slots[op.slot % slots.length]! >>> 2;
        const child = op.op === "set" ? pick(roots, op.child) : 0;
        const old = w.space.memory.u32[at]!;
        if (child !== 0) w.gc.rc.incref(child);
        w.space.memory.u32[at] = child;
        if (old !== 0) w.gc.rc.decref(old);
        break;
      }
      case "drop":
        if (roots.length > 0) w.gc.rc.decref(roots.splice(op.root % roots.length, 1)[0]!);
        break;
      case "drop-resurrected":
        if (w.graveyard.length > 0) {
          w.gc.rc.decref(w.graveyard.splice(op.index % w.graveyard.length, 1)[0]!);
        }
        break;
      case "weakref": {
        if (roots.length === 0) break;
        const target = pick(roots, op.target);
        if (!(w.space.typeOf(target).flags & TypeFlags.Weakrefable)) break;
        const wr = op.callback
          ? w.gc.rc.newWeakref(target, (ref) => w.events.push(["callback", ref]))
          : w.gc.rc.newWeakref(target);
        roots.push(wr);
        break;
      }
      case "collect":
        trace.push(["collect", w.gc.collect(op.generation)]);
        break;
    }
    trace.push(
      w.events.filter(([what]) => frees || what !== "free"),
      w.gc.getCount(),
      [0, 1, 2].map((g) => w.gc.getObjects(g)),
    );
    w.events.length = 0;
  }
  w.gc.verify();
  w.space.verify();
  return trace;
}

describe("pointer maps", () => {
  it("the collector finds, frees and orders exactly what it does through traverse functions, with or without a legacy finalizer type", () => {
    const variants: Variant[] = [
      { walk: "map", legacyType: true },
      { walk: "both", legacyType: true },
      { walk: "traverse", legacyType: false },
      { walk: "map", legacyType: false },
      { walk: "release", legacyType: true },
      { walk: "release", legacyType: false },
    ];
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 80, size: "max" }), (ops) => {
        const reference = run({ walk: "traverse", legacyType: true }, ops);
        for (const variant of variants) expect(run(variant, ops)).toEqual(reference);
        const quiet = run({ walk: "traverse", legacyType: true }, ops, false);
        for (const walk of ["traverse", "release"] as const) {
          expect(run({ walk, legacyType: false, noFreeHook: true }, ops, false)).toEqual(quiet);
        }
      }),
      { numRuns: fcRuns(1000) },
    );
    // A thousand programs under six walks: minutes when the machine is busy.
  }, 600_000);

  it("walks a table's live entries value first, then key, as its traverse does", () => {
    // A, B, then a table of two live entries in the general layout: keys B and A; entry 0's
    // value set to A. With A and B dropped, only the table holds them: move_unreachable sets
    // them aside, and the table's scan brings them back in its visiting order (A by entry 0's
    // value, then B by its key), which the generation list keeps.
    const ops: Op[] = [
      { op: "create", kind: "node", items: 0 },
      { op: "create", kind: "node", items: 0 },
      { op: "create", kind: "table", items: 2 },
      { op: "set", parent: 2, slot: 1, child: 0 },
      { op: "drop", root: 0 },
      { op: "drop", root: 0 },
      { op: "collect", generation: 2 },
    ];
    const reference = run({ walk: "traverse", legacyType: false }, ops);
    expect(run({ walk: "map", legacyType: false }, ops)).toEqual(reference);
    const lists = reference.at(-1) as number[][];
    expect(lists[2]).toHaveLength(3);
  });

  it("collects with a map-only type under both collectors, and get_referents follows the map", () => {
    let gc!: GenerationalCollector;
    const w = makeWorld("map", false, {
      incref: (o) => gc.rc.incref(o),
      decref: (o) => gc.rc.decref(o),
    });
    gc = new GenerationalCollector(w.space);
    const u32 = w.space.memory.u32;
    const a = gc.allocate(w.types.wide.id);
    const b = gc.allocate(w.types.tuple.id, 2);
    gc.track(a);
    gc.track(b);
    u32[(a + 56) >>> 2] = b; // wide's first field
    u32[(b + 24 + 8) >>> 2] = a; // the tuple's second item
    gc.rc.incref(a);
    gc.rc.incref(b);
    expect(gc.getReferents(a, b)).toEqual([b, a]);
    expect(gc.getReferrers(a)).toEqual([b]);
    gc.rc.decref(a);
    gc.rc.decref(b);
    expect(gc.collect()).toBe(2);
    expect(w.space.liveObjects).toBe(0);

    const roots: number[] = [];
    const t = makeWorld("map", false, { incref: () => {}, decref: () => {} });
    const tracing = new TracingCollector(t.space, { roots: (visit) => roots.forEach(visit) });
    const root = tracing.allocate(t.types.node.id);
    const kept = tracing.allocate(t.types.tuple.id, 1);
    const lost = tracing.allocate(t.types.node.id);
    t.space.memory.u32[(root + 40) >>> 2] = kept;
    t.space.memory.u32[(kept + 24) >>> 2] = root;
    t.space.memory.u32[(lost + 16) >>> 2] = lost;
    roots.push(root);
    expect(tracing.collect()).toBe(1);
    expect(t.space.isLive(kept)).toBe(true);
    expect(t.space.isLive(lost)).toBe(false);
  });
});

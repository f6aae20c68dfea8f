// The WebAssembly kernel: its module validates, and its update_refs, subtract_refs and
// move_unreachable decide exactly what the JavaScript walks decide. Each random heap (objects of kinds with every shape of pointer map:
// fields, many fields, inline and block runs visited either way, entry tables, a type object
// visited before or after; kinds walked only by a traverse function; weak references and weak
// list heads, finalizers, immortal objects, untracked containers, non-containers, untrack rules
// by pointer map and by callback) is saved, detected by one set of walks, restored, and detected
// by the other: every object's header and body, every list in its order, the counts returned,
// what the walks noted for the phases, and what the untrack rules then untrack must be equal.

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
import type { UntrackRule } from "../src/api.js";
import { CycleDetection, RULE_ANY, RULE_FULL } from "../src/internal/detection.js";
import * as list from "../src/internal/gc-list.js";
import { buildTypeTables } from "../src/internal/type-tables.js";
import { kernelBytes } from "../src/internal/wasm-kernel.js";

// ------------------------------------------------------------------ the walks

type Kind =
  | "node"
  | "wide"
  | "tuple"
  | "vec"
  | "inst"
  | "instb"
  | "table"
  | "walked"
  | "cbtuple"
  | "weakref"
  | "int";
const KINDS: readonly Kind[] = [
  "node",
  "wide",
  "tuple",
  "vec",
  "inst",
  "instb",
  "table",
  "walked",
  "cbtuple",
  "weakref",
  "int",
];

const WALKED_SLOTS = [16, 24, 32];
const TABLE_LAYOUTS = [
  { stride: 16, key: 4, value: 12, visitKey: true },
  { stride: 8, key: 0, value: 4, visitKey: false },
] as const;

interface Heap {
  readonly memory: Memory;
  readonly space: ObjectSpace;
  readonly types: Record<Kind, TypeDescriptor>;
  /** The heap types' type objects (walked-kind objects, tracked like the rest). */
  readonly typeObjects: number[];
  readonly anyRules: Map<number, UntrackRule>;
  readonly fullRules: Map<number, UntrackRule>;
  readonly weakrefType: number;
}

/**
 * Where the kernel's tables go: a block of the object space's allocator, or a fixed region
 * between the NULL page and the page source's base, which no allocator hands out.
 */
type Place = "block" | "region";
const REGION = { address: 0x1000, bytes: 0x10000 };

function heap(callbackRule: boolean, place: Place = "block"): Heap {
  const memory = new Memory({ maximumBytes: 32 << 20 });
  const pages =
    place === "region"
      ? new MemoryPageSource(memory, { base: REGION.address + REGION.bytes })
      : new MemoryPageSource(memory);
  const space = new ObjectSpace(new FreeStore(pages), new TypeRegistry());
  const u32 = () => space.memory.u32;
  const walkedTraverse = (o: number, visit: Visit, arg: number) => {
    for (const at of WALKED_SLOTS) {
      const ref = u32()[(o + at) >>> 2]!;
      if (ref !== 0 && visit(ref, arg) !== 0) return 1;
    }
    return 0;
  };
  const reg = space.types;
  const walked = reg.register({
    name: "walked",
    basicSize: 40,
    flags: TypeFlags.Gc | TypeFlags.Weakrefable,
    traverse: walkedTraverse,
  });
  // Two type objects for the heap types below: objects of the walked kind, made now.
  const typeObjects = [space.allocate(walked.id), space.allocate(walked.id)];
  const types: Record<Kind, TypeDescriptor> = {
    walked,
    node: reg.register({
      name: "node",
      basicSize: 48,
      flags: TypeFlags.Gc | TypeFlags.Weakrefable,
      pointers: { fields: [16, 24, 32, 40] },
    }),
    wide: reg.register({
      name: "wide",
      basicSize: 64,
      flags: TypeFlags.Gc | TypeFlags.HasFinalizer,
      pointers: { fields: [56, 16, 24, 48, 32, 40] },
      finalize: () => {},
    }),
    tuple: reg.register({
      name: "tuple",
      basicSize: 24,
      itemSize: 8,
      flags: TypeFlags.Gc,
      pointers: { items: { count: 16, first: 24, reverse: true } },
    }),
    vec: reg.register({
      name: "vec",
      basicSize: 40,
      flags: TypeFlags.Gc,
      pointers: { fields: [32], items: { block: 24, count: 16, first: 0, reverse: true } },
    }),
    inst: reg.register({
      name: "inst",
      basicSize: 32,
      flags: TypeFlags.Gc | TypeFlags.Weakrefable,
      pointers: { items: { block: 16, count: 0, countInBlock: true, first: 8 } },
      typeObject: typeObjects[0]!,
    }),
    instb: reg.register({
      name: "instb",
      basicSize: 32,
      flags: TypeFlags.Gc,
      pointers: { fields: [16, 24] },
      typeObject: typeObjects[1]!,
      typeObjectFirst: true,
    }),
    table: reg.register({
      name: "table",
      basicSize: 32,
      flags: TypeFlags.Gc,
      pointers: {
        fields: [16],
        table: {
          block: 24,
          count: 0,
          index: 8,
          indexBytesLog2: 4,
          layoutByte: 5,
          layouts: TABLE_LAYOUTS,
        },
      },
    }),
    cbtuple: reg.register({
      name: "cbtuple",
      basicSize: 40,
      flags: TypeFlags.Gc,
      traverse: walkedTraverse,
    }),
    weakref: reg.register({
      name: "weakref",
      basicSize: 24,
      flags: TypeFlags.Gc,
      pointers: { fields: [] },
    }),
    int: reg.register({ name: "int", basicSize: 24 }),
  };
  const anyRules = new Map<number, UntrackRule>();
  const fullRules = new Map<number, UntrackRule>();
  anyRules.set(types.tuple.id, {
    typeId: types.tuple.id,
    fullCollectionsOnly: false,
    canUntrack: () => {
      throw new Error("a pointer-map rule is run by the collector");
    },
    byPointerMap: true,
    untrackedIsAcyclic: true,
  });
  fullRules.set(types.table.id, {
    typeId: types.table.id,
    fullCollectionsOnly: true,
    canUntrack: () => {
      throw new Error("a pointer-map rule is run by the collector");
    },
    byPointerMap: true,
  });
  // Rules of every collection by pointer map on the other shapes of map too: move_unreachable
  // runs the general test on them (many fields, a block run, an entry table).
  for (const kind of ["wide", "vec", "table"] as const) {
    anyRules.set(types[kind].id, {
      typeId: types[kind].id,
      fullCollectionsOnly: false,
      canUntrack: () => {
        throw new Error("a pointer-map rule is run by the collector");
      },
      byPointerMap: true,
    });
  }
  if (callbackRule) {
    // A rule of every collection that is a callback: move_unreachable then runs none itself.
    anyRules.set(types.cbtuple.id, {
      typeId: types.cbtuple.id,
      fullCollectionsOnly: false,
      canUntrack: (o) => u32()[(o + 16) >>> 2] === 0,
    });
    fullRules.set(types.walked.id, {
      typeId: types.walked.id,
      fullCollectionsOnly: true,
      canUntrack: (o) => u32()[(o + 24) >>> 2] === 0,
    });
  }
  return {
    memory,
    space,
    types,
    typeObjects,
    anyRules,
    fullRules,
    weakrefType: types.weakref.id,
  };
}

interface Spec {
  readonly kind: Kind;
  /** Items of a tuple, vec or inst; entries of a table. */
  readonly items: number;
  readonly layout: number;
  /** Each slot's target: an index into the objects (mod their count), or none. */
  readonly targets: readonly (number | null)[];
  readonly extraRefs: number;
  /** Where it lives: the examined list, the older list, or untracked. */
  readonly home: "young" | "old" | "untracked";
  readonly immortal: boolean;
  readonly weaklist: boolean;
}

const specArb: fc.Arbitrary<Spec> = fc.record({
  // Non-containers often, so that untrack tests get past their first slots.
  // Tuples often too, so that tuples hold tuples (tracked or not, before or after them).
  kind: fc.constantFrom<Kind>(...KINDS, "int", "int", "int", "tuple", "tuple", "tuple"),
  // Now and then a run longer than the kernel's walks defer (64 items): see DEFER_RUN.
  items: fc.oneof(
    { weight: 3, arbitrary: fc.nat(4) },
    { weight: 1, arbitrary: fc.integer({ min: 60, max: 80 }) },
  ),
  layout: fc.nat(1),
  targets: fc.array(fc.option(fc.nat(200), { freq: 3 }), { minLength: 12, maxLength: 12 }),
  extraRefs: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, fc.nat(2)),
  home: fc.constantFrom("young", "young", "young", "old", "untracked"),
  immortal: fc.nat(15).map((x) => x === 0),
  weaklist: fc.boolean(),
});

/** Builds the objects; returns them, their reference slot addresses, and the list heads. */
function build(h: Heap, specs: readonly Spec[], all: boolean) {
  const { space, types } = h;
  const u32 = () => space.memory.u32;
  const [young, old, unreachable] = list.allocateHeads(
    h.memory,
    (n) => space.allocator.malloc(n),
    3,
  );
  const objects: number[] = [];
  const slotLists: number[][] = [];
  // Every object's and block's reference slots (a table entry's key slot counts when visited).
  for (const spec of specs) {
    const t = types[spec.kind];
    const items = spec.kind === "tuple" ? spec.items : 0;
    const o = space.allocate(t.id, items);
    const slots: number[] = [];
    switch (spec.kind) {
      case "node":
        slots.push(o + 16, o + 24, o + 32, o + 40);
        break;
      case "wide":
        slots.push(o + 56, o + 16, o + 24, o + 48, o + 32, o + 40);
        break;
      case "tuple":
        u32()[(o + 16) >>> 2] = spec.items;
        for (let i = 0; i < spec.items; i++) slots.push(o + 24 + 8 * i);
        break;
      case "vec": {
        slots.push(o + 32);
        if (spec.items > 0) {
          const block = space.allocator.calloc(1, 8 * spec.items);
          u32()[(o + 24) >>> 2] = block;
          u32()[(o + 16) >>> 2] = spec.items;
          for (let i = 0; i < spec.items; i++) slots.push(block + 8 * i);
        }
        break;
      }
      case "inst": {
        if (spec.items > 0) {
          const block = space.allocator.calloc(1, 8 + 8 * spec.items);
          u32()[(o + 16) >>> 2] = block;
          u32()[block >>> 2] = spec.items;
          for (let i = 0; i < spec.items; i++) slots.push(block + 8 + 8 * i);
        }
        break;
      }
      case "instb":
        slots.push(o + 16, o + 24);
        break;
      case "table": {
        slots.push(o + 16);
        if (spec.items > 0) {
          const layout = TABLE_LAYOUTS[spec.layout]!;
          const indexBytes = 8;
          const block = space.allocator.calloc(1, 8 + indexBytes + layout.stride * spec.items);
          u32()[(o + 24) >>> 2] = block;
          u32()[block >>> 2] = spec.items;
          space.memory.u8[block + 4] = 3;
          space.memory.u8[block + 5] = spec.layout;
          const entries = block + 8 + indexBytes;
          for (let i = 0; i < spec.items; i++) {
            const entry = entries + layout.stride * i;
            // A key slot is a reference when the layout visits keys (left empty, the entry is
            // a hole), else a marker: every other entry a hole when the last target is set.
            if (layout.visitKey) slots.push(entry + layout.key);
            else if (i % 2 === 1 && spec.targets[11] !== null) continue;
            else u32()[(entry + layout.key) >>> 2] = 1;
            slots.push(entry + layout.value);
          }
        }
        break;
      }
      case "walked":
      case "cbtuple":
        slots.push(o + 16, o + 24, o + 32);
        break;
      case "weakref":
      case "int":
        break;
    }
    objects.push(o);
    slotLists.push(slots);
  }
  // Links, and the counts they make.
  const counts = new Map<number, number>();
  const allObjects = [...objects, ...h.typeObjects];
  specs.forEach((spec, i) => {
    slotLists[i]!.forEach((slot, s) => {
      const target = spec.targets[s % spec.targets.length] ?? null;
      if (target === null) return;
      const to = allObjects[target % allObjects.length]!;
      u32()[slot >>> 2] = to;
      counts.set(to, (counts.get(to) ?? 0) + 1);
    });
  });
  // Instances of the heap types hold a reference to their type object.
  specs.forEach((spec) => {
    if (spec.kind === "inst")
      counts.set(h.typeObjects[0]!, (counts.get(h.typeObjects[0]!) ?? 0) + 1);
    if (spec.kind === "instb")
      counts.set(h.typeObjects[1]!, (counts.get(h.typeObjects[1]!) ?? 0) + 1);
  });
  const homes = [...specs.map((s) => s.home), "young" as const, "old" as const];
  allObjects.forEach((o, i) => {
    const spec = specs[i];
    u32()[o >>> 2] = (counts.get(o) ?? 0) + (spec?.extraRefs ?? 1);
    if (spec?.immortal) u32()[(o + 4) >>> 2]! |= 1;
    if (spec?.weaklist && (space.typeOf(o).flags & TypeFlags.Weakrefable) !== 0)
      u32()[(o + 12) >>> 2] = o;
    if (!space.typeOf(o).isGc) return;
    const home = homes[i]!;
    if (home === "untracked") return;
    list.append(u32(), o, home === "old" && !all ? old! : young!);
  });
  return { objects: allObjects, young: young!, old: old!, unreachable: unreachable! };
}

/** Everything the walks may have written: every object's words, every list in order. */
function observe(h: Heap, objects: readonly number[], heads: readonly number[]) {
  const u32 = h.space.memory.u32;
  return {
    objects: objects.map((o) => {
      const size = h.space.sizeOf(o);
      return Array.from(u32.subarray((o - 16) >>> 2, (o + size) >>> 2));
    }),
    lists: heads.map((head) => list.toArray(u32, head)),
  };
}

function detectBoth(
  callbackRule: boolean,
  specs: readonly Spec[],
  all: boolean,
  untrack: boolean,
  place: Place = "block",
) {
  const h = heap(callbackRule, place);
  const { objects, young, old, unreachable } = build(h, specs, all);
  const detection = new CycleDetection(h.memory, place === "region" ? REGION : h.space.allocator);
  expect(detection.walks).toBe("wasm");
  detection.tables = buildTypeTables(h.space, (t) => t === h.weakrefType);
  for (const rule of [...h.anyRules.values(), ...h.fullRules.values()]) {
    detection.addRule(
      rule.typeId,
      rule.fullCollectionsOnly ? RULE_FULL : RULE_ANY,
      rule.byPointerMap ?? false,
      rule.untrackedIsAcyclic ?? false,
    );
  }
  // A detection of an empty list first: the kernel copies the tables into the heap, so that
  // the saved bytes below hold the copy.
  const [empty] = list.allocateHeads(h.memory, (n) => h.space.allocator.malloc(n), 1);
  detection.deduceUnreachable(empty!, unreachable, false, false);
  const saved = h.memory.u8.slice();
  const results = (["js", "wasm"] as const).map((walks) => {
    h.memory.u8.set(saved);
    detection.walks = walks;
    const counts = detection.deduceUnreachable(young, unreachable, all, untrack);
    const attention = detection.attention;
    const afterDetection = observe(h, objects, [young, old, unreachable]);
    const anyUntracked = untrack ? detection.untrackByRules(young, h.anyRules, RULE_ANY) : 0;
    const fullUntracked =
      untrack && all ? detection.untrackByRules(young, h.fullRules, RULE_FULL) : 0;
    return {
      counts,
      attention,
      afterDetection,
      anyUntracked,
      fullUntracked,
      end: observe(h, objects, [young, old, unreachable]),
    };
  });
  return { js: results[0]!, wasm: results[1]!, objects };
}

/** The engine's WebAssembly API, typed here (the project compiles without the DOM library). */
const WebAssembly = (
  globalThis as unknown as { WebAssembly: { validate(bytes: Uint8Array): boolean } }
).WebAssembly;

describe("the WebAssembly walks", () => {
  it("are written as a valid module", () => {
    expect(WebAssembly.validate(kernelBytes())).toBe(true);
  });

  it("decide what the JavaScript walks decide: gc_refs, marks, lists and their order, untracking, what the phases need", () => {
    fc.assert(
      fc.property(
        fc.array(specArb, { minLength: 1, maxLength: 60 }),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        fc.constantFrom<Place>("block", "region"),
        (specs, callbackRule, all, untrack, place) => {
          const { js, wasm } = detectBoth(callbackRule, specs, all, untrack, place);
          expect(wasm).toEqual(js);
        },
      ),
      { numRuns: fcRuns(600) },
    );
  }, 300_000);

  it("find garbage and untrack tuples on a heap where both happen", () => {
    // A two-cycle of nodes dropped, a tuple of ints kept, a tuple holding a tracked node kept.
    const specs: Spec[] = [
      {
        kind: "node",
        items: 0,
        layout: 0,
        targets: [1, null, null, null],
        extraRefs: 0,
        home: "young",
        immortal: false,
        weaklist: true,
      },
      {
        kind: "node",
        items: 0,
        layout: 0,
        targets: [0, null, null, null],
        extraRefs: 0,
        home: "young",
        immortal: false,
        weaklist: false,
      },
      {
        kind: "tuple",
        items: 2,
        layout: 0,
        targets: [4, 4],
        extraRefs: 1,
        home: "young",
        immortal: false,
        weaklist: false,
      },
      {
        kind: "tuple",
        items: 1,
        layout: 0,
        targets: [5],
        extraRefs: 1,
        home: "young",
        immortal: false,
        weaklist: false,
      },
      {
        kind: "int",
        items: 0,
        layout: 0,
        targets: [],
        extraRefs: 1,
        home: "young",
        immortal: false,
        weaklist: false,
      },
      {
        kind: "node",
        items: 0,
        layout: 0,
        targets: [null, null, null, null],
        extraRefs: 1,
        home: "young",
        immortal: false,
        weaklist: false,
      },
    ];
    const { js, wasm, objects } = detectBoth(false, specs, true, true);
    expect(wasm).toEqual(js);
    // Examined: the six objects' containers (the int is none) and the two type objects.
    expect(wasm.counts[0]).toBe(7);
    expect(wasm.afterDetection.lists[2]).toEqual([objects[0], objects[1]]);
    expect(wasm.anyUntracked).toBe(1);
    expect(wasm.attention).not.toBe(0);
  });

  it("reach a long run's items in the map's order when the walk moves objects back before it reaches them", () => {
    // A reachable vec of 70 items (a run the kernel's walks defer), last to first in its map,
    // its first item the node after it in the list, some others a node the walk found
    // unreachable before the vec; then that next node, whose own reference moves another
    // unreachable node back while the vec's items wait. Both go back to the young list, the
    // vec's first.
    const spec = (kind: Kind, items: number, targets: (number | null)[], extraRefs: number) => ({
      kind,
      items,
      layout: 0,
      targets: [...targets, ...new Array<null>(12 - targets.length).fill(null)],
      extraRefs,
      home: "young" as const,
      immortal: false,
      weaklist: false,
    });
    const specs: Spec[] = [
      spec("node", 0, [], 0),
      spec("node", 0, [], 0),
      spec("vec", 70, [null, 3, null, null, null, 0], 1),
      spec("node", 0, [1], 1),
    ];
    for (const all of [false, true]) {
      const { js, wasm, objects } = detectBoth(false, specs, all, false);
      expect(wasm).toEqual(js);
      const young = wasm.afterDetection.lists[0]!;
      expect(young.indexOf(objects[0]!)).toBeLessThan(young.indexOf(objects[1]!));
      expect(young.indexOf(objects[1]!)).toBeGreaterThan(-1);
    }
  });

  it("test every slot of an entry table, keys included, when they untrack", () => {
    // Two tables whose field and values are ints: one's keys are ints too (untracked), the
    // other's last key is a tracked node (kept tracked).
    const spec = (kind: Kind, targets: (number | null)[], extraRefs = 1): Spec => ({
      kind,
      items: 2,
      layout: 0,
      targets: [...targets, ...new Array<null>(12 - targets.length).fill(null)],
      extraRefs,
      home: "young",
      immortal: false,
      weaklist: false,
    });
    // Table slots in order: field 16, then key and value of each entry.
    const specs = [
      spec("int", []),
      spec("node", []),
      spec("table", [0, 0, 0, 0, 0]),
      spec("table", [0, 0, 0, 1, 0]),
    ];
    const { js, wasm, objects } = detectBoth(false, specs, true, true);
    expect(wasm).toEqual(js);
    expect(wasm.anyUntracked).toBe(1);
    expect(wasm.end.lists[0]).not.toContain(objects[2]);
    expect(wasm.end.lists[0]).toContain(objects[3]);
  });

  it("keep a tuple that holds a tracked tuple tracked, and untrack one whose tuple went first", () => {
    const spec = (kind: Kind, items: number, targets: (number | null)[]): Spec => ({
      kind,
      items,
      layout: 0,
      targets: [...targets, ...new Array<null>(12 - targets.length).fill(null)],
      extraRefs: 1,
      home: "young",
      immortal: false,
      weaklist: false,
    });
    // 0 holds 1, which comes after it (still tracked at 0's test); 3 holds 2, which came first
    // and holds only an int (untracked by then).
    const specs = [
      spec("tuple", 1, [1]),
      spec("tuple", 1, [4]),
      spec("tuple", 1, [4]),
      spec("tuple", 1, [2]),
      spec("int", 0, []),
    ];
    const { js, wasm, objects } = detectBoth(false, specs, true, true);
    expect(wasm).toEqual(js);
    expect(wasm.end.lists[0]).toContain(objects[0]);
    expect(wasm.end.lists[0]).not.toContain(objects[1]);
    expect(wasm.end.lists[0]).not.toContain(objects[3]);
    expect(wasm.anyUntracked).toBe(3);
  });
});

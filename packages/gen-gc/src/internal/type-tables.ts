// Per-type tables that the collectors' loops index by type id: flags in an Int32Array, pointer
// maps flattened into Int32Arrays, and the traverse and clear functions. A loop over objects
// then reads a type's facts with one typed-array load instead of a descriptor object's
// properties, and walks a type with a pointer map without a call per object or per reference.

import type { ObjectSpace, PointerMap, Visit } from "@mm/heap";

/** A type's `tp_traverse`: visits each reference `object` holds; stops at a non-zero result. */
export type Traverse = (object: number, visit: Visit, arg: number) => number;

/** A bit of the per-type flags beside TypeFlags: the type has a finalizer. */
export const HAS_FINALIZE = 1 << 16;
/** A bit of the per-type flags beside TypeFlags: the type has a pointer map. */
export const HAS_MAP = 1 << 17;
/** A bit of the per-type flags beside TypeFlags: the type's pointer map has an item run. */
export const HAS_RUN = 1 << 18;
/** A bit of the per-type flags beside TypeFlags: the type is the weak reference type. */
export const IS_WEAKREF = 1 << 19;
/** A bit of the per-type flags beside TypeFlags: the type's pointer map has an entry table. */
export const HAS_TABLE = 1 << 20;

/** Where a type's item run is, in its walk record. */
export const RUN_NONE = 0;
/** Items inline in the object, the count in the object. */
export const RUN_INLINE = 1;
/** Items in a block the object points to, the count in the object. */
export const RUN_BLOCK = 2;
/** Items in a block the object points to, the count in the block. */
export const RUN_BLOCK_COUNTED = 3;

/**
 * Int32s per type in {@link TypeTables.walk}. The first four field offsets sit in the record
 * itself, so that the loops read them without a second table and V8 can keep the common
 * counts (0 to 4 fields) free of an inner loop; fields past the fourth are in
 * {@link TypeTables.fields} from index `WALK_MORE_FIELDS`.
 */
export const WALK_RECORD = 32;
/** Record slot: the number of fields. */
export const WALK_FIELDS = 0;
/** Record slots 1 to 4: the first four field offsets. */
export const WALK_FIELD0 = 1;
/** Record slot: where fields past the fourth start in {@link TypeTables.fields}. */
export const WALK_MORE_FIELDS = 5;
/** Record slot: the run's kind ({@link RUN_NONE} and so on). */
export const WALK_RUN = 6;
/** Record slot: the offset of the run's block address in the object. */
export const WALK_BLOCK = 7;
/** Record slot: the offset of the item count (in the object, or the block). */
export const WALK_COUNT = 8;
/** Record slot: the offset of the first item (from the block, or the object when inline). */
export const WALK_FIRST = 9;
/** Record slot: bytes from one item to the next. */
export const WALK_STRIDE = 10;
/** Record slot: 1 when the items are visited from last to first. */
export const WALK_REVERSE = 11;
/** Record slot: the offset of the entry table's block address in the object. */
export const WALK_TABLE_BLOCK = 12;
/** Record slot: the offset, in the table's block, of its entry count. */
export const WALK_TABLE_COUNT = 13;
/** Record slot: the offset, in the table's block, of its index. */
export const WALK_TABLE_INDEX = 14;
/** Record slot: the offset, in the table's block, of the byte with log2 of the index's bytes. */
export const WALK_TABLE_SHIFT = 15;
/** Record slot: the offset, in the table's block, of the byte that chooses the layout. */
export const WALK_TABLE_LAYOUT = 16;
/**
 * Record slots from here: the two layouts, {@link WALK_LAYOUT_SIZE} slots each (stride, key
 * offset, value offset, 1 when the key is visited).
 */
export const WALK_TABLE_LAYOUTS = 17;
/** Record slots per entry layout. */
export const WALK_LAYOUT_SIZE = 4;
/**
 * Record slot: the type's type object (`TypeDescriptor.typeObject`, as an int32) when it is
 * visited before the pointer map's references, else 0.
 */
export const WALK_TYPE_BEFORE = 25;
/** Record slot: the type's type object when it is visited after the map's references, else 0. */
export const WALK_TYPE_AFTER = 26;

export interface TypeTables {
  /** By type id: TypeFlags, plus {@link HAS_FINALIZE}, {@link HAS_MAP} and the other bits. */
  readonly flags: Int32Array;
  /** The flags of every type, or-ed together ("does any type have a legacy finalizer?"). */
  readonly anyFlags: number;
  /** By type id, {@link WALK_RECORD} int32s each: the flattened pointer map. */
  readonly walk: Int32Array;
  /** Byte offsets of every type's fields, back to back. */
  readonly fields: Int32Array;
  /** By type id: the traverse function (derived from the pointer map when the type has none). */
  readonly traverses: ReadonlyArray<Traverse>;
  /** By type id: the clear function (for `release: "fields"`, the one given to the build). */
  readonly clears: ReadonlyArray<((object: number) => void) | undefined>;
  /**
   * The clear given to the build for `release: "fields"` (the reference counter clears such
   * runs itself). Required, though it may be undefined, so that every tables object has the
   * same properties and V8 one hidden class for all of them (see `NO_TABLES`).
   */
  readonly clearFields: ((object: number) => void) | undefined;
}

const noReferences: Traverse = () => 0;

/**
 * Builds the tables for every type registered in `space` now; the types `isWeakref` names
 * (weakref and its subtypes) get {@link IS_WEAKREF}, and `clearFields` is the clear of the
 * types with `release: "fields"`.
 */
export function buildTypeTables(
  space: ObjectSpace,
  isWeakref: (typeId: number) => boolean = () => false,
  clearFields?: (object: number) => void,
): TypeTables {
  const types = space.types.all();
  const flags = new Int32Array(types.length + 1);
  const walk = new Int32Array((types.length + 1) * WALK_RECORD);
  let moreFields = 0;
  for (const type of types) moreFields += Math.max(0, (type.pointers?.fields?.length ?? 0) - 4);
  const fields = new Int32Array(moreFields);
  const traverses: Traverse[] = [noReferences];
  const clears: Array<((object: number) => void) | undefined> = [undefined];
  let f = 0;
  for (const type of types) {
    const map = type.pointers;
    flags[type.id] =
      type.flags |
      (type.finalize ? HAS_FINALIZE : 0) |
      (map ? HAS_MAP : 0) |
      (map?.items ? HAS_RUN : 0) |
      (map?.table ? HAS_TABLE : 0) |
      (isWeakref(type.id) ? IS_WEAKREF : 0);
    if (map) {
      const m = type.id * WALK_RECORD;
      // Every instance refers to its heap type: one more reference, at the same place for all.
      walk[m + (type.typeObjectFirst ? WALK_TYPE_BEFORE : WALK_TYPE_AFTER)] = type.typeObject | 0;
      const offsets = map.fields ?? [];
      walk[m + WALK_FIELDS] = offsets.length;
      walk[m + WALK_MORE_FIELDS] = f;
      offsets.forEach((offset, i) => {
        if (i < 4) walk[m + WALK_FIELD0 + i] = offset;
        else fields[f++] = offset;
      });
      const run = map.items;
      if (run) {
        walk[m + WALK_RUN] =
          run.block === undefined ? RUN_INLINE : run.countInBlock ? RUN_BLOCK_COUNTED : RUN_BLOCK;
        walk[m + WALK_BLOCK] = run.block ?? 0;
        walk[m + WALK_COUNT] = run.count;
        walk[m + WALK_FIRST] = run.first;
        walk[m + WALK_STRIDE] = run.stride ?? 8;
        walk[m + WALK_REVERSE] = run.reverse ? 1 : 0;
      }
      const table = map.table;
      if (table) {
        walk[m + WALK_TABLE_BLOCK] = table.block;
        walk[m + WALK_TABLE_COUNT] = table.count;
        walk[m + WALK_TABLE_INDEX] = table.index;
        walk[m + WALK_TABLE_SHIFT] = table.indexBytesLog2;
        walk[m + WALK_TABLE_LAYOUT] = table.layoutByte;
        table.layouts.forEach((layout, i) => {
          const at = m + WALK_TABLE_LAYOUTS + WALK_LAYOUT_SIZE * i;
          walk[at] = layout.stride;
          walk[at + 1] = layout.key;
          walk[at + 2] = layout.value;
          walk[at + 3] = layout.visitKey ? 1 : 0;
        });
      }
    }
    traverses[type.id] =
      type.traverse ??
      (map
        ? traverseByPointerMap(space, map, type.typeObject, type.typeObjectFirst)
        : noReferences);
    clears[type.id] = type.release === "fields" ? clearFields : type.clear;
  }
  const anyFlags = flags.reduce((all, f) => all | f, 0);
  return { flags, anyFlags, walk, fields, traverses, clears, clearFields };
}

// runStart and runCount run inside the collector's loops, so they read the slots and kinds as
// numbers written in place (a `const enum`) rather than as the module constants above, which
// V8 loads on every use.
// biome-ignore lint/suspicious/noConstEnum: local to this module, so every compiler inlines it.
const enum Slot {
  Run = 6,
  Block = 7,
  Count = 8,
  First = 9,
  RunNone = 0,
  RunInline = 1,
  RunBlockCounted = 3,
}
if (
  Slot.Run !== WALK_RUN ||
  Slot.Block !== WALK_BLOCK ||
  Slot.Count !== WALK_COUNT ||
  Slot.First !== WALK_FIRST ||
  Slot.RunNone !== RUN_NONE ||
  Slot.RunInline !== RUN_INLINE ||
  Slot.RunBlockCounted !== RUN_BLOCK_COUNTED
) {
  throw new Error("gen-gc was built with a run slot that is not the exported one");
}

/**
 * The address of the first item of `object`'s run (walk record at `m`), or 0 when it has no
 * run or its block slot holds 0.
 */
export function runStart(u32: Uint32Array, walk: Int32Array, m: number, object: number): number {
  const kind = walk[m + Slot.Run]!;
  if (kind === Slot.RunNone) return 0;
  if (kind === Slot.RunInline) return object + walk[m + Slot.First]!;
  const block = u32[(object + walk[m + Slot.Block]!) >>> 2]!;
  return block === 0 ? 0 : block + walk[m + Slot.First]!;
}

/** The item count of `object`'s run; only meaningful when {@link runStart} is not 0. */
export function runCount(u32: Uint32Array, walk: Int32Array, m: number, object: number): number {
  const at =
    walk[m + Slot.Run] === Slot.RunBlockCounted
      ? u32[(object + walk[m + Slot.Block]!) >>> 2]!
      : object;
  return u32[(at + walk[m + Slot.Count]!) >>> 2]!;
}

/**
 * A traverse function that visits what a pointer map says, in its order: the fields, then the
 * run (last to first when reversed), skipping empty slots, then the live entries of the table
 * (each one's value, then its key when the layout visits keys). The collectors' loops walk a type's
 * map in this order without calls; a type whose `traverse` visits anything else, or in
 * another order, has a map that misdescribes it. A `typeObject` (not 0) is visited last, or
 * first with `typeObjectFirst`.
 */
export function traverseByPointerMap(
  space: ObjectSpace,
  map: PointerMap,
  typeObject = 0,
  typeObjectFirst = false,
): Traverse {
  const fields = map.fields ?? [];
  const run = map.items;
  const stride = run?.stride ?? 8;
  const table = map.table;
  const before = typeObjectFirst ? typeObject : 0;
  const after = typeObjectFirst ? 0 : typeObject;
  if (before === 0 && after === 0) return walkMap;
  return (object, visit, arg) => {
    if (before !== 0) {
      const stop = visit(before, arg);
      if (stop !== 0) return stop;
    }
    const stop = walkMap(object, visit, arg);
    if (stop !== 0 || after === 0) return stop;
    return visit(after, arg);
  };
  function walkMap(object: number, visit: Visit, arg: number): number {
    const u32 = space.memory.u32;
    for (const offset of fields) {
      const ref = u32[(object + offset) >>> 2]!;
      if (ref !== 0) {
        const stop = visit(ref, arg);
        if (stop !== 0) return stop;
      }
    }
    if (run) {
      const stop = visitRun(object, visit, arg);
      if (stop !== 0) return stop;
    }
    if (!table) return 0;
    const block = u32[(object + table.block) >>> 2]!;
    if (block === 0) return 0;
    const u8 = space.memory.u8;
    const layout = table.layouts[u8[block + table.layoutByte] === 0 ? 0 : 1];
    const entries = block + table.index + (1 << u8[block + table.indexBytesLog2]!);
    const count = u32[(block + table.count) >>> 2]!;
    for (let i = 0, entry = entries; i < count; i++, entry += layout.stride) {
      const key = u32[(entry + layout.key) >>> 2]!;
      if (key === 0) continue;
      const value = u32[(entry + layout.value) >>> 2]!;
      if (value !== 0) {
        const stop = visit(value, arg);
        if (stop !== 0) return stop;
      }
      if (layout.visitKey) {
        const stop = visit(key, arg);
        if (stop !== 0) return stop;
      }
    }
    return 0;
  }
  function visitRun(object: number, visit: Visit, arg: number): number {
    if (!run) return 0;
    const u32 = space.memory.u32;
    let base = object;
    if (run.block !== undefined) {
      base = u32[(object + run.block) >>> 2]!;
      if (base === 0) return 0;
    }
    const count = u32[((run.countInBlock ? base : object) + run.count) >>> 2]!;
    const first = base + run.first;
    for (let i = 0; i < count; i++) {
      const ref = u32[(first + stride * (run.reverse ? count - 1 - i : i)) >>> 2]!;
      if (ref !== 0) {
        const stop = visit(ref, arg);
        if (stop !== 0) return stop;
      }
    }
    return 0;
  }
}

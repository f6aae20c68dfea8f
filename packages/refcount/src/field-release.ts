// The in-place release of objects whose type declares `release: "fields"` (CPython's
// subtype_clear and subtype_dealloc for a class with __slots__) or `release: "pointers"` (a
// tuple's, a list's, an instance's dealloc: the fields, then the item run): untrack, drop each
// pointer, free, as plain typed-array code with no call into the model. RefCounter owns one
// FieldRelease and hands the deaths that need the model (a finalizer, weak references, another
// type, the trashcan) back to its own path through `byModel`.
//
// The functions are module functions over a plain state object rather than methods that read
// private fields: the release recurses (drop, release, drop...) once per death, and V8 reads a
// plain field without the class-brand check that a private field or a private static method
// costs on every access.

import {
  GC_NEXT,
  GC_PREV,
  type Memory,
  OB_FLAGS,
  OB_TYPE,
  OB_WEAKLIST,
  ObjectFlags,
  type ObjectSpace,
  type TypeDescriptor,
} from "@mm/heap";
import { RefcountError } from "./errors.js";

/** Header offsets (@mm/heap's), written in place: an imported constant is a load in V8. */
// biome-ignore lint/suspicious/noConstEnum: local to this module, so every compiler inlines it.
const enum Off {
  GcNext = -16,
  GcPrev = -8,
  Flags = 4,
  Type = 8,
  Weaklist = 12,
}

/** Bits of `ob_flags` (@mm/heap's `ObjectFlags`). */
// biome-ignore lint/suspicious/noConstEnum: local to this module, so every compiler inlines it.
const enum Flag {
  Immortal = 1,
  GcHead = 4,
  Collecting = 8,
  Unreachable = 16,
  ReleasesFields = 32,
  ReleasesPointers = 64,
}

/** log2 of the int32s of a type's record in the field table. */
// biome-ignore lint/suspicious/noConstEnum: local to this module, so every compiler inlines it.
const enum Record {
  Log2 = 4,
}

/**
 * A type's record in the field table: its field count, its first two offsets, more's start,
 * which release it has, its item run (the mode word, the count's, block's and first item's
 * offsets, the stride), and whether an object of it may hold nothing to drop (`Leaf`, see
 * {@link holdsPointers}). Sixteen int32s, of which eleven are used: a power of two, for the
 * shift.
 */
// biome-ignore lint/suspicious/noConstEnum: local to this module, so every compiler inlines it.
const enum Rec {
  Count = 0,
  Field0 = 1,
  Field1 = 2,
  More = 3,
  Release = 4,
  Items = 5,
  ItemsCount = 6,
  ItemsBlock = 7,
  ItemsFirst = 8,
  ItemsStride = 9,
  Leaf = 10,
}

/** `Rec.Release`: none, `release: "fields"`, `release: "pointers"`. */
// biome-ignore lint/suspicious/noConstEnum: local to this module, so every compiler inlines it.
const enum Release {
  None = 0,
  Fields = 1,
  Pointers = 2,
}

/**
 * The bits of `Rec.Items`: whether there is a run, whether it is in a block, whether the count
 * is in the block, whether it is released last to first.
 */
// biome-ignore lint/suspicious/noConstEnum: local to this module, so every compiler inlines it.
const enum Items {
  Present = 1,
  InBlock = 2,
  CountInBlock = 4,
  Reverse = 8,
}

if (
  Off.GcNext !== GC_NEXT ||
  Off.GcPrev !== GC_PREV ||
  Off.Flags !== OB_FLAGS ||
  Off.Type !== OB_TYPE ||
  Off.Weaklist !== OB_WEAKLIST ||
  Flag.Immortal !== ObjectFlags.Immortal ||
  Flag.GcHead !== ObjectFlags.GcHead ||
  Flag.Collecting !== ObjectFlags.Collecting ||
  Flag.Unreachable !== ObjectFlags.Unreachable ||
  Flag.ReleasesFields !== ObjectFlags.ReleasesFields ||
  Flag.ReleasesPointers !== ObjectFlags.ReleasesPointers
) {
  throw new Error("refcount was built with header constants that are not @mm/heap's");
}

/** The state of the in-place release of one reference counter. */
export class FieldRelease {
  readonly space: ObjectSpace;
  readonly memory: Memory;
  /** Deallocations may nest this deep before the rest are deferred (the trashcan). */
  readonly trashcanDepth: number;
  /** Whether a death released in place may be untracked in place (`untrackUnlinksOnly`). */
  readonly unlinkInPlace: boolean;
  /**
   * The `ob_flags` bits of the deaths that may be released in place: both releases, or only
   * `release: "fields"` while the counter's `releasePointersInPlace` is off.
   */
  inPlace: number = Flag.ReleasesFields | Flag.ReleasesPointers;
  /**
   * {@link inPlace} where deaths may be untracked in place ({@link unlinkInPlace}), else 0: the
   * one test a death asks of the counter's configuration (see {@link setInPlace}).
   */
  inPlaceMask: number;
  /** The `free` hook, if any (the counter's `freeHook` replaces it). */
  free: ((object: number, type: TypeDescriptor) => void) | undefined;
  /**
   * The same hook as a function of the object alone, when the counter was given one (a hook
   * that reads the object's type itself): an in-place death then looks no type up.
   */
  freeObject: ((object: number) => void) | undefined = undefined;
  /**
   * The release that takes over the in-place deaths of objects that hold something to drop,
   * when one is set (see {@link InPlaceReleaseAccess}): called instead of this module's loops
   * with the dying object,
   * its flags and the deallocations on the stack, it must do exactly what they do.
   */
  kernel: ((object: number, flags: number, depth: number) => void) | undefined = undefined;
  /** The counter's own deallocation (steps 1 to 6), at a nesting depth. */
  readonly byModel: (object: number, depth: number) => void;
  /** The counter's deferred deaths (the trashcan), and how it destroys them. */
  readonly deferred: readonly number[];
  readonly drain: () => void;
  /**
   * By type id, `1 << Record.Log2` int32s for each type with a release (zero for the others):
   * the field count, the first two offsets, where the others start in `more`, the release, and
   * the item run.
   */
  records = new Int32Array(0);
  /** `records.length` as a small integer: a typed array's length compares as a double in V8. */
  recordsEnd = 0;
  more = new Int32Array(0);
  /** Referents that a closed-list check has yet to find on the list (grown as needed). */
  pending: Uint32Array = new Uint32Array(1024);
  /** The closed-list check's membership stamps, a bit per 16 bytes of memory (made on use). */
  stamps: Uint32Array = new Uint32Array(0);
  /** How many objects, from the head of its list, the last check stamped. */
  stamped = 0;
  /** The descriptors of the types in the table, by id (a plain array: no lookup per death). */
  types: TypeDescriptor[] = [];

  constructor(
    space: ObjectSpace,
    trashcanDepth: number,
    unlinkInPlace: boolean,
    free: ((object: number, type: TypeDescriptor) => void) | undefined,
    byModel: (object: number, depth: number) => void,
    deferred: readonly number[],
    drain: () => void,
  ) {
    this.space = space;
    this.memory = space.memory;
    this.trashcanDepth = trashcanDepth;
    this.unlinkInPlace = unlinkInPlace;
    this.inPlaceMask = unlinkInPlace ? this.inPlace : 0;
    this.free = free;
    this.byModel = byModel;
    this.deferred = deferred;
    this.drain = drain;
  }

  /** Sets {@link inPlace} (and {@link inPlaceMask} with it). */
  setInPlace(bits: number): void {
    this.inPlace = bits;
    this.inPlaceMask = this.unlinkInPlace ? bits : 0;
  }

  /** `stamps`, large enough for `bytes` of memory (all clear); grown when the memory has grown. */
  stampsFor(bytes: number): Uint32Array {
    const words = Math.ceil(bytes / 512);
    if (this.stamps.length < words) this.stamps = new Uint32Array(words);
    return this.stamps;
  }

  /** Doubles `pending`, keeping what it holds; returns the new array. */
  growPending(): Uint32Array {
    const grown: Uint32Array = new Uint32Array(this.pending.length * 2);
    grown.set(this.pending);
    this.pending = grown;
    return grown;
  }

  /** Whether the table misses a type registered since it was built. */
  get stale(): boolean {
    return this.recordsEnd !== (this.space.types.all().length + 1) << Record.Log2;
  }

  /** Rebuilds the table for every type registered now. */
  rebuild(): void {
    const types = this.space.types.all();
    const records = new Int32Array((types.length + 1) << Record.Log2);
    const more: number[] = [];
    for (const type of types) {
      if (type.release === undefined) continue;
      const fields = type.pointers?.fields ?? [];
      const rec = type.id << Record.Log2;
      records[rec + Rec.Count] = fields.length;
      records[rec + Rec.Field0] = fields[0] ?? 0;
      records[rec + Rec.Field1] = fields[1] ?? 0;
      records[rec + Rec.More] = more.length;
      more.push(...fields.slice(2));
      records[rec + Rec.Release] = type.release === "fields" ? Release.Fields : Release.Pointers;
      const run = type.pointers?.items;
      if (run !== undefined) {
        records[rec + Rec.Items] =
          Items.Present |
          (run.block !== undefined ? Items.InBlock : 0) |
          (run.countInBlock === true ? Items.CountInBlock : 0) |
          (run.reverse === true ? Items.Reverse : 0);
        records[rec + Rec.ItemsCount] = run.count;
        records[rec + Rec.ItemsBlock] = run.block ?? 0;
        records[rec + Rec.ItemsFirst] = run.first;
        records[rec + Rec.ItemsStride] = run.stride ?? 8;
      }
      // A type without fields holds nothing when it has no item run (-1), or when the block
      // that holds its items is absent (the block field's offset, plus one); 0 otherwise.
      records[rec + Rec.Leaf] =
        fields.length > 0
          ? 0
          : run === undefined
            ? -1
            : run.block !== undefined
              ? run.block + 1
              : 0;
    }
    this.records = records;
    this.recordsEnd = records.length;
    this.types = [];
    for (const type of types) this.types[type.id] = type;
    this.more = Int32Array.from(more);
  }

  /** Whether the type of `object` has `release: "fields"`, by the table (rebuilt if stale). */
  releasesFields(u32: Uint32Array, object: number): boolean {
    // The id is compared before the shift: a corrupt id of 2^28 or more would wrap.
    const t = u32[(object + Off.Type) >>> 2]!;
    if (t >= this.recordsEnd >> Record.Log2 && this.stale) this.rebuild();
    return (
      t < this.recordsEnd >> Record.Log2 &&
      this.records[(t << Record.Log2) + Rec.Release] === Release.Fields
    );
  }
}

/**
 * The deallocation of `object`, whose count has just reached zero, with `depth` deallocations
 * on the stack: in place when its flags allow it and it has no weak references, else the
 * counter's own path.
 */
export function deallocate(
  r: FieldRelease,
  u32: Uint32Array,
  object: number,
  flags: number,
  depth: number,
): void {
  if (
    (flags & r.inPlaceMask) !== 0 &&
    u32[(object + Off.Weaklist) >>> 2] === 0 &&
    depth < r.trashcanDepth
  ) {
    // A death that kills nothing it drops (an empty list, an instance a collection has cleared,
    // one whose referents others hold too) cascades nowhere: the kernel's call would cost more
    // than the loops' few steps.
    const kernel = r.kernel;
    if (
      kernel !== undefined &&
      mayCascade(r, u32, object, u32[(object + Off.Type) >>> 2]! << Record.Log2)
    ) {
      kernel(object, flags, depth);
    } else releaseInPlace(r, u32, object, flags, depth);
  } else r.byModel(object, depth);
}

/** An in-place deallocation: untrack, drop each field (and each item), free. */
function releaseInPlace(
  r: FieldRelease,
  u32: Uint32Array,
  object: number,
  flags: number,
  depth: number,
): void {
  unlink(u32, object, flags);
  const rec = u32[(object + Off.Type) >>> 2]! << Record.Log2;
  if ((flags & Flag.ReleasesFields) !== 0) releaseFieldsOf(r, u32, object, rec, depth + 1);
  else if (holdsPointers(r, u32, object, rec)) releasePointersOf(r, object, rec, depth + 1);
  const freeObject = r.freeObject;
  if (freeObject !== undefined) freeObject(object);
  else freeTyped(r, object, rec);
}

/**
 * The drops of an in-place death (`object` unlinked already), without its free: each field,
 * or each pointer, with `depth` deallocations on the stack before it. For a release written
 * elsewhere that does not have the type's record.
 */
export function releaseBody(r: FieldRelease, object: number, flags: number, depth: number): void {
  const u32 = r.memory.u32;
  const rec = u32[(object + Off.Type) >>> 2]! << Record.Log2;
  if ((flags & Flag.ReleasesFields) !== 0) releaseFieldsOf(r, u32, object, rec, depth + 1);
  else if (holdsPointers(r, u32, object, rec)) releasePointersOf(r, object, rec, depth + 1);
}

/** The free that ends an in-place death: the hook by object, the free hook, or the space. */
export function freeReleased(r: FieldRelease, object: number): void {
  const freeObject = r.freeObject;
  if (freeObject !== undefined) freeObject(object);
  else freeTyped(r, object, r.memory.u32[(object + Off.Type) >>> 2]! << Record.Log2);
}

/**
 * The end of an in-place death without a hook by object: the free hook, or the object space,
 * with the type of the record at `rec`. Out of line: the caller stays small enough for V8 to
 * inline the whole release step into the walk that drops the object's referrer's items.
 */
function freeTyped(r: FieldRelease, object: number, rec: number): void {
  const type = r.types[rec >> Record.Log2] ?? r.space.types.get(rec >> Record.Log2);
  const free = r.free;
  if (free !== undefined) free(object, type);
  else r.space.freeAs(object, type);
}

/**
 * A dying object's untrack when the collector's hook only unlinks (`untrackUnlinksOnly`): a
 * tracked container leaves its GC list, and its collection marks go with it, as
 * `_PyObject_GC_UNTRACK` does; anything else is left alone. `flags` is its `ob_flags`.
 */
export function unlink(u32: Uint32Array, object: number, flags: number): void {
  if ((flags & Flag.GcHead) !== 0) {
    const next = u32[(object + Off.GcNext) >>> 2]!;
    if (next !== 0) {
      const prev = u32[(object + Off.GcPrev) >>> 2]!;
      u32[(prev + Off.GcNext) >>> 2] = next;
      u32[(next + Off.GcPrev) >>> 2] = prev;
      u32[(object + Off.GcNext) >>> 2] = 0;
      // Outside a collection the marks are clear: the header is not written again.
      if ((flags & (Flag.Collecting | Flag.Unreachable)) !== 0) {
        u32[(object + Off.Flags) >>> 2] = flags & ~(Flag.Collecting | Flag.Unreachable);
      }
    }
  }
}

/**
 * `Py_CLEAR` of each field of an object whose type has `release: "fields"`, with `depth`
 * deallocations on the stack for the deaths it causes. The first two fields are written out:
 * most such types have one or two.
 */
export function releaseFields(
  r: FieldRelease,
  u32: Uint32Array,
  object: number,
  depth: number,
): void {
  releaseFieldsOf(r, u32, object, u32[(object + Off.Type) >>> 2]! << Record.Log2, depth);
}

/** {@link releaseFields} for an object whose type's record is at `rec`. */
function releaseFieldsOf(
  r: FieldRelease,
  u32: Uint32Array,
  object: number,
  rec: number,
  depth: number,
): void {
  // A type registered since the table was built (by a finalizer during this release, say).
  if (rec >= r.recordsEnd) r.rebuild();
  const records = r.records;
  const count = records[rec + Rec.Count]!;
  const at0 = (object + records[rec + Rec.Field0]!) >>> 2;
  const ref0 = u32[at0]!;
  if (ref0 !== 0) {
    u32[at0] = 0;
    dropField(r, u32, ref0, depth);
    // A clear from outside any deallocation (depth 0) ends a death here: the trashcan's
    // deferred deaths are destroyed now, as after a decref, before the next field.
    if (depth === 0 && r.deferred.length > 0) r.drain();
  }
  if (count > 1) {
    // The death of the first referent may have run a finalizer that grew the memory, which
    // replaces the views of a WebAssembly memory: read the view again.
    const words = r.memory.u32;
    const at1 = (object + records[rec + Rec.Field1]!) >>> 2;
    const ref1 = words[at1]!;
    if (ref1 !== 0) {
      words[at1] = 0;
      dropField(r, words, ref1, depth);
      if (depth === 0 && r.deferred.length > 0) r.drain();
    }
    if (count > 2) releaseMoreFields(r, object, records[rec + Rec.More]!, count, depth);
  }
}

/** {@link releaseFields} for the fields past the second. */
function releaseMoreFields(
  r: FieldRelease,
  object: number,
  more: number,
  count: number,
  depth: number,
): void {
  for (let f = more, end = more + count - 2; f < end; f++) {
    // Read the view each time: a death below may have grown the memory.
    const u32 = r.memory.u32;
    const at = (object + r.more[f]!) >>> 2;
    const ref = u32[at]!;
    if (ref !== 0) {
      u32[at] = 0;
      dropField(r, u32, ref, depth);
      if (depth === 0 && r.deferred.length > 0) r.drain();
    }
  }
}

/**
 * Whether {@link releasePointersOf} has anything to drop in `object`: false only for a type
 * without fields whose item run is absent or held in a block the object does not have (an
 * empty list), which is then released without the call. True for a type the table misses.
 */
function holdsPointers(r: FieldRelease, u32: Uint32Array, object: number, rec: number): boolean {
  if (rec >= r.recordsEnd) return true;
  // One word of the record says it: 0 (fields, or items in the object), -1 (nothing to drop),
  // or the offset of the items' block plus one.
  const leaf = r.records[rec + Rec.Leaf]!;
  return leaf === 0 || (leaf > 0 && u32[(object + leaf - 1) >>> 2] !== 0);
}

/** Items of a run that {@link mayCascade} reads before it takes the release to cascade. */
const SCANNED_ITEMS = 8;

/** Whether dropping the reference in a slot that holds `ref` may kill it (0: holds nothing). */
function kills(u32: Uint32Array, ref: number): boolean {
  return ref !== 0 && (u32[(ref + Off.Flags) >>> 2]! & Flag.Immortal) === 0 && u32[ref >>> 2]! <= 1;
}

/**
 * Whether the in-place release of `object` may cause another death: false when every field and
 * every item of its run holds 0, an immortal object or one with more than one reference (or
 * there is no run: {@link holdsPointers}), read for a record of at most two fields and a run of
 * at most {@link SCANNED_ITEMS} items; true for anything larger, and for a type the table
 * misses. (A count of 0 is taken to cascade: the release that runs raises the underflow.)
 */
function mayCascade(r: FieldRelease, u32: Uint32Array, object: number, rec: number): boolean {
  if (rec >= r.recordsEnd) return true;
  const records = r.records;
  if (records[rec + Rec.Leaf]! < 0) return false;
  const count = records[rec + Rec.Count]!;
  if (count > 2) return true;
  if (count > 0 && kills(u32, u32[(object + records[rec + Rec.Field0]!) >>> 2]!)) return true;
  if (count > 1 && kills(u32, u32[(object + records[rec + Rec.Field1]!) >>> 2]!)) return true;
  const mode = records[rec + Rec.Items]!;
  if (mode === 0) return false;
  let base = object;
  if ((mode & Items.InBlock) !== 0) {
    base = u32[(object + records[rec + Rec.ItemsBlock]!) >>> 2]!;
    if (base === 0) return false;
  }
  const n =
    u32[
      (((mode & Items.CountInBlock) !== 0 ? base : object) + records[rec + Rec.ItemsCount]!) >>> 2
    ]!;
  if (n > SCANNED_ITEMS) return true;
  const first = base + records[rec + Rec.ItemsFirst]!;
  const stride = records[rec + Rec.ItemsStride]!;
  for (let k = 0; k < n; k++) if (kills(u32, u32[(first + stride * k) >>> 2]!)) return true;
  return false;
}

/**
 * The in-place dealloc of an object whose type has `release: "pointers"`: each field in order,
 * then each item of the run in the map's order, every slot zeroed before what it held loses
 * its reference, with `depth` deallocations on the stack for the deaths it causes. A block
 * that holds the items stays allocated, and its address in the object: the type's free gives
 * it back after the drops, as list_dealloc's `PyMem_Free(ob_item)` and subtype_dealloc's
 * `free_values` follow theirs.
 */
function releasePointersOf(r: FieldRelease, object: number, rec: number, depth: number): void {
  // A type registered since the table was built (a class defined by a finalizer, say).
  if (rec >= r.recordsEnd) r.rebuild();
  const records = r.records;
  const count = records[rec + Rec.Count]!;
  if (count > 0) {
    dropSlot(r, (object + records[rec + Rec.Field0]!) >>> 2, depth);
    if (count > 1) {
      dropSlot(r, (object + records[rec + Rec.Field1]!) >>> 2, depth);
      for (let f = records[rec + Rec.More]!, end = f + count - 2; f < end; f++) {
        dropSlot(r, (object + r.more[f]!) >>> 2, depth);
      }
    }
  }
  const mode = records[rec + Rec.Items]!;
  if (mode === 0) return;
  let u32 = r.memory.u32;
  let base = object;
  if ((mode & Items.InBlock) !== 0) {
    base = u32[(object + records[rec + Rec.ItemsBlock]!) >>> 2]!;
    if (base === 0) return;
  }
  const n =
    u32[
      (((mode & Items.CountInBlock) !== 0 ? base : object) + records[rec + Rec.ItemsCount]!) >>> 2
    ]!;
  const first = base + records[rec + Rec.ItemsFirst]!;
  const stride = records[rec + Rec.ItemsStride]!;
  if ((mode & Items.Reverse) !== 0) {
    for (let k = n - 1; k >= 0; k--) {
      const at = (first + stride * k) >>> 2;
      const ref = u32[at]!;
      if (ref !== 0) {
        u32[at] = 0;
        dropField(r, u32, ref, depth);
        // A death below may have run a finalizer that grew the memory: read the view again.
        u32 = r.memory.u32;
      }
    }
  } else {
    for (let k = 0; k < n; k++) {
      const at = (first + stride * k) >>> 2;
      const ref = u32[at]!;
      if (ref !== 0) {
        u32[at] = 0;
        dropField(r, u32, ref, depth);
        u32 = r.memory.u32;
      }
    }
  }
}

/** `Py_CLEAR` of the slot at word `at`, inside a deallocation (`depth` at least 1). */
function dropSlot(r: FieldRelease, at: number, depth: number): void {
  const u32 = r.memory.u32;
  const ref = u32[at]!;
  if (ref !== 0) {
    u32[at] = 0;
    dropField(r, u32, ref, depth);
  }
}

/** Drops the reference a pointer field held: `decref` without checking the address again. */
export function dropField(r: FieldRelease, u32: Uint32Array, object: number, depth: number): void {
  const i = object >>> 2;
  const flags = u32[i + 1]!;
  if (flags & Flag.Immortal) return;
  const count = u32[i]!;
  if (count > 1) {
    u32[i] = count - 1;
    return;
  }
  if (count === 0) fail(r.space, "underflow", object);
  u32[i] = 0;
  deallocate(r, u32, object, flags, depth);
}

/**
 * Throws a {@link RefcountError}; for RefCounter and the in-place release alike. A module
 * function rather than a method, and the errors of bad addresses come from `ObjectSpace.check`:
 * each call from `incref`, `decref` or a release is then a few bytes of bytecode, which keeps
 * them small enough for V8 to inline the whole deallocation step (`#destroy`, the type's
 * `dealloc`, the next `decref`, the free) into one piece of code.
 */
export function fail(
  space: ObjectSpace,
  kind: "underflow" | "overflow" | "dead",
  object: number,
): never {
  const type = space.types.find(space.memory.u32[(object + Off.Type) >>> 2]!);
  throw new RefcountError(kind, object, type?.name ?? "unknown");
}

/**
 * Frees the objects of the GC list `head` all at once, when they are closed garbage; returns
 * whether it did. Closed garbage: every object is live, has a GC head and ReleasesFields, has no
 * weak references and is not immortal; every pointer field holds 0 or an object of the list; and
 * the counts add up to the number of fields that are not 0. A count is never below the
 * references the list's fields hold to it, so the sums are equal only when nothing outside the
 * list refers into it.
 *
 * Their deaths then run no code and drop no reference to anything else, and nothing can reach
 * them: freeing each in list order ends in the same state as clearing them one by one, but
 * for the order in which the allocator gets their blocks back.
 *
 * Membership is a stamp in a bitmap of the counter's own (`stamps`, a bit per 16 bytes of
 * memory): the first pass stamps each object as it goes. A field that holds a stamped object
 * holds an object of the list; one that holds an object not stamped yet goes to `pending`, and
 * is looked up once the walk is over. The first pass writes nothing in the heap, so a list that
 * does not qualify is left as it was.
 */
export function releaseClosedList(r: FieldRelease, head: number): boolean {
  // A hook that sees each death, or an untrack hook that does more than unlink, would see
  // them in list order: such counters take the one-by-one path.
  if (r.free !== undefined || !r.unlinkInPlace) return false;
  if (r.stale) r.rebuild();
  const stamps = r.stampsFor(r.memory.byteLength);
  const type = stampClosedList(r, stamps, head);
  if (type === 0) {
    clearStamps(r.memory.u32, stamps, head, r.stamped);
    return false;
  }
  // An empty list has nothing to free.
  if (type === -1) return true;
  const u32 = r.memory.u32;
  const space = r.space;
  let descriptor = r.types[type]!;
  let o = u32[(head + Off.GcNext) >>> 2]!;
  // The list is empty from here on: should a free throw, the head leads to nothing freed.
  u32[(head + Off.GcNext) >>> 2] = head;
  u32[(head + Off.GcPrev) >>> 2] = head;
  try {
    while (o !== head) {
      // The allocator may write its free-list link over the GC head: read the next one first.
      const next = u32[(o + Off.GcNext) >>> 2]!;
      const i = o >>> 2;
      const t = u32[i + 2]!;
      if (t !== descriptor.id) descriptor = r.types[t]!;
      u32[i] = 0;
      u32[i + 1] = u32[i + 1]! & ~(Flag.Collecting | Flag.Unreachable);
      // The stamps are not read again: clearing the whole word is enough.
      stamps[o >>> Stamp.WordLog2] = 0;
      space.freeAs(o, descriptor);
      o = next;
    }
  } catch (error) {
    // A free that throws (a debugging allocator that found a fault, say) leaves no stamp.
    stamps.fill(0);
    throw error;
  }
  return true;
}

/** Clears the stamps of the first `stamped` objects of the list (a check that declined). */
function clearStamps(u32: Uint32Array, stamps: Uint32Array, head: number, stamped: number): void {
  for (let o = u32[(head + Off.GcNext) >>> 2]!, n = 0; n < stamped; n++) {
    stamps[o >>> Stamp.WordLog2] = 0;
    o = u32[(o + Off.GcNext) >>> 2]!;
  }
}

/** The stamp bitmap's geometry: a bit per 16-byte granule, 32 bits a word. */
// biome-ignore lint/suspicious/noConstEnum: local to this module, so every compiler inlines it.
const enum Stamp {
  GranuleLog2 = 4,
  WordLog2 = 9,
}

/**
 * {@link releaseClosedList}'s first pass: stamps the objects of the list and checks that they
 * are closed garbage. Returns the type id of the last object (-1 for an empty list), or 0 when
 * the list does not qualify. Records in `stamped` how many objects it stamped.
 */
function stampClosedList(r: FieldRelease, stamps: Uint32Array, head: number): number {
  const u32 = r.memory.u32;
  const space = r.space;
  const records = r.records;
  const end = r.recordsEnd;
  let pending = r.pending;
  let waiting = 0;
  let counts = 0;
  let fields = 0;
  let stamped = 0;
  // The record of the last type seen: a list is mostly runs of one type.
  let type = -1;
  let count = 0;
  let field0 = 0;
  let field1 = 0;
  let more = 0;
  let result = 0;
  let failed = false;
  for (let o = u32[(head + Off.GcNext) >>> 2]!; o !== head; ) {
    if (!space.isLive(o)) {
      failed = true;
      break;
    }
    const i = o >>> 2;
    if (
      (u32[i + 1]! & (Flag.Immortal | Flag.GcHead | Flag.ReleasesFields)) !==
        (Flag.GcHead | Flag.ReleasesFields) ||
      u32[i + 3] !== 0
    ) {
      failed = true;
      break;
    }
    const word = o >>> Stamp.WordLog2;
    const bit = 1 << ((o >>> Stamp.GranuleLog2) & 31);
    const marks = stamps[word]!;
    // Stamped already: the list came back to an object instead of to its head.
    if ((marks & bit) !== 0) {
      failed = true;
      break;
    }
    stamps[word] = marks | bit;
    stamped++;
    counts += u32[i]!;
    const t = u32[i + 2]!;
    if (t !== type) {
      // The id is compared before the shift: a corrupt id of 2^28 or more would wrap.
      const rec = t << Record.Log2;
      if (t >= end >> Record.Log2 || records[rec + Rec.Release] !== Release.Fields) {
        failed = true;
        break;
      }
      type = t;
      count = records[rec + Rec.Count]!;
      field0 = records[rec + Rec.Field0]!;
      field1 = records[rec + Rec.Field1]!;
      more = records[rec + Rec.More]!;
    }
    // Each referent must be on the list: one of the next two objects (which the walk reaches
    // if it reaches the head: objects often refer to their neighbours), stamped already, or
    // else looked up at the end.
    const next = u32[(o + Off.GcNext) >>> 2]!;
    const after = next !== head ? u32[(next + Off.GcNext) >>> 2]! : head;
    const ref0 = u32[(o + field0) >>> 2]!;
    if (ref0 !== 0) {
      if (((ref0 === next || ref0 === after) && ref0 !== head) || isStamped(stamps, ref0)) {
        fields++;
      } else {
        if (waiting === pending.length) pending = r.growPending();
        pending[waiting++] = ref0;
      }
    }
    if (count > 1) {
      const ref1 = u32[(o + field1) >>> 2]!;
      if (ref1 !== 0) {
        if (((ref1 === next || ref1 === after) && ref1 !== head) || isStamped(stamps, ref1)) {
          fields++;
        } else {
          if (waiting === pending.length) pending = r.growPending();
          pending[waiting++] = ref1;
        }
      }
      if (count > 2) {
        waiting = waitForMoreFields(r, u32, o, more, count, waiting);
        pending = r.pending;
      }
    }
    o = next;
  }
  if (!failed)
    for (let k = 0; k < waiting; k++) {
      const ref = pending[k]!;
      // A field that leads off the list (or off the memory: no stamp there either).
      if (!isStamped(stamps, ref)) {
        failed = true;
        break;
      }
    }
  if (!failed && counts === fields + waiting) result = type;
  r.stamped = stamped;
  return result;
}

/** Whether `object` is an address that {@link stampClosedList} has stamped. */
function isStamped(stamps: Uint32Array, object: number): boolean {
  return (
    (object & 15) === 0 &&
    (stamps[object >>> Stamp.WordLog2]! & (1 << ((object >>> Stamp.GranuleLog2) & 31))) !== 0
  );
}

/**
 * {@link stampClosedList}'s step for the fields past the second: each that is not 0 goes to
 * `pending`, to be looked up at the end. Returns the new number waiting there.
 */
function waitForMoreFields(
  r: FieldRelease,
  u32: Uint32Array,
  object: number,
  more: number,
  count: number,
  waiting: number,
): number {
  let pending = r.pending;
  for (let f = more, last = more + count - 2; f < last; f++) {
    const ref = u32[(object + r.more[f]!) >>> 2]!;
    if (ref === 0) continue;
    if (waiting === pending.length) pending = r.growPending();
    pending[waiting++] = ref;
  }
  return waiting;
}

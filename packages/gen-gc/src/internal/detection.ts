// The detection half of CPython 3.11's cycle collector (Modules/gcmodule.c): which of the
// examined objects nothing outside them refers to. It copies every refcount into gc_refs
// (update_refs), subtracts the references the examined objects hold to each other
// (subtract_refs), so that gc_refs > 0 means "referenced from outside"; then it walks the list
// once (move_unreachable), keeping what is referenced from outside and everything reachable from
// it, and moving the rest to an unreachable list. The order of that walk fixes the order in
// which finalizers later run, so it follows CPython's list order exactly: a tentatively
// unreachable object that turns out reachable goes back to the *tail* of the young list.
//
// These are the collector's hot loops: typed-array code over the GC heads, with the numbers
// they use written in place. The generational collector (the gc module's surface) calls them
// once per collection; what happens to the unreachable objects then is phases.ts'.

import {
  GC_NEXT,
  GC_REFS,
  type Memory,
  OB_FLAGS,
  OB_REFCNT,
  OB_TYPE,
  OB_WEAKLIST,
  ObjectFlags,
  TypeFlags,
  type Visit,
} from "@mm/heap";
import type { UntrackRule } from "../api.js";
import * as list from "./gc-list.js";
import {
  HAS_FINALIZE,
  HAS_MAP,
  HAS_RUN,
  HAS_TABLE,
  IS_WEAKREF,
  RUN_BLOCK_COUNTED,
  RUN_INLINE,
  RUN_NONE,
  runCount,
  runStart,
  type TypeTables,
  WALK_BLOCK,
  WALK_COUNT,
  WALK_FIELD0,
  WALK_FIELDS,
  WALK_FIRST,
  WALK_LAYOUT_SIZE,
  WALK_MORE_FIELDS,
  WALK_RECORD,
  WALK_REVERSE,
  WALK_RUN,
  WALK_STRIDE,
  WALK_TABLE_BLOCK,
  WALK_TABLE_COUNT,
  WALK_TABLE_INDEX,
  WALK_TABLE_LAYOUT,
  WALK_TABLE_LAYOUTS,
  WALK_TABLE_SHIFT,
  WALK_TYPE_AFTER,
  WALK_TYPE_BEFORE,
} from "./type-tables.js";
import {
  NOTED as KERNEL_NOTED,
  type KernelBlocks,
  type KernelRegion,
  RULE_BITS,
  WasmKernel,
} from "./wasm-kernel.js";

// The numbers the loops use, as `const enum`s so that every compiler writes them in place: in
// V8 a module constant or an imported one is a load and a check each time a loop uses it. Each
// equals an exported constant of @mm/heap or of the type tables, which the module checks when
// it loads (see the end of this file).
/** Header offsets (@mm/heap's `GC_REFS`, `OB_*`). */
// biome-ignore lint/suspicious/noConstEnum: local to this module, so every compiler inlines it.
const enum Off {
  GcNext = -16,
  GcRefs = -4,
  ObRefcnt = 0,
  ObFlags = 4,
  ObType = 8,
  ObWeaklist = 12,
}

/** Bits of `ob_flags` (@mm/heap's `ObjectFlags`). */
// biome-ignore lint/suspicious/noConstEnum: local to this module, so every compiler inlines it.
const enum Flag {
  Immortal = 1,
  Finalized = 2,
  GcHead = 4,
  Collecting = 8,
  Unreachable = 16,
}

/** A bit of @mm/heap's TypeFlags, which the per-type flags carry beside their own. */
// biome-ignore lint/suspicious/noConstEnum: local to this module, so every compiler inlines it.
const enum TypeBit {
  Weakrefable = 16,
}

/** The type tables' own flag bits and walk record slots. */
// biome-ignore lint/suspicious/noConstEnum: local to this module, so every compiler inlines it.
const enum Table {
  HasFinalize = 1 << 16,
  HasMap = 1 << 17,
  HasRun = 1 << 18,
  IsWeakref = 1 << 19,
  HasTable = 1 << 20,
  Record = 32,
  Fields = 0,
  Field0 = 1,
  MoreFields = 5,
  Run = 6,
  Block = 7,
  Count = 8,
  First = 9,
  Stride = 10,
  Reverse = 11,
  TableBlock = 12,
  TableCount = 13,
  TableIndex = 14,
  TableShift = 15,
  TableLayout = 16,
  TableLayouts = 17,
  LayoutSize = 4,
  TypeBefore = 25,
  TypeAfter = 26,
}

/** The kinds of item run in a walk record (the type tables' `RUN_*`). */
// biome-ignore lint/suspicious/noConstEnum: local to this module, so every compiler inlines it.
const enum RunKind {
  None = 0,
  Inline = 1,
  BlockCounted = 3,
}

/** An untrack rule that runs in every collection (CPython's tuple rule). */
export const RULE_ANY = 1;
/** An untrack rule that runs in full collections only (CPython's dict rule). */
export const RULE_FULL = 2;

/** Bits of the per-type rule table beside RULE_ANY and RULE_FULL. */
// biome-ignore lint/suspicious/noConstEnum: local to this module, so every compiler inlines it.
const enum Rule {
  Any = 1,
  Full = 2,
  /** The type's rule of every collection is the pointer-map test (UntrackRule.byPointerMap). */
  MapAny = 4,
  /** The type's rule of full collections is the pointer-map test. */
  MapFull = 8,
  /** An untracked instance of the type can be part of no cycle (UntrackRule.untrackedIsAcyclic). */
  AcyclicUntracked = 16,
}

/**
 * How many survivors with a full-collection rule move_unreachable notes down for the rule's
 * walk (CPython's untrack_dicts); with more, that walk goes over every survivor instead.
 */
const NOTED = 1024;

/** gc_refs of an immortal object: never brought to zero by subtract_refs. */
// biome-ignore lint/suspicious/noConstEnum: local to this module, so every compiler inlines it.
const enum Refs {
  Immortal = 0x7fff_ffff,
}

/**
 * The empty tables a detection starts with (every type id reads as "no references"). It has
 * every property a built table has, in the same order, so that V8 gives both one hidden class:
 * with two, the fields that hold them (here and in the collectors) turn polymorphic once a
 * second collector's first collection replaces its empty tables, and the loops that read them
 * are deoptimized and rebuilt slower (collect(2) of a million objects took a quarter longer).
 */
export const NO_TABLES: TypeTables = {
  flags: new Int32Array(0),
  anyFlags: 0,
  walk: new Int32Array(0),
  fields: new Int32Array(0),
  traverses: [],
  clears: [],
  clearFields: undefined,
};

/**
 * update_refs, subtract_refs and move_unreachable over the lists of one object space's memory.
 * Its owner keeps {@link CycleDetection.tables} up to date with the space's types.
 */
export class CycleDetection {
  #u32: Uint32Array;
  /** By type id: flags, pointer maps, traverse functions (the owner rebuilds them). */
  tables: TypeTables = NO_TABLES;
  /**
   * What the last move_unreachable saw of the objects it moved to the unreachable list, or-ed
   * together: their weak list heads and their types' HAS_FINALIZE and IS_WEAKREF bits. 0 means
   * that no weak reference and no finalizer needs handling in that collection.
   */
  attention = 0;
  /**
   * By type id: the untrack rules a type has, as {@link RULE_ANY} and {@link RULE_FULL} bits
   * (0 past the end: a type registered since the last rule was added has none).
   */
  #rules = new Int32Array(0);
  /**
   * The rule bits of the types of the objects the last move_unreachable found reachable, or-ed
   * together: the survivors an untrack walk looks at. Where no surviving type has a rule (a heap
   * of lists and instances, say) the walk is skipped, and where some do it asks only them.
   */
  #reachedRules = 0;
  /** Whether some type's rule of every collection is a callback (so none runs in the walk). */
  #callbackAny = false;
  /**
   * Whether the last move_unreachable ran the pointer-map rules of every collection itself,
   * and how many objects they untracked.
   */
  #fused = false;
  #fusedUntracked = 0;
  /**
   * The survivors with a full-collection rule that the last move_unreachable met, in the
   * order it met them (the young list's order), while there were at most {@link NOTED}.
   */
  readonly #noted = new Uint32Array(NOTED);
  #notedCount = 0;

  /** The WebAssembly walks over this memory, when it is a `WebAssembly.Memory` (else undefined). */
  readonly #kernel: WasmKernel | undefined;
  /** Whether the walks run in the kernel (see {@link walks}). */
  #kernelOn: boolean;
  /** Raised whenever a rule changes, so that the kernel mirrors the rule table again. */
  #rulesVersion = 0;
  /** The list move_unreachable moves reachable objects back to (for the kernel's traverse calls). */
  #young = 0;

  /**
   * With `blocks`, the walks run as WebAssembly over the memory when it is a
   * `WebAssembly.Memory` and the engine compiles the kernel; `blocks` is where (in the same
   * memory) the kernel's copy of the type tables lives: a fixed region no allocator hands out,
   * or an allocator of the block.
   */
  constructor(memory: Memory, blocks?: KernelBlocks | KernelRegion) {
    this.#u32 = memory.u32;
    memory.onGrow((grown) => {
      this.#u32 = grown.u32;
    });
    this.#kernel =
      blocks === undefined ? undefined : WasmKernel.over(memory, blocks, this.#kernelTraverse);
    this.#kernelOn = this.#kernel !== undefined;
  }

  /**
   * Which walks detect: `"wasm"` (the WebAssembly kernel) or `"js"` (the JavaScript loops).
   * Both decide the same; setting `"wasm"` where there is no kernel leaves `"js"`.
   */
  get walks(): "wasm" | "js" {
    return this.#kernelOn ? "wasm" : "js";
  }

  set walks(walks: "wasm" | "js") {
    this.#kernelOn = walks === "wasm" && this.#kernel !== undefined;
  }

  /** The kernel's call for an object whose type has no pointer map: its traverse function. */
  readonly #kernelTraverse = (object: number, arg: number, reach: number): void => {
    const t = this.#u32[(object + Off.ObType) >>> 2]!;
    if (reach !== 0) this.tables.traverses[t]!(object, this.#visitReachable, this.#young);
    else this.tables.traverses[t]!(object, this.#visitDecref, arg);
  };

  /**
   * update_refs, subtract_refs, move_unreachable. Returns the number of objects examined and
   * the number found reachable (left in `base`).
   *
   * With `all` the caller says that `base` holds every tracked object (a full collection with
   * nothing frozen): an object is then examined exactly when it is tracked, which it can tell
   * by itself, and update_refs folds into subtract_refs' walk (see {@link #subtractRefs}).
   * With `untrack` the caller then runs the untrack rules ({@link untrackByRules}) on `base`:
   * those of every collection that are pointer-map tests run in this walk instead.
   */
  deduceUnreachable(
    base: number,
    unreachable: number,
    all: boolean,
    untrack: boolean,
  ): [number, number] {
    const kernel = this.#kernel;
    // The kernel's copy of the tables is kept whichever walks run, so that the heap's blocks
    // (and so every address handed out later) do not depend on the choice. Tables it cannot
    // copy (no block, or more than a fixed region holds) leave the JavaScript walks to detect.
    if (kernel?.sync(this.tables, this.#rules, this.#rulesVersion) && this.#kernelOn) {
      let examined: number;
      if (all) examined = kernel.subtractRefs(base, true);
      else {
        examined = kernel.updateRefs(base);
        kernel.subtractRefs(base, false);
      }
      list.init(this.#u32, unreachable);
      const fused = untrack && !this.#callbackAny;
      this.#young = base;
      const reachable = kernel.moveUnreachable(
        base,
        unreachable,
        Rule.Full | (fused ? Rule.MapAny : 0),
        fused,
      );
      this.attention = kernel.attention;
      this.#reachedRules = kernel.reachedRules;
      this.#fused = fused;
      this.#fusedUntracked = kernel.untracked;
      this.#notedCount = kernel.notedCount;
      kernel.copyNoted(this.#noted, this.#notedCount);
      return [examined, reachable];
    }
    let examined: number;
    if (all) {
      examined = this.#subtractRefs(base, true);
    } else {
      examined = this.#updateRefs(base);
      this.#subtractRefs(base, false);
    }
    list.init(this.#u32, unreachable);
    return [examined, this.#moveUnreachable(base, unreachable, untrack)];
  }

  #updateRefs(base: number): number {
    const u32 = this.#u32;
    let n = 0;
    for (let node = u32[(base - 16) >>> 2]!; node !== base; node = u32[(node - 16) >>> 2]!) {
      const at = (node + Off.ObFlags) >>> 2;
      const flags = u32[at]!;
      u32[(node + Off.GcRefs) >>> 2] = startRefs(u32, node, flags);
      u32[at] = flags | Flag.Collecting;
      n++;
    }
    return n;
  }

  // The two loops below (subtract_refs and move_unreachable; update_refs visits no references)
  // visit references the same way: through the type's pointer map with plain code when it has
  // one (the visit is a small module function that V8 inlines), through its traverse function
  // otherwise. A list is mostly long runs of objects of one type, or of two types that alternate
  // (an instance and the list its attribute holds), so the facts of the last two types seen
  // (their flags, walk records and first two field offsets) stay in locals, and the record is
  // read again only for a third type. Nothing allocates while the loops run, so the word view is read
  // once.
  // The last type starts as 0, an id no type has (its table entries are zero, which leads to
  // the no-references traverse), rather than -1: a variable that only ever holds values of a
  // Uint32Array stays a machine word in V8, where -1 would make it a double.

  /**
   * subtract_refs. With `all` (see {@link deduceUnreachable}) it is update_refs too, in the
   * same walk: an object gets its `gc_refs` and COLLECTING from the first of its own turn and
   * the first reference to it from an examined object, and a reference to a tracked object not
   * yet COLLECTING is a first reference. Every object still gets `ob_refcnt` less the references
   * from the examined set, as two walks give it. Returns the number of objects walked.
   */
  #subtractRefs(base: number, all: boolean): number {
    const u32 = this.#u32;
    const { flags, walk, fields, traverses } = this.tables;
    const visit = this.#visitDecref;
    const arg = all ? 1 : 0;
    let n = 0;
    let type = 0;
    let typeFlags = 0;
    let record = 0;
    let count = 0;
    let field0 = 0;
    let field1 = 0;
    // The type's item run, from its walk record: kind (RunKind.None when it has none or no
    // map), the offsets of its block slot, count and first item, and its stride (negative in
    // move_unreachable for a run visited last to first).
    let run = 0;
    let runBlock = 0;
    let runCount = 0;
    let firstItem = 0;
    let stride = 0;
    // The type's type object (a heap type every instance refers to), or 0.
    let typeObject = 0;
    // The facts of the type seen before the last one: a list where two types alternate (an
    // instance, the list its attribute holds, the next instance, …) swaps them instead of
    // reading the walk record again at every object.
    let altType = 0;
    let altFlags = 0;
    let altRecord = 0;
    let altCount = 0;
    let altField0 = 0;
    let altField1 = 0;
    let altRun = 0;
    let altRunBlock = 0;
    let altRunCount = 0;
    let altFirstItem = 0;
    let altStride = 0;
    let altTypeObject = 0;
    for (let node = u32[(base - 16) >>> 2]!; node !== base; node = u32[(node - 16) >>> 2]!) {
      n++;
      if (all) {
        const at = (node + Off.ObFlags) >>> 2;
        const f = u32[at]!;
        if ((f & Flag.Collecting) === 0) {
          u32[(node + Off.GcRefs) >>> 2] = startRefs(u32, node, f);
          u32[at] = f | Flag.Collecting;
        }
      }
      const t = u32[(node + Off.ObType) >>> 2]!;
      if (t !== type) {
        const wasType = type;
        const wasFlags = typeFlags;
        const wasRecord = record;
        const wasCount = count;
        const wasField0 = field0;
        const wasField1 = field1;
        const wasRun = run;
        const wasRunBlock = runBlock;
        const wasRunCount = runCount;
        const wasFirstItem = firstItem;
        const wasStride = stride;
        const wasTypeObject = typeObject;
        if (t === altType) {
          type = altType;
          typeFlags = altFlags;
          record = altRecord;
          count = altCount;
          field0 = altField0;
          field1 = altField1;
          run = altRun;
          runBlock = altRunBlock;
          runCount = altRunCount;
          firstItem = altFirstItem;
          stride = altStride;
          typeObject = altTypeObject;
        } else {
          type = t;
          typeFlags = flags[t]!;
          record = t * Table.Record;
          count = walk[record + Table.Fields]!;
          field0 = walk[record + Table.Field0]!;
          field1 = walk[record + Table.Field0 + 1]!;
          run = walk[record + Table.Run]!;
          runBlock = walk[record + Table.Block]!;
          runCount = walk[record + Table.Count]!;
          firstItem = walk[record + Table.First]!;
          stride = walk[record + Table.Stride]!;
          // Decrements commute: where the type object is visited does not matter here.
          typeObject = (walk[record + Table.TypeBefore]! | walk[record + Table.TypeAfter]!) >>> 0;
        }
        altType = wasType;
        altFlags = wasFlags;
        altRecord = wasRecord;
        altCount = wasCount;
        altField0 = wasField0;
        altField1 = wasField1;
        altRun = wasRun;
        altRunBlock = wasRunBlock;
        altRunCount = wasRunCount;
        altFirstItem = wasFirstItem;
        altStride = wasStride;
        altTypeObject = wasTypeObject;
      }
      if ((typeFlags & Table.HasMap) === 0) {
        traverses[t]!(node, visit, arg);
        continue;
      }
      if (typeObject !== 0) decref(u32, typeObject, all);
      if (count > 0) {
        decref(u32, u32[(node + field0) >>> 2]!, all);
        if (count > 1) {
          decref(u32, u32[(node + field1) >>> 2]!, all);
          if (count > 2) decrefFields(u32, walk, fields, record, node, count, all);
        }
      }
      if (run !== RunKind.None) {
        const block = run === RunKind.Inline ? node : u32[(node + runBlock) >>> 2]!;
        if (block !== 0) {
          const items = u32[((run === RunKind.BlockCounted ? block : node) + runCount) >>> 2]!;
          // Decrements commute: a reversed run is walked forwards here too.
          const start = block + firstItem;
          for (let at = start, end = start + stride * items; at < end; at += stride) {
            decref(u32, u32[at >>> 2]!, all);
          }
        }
      }
      if ((typeFlags & Table.HasTable) !== 0) decrefTable(u32, walk, record, node, all);
    }
    return n;
  }

  /**
   * visit_decref: a reference from inside the examined set does not keep its target alive.
   * `arg` is 1 when the walk is update_refs too.
   */
  readonly #visitDecref: Visit = (ref, arg) => {
    decref(this.#u32, ref, arg !== 0);
    return 0;
  };

  /**
   * Returns the number of objects left in `young`, the reachable ones.
   *
   * CPython moves each object with `gc_refs == 0` to the unreachable list as the walk reaches
   * it. Here a run of such objects is marked and left in place until the walk meets a reachable
   * object (or the end), and then moves in one splice: the lists come out the same, because
   * nothing looks at a run before it moves. Only a reachable object's visits move objects back,
   * and the run before it has moved by then. Where everything is garbage, as after a program
   * drops a large structure, the walk then only reads `gc_refs` and sets a mark per object.
   *
   * The walk reaches the reachable objects in the order they end up in: each one is scanned
   * where it then stays (those moved back go to the tail, ahead of the walk). With `untrack`,
   * when every rule of every collection is a pointer-map test, each survivor with one is
   * tested right after its scan, as CPython's untrack_tuples would test it after the walk: an
   * object before it in the list has had its turn either way, and one after it (or in another
   * list) is still tracked either way. The survivors with a full-collection rule are noted
   * down, so that its walk can visit them alone.
   */
  #moveUnreachable(young: number, unreachable: number, untrack: boolean): number {
    const u32 = this.#u32;
    const { flags, walk, fields, traverses } = this.tables;
    const visit = this.#visitReachable;
    let reachable = 0;
    let type = 0;
    let typeFlags = 0;
    let record = 0;
    let count = 0;
    let field0 = 0;
    let field1 = 0;
    // The type's item run, from its walk record: kind (RunKind.None when it has none or no
    // map), the offsets of its block slot, count and first item, and its stride (negative in
    // move_unreachable for a run visited last to first).
    let run = 0;
    let runBlock = 0;
    let runCount = 0;
    let firstItem = 0;
    let stride = 0;
    // The type's type object, visited before or after the map's references, or 0.
    let typeBefore = 0;
    let typeAfter = 0;
    // The facts of the type seen before the last one (see #subtractRefs).
    let altType = 0;
    let altFlags = 0;
    let altRecord = 0;
    let altCount = 0;
    let altField0 = 0;
    let altField1 = 0;
    let altRun = 0;
    let altRunBlock = 0;
    let altRunCount = 0;
    let altFirstItem = 0;
    let altStride = 0;
    let altTypeBefore = 0;
    let altTypeAfter = 0;
    let altTypeRules = 0;
    // The run waiting to move: from runFirst to runLast, still linked in `young` (0: none).
    let runFirst = 0;
    let runLast = 0;
    // The last type of an object moved, and what the moved objects need (see attention).
    let movedType = 0;
    let movedFlags = 0;
    let attention = 0;
    const rules = this.#rules;
    let reachedRules = 0;
    let typeRules = 0;
    // The rule bits that ask for work per reachable object: noting down, or the test.
    const fused = untrack && !this.#callbackAny;
    const perObject = Rule.Full | (fused ? Rule.MapAny : 0);
    const noted = this.#noted;
    let notedCount = 0;
    let untracked = 0;
    let node = u32[(young - 16) >>> 2]!;
    while (node !== young) {
      // COLLECTING clear: a reachable object reached this one already (see reach). Else it is
      // reachable when referenced from outside, and loses COLLECTING before its scan.
      const at = (node + Off.ObFlags) >>> 2;
      const f = u32[at]!;
      if ((f & Flag.Collecting) !== 0) {
        if (u32[(node + Off.GcRefs) >>> 2] !== 0) u32[at] = f & ~Flag.Collecting;
        else {
          u32[at] = f | Flag.Unreachable;
          const t = u32[(node + Off.ObType) >>> 2]!;
          if (t !== movedType) {
            movedType = t;
            movedFlags = flags[t]!;
            attention |= movedFlags & (Table.HasFinalize | Table.IsWeakref);
          }
          // Only an instance of a weakrefable type can have weak references (the counter
          // refuses the others): a list or a tuple is moved without reading its weak list.
          if ((movedFlags & TypeBit.Weakrefable) !== 0) {
            attention |= u32[(node + Off.ObWeaklist) >>> 2]!;
          }
          if (runFirst === 0) runFirst = node;
          runLast = node;
          node = u32[(node - 16) >>> 2]!;
          continue;
        }
      }
      if (runFirst !== 0) {
        list.moveRun(u32, runFirst, runLast, unreachable);
        runFirst = 0;
      }
      const t = u32[(node + Off.ObType) >>> 2]!;
      if (t !== type) {
        const wasType = type;
        const wasFlags = typeFlags;
        const wasRecord = record;
        const wasCount = count;
        const wasField0 = field0;
        const wasField1 = field1;
        const wasRun = run;
        const wasRunBlock = runBlock;
        const wasRunCount = runCount;
        const wasFirstItem = firstItem;
        const wasStride = stride;
        const wasTypeBefore = typeBefore;
        const wasTypeAfter = typeAfter;
        const wasTypeRules = typeRules;
        if (t === altType) {
          type = altType;
          typeFlags = altFlags;
          record = altRecord;
          count = altCount;
          field0 = altField0;
          field1 = altField1;
          run = altRun;
          runBlock = altRunBlock;
          runCount = altRunCount;
          firstItem = altFirstItem;
          stride = altStride;
          typeBefore = altTypeBefore;
          typeAfter = altTypeAfter;
          typeRules = altTypeRules;
        } else {
          type = t;
          typeFlags = flags[t]!;
          record = t * Table.Record;
          count = walk[record + Table.Fields]!;
          field0 = walk[record + Table.Field0]!;
          field1 = walk[record + Table.Field0 + 1]!;
          run = walk[record + Table.Run]!;
          runBlock = walk[record + Table.Block]!;
          runCount = walk[record + Table.Count]!;
          firstItem = walk[record + Table.First]!;
          stride = walk[record + Table.Stride]!;
          // Stepping backwards through a reversed run: its visiting order moves objects back.
          if (walk[record + Table.Reverse] !== 0) stride = -stride;
          typeBefore = walk[record + Table.TypeBefore]! >>> 0;
          typeAfter = walk[record + Table.TypeAfter]! >>> 0;
          typeRules = t < rules.length ? rules[t]! : 0;
          reachedRules |= typeRules;
        }
        altType = wasType;
        altFlags = wasFlags;
        altRecord = wasRecord;
        altCount = wasCount;
        altField0 = wasField0;
        altField1 = wasField1;
        altRun = wasRun;
        altRunBlock = wasRunBlock;
        altRunCount = wasRunCount;
        altFirstItem = wasFirstItem;
        altStride = wasStride;
        altTypeBefore = wasTypeBefore;
        altTypeAfter = wasTypeAfter;
        altTypeRules = wasTypeRules;
      }
      if ((typeFlags & Table.HasMap) === 0) traverses[t]!(node, visit, young);
      else {
        if (typeBefore !== 0) reach(u32, typeBefore, young);
        if (count > 0) {
          reach(u32, u32[(node + field0) >>> 2]!, young);
          if (count > 1) {
            reach(u32, u32[(node + field1) >>> 2]!, young);
            if (count > 2) reachFields(u32, walk, fields, record, node, count, young);
          }
        }
        if (run !== RunKind.None) {
          const block = run === RunKind.Inline ? node : u32[(node + runBlock) >>> 2]!;
          if (block !== 0) {
            const items = u32[((run === RunKind.BlockCounted ? block : node) + runCount) >>> 2]!;
            if (stride > 0) {
              const start = block + firstItem;
              for (let at = start, end = start + stride * items; at < end; at += stride) {
                reach(u32, u32[at >>> 2]!, young);
              }
            } else {
              const start = block + firstItem;
              for (let at = start - stride * (items - 1); at >= start; at += stride) {
                reach(u32, u32[at >>> 2]!, young);
              }
            }
          }
        }
        if ((typeFlags & Table.HasTable) !== 0) reachTable(u32, walk, record, node, young);
        if (typeAfter !== 0) reach(u32, typeAfter, young);
      }
      const next = u32[(node - 16) >>> 2]!;
      reachable++;
      if ((typeRules & perObject) !== 0) {
        if ((typeRules & Rule.Full) !== 0 && notedCount++ < NOTED) noted[notedCount - 1] = node;
        if (fused && (typeRules & Rule.MapAny) !== 0) {
          // The test reads what the scan just read: no object is untracked between the two.
          // A type with inline items only (a tuple) is tested here, with the facts of its
          // walk record already in locals; any other shape of map by the general test.
          let untrack: boolean;
          if (count === 0 && run === RunKind.Inline && (typeFlags & Table.HasTable) === 0) {
            untrack = true;
            const step = stride < 0 ? -stride : stride;
            const start = node + firstItem;
            const end = start + step * u32[(node + runCount) >>> 2]!;
            for (let at = start; at < end; at += step) {
              const ref = u32[at >>> 2]!;
              if (ref === 0) {
                untrack = false;
                break;
              }
              if ((u32[(ref + Off.ObFlags) >>> 2]! & Flag.GcHead) === 0) continue;
              // A tracked item fails the test whatever its type: its link is read first, so
              // that a chain of tuples fails at every link without reading the type.
              if (u32[(ref + Off.GcNext) >>> 2] !== 0) {
                untrack = false;
                break;
              }
              const rt = u32[(ref + Off.ObType) >>> 2]!;
              if (rt >= rules.length || (rules[rt]! & Rule.AcyclicUntracked) === 0) {
                untrack = false;
                break;
              }
            }
          } else untrack = untrackable(u32, walk, fields, record, typeFlags, node, rules);
          if (untrack) {
            list.remove(u32, node);
            untracked++;
          }
        }
      }
      node = next;
    }
    if (runFirst !== 0) list.moveRun(u32, runFirst, runLast, unreachable);
    this.attention = attention;
    this.#reachedRules = reachedRules;
    this.#fused = fused;
    this.#fusedUntracked = untracked;
    this.#notedCount = notedCount;
    return reachable;
  }

  /**
   * visit_reachable: a referent of a reachable object is reachable. One already moved to the
   * unreachable list goes back to the tail of the young list, to be scanned again.
   */
  readonly #visitReachable: Visit = (ref, young) => {
    reach(this.#u32, ref, young);
    return 0;
  };

  /**
   * Gives type `typeId` an untrack rule of kind `bit` ({@link RULE_ANY} or {@link RULE_FULL}):
   * with `byMap` the rule is the pointer-map test (the type has a map), and `acyclicUntracked`
   * says that an untracked instance can be part of no cycle (see `UntrackRule`).
   */
  addRule(typeId: number, bit: number, byMap: boolean, acyclicUntracked: boolean): void {
    if (typeId >= this.#rules.length) {
      const grown = new Int32Array(Math.max(typeId + 1, 2 * this.#rules.length));
      grown.set(this.#rules);
      this.#rules = grown;
    }
    const map = byMap ? (bit === RULE_ANY ? Rule.MapAny : Rule.MapFull) : 0;
    const rules = this.#rules;
    this.#rulesVersion++;
    // A rule given again replaces the earlier one of its kind.
    rules[typeId] =
      (rules[typeId]! & ~(bit === RULE_ANY ? Rule.MapAny : Rule.MapFull)) |
      bit |
      map |
      (acyclicUntracked ? Rule.AcyclicUntracked : 0);
    this.#callbackAny = false;
    for (const r of rules)
      if ((r & (Rule.Any | Rule.MapAny)) === Rule.Any) this.#callbackAny = true;
  }

  /**
   * Untracks the objects of `head` that a rule of kind `bit` allows; returns how many. `head`
   * must hold what the last move_unreachable left reachable (the rules only look at survivors):
   * when none of them has a type with such a rule, nothing is walked.
   */
  untrackByRules(head: number, rules: ReadonlyMap<number, UntrackRule>, bit: number): number {
    if ((this.#reachedRules & bit) === 0) return 0;
    if (bit === RULE_ANY && this.#fused) return this.#fusedUntracked;
    if (bit === RULE_FULL && this.#notedCount <= NOTED) {
      // The walk noted down every survivor with such a rule, in list order. Each is asked
      // unless a rule of every collection untracked it since.
      let untracked = 0;
      for (let i = 0; i < this.#notedCount; i++) {
        const node = this.#noted[i]!;
        if (this.#u32[(node - 16) >>> 2] !== 0 && this.#untrackable(node, rules, bit)) {
          list.remove(this.#u32, node);
          untracked++;
        }
      }
      return untracked;
    }
    const types = this.#rules;
    let untracked = 0;
    let node = this.#u32[(head - 16) >>> 2]!;
    while (node !== head) {
      // The view is read afresh per object: a rule may be a callback, which could grow the
      // memory.
      const next = this.#u32[(node - 16) >>> 2]!;
      const t = this.#u32[(node + Off.ObType) >>> 2]!;
      if (t < types.length && (types[t]! & bit) !== 0 && this.#untrackable(node, rules, bit)) {
        list.remove(this.#u32, node);
        untracked++;
      }
      node = next;
    }
    return untracked;
  }

  /** A rule of kind `bit` of the object's type: its pointer-map test, or its callback. */
  #untrackable(node: number, rules: ReadonlyMap<number, UntrackRule>, bit: number): boolean {
    const u32 = this.#u32;
    const t = u32[(node + Off.ObType) >>> 2]!;
    const { flags, walk, fields } = this.tables;
    if ((this.#rules[t]! & (bit === RULE_ANY ? Rule.MapAny : Rule.MapFull)) !== 0) {
      return untrackable(u32, walk, fields, t * Table.Record, flags[t]!, node, this.#rules);
    }
    return rules.get(t)!.canUntrack(node);
  }
}

/**
 * The pointer-map untrack test (`_PyTuple_MaybeUntrack`'s): every slot of the map holds a
 * reference, and none of them may be tracked (`_PyObject_GC_MAY_BE_TRACKED`): a referent may
 * be tracked when it has a GC head, unless its type's untracked instances are acyclic and it
 * is untracked.
 */
function untrackable(
  u32: Uint32Array,
  walk: Int32Array,
  fields: Int32Array,
  m: number,
  typeFlags: number,
  node: number,
  rules: Int32Array,
): boolean {
  const count = walk[m + Table.Fields]!;
  for (let i = 0; i < count; i++) {
    const offset =
      i < 4 ? walk[m + Table.Field0 + i]! : fields[walk[m + Table.MoreFields]! + i - 4]!;
    if (!holdsNoCycle(u32, u32[(node + offset) >>> 2]!, rules)) return false;
  }
  if ((typeFlags & Table.HasRun) !== 0) {
    const start = runStart(u32, walk, m, node);
    if (start !== 0) {
      const stride = walk[m + Table.Stride]!;
      const end = start + stride * runCount(u32, walk, m, node);
      for (let at = start; at < end; at += stride) {
        if (!holdsNoCycle(u32, u32[at >>> 2]!, rules)) return false;
      }
    }
  }
  if ((typeFlags & Table.HasTable) === 0) return true;
  // A table's slots are those of its live entries: the value, and the key when it is visited.
  const block = u32[(node + walk[m + Table.TableBlock]!) >>> 2]!;
  if (block === 0) return true;
  const layout =
    m +
    Table.TableLayouts +
    (readByte(u32, block + walk[m + Table.TableLayout]!) === 0 ? 0 : Table.LayoutSize);
  const stride = walk[layout]!;
  const key = walk[layout + 1]!;
  const value = walk[layout + 2]!;
  const visitKey = walk[layout + 3] !== 0;
  let entry = tableEntries(u32, walk, m, block);
  for (let i = u32[(block + walk[m + Table.TableCount]!) >>> 2]!; i > 0; i--, entry += stride) {
    const k = u32[(entry + key) >>> 2]!;
    if (k === 0) continue;
    if (!holdsNoCycle(u32, u32[(entry + value) >>> 2]!, rules)) return false;
    if (visitKey && !holdsNoCycle(u32, k, rules)) return false;
  }
  return true;
}

/** The byte at `address`, read from the word view (the loops keep no byte view). */
function readByte(u32: Uint32Array, address: number): number {
  return (u32[address >>> 2]! >>> ((address & 3) << 3)) & 0xff;
}

/** The address of the first entry of the table in `block` (walk record at `m`). */
function tableEntries(u32: Uint32Array, walk: Int32Array, m: number, block: number): number {
  return (
    block + walk[m + Table.TableIndex]! + (1 << readByte(u32, block + walk[m + Table.TableShift]!))
  );
}

/**
 * subtract_refs over the live entries of an object's table (walk record at `m`): each one's
 * value, then its key when the layout visits keys. The layout is read once per object, so
 * the entry loop reads only the entries.
 */
function decrefTable(
  u32: Uint32Array,
  walk: Int32Array,
  m: number,
  node: number,
  all: boolean,
): void {
  const block = u32[(node + walk[m + Table.TableBlock]!) >>> 2]!;
  if (block === 0) return;
  const layout =
    m +
    Table.TableLayouts +
    (readByte(u32, block + walk[m + Table.TableLayout]!) === 0 ? 0 : Table.LayoutSize);
  const stride = walk[layout]!;
  const key = walk[layout + 1]!;
  const value = walk[layout + 2]!;
  const start = tableEntries(u32, walk, m, block);
  const end = start + stride * u32[(block + walk[m + Table.TableCount]!) >>> 2]!;
  if (walk[layout + 3] === 0) {
    for (let entry = start; entry < end; entry += stride) {
      if (u32[(entry + key) >>> 2] !== 0) decref(u32, u32[(entry + value) >>> 2]!, all);
    }
  } else {
    for (let entry = start; entry < end; entry += stride) {
      const k = u32[(entry + key) >>> 2]!;
      if (k === 0) continue;
      decref(u32, u32[(entry + value) >>> 2]!, all);
      decref(u32, k, all);
    }
  }
}

/** move_unreachable's visit of the live entries of a reachable object's table, in order. */
function reachTable(
  u32: Uint32Array,
  walk: Int32Array,
  m: number,
  node: number,
  young: number,
): void {
  const block = u32[(node + walk[m + Table.TableBlock]!) >>> 2]!;
  if (block === 0) return;
  const layout =
    m +
    Table.TableLayouts +
    (readByte(u32, block + walk[m + Table.TableLayout]!) === 0 ? 0 : Table.LayoutSize);
  const stride = walk[layout]!;
  const key = walk[layout + 1]!;
  const value = walk[layout + 2]!;
  const start = tableEntries(u32, walk, m, block);
  const end = start + stride * u32[(block + walk[m + Table.TableCount]!) >>> 2]!;
  if (walk[layout + 3] === 0) {
    for (let entry = start; entry < end; entry += stride) {
      if (u32[(entry + key) >>> 2] !== 0) reach(u32, u32[(entry + value) >>> 2]!, young);
    }
  } else {
    for (let entry = start; entry < end; entry += stride) {
      const k = u32[(entry + key) >>> 2]!;
      if (k === 0) continue;
      reach(u32, u32[(entry + value) >>> 2]!, young);
      reach(u32, k, young);
    }
  }
}

/** Whether a slot's reference lets an untrack test pass: set, and not possibly tracked. */
function holdsNoCycle(u32: Uint32Array, ref: number, rules: Int32Array): boolean {
  if (ref === 0) return false;
  if ((u32[(ref + Off.ObFlags) >>> 2]! & Flag.GcHead) === 0) return true;
  if (u32[(ref + Off.GcNext) >>> 2] !== 0) return false;
  const t = u32[(ref + Off.ObType) >>> 2]!;
  return t < rules.length && (rules[t]! & Rule.AcyclicUntracked) !== 0;
}

/** update_refs' gc_refs for an object with `flags`: its count, or never zero if immortal. */
function startRefs(u32: Uint32Array, node: number, flags: number): number {
  return flags & Flag.Immortal ? Refs.Immortal : u32[(node + Off.ObRefcnt) >>> 2]!;
}

/**
 * visit_decref, inlined into the loops: one reference from inside the examined set. COLLECTING
 * in the referent's `ob_flags` says both "has a GC head" and "is being examined". With `all`
 * (every tracked object is examined, and update_refs is this walk too) a tracked referent
 * without COLLECTING has not been seen yet: this reference is its first, and it gets its
 * `gc_refs` here.
 */
function decref(u32: Uint32Array, ref: number, all: boolean): void {
  if (ref === 0) return;
  const at = (ref + Off.ObFlags) >>> 2;
  const flags = u32[at]!;
  if ((flags & Flag.Collecting) !== 0) u32[(ref + Off.GcRefs) >>> 2]!--;
  else if (all && (flags & Flag.GcHead) !== 0 && u32[(ref + Off.GcNext) >>> 2] !== 0) {
    u32[(ref + Off.GcRefs) >>> 2] = startRefs(u32, ref, flags) - 1;
    u32[at] = flags | Flag.Collecting;
  }
}

/** subtract_refs for the fields past the second of an object with a pointer map. */
function decrefFields(
  u32: Uint32Array,
  walk: Int32Array,
  fields: Int32Array,
  m: number,
  node: number,
  count: number,
  all: boolean,
): void {
  decref(u32, u32[(node + walk[m + Table.Field0 + 2]!) >>> 2]!, all);
  if (count > 3) {
    decref(u32, u32[(node + walk[m + Table.Field0 + 3]!) >>> 2]!, all);
    for (let f = walk[m + Table.MoreFields]!, end = f + count - 4; f < end; f++) {
      decref(u32, u32[(node + fields[f]!) >>> 2]!, all);
    }
  }
}

/** move_unreachable's visit of the fields past the second of a reachable object. */
function reachFields(
  u32: Uint32Array,
  walk: Int32Array,
  fields: Int32Array,
  m: number,
  node: number,
  count: number,
  young: number,
): void {
  reach(u32, u32[(node + walk[m + Table.Field0 + 2]!) >>> 2]!, young);
  if (count > 3) {
    reach(u32, u32[(node + walk[m + Table.Field0 + 3]!) >>> 2]!, young);
    for (let f = walk[m + Table.MoreFields]!, end = f + count - 4; f < end; f++) {
      reach(u32, u32[(node + fields[f]!) >>> 2]!, young);
    }
  }
}

/** visit_reachable, inlined into the loops: `ref` is referenced by a reachable object. */
function reach(u32: Uint32Array, ref: number, young: number): void {
  if (ref === 0) return;
  const at = (ref + Off.ObFlags) >>> 2;
  const flags = u32[at]!;
  if ((flags & Flag.Collecting) === 0) return;
  // CPython sets gc_refs to 1; clearing COLLECTING says the same ("reachable, scan it at its
  // turn") with the flags word just read, and saves the walk clearing it at that turn.
  u32[at] = flags & ~(Flag.Collecting | Flag.Unreachable);
  if (flags & Flag.Unreachable) list.move(u32, ref, young);
}

// The inlined numbers must be the exported ones: a mismatch is a build error, found at load.
for (const [name, inlined, exported] of [
  ["GC_NEXT", Off.GcNext, GC_NEXT],
  ["GC_REFS", Off.GcRefs, GC_REFS],
  ["OB_REFCNT", Off.ObRefcnt, OB_REFCNT],
  ["OB_FLAGS", Off.ObFlags, OB_FLAGS],
  ["OB_TYPE", Off.ObType, OB_TYPE],
  ["OB_WEAKLIST", Off.ObWeaklist, OB_WEAKLIST],
  ["ObjectFlags.Immortal", Flag.Immortal, ObjectFlags.Immortal],
  ["ObjectFlags.Finalized", Flag.Finalized, ObjectFlags.Finalized],
  ["ObjectFlags.GcHead", Flag.GcHead, ObjectFlags.GcHead],
  ["ObjectFlags.Collecting", Flag.Collecting, ObjectFlags.Collecting],
  ["ObjectFlags.Unreachable", Flag.Unreachable, ObjectFlags.Unreachable],
  ["TypeFlags.Weakrefable", TypeBit.Weakrefable, TypeFlags.Weakrefable],
  ["HAS_FINALIZE", Table.HasFinalize, HAS_FINALIZE],
  ["HAS_MAP", Table.HasMap, HAS_MAP],
  ["HAS_RUN", Table.HasRun, HAS_RUN],
  ["IS_WEAKREF", Table.IsWeakref, IS_WEAKREF],
  ["HAS_TABLE", Table.HasTable, HAS_TABLE],
  ["WALK_TABLE_BLOCK", Table.TableBlock, WALK_TABLE_BLOCK],
  ["WALK_TABLE_COUNT", Table.TableCount, WALK_TABLE_COUNT],
  ["WALK_TABLE_INDEX", Table.TableIndex, WALK_TABLE_INDEX],
  ["WALK_TABLE_SHIFT", Table.TableShift, WALK_TABLE_SHIFT],
  ["WALK_TABLE_LAYOUT", Table.TableLayout, WALK_TABLE_LAYOUT],
  ["WALK_TABLE_LAYOUTS", Table.TableLayouts, WALK_TABLE_LAYOUTS],
  ["WALK_LAYOUT_SIZE", Table.LayoutSize, WALK_LAYOUT_SIZE],
  ["WALK_TYPE_BEFORE", Table.TypeBefore, WALK_TYPE_BEFORE],
  ["WALK_TYPE_AFTER", Table.TypeAfter, WALK_TYPE_AFTER],
  ["WALK_RECORD", Table.Record, WALK_RECORD],
  ["WALK_FIELDS", Table.Fields, WALK_FIELDS],
  ["WALK_FIELD0", Table.Field0, WALK_FIELD0],
  ["WALK_MORE_FIELDS", Table.MoreFields, WALK_MORE_FIELDS],
  ["WALK_STRIDE", Table.Stride, WALK_STRIDE],
  ["WALK_REVERSE", Table.Reverse, WALK_REVERSE],
  ["WALK_RUN", Table.Run, WALK_RUN],
  ["WALK_BLOCK", Table.Block, WALK_BLOCK],
  ["WALK_COUNT", Table.Count, WALK_COUNT],
  ["WALK_FIRST", Table.First, WALK_FIRST],
  ["RUN_NONE", RunKind.None, RUN_NONE],
  ["RUN_INLINE", RunKind.Inline, RUN_INLINE],
  ["RUN_BLOCK_COUNTED", RunKind.BlockCounted, RUN_BLOCK_COUNTED],
  ["the kernel's RULE_BITS.any", Rule.Any, RULE_BITS.any],
  ["the kernel's RULE_BITS.full", Rule.Full, RULE_BITS.full],
  ["the kernel's RULE_BITS.mapAny", Rule.MapAny, RULE_BITS.mapAny],
  ["the kernel's RULE_BITS.mapFull", Rule.MapFull, RULE_BITS.mapFull],
  ["the kernel's RULE_BITS.acyclicUntracked", Rule.AcyclicUntracked, RULE_BITS.acyclicUntracked],
  ["the kernel's NOTED", NOTED, KERNEL_NOTED],
] as const) {
  if (inlined !== exported)
    throw new Error(`gen-gc was built with ${name} = ${inlined}, not ${exported}`);
}

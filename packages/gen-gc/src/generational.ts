// CPython 3.11's cycle collector (Modules/gcmodule.c), step for step, over any object model
// registered with @mm/heap and the counts kept by @mm/refcount.
//
// Reference counting frees everything except cycles. A collection of generation g finds the
// objects of generations 0..g that nothing outside them refers to: it copies every refcount
// into gc_refs (update_refs), subtracts the references the examined objects hold to each other
// (subtract_refs), so that gc_refs > 0 means "referenced from outside"; then it walks the list
// once (move_unreachable), keeping what is referenced from outside and everything reachable from
// it, and moving the rest to an unreachable list. The order of that walk fixes the order in
// which finalizers later run, so it follows CPython's list order exactly: a tentatively
// unreachable object that turns out reachable goes back to the *tail* of the young list.
//
// What is unreachable is then handled in CPython's order: legacy finalizers (and what they
// reach) are set aside as uncollectable; weak references to the trash are cleared and the
// callbacks of live weak references run; finalizers run once (PEP 442); objects that a
// finalizer resurrected are found by a second pass and survive; `clear` breaks the remaining
// cycles so that reference counting frees them.

import {
  GC_NEXT,
  GC_REFS,
  HeapCorruptionError,
  hex,
  InvalidArgumentError,
  OB_FLAGS,
  OB_REFCNT,
  OB_TYPE,
  OB_WEAKLIST,
  ObjectFlags,
  type ObjectSpace,
  TypeFlags,
  type Visit,
} from "@mm/heap";
import {
  type LifecycleHooks,
  RefCounter,
  type UnraisableHook,
  type WeakrefCallback,
  writeUnraisable,
} from "@mm/refcount";
import {
  type CollectionRecord,
  DebugFlags,
  type GcCallback,
  type GenerationalOptions,
  type GenerationStats,
  Presets,
  type UntrackRule,
} from "./api.js";
import type { Collector, CollectorCapabilities } from "./collector.js";
import { GcValueError } from "./errors.js";
import { GarbageList } from "./garbage.js";
import { GcModuleState } from "./gc-state.js";
import * as list from "./internal/gc-list.js";
import {
  buildTypeTables,
  HAS_FINALIZE,
  HAS_MAP,
  HAS_RUN,
  IS_WEAKREF,
  runCount,
  runStart,
  type Traverse,
  type TypeTables,
  WALK_FIELD0,
  WALK_FIELDS,
  WALK_MORE_FIELDS,
  WALK_RECORD,
  WALK_REVERSE,
  WALK_STRIDE,
} from "./internal/type-tables.js";
import { CollectionPhases } from "./phases.js";

const GC = TypeFlags.Gc;
const NUM_GENERATIONS = 3;

// The numbers the collection's loops use, as `const enum`s so that every compiler writes them
// in place: in V8 a module constant or an imported one is a load and a check each time a loop
// uses it. Each equals an exported constant of @mm/heap or of the type tables, which the module
// checks when it loads (see the end of this file).

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

/** The type tables' own flag bits and walk record slots. */
// biome-ignore lint/suspicious/noConstEnum: local to this module, so every compiler inlines it.
const enum Table {
  HasFinalize = 1 << 16,
  HasMap = 1 << 17,
  HasRun = 1 << 18,
  IsWeakref = 1 << 19,
  Record = 16,
  Fields = 0,
  Field0 = 1,
  MoreFields = 5,
  Stride = 10,
  Reverse = 11,
}

/** gc_refs of an immortal object: never brought to zero by subtract_refs. */
// biome-ignore lint/suspicious/noConstEnum: local to this module, so every compiler inlines it.
const enum Refs {
  Immortal = 0x7fff_ffff,
}

/** What the generational collector does: CPython's strategy, counts plus the cycle collector. */
export const GENERATIONAL_CAPABILITIES: CollectorCapabilities = Object.freeze({
  refcounts: true,
  roots: false,
  generational: true,
  collectsCycles: true,
  frees: true,
  finalizers: true,
  weakrefs: true,
});

/**
 * The generational cycle collector of CPython 3.11, with the whole `gc` module as its API.
 * It owns the {@link RefCounter} of its object space and plugs itself into deallocation.
 *
 * @example
 * ```ts
 * const gc = new GenerationalCollector(space);
 * const a = gc.allocate(node.id); gc.track(a);   // count0 += 1, may collect first
 * const b = gc.allocate(node.id); gc.track(b);
 * link(a, b); link(b, a);                          // a two-cycle, each holding the other
 * gc.rc.decref(a); gc.rc.decref(b);               // counting cannot free it...
 * gc.collect();                                    // ...the collector can: returns 2
 * ```
 */
export class GenerationalCollector implements Collector {
  readonly space: ObjectSpace;
  /** The reference counter, wired to this collector's hooks. */
  readonly rc: RefCounter;
  /** The hooks this collector gives its reference counter. */
  readonly hooks: LifecycleHooks;
  /** The name it was made under (see {@link CollectorOptions.name}). */
  readonly name: string;
  /** What it does: counts, generations, cycles, finalizers, weakrefs. */
  readonly capabilities: CollectorCapabilities = GENERATIONAL_CAPABILITIES;
  /** The gc module's state (thresholds, counts, flags, callbacks, garbage, statistics). */
  readonly state: GcModuleState;
  /** `gc.callbacks`: called with ("start" | "stop", info) around every collection. */
  readonly callbacks: GcCallback[];
  /** `gc.garbage`: uncollectable objects (and, with DEBUG_SAVEALL, all trash), each held by a reference. */
  readonly garbage: GarbageList;
  /** Every collection so far, for tools: generation, results, pause time. */
  readonly history: CollectionRecord[];

  readonly #generations: number[];
  readonly #permanent: number;
  readonly #unreachable: number;
  readonly #finalizers: number;
  readonly #wrcbToCall: number;
  readonly #seen: number;
  readonly #stillUnreachable: number;
  readonly #thresholds: [number, number, number];
  readonly #counts: [number, number, number];
  /** The space's `containersFreed` when the gen-0 count last took them in. */
  #freesSeen = 0;
  readonly #state: GcModuleState;
  /** The post-detection steps both collectors share. */
  readonly #phases: CollectionPhases;
  #collecting = false;
  /**
   * Whether the last collection ran to its end. One that threw (a model's traverse, say) may
   * leave COLLECTING and an old gc_refs on some objects; the next collection then takes the two
   * separate walks of update_refs and subtract_refs, which reset every object.
   */
  #lastCompleted = true;
  #longLivedTotal = 0;
  #longLivedPending = 0;
  /**
   * What handle_weakrefs' walk found for the later phases: the trash's size and the first
   * object whose finalizer must run (the list head for none). -1 and 0 when a callback ran
   * and the phases must look again.
   */
  #trashCount = -1;
  #firstToFinalize = 0;
  /**
   * What move_unreachable saw of the objects it moved to the unreachable list, or-ed together:
   * their weak list heads and their types' HAS_FINALIZE and IS_WEAKREF bits. 0 means that no
   * weak reference and no finalizer needs handling in this collection.
   */
  #attention = 0;

  #u32: Uint32Array;
  /** By type id: flags, pointer maps, traverse and clear functions; rebuilt when types are added. */
  #tables: TypeTables = {
    flags: new Int32Array(0),
    anyFlags: 0,
    walk: new Int32Array(0),
    fields: new Int32Array(0),
    traverses: [],
    clears: [],
  };
  readonly #untrackAny = new Map<number, UntrackRule>();
  readonly #untrackFull = new Map<number, UntrackRule>();

  readonly #unraisable: UnraisableHook;
  readonly #clearFreeLists: (() => void) | undefined;
  readonly #log: (line: string) => void;
  readonly #clock: () => number;

  constructor(space: ObjectSpace, options: GenerationalOptions = {}) {
    this.space = space;
    this.#freesSeen = space.containersFreed;
    this.#u32 = space.memory.u32;
    space.memory.onGrow((memory) => {
      this.#u32 = memory.u32;
    });
    this.name = options.name ?? "generational";
    const thresholds = options.thresholds ?? Presets[options.preset ?? "3.11"];
    if (!thresholds)
      throw new InvalidArgumentError(`unknown preset ${JSON.stringify(options.preset)}`);
    for (const rule of options.untrack ?? []) this.addUntrackRule(rule);
    this.#unraisable = options.unraisable ?? writeUnraisable;
    this.#clearFreeLists = options.clearFreeLists;
    this.#log = options.log ?? ((line) => console.error(line));
    this.#clock = options.clock ?? (() => performance.now());
    const heads = list.allocateHeads(space.memory, (n) => space.allocator.malloc(n), 9);
    this.#generations = heads.slice(0, NUM_GENERATIONS);
    [
      this.#permanent,
      this.#unreachable,
      this.#finalizers,
      this.#wrcbToCall,
      this.#seen,
      this.#stillUnreachable,
    ] = heads.slice(NUM_GENERATIONS) as [number, number, number, number, number, number];
    this.hooks = {
      allocate: (typeId, items) => {
        const object = this.allocate(typeId, items);
        if (object !== 0 && this.#isGcType(typeId))
          list.append(this.#u32, object, this.#generations[0]!);
        return object;
      },
      // The reference counter calls this for every dying object, already checked live.
      untrack: (object) => this.#untrackLive(object),
      // ...and since that is all #untrackLive does, may do it itself.
      untrackUnlinksOnly: true,
      track: (object) => {
        if (this.#isGcObject(object) && !this.isTracked(object)) this.track(object);
      },
      // Without a free hook the counter frees to the object space, whose count of freed
      // containers the gen-0 count takes in when it is next read or raised (see #applyFrees).
      ...(options.free ? { free: options.free } : {}),
      ...(options.clearingWeakrefs ? { clearingWeakrefs: options.clearingWeakrefs } : {}),
    };
    this.rc = new RefCounter(space, {
      hooks: this.hooks,
      unraisable: this.#unraisable,
      ...(options.trashcanDepth !== undefined ? { trashcanDepth: options.trashcanDepth } : {}),
    });
    this.#state = new GcModuleState({
      garbage: GarbageList.counting(this.rc),
      thresholds,
      unraisable: this.#unraisable,
      callbackInfo: options.callbackInfo,
    });
    this.state = this.#state;
    this.#phases = new CollectionPhases(space, this.#state, this.#unraisable, this.#log);
    this.#thresholds = this.#state.thresholds;
    this.#counts = this.#state.counts;
    this.garbage = this.#state.garbage;
    this.callbacks = this.#state.callbacks;
    this.history = this.#state.history;
  }

  // ------------------------------------------------------------- allocation and tracking

  /**
   * Allocates an object of `typeId` (untracked, count 1). For a container type this is
   * CPython's `_PyObject_GC_Link`: the gen-0 count rises and, past the threshold, a collection
   * runs now, before the new object is tracked.
   * @returns the object, or 0 when memory is exhausted.
   */
  allocate(typeId: number, items = 0): number {
    const object = this.space.allocate(typeId, items);
    if (object !== 0 && this.#isGcType(typeId)) this.countAllocation();
    return object;
  }

  /**
   * Counts one container allocation that did not go through {@link allocate} and collects if
   * the gen-0 count passes its threshold (CPython's `_PyObject_GC_Link`).
   */
  countAllocation(): void {
    this.#applyFrees();
    const count = ++this.#counts[0];
    if (
      count > this.#thresholds[0] &&
      this.#state.enabled &&
      this.#thresholds[0] !== 0 &&
      !this.#collecting
    ) {
      this.#collecting = true;
      try {
        this.#collectGenerations();
      } finally {
        this.#collecting = false;
      }
    }
  }

  /**
   * Lowers the gen-0 count by the containers that the object space freed since the last call,
   * never below 0: what CPython's `PyObject_GC_Del` does at each death. Between two allocations
   * the count only falls, so taking the deaths in one step gives the same count, provided this
   * runs before every read of the count and every rise.
   */
  #applyFrees(): void {
    const frees = this.space.containersFreed;
    if (frees !== this.#freesSeen) {
      this.#counts[0] = Math.max(0, this.#counts[0] - (frees - this.#freesSeen));
      this.#freesSeen = frees;
    }
  }

  /** Starts tracking a container object: appends it to generation 0 (`_PyObject_GC_TRACK`). */
  track(object: number): void {
    if (!this.#isGcObject(object)) {
      throw new InvalidArgumentError(
        `track(${hex(object)}): not a live object of a container type`,
      );
    }
    if (this.isTracked(object)) {
      throw new InvalidArgumentError(`track(${hex(object)}): the object is already tracked`);
    }
    list.append(this.#u32, object, this.#generations[0]!);
  }

  /** Stops tracking an object; does nothing for untracked and non-container objects. */
  untrack(object: number): void {
    if (this.space.isLive(object)) this.#untrackLive(object);
  }

  /** Untracks a live object if it is a tracked container (its header says whether it has a GC head). */
  #untrackLive(object: number): void {
    const u32 = this.#u32;
    const at = (object + Off.ObFlags) >>> 2;
    const flags = u32[at]!;
    if ((flags & Flag.GcHead) !== 0 && list.next(u32, object) !== 0) {
      list.remove(u32, object);
      // An object untracked during a collection (by a finalizer, say) leaves it: its marks go
      // too, as _PyObject_GC_UNTRACK clears them.
      u32[at] = flags & ~(Flag.Collecting | Flag.Unreachable);
    }
  }

  /** Adds a type whose surviving instances collections may untrack (see {@link UntrackRule}). */
  addUntrackRule(rule: UntrackRule): void {
    (rule.fullCollectionsOnly ? this.#untrackFull : this.#untrackAny).set(rule.typeId, rule);
  }

  /** `gc.is_tracked`. */
  isTracked(object: number): boolean {
    return this.#isGcObject(object) && list.next(this.#u32, object) !== 0;
  }

  /** `gc.is_finalized`: a container whose finalizer has run. */
  isFinalized(object: number): boolean {
    return (
      this.#isGcObject(object) && (this.#u32[(object + Off.ObFlags) >>> 2]! & Flag.Finalized) !== 0
    );
  }

  /**
   * Frees an object's memory: untracks it and, for a container, lowers the gen-0 count (never
   * below 0), as CPython's `PyObject_GC_Del` does. This is what the reference counter does
   * itself when the options give no `free` hook; a `free` hook ends with it.
   */
  release(object: number): void {
    this.space.check(object);
    const type = this.space.types.get(this.#u32[(object + Off.ObType) >>> 2]!);
    // The gen-0 count takes this death in from the space's count of freed containers.
    if (type.isGc) this.#untrackLive(object);
    this.space.freeAs(object, type);
  }

  // ------------------------------------------------------------- the gc module

  /**
   * `gc.collect(generation)`: collects generations 0..generation and returns the number of
   * unreachable objects found (collected plus uncollectable). Returns 0 when a collection is
   * already running. Runs even when automatic collection is disabled.
   * @throws GcValueError "invalid generation" outside 0..2.
   */
  collect(generation = 2): number {
    if (!Number.isInteger(generation) || generation < 0 || generation >= NUM_GENERATIONS) {
      throw new GcValueError("invalid generation");
    }
    if (this.#collecting) return 0;
    this.#collecting = true;
    try {
      return this.#collectWithCallback(generation, false);
    } finally {
      this.#collecting = false;
    }
  }

  /** `gc.enable()`. */
  enable(): void {
    this.#state.enable();
  }

  /** `gc.disable()`. */
  disable(): void {
    this.#state.disable();
  }

  /** `gc.isenabled()`. */
  isEnabled(): boolean {
    return this.#state.enabled;
  }

  /** Whether a collection is running now. */
  get collecting(): boolean {
    return this.#collecting;
  }

  /** `gc.get_threshold()`. */
  getThreshold(): [number, number, number] {
    return this.#state.getThreshold();
  }

  /** `gc.set_threshold(threshold0[, threshold1[, threshold2]])`; 0 disables automatic collection. */
  setThreshold(threshold0: number, threshold1?: number, threshold2?: number): void {
    this.#state.setThreshold(threshold0, threshold1, threshold2);
  }

  /** `gc.get_count()`. */
  getCount(): [number, number, number] {
    this.#applyFrees();
    return this.#state.getCount();
  }

  /** `gc.get_stats()`. */
  getStats(): GenerationStats[] {
    return this.#state.getStats();
  }

  /** `gc.set_debug(flags)`: see {@link DebugFlags}. */
  setDebug(flags: number): void {
    this.#state.setDebug(flags);
  }

  /** `gc.get_debug()`. */
  getDebug(): number {
    return this.#state.debug;
  }

  /** A new reference to `object` (the reference counter's `incref`). */
  incref(object: number): void {
    this.rc.incref(object);
  }

  /** Drops a reference to `object` (the reference counter's `decref`). */
  decref(object: number): void {
    this.rc.decref(object);
  }

  /** `gc.freeze()`: moves every tracked object to the permanent generation; zeroes the counts. */
  freeze(): void {
    for (let i = 0; i < NUM_GENERATIONS; i++) {
      list.merge(this.#u32, this.#generations[i]!, this.#permanent);
      this.#counts[i] = 0;
    }
  }

  /** `gc.unfreeze()`: moves the permanent generation back into the oldest one. */
  unfreeze(): void {
    list.merge(this.#u32, this.#permanent, this.#generations[NUM_GENERATIONS - 1]!);
  }

  /** `gc.get_freeze_count()`. */
  getFreezeCount(): number {
    return list.size(this.#u32, this.#permanent);
  }

  /**
   * `gc.get_objects(generation)`: the objects of one generation, or of all three, in list order.
   * @throws GcValueError for a generation outside 0..2.
   */
  getObjects(generation?: number): number[] {
    if (generation === undefined) {
      return this.#generations.flatMap((head) => list.toArray(this.#u32, head));
    }
    if (!Number.isInteger(generation))
      throw new InvalidArgumentError("generation must be an integer");
    if (generation >= NUM_GENERATIONS) {
      throw new GcValueError(
        `generation parameter must be less than the number of available generations (${NUM_GENERATIONS})`,
      );
    }
    if (generation < 0) throw new GcValueError("generation parameter cannot be negative");
    return list.toArray(this.#u32, this.#generations[generation]!);
  }

  /** `gc.get_referrers(*objects)`: tracked objects (generations 0..2) that refer to any of them. */
  getReferrers(...objects: number[]): number[] {
    this.#refreshTypes();
    const wanted = new Set(objects);
    const found: number[] = [];
    const visit: Visit = (ref) => (wanted.has(ref) ? 1 : 0);
    for (const head of this.#generations) {
      for (
        let node = list.next(this.#u32, head);
        node !== head;
        node = list.next(this.#u32, node)
      ) {
        if (this.#traverse(node)(node, visit, 0) !== 0) found.push(node);
      }
    }
    return found;
  }

  /** `gc.get_referents(*objects)`: what each container argument refers to; others add nothing. */
  getReferents(...objects: number[]): number[] {
    this.#refreshTypes();
    const found: number[] = [];
    const visit: Visit = (ref) => {
      if (ref !== 0) found.push(ref);
      return 0;
    };
    for (const object of objects) {
      if (this.#isGcObject(object)) this.#traverse(object)(object, visit, 0);
    }
    return found;
  }

  /**
   * Checks the collector's lists: links agree both ways, every node is a live container, no
   * collection flag is left set, and no object is on two lists.
   * @throws HeapCorruptionError naming the first bad node.
   */
  verify(): void {
    const u32 = this.#u32;
    const seen = new Set<number>();
    for (const head of [...this.#generations, this.#permanent]) {
      let previous = head;
      for (let node = list.next(u32, head); node !== head; node = list.next(u32, node)) {
        const fail = (why: string): never => {
          throw new HeapCorruptionError("gc list", node, why);
        };
        if (!this.#isGcObject(node)) fail("a node is not a live container object");
        if ((u32[(node + Off.ObFlags) >>> 2]! & Flag.GcHead) === 0) {
          fail("a tracked object has no GC_HEAD flag");
        }
        if (list.prev(u32, node) !== previous) fail("gc_prev does not point at the node before");
        if (
          (u32[(node + Off.ObFlags) >>> 2]! & (Flag.Collecting | Flag.Unreachable)) !== 0 &&
          !this.#collecting
        ) {
          fail("a collection flag is set outside a collection");
        }
        if (seen.has(node)) fail("the node is on two lists, or a list has a cycle");
        seen.add(node);
        previous = node;
      }
      if (list.prev(u32, head) !== previous) {
        throw new HeapCorruptionError("gc list", head, "the head's gc_prev is not the last node");
      }
    }
  }

  // ------------------------------------------------------------- collections

  #collectGenerations(): void {
    for (let i = NUM_GENERATIONS - 1; i >= 0; i--) {
      if (this.#counts[i]! > this.#thresholds[i]!) {
        if (
          i === NUM_GENERATIONS - 1 &&
          this.#longLivedPending < Math.trunc(this.#longLivedTotal / 4)
        ) {
          continue;
        }
        this.#collectWithCallback(i, true);
        break;
      }
    }
  }

  #collectWithCallback(generation: number, automatic: boolean): number {
    this.#state.invokeCallbacks("start", { generation, collected: 0, uncollectable: 0 });
    const [collected, uncollectable] = this.#collectMain(generation, automatic);
    this.#state.invokeCallbacks("stop", { generation, collected, uncollectable });
    return collected + uncollectable;
  }

  /** `gc_collect_main`: returns [collected, uncollectable]. */
  #collectMain(generation: number, automatic: boolean): [number, number] {
    this.#refreshTypes();
    const start = this.#clock();
    const debug = this.#state.debug;
    if (debug & DebugFlags.Stats) {
      this.#log(`gc: collecting generation ${generation}...`);
      const sizes = this.#generations.map((h) => list.size(this.#u32, h)).join(" ");
      this.#log(`gc: objects in each generation: ${sizes}`);
      this.#log(`gc: objects in permanent generation: ${list.size(this.#u32, this.#permanent)}`);
    }
    this.#applyFrees();
    if (generation + 1 < NUM_GENERATIONS) this.#counts[generation + 1]! += 1;
    for (let i = 0; i <= generation; i++) this.#counts[i] = 0;
    for (let i = 0; i < generation; i++) {
      list.merge(this.#u32, this.#generations[i]!, this.#generations[generation]!);
    }
    const young = this.#generations[generation]!;
    const old = generation < NUM_GENERATIONS - 1 ? this.#generations[generation + 1]! : young;
    const unreachable = this.#unreachable;
    // A full collection with nothing frozen examines every tracked object; after one that
    // threw, the walks must reset every object first.
    const all = young === old && list.isEmpty(this.#u32, this.#permanent) && this.#lastCompleted;
    this.#lastCompleted = false;
    const [examined, reachable] = this.#deduceUnreachable(young, unreachable, all);

    let survivors = reachable - this.#untrackByRules(young, this.#untrackAny);
    if (young !== old) {
      if (generation === NUM_GENERATIONS - 2) this.#longLivedPending += survivors;
      list.merge(this.#u32, young, old);
    } else {
      survivors -= this.#untrackByRules(young, this.#untrackFull);
      this.#longLivedPending = 0;
      this.#longLivedTotal = survivors;
    }

    const finalizers = this.#finalizers;
    list.init(this.#u32, finalizers);
    // Without a type that has a legacy finalizer, move_legacy_finalizers would only clear the
    // UNREACHABLE marks: handle_weakrefs' walk clears them instead.
    const legacy = (this.#tables.anyFlags & TypeFlags.LegacyFinalizer) !== 0;
    if (legacy) {
      this.#moveLegacyFinalizers(unreachable, finalizers);
      this.#moveLegacyFinalizerReachable(finalizers);
    }

    if (debug & DebugFlags.Collectable) {
      for (const node of list.toArray(this.#u32, unreachable))
        this.#phases.logObject("collectable", node);
    }

    let m = 0;
    // Whether no trash object needs the weakref or finalizer phases: then delete_garbage may
    // find it closed and free it in one pass.
    const plain = !legacy && this.#attention === 0;
    if (!plain) m = this.#handleWeakrefs(unreachable, old, !legacy);
    else {
      // No weak reference and no finalizer to handle: the walk would only count the trash
      // (and clear its UNREACHABLE marks, which delete_garbage clears instead).
      this.#trashCount = examined - reachable;
      this.#firstToFinalize = unreachable;
    }
    const finalized = this.#finalizeGarbage(unreachable);
    const still = this.#stillUnreachable;
    const trash = this.#handleResurrected(unreachable, still, old, finalized);
    m += trash;
    this.#deleteGarbage(still, old, trash, plain);

    let n = 0;
    for (
      let node = list.next(this.#u32, finalizers);
      node !== finalizers;
      node = list.next(this.#u32, node)
    ) {
      n++;
      if (debug & DebugFlags.Uncollectable) this.#phases.logObject("uncollectable", node);
    }
    this.#phases.logDone(n + m, n, this.#clock() - start);
    this.#handleLegacyFinalizers(finalizers, old);
    if (generation === NUM_GENERATIONS - 1) this.#clearFreeLists?.();

    this.#lastCompleted = true;
    this.#state.record({
      generation,
      collected: m,
      uncollectable: n,
      examined,
      pauseMs: this.#clock() - start,
      automatic,
    });
    return [m, n];
  }

  /**
   * update_refs, subtract_refs, move_unreachable. Returns the number of objects examined and
   * the number found reachable (left in `base`).
   *
   * With `all` the caller says that `base` holds every tracked object (a full collection with
   * nothing frozen): an object is then examined exactly when it is tracked, which it can tell
   * by itself, and update_refs folds into subtract_refs' walk (see {@link #subtractRefs}).
   */
  #deduceUnreachable(base: number, unreachable: number, all: boolean): [number, number] {
    let examined: number;
    if (all) {
      examined = this.#subtractRefs(base, true);
    } else {
      examined = this.#updateRefs(base);
      this.#subtractRefs(base, false);
    }
    list.init(this.#u32, unreachable);
    return [examined, this.#moveUnreachable(base, unreachable)];
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
  // otherwise. A list is mostly long runs of objects of one type, so the facts of the last type
  // seen (its flags, walk record and first two field offsets) stay in locals and are read again
  // only when the type changes. Nothing allocates while the loops run, so the word view is read
  // once.
  // The last type starts as 0, an id no type has (its table entries are zero, which leads to
  // the no-references traverse), rather than -1: a variable that only ever holds values of a
  // Uint32Array stays a machine word in V8, where -1 would make it a double.

  /**
   * subtract_refs. With `all` (see {@link #deduceUnreachable}) it is update_refs too, in the
   * same walk: an object gets its `gc_refs` and COLLECTING from the first of its own turn and
   * the first reference to it from an examined object, and a reference to a tracked object not
   * yet COLLECTING is a first reference. Every object still gets `ob_refcnt` less the references
   * from the examined set, as two walks give it. Returns the number of objects walked.
   */
  #subtractRefs(base: number, all: boolean): number {
    const u32 = this.#u32;
    const { flags, walk, fields, traverses } = this.#tables;
    const visit = this.#visitDecref;
    const arg = all ? 1 : 0;
    let n = 0;
    let type = 0;
    let typeFlags = 0;
    let record = 0;
    let count = 0;
    let field0 = 0;
    let field1 = 0;
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
        type = t;
        typeFlags = flags[t]!;
        record = t * Table.Record;
        count = walk[record + Table.Fields]!;
        field0 = walk[record + Table.Field0]!;
        field1 = walk[record + Table.Field0 + 1]!;
      }
      if ((typeFlags & Table.HasMap) === 0) {
        traverses[t]!(node, visit, arg);
        continue;
      }
      if (count > 0) {
        decref(u32, u32[(node + field0) >>> 2]!, all);
        if (count > 1) {
          decref(u32, u32[(node + field1) >>> 2]!, all);
          if (count > 2) decrefFields(u32, walk, fields, record, node, count, all);
        }
      }
      if ((typeFlags & Table.HasRun) !== 0) decrefRun(u32, walk, record, node, all);
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
   */
  #moveUnreachable(young: number, unreachable: number): number {
    const u32 = this.#u32;
    const { flags, walk, fields, traverses } = this.#tables;
    const visit = this.#visitReachable;
    let reachable = 0;
    let type = 0;
    let typeFlags = 0;
    let record = 0;
    let count = 0;
    let field0 = 0;
    let field1 = 0;
    // The run waiting to move: from runFirst to runLast, still linked in `young` (0: none).
    let runFirst = 0;
    let runLast = 0;
    // The last type of an object moved, and what the moved objects need (see #attention).
    let movedType = 0;
    let attention = 0;
    let node = u32[(young - 16) >>> 2]!;
    while (node !== young) {
      if (u32[(node + Off.GcRefs) >>> 2]! === 0) {
        u32[(node + Off.ObFlags) >>> 2]! |= Flag.Unreachable;
        attention |= u32[(node + Off.ObWeaklist) >>> 2]!;
        const t = u32[(node + Off.ObType) >>> 2]!;
        if (t !== movedType) {
          movedType = t;
          attention |= flags[t]! & (Table.HasFinalize | Table.IsWeakref);
        }
        if (runFirst === 0) runFirst = node;
        runLast = node;
        node = u32[(node - 16) >>> 2]!;
        continue;
      }
      if (runFirst !== 0) {
        list.moveRun(u32, runFirst, runLast, unreachable);
        runFirst = 0;
      }
      const t = u32[(node + Off.ObType) >>> 2]!;
      if (t !== type) {
        type = t;
        typeFlags = flags[t]!;
        record = t * Table.Record;
        count = walk[record + Table.Fields]!;
        field0 = walk[record + Table.Field0]!;
        field1 = walk[record + Table.Field0 + 1]!;
      }
      if ((typeFlags & Table.HasMap) === 0) traverses[t]!(node, visit, young);
      else {
        if (count > 0) {
          reach(u32, u32[(node + field0) >>> 2]!, young);
          if (count > 1) {
            reach(u32, u32[(node + field1) >>> 2]!, young);
            if (count > 2) reachFields(u32, walk, fields, record, node, count, young);
          }
        }
        if ((typeFlags & Table.HasRun) !== 0) reachRun(u32, walk, record, node, young);
      }
      u32[(node + Off.ObFlags) >>> 2]! &= ~Flag.Collecting;
      node = u32[(node - 16) >>> 2]!;
      reachable++;
    }
    if (runFirst !== 0) list.moveRun(u32, runFirst, runLast, unreachable);
    this.#attention = attention;
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

  /** Untracks the objects of `head` that a rule allows; returns how many. */
  #untrackByRules(head: number, rules: ReadonlyMap<number, UntrackRule>): number {
    if (rules.size === 0) return 0;
    let untracked = 0;
    let node = list.next(this.#u32, head);
    while (node !== head) {
      const next = list.next(this.#u32, node);
      const rule = rules.get(this.#u32[(node + Off.ObType) >>> 2]!);
      if (rule?.canUntrack(node)) {
        list.remove(this.#u32, node);
        untracked++;
      }
      node = next;
    }
    return untracked;
  }

  #moveLegacyFinalizers(unreachable: number, finalizers: number): void {
    let node = list.next(this.#u32, unreachable);
    while (node !== unreachable) {
      const u32 = this.#u32;
      const next = list.next(u32, node);
      u32[(node + Off.ObFlags) >>> 2]! &= ~Flag.Unreachable;
      if (this.#tables.flags[u32[(node + Off.ObType) >>> 2]!]! & TypeFlags.LegacyFinalizer) {
        u32[(node + Off.ObFlags) >>> 2]! &= ~Flag.Collecting;
        list.move(u32, node, finalizers);
      }
      node = next;
    }
  }

  #moveLegacyFinalizerReachable(finalizers: number): void {
    const visit = this.#visitMove;
    for (
      let node = list.next(this.#u32, finalizers);
      node !== finalizers;
      node = list.next(this.#u32, node)
    ) {
      this.#traverse(node)(node, visit, finalizers);
    }
  }

  /** visit_move: what a legacy finalizer reaches is uncollectable too. */
  readonly #visitMove: Visit = (ref, finalizers) => {
    // COLLECTING is only ever set on a container: it also says the referent has a GC head.
    const u32 = this.#u32;
    const flags = (ref + Off.ObFlags) >>> 2;
    if (ref !== 0 && u32[flags]! & Flag.Collecting) {
      list.move(u32, ref, finalizers);
      u32[flags]! &= ~Flag.Collecting;
    }
    return 0;
  };

  /**
   * handle_weakrefs: clears every weak reference to the trash (and every weak reference that is
   * trash), then runs the callbacks of the weak references that are not trash themselves.
   * Returns how many of those weak references the callbacks' decrefs freed.
   *
   * Its walk over the trash also does what two later walks would: it counts the trash and
   * finds the first object whose finalizer must run (for finalize_garbage and
   * handle_resurrected_objects; only a callback could change either, so the findings stand
   * when none ran), and with `clearMarks` it clears the UNREACHABLE marks.
   */
  #handleWeakrefs(unreachable: number, old: number, clearMarks: boolean): number {
    const rc = this.rc;
    const weakrefType = rc.weakrefType.id;
    const wrcb = this.#wrcbToCall;
    const u32 = this.#u32;
    const flags = this.#tables.flags;
    list.init(u32, wrcb);
    let pending: Map<number, WeakrefCallback> | undefined;
    const untracked: number[] = [];
    let count = 0;
    let firstToFinalize = unreachable;
    for (let node = u32[(unreachable - 16) >>> 2]!; node !== unreachable; ) {
      const next = u32[(node - 16) >>> 2]!;
      if (clearMarks) u32[(node + Off.ObFlags) >>> 2]! &= ~Flag.Unreachable;
      const typeId = u32[(node + Off.ObType) >>> 2]!;
      const typeFlags = flags[typeId]!;
      if (
        firstToFinalize === unreachable &&
        (typeFlags & Table.HasFinalize) !== 0 &&
        (u32[(node + Off.ObFlags) >>> 2]! & Flag.Finalized) === 0
      ) {
        firstToFinalize = node;
      }
      count++;
      if (typeId === weakrefType) rc.clearWeakref(node);
      if (typeFlags & TypeFlags.Weakrefable && u32[(node + Off.ObWeaklist) >>> 2] !== 0) {
        for (
          let wr = u32[(node + Off.ObWeaklist) >>> 2]!;
          wr !== 0;
          wr = u32[(node + Off.ObWeaklist) >>> 2]!
        ) {
          const callback = rc.clearWeakref(wr);
          if (callback === undefined) continue;
          if (u32[(wr + Off.ObFlags) >>> 2]! & Flag.Collecting) continue;
          rc.incref(wr);
          pending ??= new Map();
          pending.set(wr, callback);
          if (this.isTracked(wr)) list.move(u32, wr, wrcb);
          else untracked.push(wr);
        }
      }
      node = next;
    }
    this.#trashCount = pending ? -1 : count;
    this.#firstToFinalize = pending ? 0 : firstToFinalize;
    if (!pending) return 0;
    let freed = 0;
    while (!list.isEmpty(this.#u32, wrcb)) {
      const wr = list.next(this.#u32, wrcb);
      this.#runWeakrefCallback(wr, pending.get(wr)!);
      rc.decref(wr);
      if (list.next(this.#u32, wrcb) === wr) list.move(this.#u32, wr, old);
      else freed++;
    }
    for (const wr of untracked) {
      this.#runWeakrefCallback(wr, pending.get(wr)!);
      rc.decref(wr);
      if (!this.space.isLive(wr)) freed++;
    }
    return freed;
  }

  #runWeakrefCallback(wr: number, callback: WeakrefCallback): void {
    this.#phases.runWeakrefCallback(wr, callback);
  }

  /**
   * finalize_garbage: each finalizer once, with the object held alive across the call.
   * Returns how many finalizers ran.
   */
  #finalizeGarbage(collectable: number): number {
    // CPython moves each object to `seen` before looking at it, so that a finalizer may change
    // the list. Up to the first object with a finalizer to run nothing can change it: that
    // prefix stays where it is, and the walk goes on CPython's way from there.
    let first = this.#firstToFinalize;
    if (first === 0) {
      first = list.next(this.#u32, collectable);
      while (first !== collectable && !this.#needsFinalize(first)) {
        first = list.next(this.#u32, first);
      }
    }
    if (first === collectable) return 0;
    this.#trashCount = -1;
    const seen = this.#seen;
    list.init(this.#u32, seen);
    list.spliceBefore(this.#u32, collectable, first, seen);
    let ran = 0;
    while (!list.isEmpty(this.#u32, collectable)) {
      const node = list.next(this.#u32, collectable);
      list.move(this.#u32, node, seen);
      if (this.#needsFinalize(node)) {
        this.rc.incref(node);
        this.rc.finalize(node);
        this.rc.decref(node);
        ran++;
      }
    }
    list.merge(this.#u32, seen, collectable);
    return ran;
  }

  #needsFinalize(node: number): boolean {
    const u32 = this.#u32;
    return (
      (this.#tables.flags[u32[(node + Off.ObType) >>> 2]!]! & Table.HasFinalize) !== 0 &&
      (u32[(node + Off.ObFlags) >>> 2]! & Flag.Finalized) === 0
    );
  }

  /**
   * handle_resurrected_objects: a second pass finds what the finalizers made reachable again.
   * Returns how many objects are still unreachable. When no finalizer ran nothing can have been
   * resurrected (weakref callbacks cannot reach the trash: their weakrefs were cleared first),
   * and the pass would move every object, in order: the list is taken over as it is.
   */
  #handleResurrected(unreachable: number, still: number, old: number, finalized: number): number {
    const u32 = this.#u32;
    if (finalized === 0) {
      // Only the count is needed: the UNREACHABLE marks are clear, or delete_garbage clears them.
      list.init(u32, still);
      let n = this.#trashCount;
      if (n < 0) n = list.size(u32, unreachable);
      list.merge(u32, unreachable, still);
      return n;
    }
    for (
      let node = list.next(u32, unreachable);
      node !== unreachable;
      node = list.next(u32, node)
    ) {
      u32[(node + Off.ObFlags) >>> 2]! &= ~Flag.Collecting;
    }
    const [examined, resurrected] = this.#deduceUnreachable(unreachable, still, false);
    for (
      let node = list.next(this.#u32, still);
      node !== still;
      node = list.next(this.#u32, node)
    ) {
      this.#u32[(node + Off.ObFlags) >>> 2]! &= ~Flag.Unreachable;
    }
    list.merge(this.#u32, unreachable, old);
    return examined - resurrected;
  }

  /**
   * delete_garbage: `clear` breaks the cycles; reference counting frees the objects. When no
   * trash object needed the weakref or finalizer phases (`plain`), the trash may well only refer
   * to itself, and the counter is asked to free it all at once (`RefCounter.freeClosedList`):
   * nothing can watch such deaths, so clearing them one by one would only free the same blocks
   * in another order. The counter declines, having changed nothing, when the trash is not so.
   */
  #deleteGarbage(collectable: number, old: number, count: number, plain: boolean): void {
    if (this.#state.debug & DebugFlags.SaveAll) {
      this.#saveGarbage(collectable, old, count);
      return;
    }
    const rc = this.rc;
    if (plain && rc.freeClosedList(collectable)) return;
    const clears = this.#tables.clears;
    while (!list.isEmpty(this.#u32, collectable)) {
      let node = list.next(this.#u32, collectable);
      let clear = clears[this.#u32[(node + Off.ObType) >>> 2]!];
      if (clear === this.#clearFields) {
        // The counter clears a run of such objects itself, in place; it stops at the first
        // object of another type or at one that outlived its clear.
        node = rc.clearList(collectable);
        if (node === collectable) break;
        clear = clears[this.#u32[(node + Off.ObType) >>> 2]!];
        if (clear !== this.#clearFields) continue;
      } else if (clear) {
        rc.incref(node);
        this.#clear(node, clear);
        rc.decref(node);
      }
      if (list.next(this.#u32, collectable) === node) {
        this.#u32[(node + Off.ObFlags) >>> 2]! &= ~(Flag.Collecting | Flag.Unreachable);
        list.move(this.#u32, node, old);
      }
    }
  }

  #clear(node: number, clear: (object: number) => void): void {
    try {
      clear(node);
    } catch (error) {
      const name = this.space.types.get(this.#u32[(node + Off.ObType) >>> 2]!).name;
      this.#unraisable(error, `in tp_clear of ${name}`, node);
    }
  }

  /**
   * delete_garbage under DEBUG_SAVEALL: every object of the list (`count` of them) goes to
   * `garbage` with a new reference, in list order, and the list joins `old`. Nothing runs in
   * between (incref calls nothing), so `garbage` grows once instead of once per append, and the
   * list moves in one splice instead of object by object.
   */
  #saveGarbage(collectable: number, old: number, count: number): void {
    const garbage = this.garbage;
    garbage.reserve(count);
    for (
      let node = list.next(this.#u32, collectable);
      node !== collectable;
      node = list.next(this.#u32, node)
    ) {
      garbage.append(node);
      this.#u32[(node + Off.ObFlags) >>> 2]! &= ~(Flag.Collecting | Flag.Unreachable);
    }
    list.merge(this.#u32, collectable, old);
  }

  #handleLegacyFinalizers(finalizers: number, old: number): void {
    for (
      let node = list.next(this.#u32, finalizers);
      node !== finalizers;
      node = list.next(this.#u32, node)
    ) {
      this.#phases.keepUncollectable(node);
    }
    list.merge(this.#u32, finalizers, old);
  }

  // ------------------------------------------------------------- internals

  #isGcObject(object: number): boolean {
    return this.space.isLive(object) && this.#isGcType(this.#u32[(object + Off.ObType) >>> 2]!);
  }

  #isGcType(typeId: number): boolean {
    if (typeId >= this.#tables.flags.length) this.#refreshTypes();
    return (this.#tables.flags[typeId]! & GC) !== 0;
  }

  #traverse(node: number): Traverse {
    return this.#tables.traverses[this.#u32[(node + Off.ObType) >>> 2]!]!;
  }

  /** The clear of a type with `release: "fields"` (CPython's `subtype_clear`). */
  readonly #clearFields = (object: number) => this.rc.clearFields(object);

  /** Rebuilds the per-type tables when types were registered since the last build. */
  #refreshTypes(): void {
    if (this.#tables.flags.length !== this.space.types.all().length + 1) {
      this.#tables = buildTypeTables(this.space, this.rc.weakrefType.id, this.#clearFields);
    }
  }
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

/** subtract_refs for the item run of an object with a pointer map. */
function decrefRun(
  u32: Uint32Array,
  walk: Int32Array,
  m: number,
  node: number,
  all: boolean,
): void {
  const start = runStart(u32, walk, m, node);
  if (start === 0) return;
  const stride = walk[m + Table.Stride]!;
  const end = start + stride * runCount(u32, walk, m, node);
  // Decrements commute: a reversed run is walked forwards here too.
  for (let at = start; at < end; at += stride) decref(u32, u32[at >>> 2]!, all);
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

/** move_unreachable's visit of the item run of a reachable object. */
function reachRun(
  u32: Uint32Array,
  walk: Int32Array,
  m: number,
  node: number,
  young: number,
): void {
  const start = runStart(u32, walk, m, node);
  if (start === 0) return;
  const stride = walk[m + Table.Stride]!;
  const end = start + stride * runCount(u32, walk, m, node);
  // The order moves objects back to the young list, so it is the type's visiting order.
  if (walk[m + Table.Reverse] === 0) {
    for (let at = start; at < end; at += stride) reach(u32, u32[at >>> 2]!, young);
  } else {
    for (let at = end - stride; at >= start; at -= stride) reach(u32, u32[at >>> 2]!, young);
  }
}

/** visit_reachable, inlined into the loops: `ref` is referenced by a reachable object. */
function reach(u32: Uint32Array, ref: number, young: number): void {
  if (ref === 0) return;
  const at = (ref + Off.ObFlags) >>> 2;
  const flags = u32[at]!;
  if ((flags & Flag.Collecting) === 0) return;
  if (flags & Flag.Unreachable) {
    u32[at] = flags & ~Flag.Unreachable;
    list.move(u32, ref, young);
    u32[(ref + Off.GcRefs) >>> 2] = 1;
  } else if (u32[(ref + Off.GcRefs) >>> 2] === 0) {
    u32[(ref + Off.GcRefs) >>> 2] = 1;
  }
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
  ["HAS_FINALIZE", Table.HasFinalize, HAS_FINALIZE],
  ["HAS_MAP", Table.HasMap, HAS_MAP],
  ["HAS_RUN", Table.HasRun, HAS_RUN],
  ["IS_WEAKREF", Table.IsWeakref, IS_WEAKREF],
  ["WALK_RECORD", Table.Record, WALK_RECORD],
  ["WALK_FIELDS", Table.Fields, WALK_FIELDS],
  ["WALK_FIELD0", Table.Field0, WALK_FIELD0],
  ["WALK_MORE_FIELDS", Table.MoreFields, WALK_MORE_FIELDS],
  ["WALK_STRIDE", Table.Stride, WALK_STRIDE],
  ["WALK_REVERSE", Table.Reverse, WALK_REVERSE],
] as const) {
  if (inlined !== exported)
    throw new Error(`gen-gc was built with ${name} = ${inlined}, not ${exported}`);
}

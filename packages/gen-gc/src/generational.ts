// CPython 3.11's cycle collector (Modules/gcmodule.c) as the gc module sees it: allocation and
// tracking (generation 0's count, the lists), thresholds and automatic collections,
// gc.collect's gc_collect_main, and the module's questions (get_objects, get_referrers,
// get_referents, freeze, verify), over any object model registered with @mm/heap and the counts
// kept by @mm/refcount.
//
// Reference counting frees everything except cycles; a collection finds them in two steps. The
// detection (internal/detection.ts: update_refs, subtract_refs, move_unreachable) finds the
// objects of generations 0..g that nothing outside them refers to; the phases every collector
// shares (phases.ts) then handle them in CPython's order: legacy finalizers, weak references,
// finalizers, resurrection, clear, gc.garbage.

import {
  HeapCorruptionError,
  hex,
  InvalidArgumentError,
  OB_FLAGS,
  OB_TYPE,
  ObjectFlags,
  type ObjectSpace,
  type TypeDescriptor,
  TypeFlags,
  type Visit,
} from "@mm/heap";
import {
  type LifecycleHooks,
  RefCounter,
  type UnraisableHook,
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
import type { Collector, CollectorCapabilities, CollectorSeed } from "./collector.js";
import { GcInterruptedError, GcValueError } from "./errors.js";
import { GarbageList } from "./garbage.js";
import { GcModuleState } from "./gc-state.js";
import { CycleDetection, NO_TABLES, RULE_ANY, RULE_FULL } from "./internal/detection.js";
import * as list from "./internal/gc-list.js";
import { buildTypeTables, type Traverse, type TypeTables } from "./internal/type-tables.js";
import {
  type KernelBlocks,
  type KernelRegion,
  kernelRegionProblem,
} from "./internal/wasm-kernel.js";
import { CollectionPhases } from "./phases.js";

const GC = TypeFlags.Gc;
const NUM_GENERATIONS = 3;

// The header numbers the allocation path and the lists use, as `const enum`s so that every
// compiler writes them in place (in V8 an imported constant is a load and a check each time);
// checked against @mm/heap's when the module loads (see the end of this file).

/** Header offsets (@mm/heap's `OB_*`). */
// biome-ignore lint/suspicious/noConstEnum: local to this module, so every compiler inlines it.
const enum Off {
  ObFlags = 4,
  ObType = 8,
}

/** Bits of `ob_flags` (@mm/heap's `ObjectFlags`). */
// biome-ignore lint/suspicious/noConstEnum: local to this module, so every compiler inlines it.
const enum Flag {
  Finalized = 2,
  GcHead = 4,
  Collecting = 8,
  Unreachable = 16,
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
  readonly #thresholds: [number, number, number];
  readonly #counts: [number, number, number];
  /** The space's `containersFreed` when the gen-0 count last took them in. */
  #freesSeen = 0;
  readonly #state: GcModuleState;
  /** update_refs, subtract_refs, move_unreachable. */
  readonly #detection: CycleDetection;
  /** The post-detection phases both collectors share. */
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
   * Objects a seeded start-up's oldest generation holds that this heap does not (see
   * {@link seed}): part of every long-lived total from then on.
   */
  #absentLongLived = 0;
  /** Stress mode: a collection at every container allocation (see GenerationalOptions.stress). */
  readonly #stress: boolean;
  #u32: Uint32Array;
  /** By type id: flags, pointer maps, traverse and clear functions; rebuilt when types are added. */
  #tables: TypeTables = NO_TABLES;
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
    this.#unraisable = options.unraisable ?? writeUnraisable;
    this.#clearFreeLists = options.clearFreeLists;
    this.#log = options.log ?? ((line) => console.error(line));
    this.#clock = options.clock ?? (() => performance.now());
    this.#stress = options.stress ?? false;
    const heads = list.allocateHeads(space.memory, (n) => space.allocator.malloc(n), 5);
    this.#generations = heads.slice(0, NUM_GENERATIONS);
    [this.#permanent, this.#unreachable] = heads.slice(NUM_GENERATIONS) as [number, number];
    // Made with the JavaScript walks, the collector has no kernel, and so no block in the heap.
    this.#detection = new CycleDetection(
      space.memory,
      options.walks === "js" ? undefined : kernelPlace(options, space),
    );
    for (const rule of options.untrack ?? []) this.addUntrackRule(rule);
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
    this.#phases = new CollectionPhases({
      space,
      state: this.#state,
      rc: this.rc,
      unraisable: this.#unraisable,
      log: this.#log,
      counts: true,
    });
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
      (count > this.#thresholds[0] || this.#stress) &&
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
    this.#detection.addRule(
      rule.typeId,
      rule.fullCollectionsOnly ? RULE_FULL : RULE_ANY,
      rule.byPointerMap === true && this.space.types.get(rule.typeId).pointers !== undefined,
      rule.untrackedIsAcyclic === true,
    );
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
    this.releaseAs(object, this.space.types.get(this.#u32[(object + Off.ObType) >>> 2]!));
  }

  /**
   * {@link release} of an object whose type the caller has read: the object space checks, as
   * it frees, that the object is live and of that type.
   * @throws InvalidAddressError when `object` is not live.
   * @throws InvalidArgumentError when it is live but of another type.
   */
  releaseAs(object: number, type: TypeDescriptor): void {
    if (type.isGc) {
      // Deaths by count come here unlinked already (the counter unlinks first): one read of the
      // GC head. A dead object's head may hold an allocator's free-list link, so a linked one is
      // checked live before it is unlinked.
      const u32 = this.#u32;
      if (
        (u32[(object + Off.ObFlags) >>> 2]! & Flag.GcHead) !== 0 &&
        list.next(u32, object) !== 0
      ) {
        this.space.check(object, "free");
        this.#untrackLive(object);
      }
    }
    // The gen-0 count takes this death in from the space's count of freed containers.
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

  /**
   * Which walks detect cycles: `"wasm"` (the WebAssembly kernel over the heap's memory) or
   * `"js"` (see {@link GenerationalOptions.walks}). Setting `"wasm"` where the kernel is not
   * available leaves `"js"`. Both decide the same; this is for measuring one against the other.
   */
  get walks(): "wasm" | "js" {
    return this.#detection.walks;
  }

  set walks(walks: "wasm" | "js") {
    if (walks !== "wasm" && walks !== "js") {
      throw new InvalidArgumentError(`walks must be "wasm" or "js", got ${String(walks)}`);
    }
    this.#detection.walks = walks;
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

  /**
   * Takes on the gc state another interpreter's start-up leaves: its counts and statistics, and
   * its old population. Every object tracked now moves to the oldest generation; of the
   * `state.oldest` objects that start-up left there, the ones this heap lacks still count as
   * long-lived, so a full collection runs when it would run there (the first once the third
   * generation's count passes its threshold, as after a start-up with no full collection, the
   * next ones once a quarter of the long-lived total awaits one).
   * @throws InvalidArgumentError for a count or statistic that is not a non-negative integer
   *   (nothing changes).
   */
  seed(state: CollectorSeed): void {
    const values = [...state.counts, state.oldest];
    for (const s of state.stats) values.push(s.collections, s.collected, s.uncollectable);
    if (state.counts.length !== NUM_GENERATIONS || state.stats.length !== NUM_GENERATIONS)
      throw new InvalidArgumentError("a seed has three counts and three statistics");
    for (const v of values)
      if (!Number.isSafeInteger(v) || v < 0)
        throw new InvalidArgumentError(
          `a seed's counts and statistics are non-negative integers, not ${v}`,
        );
    this.#applyFrees();
    const oldest = this.#generations[NUM_GENERATIONS - 1]!;
    for (let i = 0; i < NUM_GENERATIONS - 1; i++)
      list.merge(this.#u32, this.#generations[i]!, oldest);
    const here = list.size(this.#u32, oldest);
    this.#absentLongLived = Math.max(0, state.oldest - here);
    // No full collection yet: everything old awaits the first, and the total is empty.
    this.#longLivedPending = here + this.#absentLongLived;
    this.#longLivedTotal = 0;
    state.counts.forEach((c, i) => {
      this.#counts[i] = c;
    });
    state.stats.forEach((s, i) => {
      Object.assign(this.#state.stats[i]!, {
        collections: s.collections,
        collected: s.collected,
        uncollectable: s.uncollectable,
      });
    });
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
      // Under stress generation 0 is due at every allocation; the older ones keep their rule.
      if (this.#counts[i]! > this.#thresholds[i]! || (i === 0 && this.#stress)) {
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
    const detection = this.#detection;
    // Where the objects of an interrupted collection go back to: the collected generation while
    // the detection runs, the next one once the survivors have moved there.
    let home = young;
    let examined: number;
    let m: number;
    let n: number;
    try {
      const [seen, reachable] = detection.deduceUnreachable(young, unreachable, all, true);
      examined = seen;

      let survivors = reachable - detection.untrackByRules(young, this.#untrackAny, RULE_ANY);
      if (young !== old) {
        if (generation === NUM_GENERATIONS - 2) this.#longLivedPending += survivors;
        list.merge(this.#u32, young, old);
        home = old;
      } else {
        survivors -= detection.untrackByRules(young, this.#untrackFull, RULE_FULL);
        this.#longLivedPending = 0;
        this.#longLivedTotal = survivors + this.#absentLongLived;
      }

      ({ collected: m, uncollectable: n } = this.#phases.run(this.#tables, {
        unreachable,
        old,
        count: examined - reachable,
        attention: detection.attention,
        resurrect: this.#resurrect,
      }));
    } catch (error) {
      this.#restoreLists(home, unreachable);
      throw new GcInterruptedError(generation, error);
    }
    this.#phases.logDone(n + m, n, this.#clock() - start);
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
   * After an exception out of a collection: every object the collection held on its working
   * lists (the unreachable list, the phases' lists) goes back to `home`, the generation it was
   * being collected from, and loses its collection marks, so that the lists are whole and
   * `verify()` passes. What the phases had already done stays done (a finalizer that ran is
   * not run again; a freed object is gone).
   */
  #restoreLists(home: number, unreachable: number): void {
    const u32 = this.#u32;
    for (const head of [unreachable, ...this.#phases.heads]) {
      // A head the interrupted collection had not reached yet may still hold the links of an
      // earlier use; every use ends by emptying it, so a non-empty one belongs to this one.
      list.merge(u32, head, home);
    }
    for (const head of [...this.#generations, this.#permanent]) {
      for (let node = list.next(u32, head); node !== head; node = list.next(u32, node)) {
        u32[(node + Off.ObFlags) >>> 2]! &= ~(Flag.Collecting | Flag.Unreachable);
      }
    }
  }

  /**
   * handle_resurrected_objects' second detection: the trash is examined again as a generation
   * of its own, and what a finalizer made reachable stays in `unreachable`.
   */
  readonly #resurrect = (unreachable: number, still: number): number => {
    const u32 = this.#u32;
    for (
      let node = list.next(u32, unreachable);
      node !== unreachable;
      node = list.next(u32, node)
    ) {
      u32[(node + Off.ObFlags) >>> 2]! &= ~Flag.Collecting;
    }
    const [examined, resurrected] = this.#detection.deduceUnreachable(
      unreachable,
      still,
      false,
      false,
    );
    for (
      let node = list.next(this.#u32, still);
      node !== still;
      node = list.next(this.#u32, node)
    ) {
      this.#u32[(node + Off.ObFlags) >>> 2]! &= ~Flag.Unreachable;
    }
    return examined - resurrected;
  };

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

  readonly #isWeakrefType = (typeId: number) => this.rc.isWeakrefType(typeId);

  /** Rebuilds the per-type tables when types were registered since the last build. */
  #refreshTypes(): void {
    if (this.#tables.flags.length !== this.space.types.all().length + 1) {
      this.#tables = buildTypeTables(this.space, this.#isWeakrefType, this.#clearFields);
      this.#detection.tables = this.#tables;
    }
  }
}

/**
 * Where the WebAssembly walks keep their copy of the type tables: the fixed region of
 * `kernelTables`, else the allocator of `kernelBlocks`, else the object space's allocator.
 * @throws InvalidArgumentError for both options at once, or for a region the memory refuses.
 */
function kernelPlace(
  options: GenerationalOptions,
  space: ObjectSpace,
): KernelBlocks | KernelRegion {
  const region = options.kernelTables;
  if (region === undefined) return options.kernelBlocks ?? space.allocator;
  if (options.kernelBlocks !== undefined) {
    throw new InvalidArgumentError(
      "kernelTables and kernelBlocks both say where the kernel's tables go: give one",
    );
  }
  const problem = kernelRegionProblem(region, space.memory);
  if (problem !== undefined) throw new InvalidArgumentError(problem);
  return { address: region.address, bytes: region.bytes };
}

// The inlined numbers must be the exported ones: a mismatch is a build error, found at load.
for (const [name, inlined, exported] of [
  ["OB_FLAGS", Off.ObFlags, OB_FLAGS],
  ["OB_TYPE", Off.ObType, OB_TYPE],
  ["ObjectFlags.Finalized", Flag.Finalized, ObjectFlags.Finalized],
  ["ObjectFlags.GcHead", Flag.GcHead, ObjectFlags.GcHead],
  ["ObjectFlags.Collecting", Flag.Collecting, ObjectFlags.Collecting],
  ["ObjectFlags.Unreachable", Flag.Unreachable, ObjectFlags.Unreachable],
] as const) {
  if (inlined !== exported)
    throw new Error(`gen-gc was built with ${name} = ${inlined}, not ${exported}`);
}

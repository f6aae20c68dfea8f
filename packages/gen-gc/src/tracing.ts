// A tracing mark-sweep collector: no reference counts at all. Reachability is decided from a
// root enumeration the caller supplies (frames, globals, handles), so cycles need no special
// treatment. What the mark did not reach goes through the phases CPython's cycle collector runs
// after its detection, the same code as the generational collector's (phases.ts): the
// unreachable containers are gathered into the same intrusive list, legacy finalizers are set
// aside, weak references to the dead are cleared and the callbacks of live ones run, finalizers
// run once, a second mark finds what they resurrected, and the rest is freed. Objects without a
// GC head (no list can hold them) go through the same phases beside the list.

import {
  AddressBitmap,
  checkSize,
  InvalidArgumentError,
  OB_FLAGS,
  OB_TYPE,
  OB_WEAKLIST,
  ObjectFlags,
  type ObjectSpace,
  type Visit,
} from "@mm/heap";
import {
  type LifecycleHooks,
  RefCounter,
  type UnraisableHook,
  writeUnraisable,
} from "@mm/refcount";
import { DebugFlags, type TracingOptions } from "./api.js";
import type { CollectorCapabilities } from "./collector.js";
import { GcInterruptedError } from "./errors.js";
import { FlatCollector, finalizedContainer } from "./flat.js";
import { GarbageList } from "./garbage.js";
import { NO_TABLES } from "./internal/detection.js";
import * as list from "./internal/gc-list.js";
import {
  buildTypeTables,
  HAS_FINALIZE,
  IS_WEAKREF,
  type TypeTables,
} from "./internal/type-tables.js";
import { CollectionPhases } from "./phases.js";

const IMMORTAL = ObjectFlags.Immortal;
const GC_HEAD = ObjectFlags.GcHead;
/**
 * The most doublings of the failed allocations refused after fruitless collections: at most
 * 2^10 - 1 = 1,023 refusals between two collections on failure.
 */
const MAX_BACKOFF = 10;
/** The marks of an object on the unreachable list. */
const TRASH = ObjectFlags.Collecting | ObjectFlags.Unreachable;

/** What the tracing collector does: no counts; cycles, finalizers and weakrefs from the roots. */
export const TRACING_CAPABILITIES: CollectorCapabilities = Object.freeze({
  refcounts: false,
  roots: true,
  generational: false,
  collectsCycles: true,
  frees: true,
  finalizers: true,
  weakrefs: true,
});

/**
 * Mark-sweep from caller-supplied roots, paced by allocation volume. Objects are never freed
 * by counting: `rc` exists for weak references and the finalized flag only, and callers do not
 * incref or decref under this collector (its `incref` and `decref` do nothing). It has no
 * generations: its collections count as generation 2's in `getStats` and `history`.
 *
 * @example
 * ```ts
 * const roots = new Set<number>();
 * const gc = new TracingCollector(space, { roots: (visit) => roots.forEach(visit) });
 * const a = gc.allocate(node.id);
 * roots.add(a);
 * gc.collect();        // a survives
 * roots.delete(a);
 * gc.collect();        // 1: a is swept
 * ```
 */
export class TracingCollector extends FlatCollector {
  readonly space: ObjectSpace;
  readonly rc: RefCounter;
  readonly hooks: LifecycleHooks;
  readonly bytesBetweenCollections: number;

  readonly #roots: (visit: (object: number) => void) => void;
  readonly #marks: AddressBitmap;
  readonly #free: (object: number) => void;
  readonly #unraisable: UnraisableHook;
  readonly #clearFreeLists: (() => void) | undefined;
  readonly #log: (line: string) => void;
  /** The post-detection phases both collectors share. */
  readonly #phases: CollectionPhases;
  /** The unreachable list, and the list the survivors of the phases end on (emptied after). */
  readonly #unreachable: number;
  readonly #survivors: number;
  readonly #clock: () => number;
  #allocatedSince = 0;
  #collecting = false;
  /** Collections in a row after which an allocation still failed (at most MAX_BACKOFF). */
  #fruitless = 0;
  /** Failed allocations to refuse before the next collection on failure. */
  #refusals = 0;
  /** The mark stack, reused across collections. */
  #stack = new Uint32Array(1024);

  constructor(space: ObjectSpace, options: TracingOptions) {
    if (typeof options?.roots !== "function") {
      throw new InvalidArgumentError("a tracing collector needs a roots(visit) function");
    }
    const pacing = options.bytesBetweenCollections ?? 4 << 20;
    checkSize("bytesBetweenCollections", pacing);
    // gc.garbage (uncollectable objects: legacy finalizers and what they reach; all trash with
    // SaveAll) is a root: what it holds survives; once cleared, the next collection sees it.
    super({
      name: options.name ?? "tracing",
      capabilities: TRACING_CAPABILITIES,
      garbage: GarbageList.listing(space),
      ...(options.unraisable ? { unraisable: options.unraisable } : {}),
    });
    this.space = space;
    this.bytesBetweenCollections = pacing;
    this.#roots = options.roots;
    this.#marks = new AddressBitmap(space.memory, 4);
    this.#free = options.free ?? ((object: number) => this.release(object));
    this.#unraisable = options.unraisable ?? writeUnraisable;
    this.#clearFreeLists = options.clearFreeLists;
    this.#log = options.log ?? ((line) => console.error(line));
    this.#clock = options.clock ?? (() => performance.now());
    this.hooks = {
      allocate: (typeId, items) => this.allocate(typeId, items),
      // The reference counter never reaches zero here: callers do not count under tracing.
      free: this.#free,
      ...(options.clearingWeakrefs ? { clearingWeakrefs: options.clearingWeakrefs } : {}),
    };
    this.rc = new RefCounter(space, {
      hooks: this.hooks,
      unraisable: this.#unraisable,
      ...(options.trashcanDepth !== undefined ? { trashcanDepth: options.trashcanDepth } : {}),
    });
    this.#phases = new CollectionPhases({
      space,
      state: this.state,
      rc: this.rc,
      unraisable: this.#unraisable,
      log: this.#log,
      counts: false,
      free: this.#free,
    });
    [this.#unreachable, this.#survivors] = list.allocateHeads(
      space.memory,
      (n) => space.allocator.malloc(n),
      2,
    ) as [number, number];
  }

  /**
   * Allocates an object, first collecting if `bytesBetweenCollections` were allocated since the
   * last collection (before, so the new object cannot be swept before its caller roots it).
   * @returns the object, or 0 when memory is exhausted even after a collection.
   */
  allocate(typeId: number, items = 0): number {
    const bytes = this.space.blockSize(this.space.types.get(typeId), items);
    let collected = false;
    if (
      this.#allocatedSince + bytes > this.bytesBetweenCollections &&
      this.state.enabled &&
      !this.#collecting
    ) {
      this.collect();
      collected = true;
    }
    let object = this.space.allocate(typeId, items);
    if (object === 0 && !this.#collecting) {
      // A heap that a collection could not relieve is full of live objects: collecting again on
      // each of the failures that follow would mark the whole heap per failed allocation, for
      // nothing unless the program dropped references in between. So after such a collection
      // the next failures are refused without one, 1, 3, 7, ... of them (doubling up to 1,023,
      // see MAX_BACKOFF) for each fruitless collection in a row: a program that keeps
      // failing pays one collection per that many failures, one that dropped references gets
      // its memory back within twice as many failures as it already had.
      if (!collected) {
        if (this.#refusals > 0) {
          this.#refusals--;
          return 0;
        }
        this.collect();
        collected = true;
        object = this.space.allocate(typeId, items);
      }
      if (object === 0) {
        this.#fruitless = Math.min(this.#fruitless + 1, MAX_BACKOFF);
        this.#refusals = (1 << this.#fruitless) - 1;
      }
    }
    if (object !== 0) {
      this.#allocatedSince += bytes;
      // Only a collection that made room ends the pacing: an allocation that found a gap on its
      // own says nothing about what a collection would find.
      if (collected) this.#fruitless = this.#refusals = 0;
    }
    return object;
  }

  /**
   * Failed allocations that the collector will still refuse without collecting, because the
   * last collection could not satisfy one (see {@link allocate}).
   */
  get refusalsLeft(): number {
    return this.#refusals;
  }

  /** Frees an object's memory (the default `free` hook). */
  release(object: number): void {
    this.space.free(object);
  }

  /** Bytes allocated since the last collection. */
  get allocatedSinceCollection(): number {
    return this.#allocatedSince;
  }

  get collecting(): boolean {
    return this.#collecting;
  }

  /** `gc.is_finalized`: a container whose finalizer has run. */
  isFinalized(object: number): boolean {
    return finalizedContainer(this.space, this.rc, object);
  }

  /** Nothing: no counts are kept under tracing. */
  incref(_object: number): void {}

  /** Nothing: no counts are kept under tracing. */
  decref(_object: number): void {}

  /**
   * Marks from the roots and sweeps the rest. Returns the number of unreachable objects found
   * (freed plus uncollectable), or 0 when a collection is already running.
   */
  collect(_generation?: number): number {
    if (this.#collecting) return 0;
    this.#collecting = true;
    try {
      return this.#collect();
    } catch (error) {
      // A mark that threw leaves objects on the mark stack: the next mark must not start from
      // them (they may be freed by then).
      this.#top = 0;
      throw new GcInterruptedError(2, error);
    } finally {
      this.#collecting = false;
    }
  }

  #collect(): number {
    const start = this.#clock();
    if (this.state.debug & DebugFlags.Stats) {
      this.#log("gc: tracing collection: marking from the roots...");
    }
    this.#marks.words.fill(0);
    this.#refreshTypes();
    this.#markFromRoots();

    // What the mark did not reach: containers on the unreachable list, in address order (the
    // order finalizers run in), the others beside it.
    const unreachable = this.#unreachable;
    const survivors = this.#survivors;
    const alsoDying: number[] = [];
    const flags = this.#tables.flags;
    const u32 = this.space.memory.u32;
    list.init(u32, unreachable);
    list.init(u32, survivors);
    let examined = 0;
    let count = 0;
    let attention = 0;
    for (const object of this.space.objects()) {
      examined++;
      const at = (object + OB_FLAGS) >>> 2;
      const objectFlags = u32[at]!;
      if (this.#marks.get(object) || objectFlags & IMMORTAL) continue;
      attention |=
        u32[(object + OB_WEAKLIST) >>> 2]! |
        (flags[u32[(object + OB_TYPE) >>> 2]!]! & (HAS_FINALIZE | IS_WEAKREF));
      if (objectFlags & GC_HEAD) {
        u32[at] = objectFlags | TRASH;
        list.append(u32, object, unreachable);
        count++;
      } else alsoDying.push(object);
    }

    let completed = false;
    try {
      const { collected, uncollectable } = this.#phases.run(this.#tables, {
        unreachable,
        old: survivors,
        count,
        attention,
        resurrect: this.#resurrect,
        alsoDying,
      });
      // The objects without a GC head die unless a survivor of the phases reaches them (the
      // second mark, when a finalizer ran, has marked what the roots reach again).
      let swept = 0;
      if (alsoDying.length > 0) {
        this.#markList(survivors);
        const dying = alsoDying.filter((o) => !this.#marks.get(o) && this.space.isLive(o));
        for (const object of dying) this.#phases.clearWeakrefsQuietly(object);
        for (const object of dying) this.#free(object);
        swept = dying.length;
      }
      this.#unlinkAll(survivors);
      this.#clearFreeLists?.();
      completed = true;
      return this.#finish(start, examined, collected + swept, uncollectable);
    } finally {
      // A collection that threw (a model's traverse, a finalizer's error hook) leaves no object
      // on a list: the next gathers its trash afresh.
      if (!completed) {
        for (const head of [unreachable, survivors, ...this.#phases.heads]) this.#unlinkAll(head);
      }
    }
  }

  /**
   * handle_resurrected_objects' second detection: a new mark from the roots, gc.garbage and the
   * uncollectable objects; what it reaches of the trash was resurrected by a finalizer, with
   * everything it reaches (the objects without a GC head among them, which the sweep of
   * `alsoDying` then keeps).
   *
   * The mark starts from nothing: a finalizer may have stored a dying object into one that the
   * first mark already reached and traced (`rescued.append(self)`), and marking on top of the
   * first mark's bits would stop at that object, never seeing the new reference; the object
   * would then be freed while the roots still reach it.
   */
  readonly #resurrect = (unreachable: number, still: number): number => {
    this.#marks.words.fill(0);
    this.#markFromRoots();
    this.#markList(this.#phases.finalizers);
    const u32 = this.space.memory.u32;
    let n = 0;
    for (let node = list.next(u32, unreachable); node !== unreachable; ) {
      const next = list.next(u32, node);
      const at = (node + OB_FLAGS) >>> 2;
      if (this.#marks.get(node)) u32[at]! &= ~TRASH;
      else {
        u32[at]! &= ~ObjectFlags.Unreachable;
        list.move(u32, node, still);
        n++;
      }
      node = next;
    }
    return n;
  };

  /** Marks every object of a list and what it reaches. */
  #markList(head: number): void {
    const u32 = this.space.memory.u32;
    for (let node = list.next(u32, head); node !== head; node = list.next(u32, node)) {
      this.#mark(node);
    }
    this.#drain(undefined);
  }

  /** Takes every object off a list, marks cleared: under tracing no object stays on one. */
  #unlinkAll(head: number): void {
    const u32 = this.space.memory.u32;
    while (!list.isEmpty(u32, head)) {
      const node = list.next(u32, head);
      list.remove(u32, node);
      u32[(node + OB_FLAGS) >>> 2]! &= ~TRASH;
    }
  }

  #finish(start: number, examined: number, collected: number, uncollectable: number): number {
    const pauseMs = this.#clock() - start;
    this.#allocatedSince = 0;
    this.state.record({
      generation: 2,
      collected,
      uncollectable,
      examined,
      pauseMs,
      automatic: false,
    });
    this.#phases.logDone(collected + uncollectable, uncollectable, pauseMs);
    return collected + uncollectable;
  }

  #markFromRoots(): void {
    this.#roots((object) => this.#mark(object));
    for (const object of this.garbage) this.#mark(object);
    this.#drain(undefined);
  }

  /** Marks `object` and pushes it for tracing, unless it is already marked. */
  #mark(object: number): void {
    if (object === 0 || this.#marks.get(object)) return;
    this.#marks.set(object);
    this.#push(object);
  }

  #push(object: number): void {
    if (this.#top === this.#stack.length) {
      const grown = new Uint32Array(this.#stack.length * 2);
      grown.set(this.#stack);
      this.#stack = grown;
    }
    this.#stack[this.#top++] = object;
  }

  #top = 0;
  /** By type id: flags and traverse functions (derived from pointer maps where a type has none). */
  #tables: TypeTables = NO_TABLES;

  /** Traces everything reachable from the mark stack; `each` sees every newly marked object. */
  #drain(each: ((object: number) => void) | undefined): void {
    const visit: Visit = (ref) => {
      if (ref !== 0 && !this.#marks.get(ref)) {
        this.#marks.set(ref);
        this.#push(ref);
        each?.(ref);
      }
      return 0;
    };
    while (this.#top > 0) {
      const object = this.#stack[--this.#top]!;
      if (!this.#type(object).isGc) continue;
      const typeId = this.#word(object, OB_TYPE);
      // A finalizer or a weakref callback may have registered a type since the tables were
      // built, and left one of its objects where the second mark finds it.
      if (typeId >= this.#tables.traverses.length) this.#refreshTypes();
      this.#tables.traverses[typeId]!(object, visit, 0);
    }
  }

  readonly #isWeakrefType = (typeId: number) => this.rc.isWeakrefType(typeId);

  /** Rebuilds the type tables when types were registered since the last build. */
  #refreshTypes(): void {
    if (this.#tables.flags.length !== this.space.types.all().length + 1) {
      this.#tables = buildTypeTables(this.space, this.#isWeakrefType);
    }
  }

  #word(object: number, offset: number): number {
    return this.space.memory.u32[(object + offset) >>> 2]!;
  }

  #type(object: number) {
    return this.space.types.get(this.#word(object, OB_TYPE));
  }
}

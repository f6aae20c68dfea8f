// A tracing mark-sweep collector: no reference counts at all. Reachability is decided from a
// root enumeration the caller supplies (frames, globals, handles), so cycles need no special
// treatment. Finalizers and weak references go through the same phases as in CPython's cycle
// collector: weak references to the dead are cleared and the callbacks of live ones run, then
// finalizers run once, then a second mark finds what they resurrected, then the rest is swept.

import {
  AddressBitmap,
  checkSize,
  InvalidArgumentError,
  OB_FLAGS,
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
import { DebugFlags, type TracingOptions } from "./api.js";
import type { CollectorCapabilities } from "./collector.js";
import { FlatCollector, finalizedContainer } from "./flat.js";
import { GarbageList } from "./garbage.js";
import { buildTypeTables, type Traverse } from "./internal/type-tables.js";
import { CollectionPhases } from "./phases.js";

const FINALIZED = ObjectFlags.Finalized;
const IMMORTAL = ObjectFlags.Immortal;

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
  /** The post-detection steps both collectors share. */
  readonly #phases: CollectionPhases;
  readonly #clock: () => number;
  #allocatedSince = 0;
  #collecting = false;
  /** The mark stack, reused across collections. */
  #stack = new Int32Array(1024);

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
    this.#phases = new CollectionPhases(space, this.state, this.#unraisable, this.#log);
  }

  /**
   * Allocates an object, first collecting if `bytesBetweenCollections` were allocated since the
   * last collection (before, so the new object cannot be swept before its caller roots it).
   * @returns the object, or 0 when memory is exhausted even after a collection.
   */
  allocate(typeId: number, items = 0): number {
    const bytes = this.space.blockSize(this.space.types.get(typeId), items);
    if (
      this.#allocatedSince + bytes > this.bytesBetweenCollections &&
      this.state.enabled &&
      !this.#collecting
    ) {
      this.collect();
    }
    let object = this.space.allocate(typeId, items);
    if (object === 0 && !this.#collecting) {
      this.collect();
      object = this.space.allocate(typeId, items);
    }
    if (object !== 0) this.#allocatedSince += bytes;
    return object;
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
    } finally {
      this.#collecting = false;
    }
  }

  #collect(): number {
    const start = this.#clock();
    const debug = this.state.debug;
    if (debug & DebugFlags.Stats) this.#log("gc: tracing collection: marking from the roots...");
    this.#marks.words.fill(0);
    this.#refreshTypes();
    this.#markFromRoots();

    const dead: number[] = [];
    let examined = 0;
    for (const object of this.space.objects()) {
      examined++;
      if (!this.#marks.get(object) && !(this.#word(object, OB_FLAGS) & IMMORTAL)) dead.push(object);
    }

    // Legacy finalizers and everything they reach are uncollectable: they survive, in garbage.
    const uncollectable: number[] = [];
    for (const object of dead) {
      if (!this.#marks.get(object) && this.#type(object).flags & TypeFlags.LegacyFinalizer) {
        uncollectable.push(object);
        this.#mark(object);
        this.#drain((o) => uncollectable.push(o));
      }
    }
    for (const object of uncollectable) {
      this.#phases.keepUncollectable(object);
      if (debug & DebugFlags.Uncollectable) this.#phases.logObject("uncollectable", object);
    }
    const trash = dead.filter((o) => !this.#marks.get(o));
    if (debug & DebugFlags.Collectable) {
      for (const o of trash) this.#phases.logObject("collectable", o);
    }

    // Weak references: clear those to the trash; run the callbacks of the live ones.
    const callbacks: Array<[number, WeakrefCallback]> = [];
    for (const object of trash) {
      if (this.rc.isWeakref(object)) this.rc.clearWeakref(object);
      this.#clearWeakrefsTo(object, callbacks);
    }
    for (const [wr, callback] of callbacks) this.#phases.runWeakrefCallback(wr, callback);

    if (debug & DebugFlags.SaveAll) {
      for (const object of trash) this.garbage.append(object);
      return this.#finish(start, examined, 0, uncollectable.length + trash.length);
    }

    // Finalizers, once each; then a second mark finds what they made reachable again.
    for (const object of trash) {
      if (this.#type(object).finalize && !(this.#word(object, OB_FLAGS) & FINALIZED)) {
        this.rc.finalize(object);
      }
    }
    this.#markFromRoots();
    const swept: number[] = [];
    for (const object of trash) {
      if (this.#marks.get(object) || !this.space.isLive(object)) continue;
      // Weak references a finalizer created to the trash are cleared without callbacks.
      if (this.rc.isWeakref(object)) this.rc.clearWeakref(object);
      this.#clearWeakrefsTo(object, undefined);
      swept.push(object);
    }
    for (const object of swept) this.#free(object);
    this.#clearFreeLists?.();
    return this.#finish(start, examined, swept.length, uncollectable.length);
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

  #clearWeakrefsTo(object: number, callbacks: Array<[number, WeakrefCallback]> | undefined): void {
    if (!(this.#type(object).flags & TypeFlags.Weakrefable)) return;
    for (let wr = this.#word(object, OB_WEAKLIST); wr !== 0; wr = this.#word(object, OB_WEAKLIST)) {
      const callback = this.rc.clearWeakref(wr);
      if (callback && callbacks && this.#marks.get(wr)) callbacks.push([wr, callback]);
    }
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
      const grown = new Int32Array(this.#stack.length * 2);
      grown.set(this.#stack);
      this.#stack = grown;
    }
    this.#stack[this.#top++] = object;
  }

  #top = 0;
  /** By type id: the traverse functions (derived from pointer maps where a type has no traverse). */
  #traverses: ReadonlyArray<Traverse> = [];

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
      if (typeId >= this.#traverses.length) this.#refreshTypes();
      this.#traverses[typeId]!(object, visit, 0);
    }
  }

  /** Rebuilds the traverse table when types were registered since the last build. */
  #refreshTypes(): void {
    if (this.#traverses.length !== this.space.types.all().length + 1) {
      this.#traverses = buildTypeTables(this.space).traverses;
    }
  }

  #word(object: number, offset: number): number {
    return this.space.memory.u32[(object + offset) >>> 2]!;
  }

  #type(object: number) {
    return this.space.types.get(this.#word(object, OB_TYPE));
  }
}

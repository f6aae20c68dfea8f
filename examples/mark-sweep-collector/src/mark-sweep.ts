// A plain mark-sweep collector, written only against the public exports of @mm/gen-gc, @mm/heap
// and @mm/refcount. No reference counts: a collection marks everything the roots reach, then
// handles what is left over as CPython's collectors do (legacy finalizers are uncollectable,
// weak references to the dead are cleared and the callbacks of live ones run, finalizers run
// once, a second mark keeps what they resurrected) and frees the rest. It has no generations:
// the gc module's generation questions get FlatCollector's zeros.

import { DebugFlags, FlatCollector, finalizedContainer, GarbageList } from "@mm/gen-gc";
import {
  checkSize,
  InvalidArgumentError,
  ObjectFlags,
  type ObjectSpace,
  type PointerMap,
  TypeFlags,
} from "@mm/heap";
import {
  type LifecycleHooks,
  RefCounter,
  type UnraisableHook,
  type WeakrefCallback,
  writeUnraisable,
} from "@mm/refcount";

/** What {@link MarkSweepCollector} takes. */
export interface MarkSweepOptions {
  /** Calls `visit` on every root. The only thing the collector must be told. */
  readonly roots: (visit: (object: number) => void) => void;
  /** The name reported. @defaultValue `"mark-sweep"` */
  readonly name?: string;
  /** tp_free: where a dead object's memory goes. @defaultValue `release` */
  readonly free?: (object: number) => void;
  /** Where exceptions from finalizers and weakref callbacks go. @defaultValue `writeUnraisable` */
  readonly unraisable?: UnraisableHook;
  /** Collect when this many bytes were allocated since the last collection. @defaultValue 4 MiB */
  readonly bytesBetweenCollections?: number;
  /** Called at the end of every collection to empty the embedder's free lists. */
  readonly clearFreeLists?: () => void;
  /** Passed to the reference counter (see `LifecycleHooks.clearingWeakrefs`). */
  readonly clearingWeakrefs?: LifecycleHooks["clearingWeakrefs"];
}

/**
 * Mark-sweep from the roots a callback gives, over any object space.
 *
 * @example
 * ```ts
 * const roots = new Set<number>();
 * const gc = new MarkSweepCollector(space, { roots: (visit) => roots.forEach(visit) });
 * const a = gc.allocate(node.id, 0);
 * roots.add(a);        // root it before the next allocation, which may collect
 * gc.collect();        // 0: a is reachable
 * roots.delete(a);
 * gc.collect();        // 1: a is swept
 * ```
 */
export class MarkSweepCollector extends FlatCollector {
  readonly rc: RefCounter;
  readonly space: ObjectSpace;
  readonly bytesBetweenCollections: number;
  readonly #roots: (visit: (object: number) => void) => void;
  readonly #free: (object: number) => void;
  readonly #clearFreeLists: (() => void) | undefined;
  readonly #unraisable: UnraisableHook;
  readonly #marks = new Set<number>();
  #allocatedSince = 0;
  #collecting = false;

  constructor(space: ObjectSpace, options: MarkSweepOptions) {
    if (typeof options?.roots !== "function") {
      throw new InvalidArgumentError("a mark-sweep collector needs a roots(visit) function");
    }
    const pacing = options.bytesBetweenCollections ?? 4 << 20;
    checkSize("bytesBetweenCollections", pacing);
    const unraisable = options.unraisable ?? writeUnraisable;
    super({
      name: options.name ?? "mark-sweep",
      capabilities: MARK_SWEEP_CAPABILITIES,
      // Without counts, holding an entry of gc.garbage is being listed; the list is a root.
      garbage: GarbageList.listing(space),
      unraisable,
    });
    this.space = space;
    this.bytesBetweenCollections = pacing;
    this.#roots = options.roots;
    this.#free = options.free ?? ((object) => this.release(object));
    this.#clearFreeLists = options.clearFreeLists;
    this.#unraisable = unraisable;
    // The counter is here for weak references and the finalized flag: nothing counts.
    this.rc = new RefCounter(space, {
      hooks: {
        free: this.#free,
        ...(options.clearingWeakrefs ? { clearingWeakrefs: options.clearingWeakrefs } : {}),
      },
      unraisable,
    });
  }

  /** Allocates, first collecting when the pacing budget is spent (and once more if memory is out). */
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

  isFinalized(object: number): boolean {
    return finalizedContainer(this.space, this.rc, object);
  }
  /** Nothing: no counts. */
  incref(): void {}
  /** Nothing: no counts. */
  decref(): void {}
  /** Frees an object's memory (the default `free`). */
  release(object: number): void {
    this.space.free(object);
  }

  /**
   * Marks from the roots and sweeps the rest; returns how many unreachable objects were found
   * (freed plus uncollectable), or 0 when a collection is already running.
   */
  collect(): number {
    if (this.#collecting) return 0;
    this.#collecting = true;
    try {
      return this.#collect();
    } finally {
      this.#marks.clear();
      this.#collecting = false;
    }
  }

  #collect(): number {
    const start = performance.now();
    const debug = this.state.debug;
    this.#marks.clear();
    this.#markFrom(this.#rootList());
    const dead: number[] = [];
    let examined = 0;
    for (const object of this.space.objects()) {
      examined++;
      if (!this.#marks.has(object) && !this.space.hasFlag(object, ObjectFlags.Immortal)) {
        dead.push(object);
      }
    }
    // A legacy finalizer and everything it reaches survive, in gc.garbage.
    const uncollectable: number[] = [];
    for (const object of dead) {
      if (!this.#marks.has(object) && this.#flags(object) & TypeFlags.LegacyFinalizer) {
        uncollectable.push(...this.#markFrom([object]));
      }
    }
    for (const object of uncollectable) {
      if (debug & DebugFlags.SaveAll || this.#flags(object) & TypeFlags.LegacyFinalizer) {
        this.garbage.append(object);
      }
    }
    const trash = dead.filter((object) => !this.#marks.has(object));
    // Weak references: clear those to the trash (and those that are trash), then run the
    // callbacks of the weak references that are not trash themselves.
    const callbacks: Array<[number, WeakrefCallback]> = [];
    for (const object of trash) this.#clearWeakrefs(object, callbacks);
    for (const [weakref, callback] of callbacks) {
      try {
        callback(weakref);
      } catch (error) {
        this.#unraisable(error, `weakref callback of ${weakref}`, weakref);
      }
    }
    if (debug & DebugFlags.SaveAll) {
      for (const object of trash) this.garbage.append(object);
      return this.#finish(start, examined, 0, uncollectable.length + trash.length);
    }
    // Finalizers once each; then a second mark keeps what they made reachable again.
    for (const object of trash) {
      if (this.space.typeOf(object).finalize && !this.rc.isFinalized(object)) {
        this.rc.finalize(object);
      }
    }
    this.#markFrom(this.#rootList());
    const swept = trash.filter((o) => !this.#marks.has(o) && this.space.isLive(o));
    // Weak references a finalizer made to the trash die without callbacks.
    for (const object of swept) this.#clearWeakrefs(object, undefined);
    for (const object of swept) this.#free(object);
    this.#clearFreeLists?.();
    return this.#finish(start, examined, swept.length, uncollectable.length);
  }

  #finish(start: number, examined: number, collected: number, uncollectable: number): number {
    this.#allocatedSince = 0;
    this.state.record({
      generation: 2,
      collected,
      uncollectable,
      examined,
      pauseMs: performance.now() - start,
      automatic: false,
    });
    return collected + uncollectable;
  }

  #rootList(): number[] {
    const roots: number[] = [];
    this.#roots((object) => roots.push(object));
    for (const object of this.garbage) roots.push(object);
    return roots;
  }

  /** Marks everything reachable from `from`; returns the objects newly marked. */
  #markFrom(from: readonly number[]): number[] {
    const marked: number[] = [];
    const stack: number[] = [];
    const push = (object: number) => {
      if (object !== 0 && !this.#marks.has(object)) {
        this.#marks.add(object);
        marked.push(object);
        stack.push(object);
      }
    };
    for (const object of from) push(object);
    while (stack.length > 0) {
      const object = stack.pop()!;
      if (this.space.typeOf(object).isGc) this.visitReferences(object, push);
    }
    return marked;
  }

  /**
   * Calls `visit` on every object `object` refers to: through its type's `traverse`, or its
   * pointer map when it has none.
   */
  protected visitReferences(object: number, visit: (ref: number) => void): void {
    const type = this.space.typeOf(object);
    if (type.traverse) {
      type.traverse(
        object,
        (ref) => {
          visit(ref);
          return 0;
        },
        0,
      );
      return;
    }
    if (type.pointers) this.visitPointerMap(object, type.pointers, visit);
  }

  /** Visits the slots a pointer map names: its fields, then its item run. */
  protected visitPointerMap(object: number, map: PointerMap, visit: (ref: number) => void): void {
    const u32 = this.space.memory.u32;
    for (const field of map.fields ?? []) visit(u32[(object + field) >>> 2]!);
    const items = map.items;
    if (!items) return;
    const base = items.block === undefined ? object : u32[(object + items.block) >>> 2]!;
    if (base === 0) return;
    const count = u32[((items.countInBlock ? base : object) + items.count) >>> 2]!;
    const stride = items.stride ?? 8;
    for (let i = 0, at = base + items.first; i < count; i++, at += stride) visit(u32[at >>> 2]!);
  }

  #clearWeakrefs(object: number, callbacks: Array<[number, WeakrefCallback]> | undefined): void {
    if (this.rc.isWeakref(object)) this.rc.clearWeakref(object);
    if (!(this.#flags(object) & TypeFlags.Weakrefable)) return;
    for (const weakref of this.rc.weakrefsTo(object)) {
      const callback = this.rc.clearWeakref(weakref);
      if (callback && callbacks && this.#marks.has(weakref)) callbacks.push([weakref, callback]);
    }
  }

  #flags(object: number): number {
    return this.space.typeOf(object).flags;
  }
}

/** What the mark-sweep collector does: no counts; cycles, finalizers and weakrefs from the roots. */
export const MARK_SWEEP_CAPABILITIES = Object.freeze({
  refcounts: false,
  roots: true,
  generational: false,
  collectsCycles: true,
  frees: true,
  finalizers: true,
  weakrefs: true,
});

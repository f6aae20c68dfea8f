// The two strategies without a collection algorithm: reference counting alone (acyclic garbage
// dies at once, cycles leak) and nothing at all (the baseline every comparison needs).

import type { ObjectSpace } from "@mm/heap";
import { type LifecycleHooks, RefCounter, type UnraisableHook } from "@mm/refcount";
import type { CollectorCapabilities } from "./collector.js";
import { FlatCollector, finalizedContainer } from "./flat.js";
import { GarbageList } from "./garbage.js";

/** What {@link CountingCollector} and {@link NoCollector} take. */
export interface FlatOptions {
  /** The name reported. @defaultValue `"refcount"` or `"none"` */
  readonly name?: string;
  /** tp_free: where a dead object's memory goes. @defaultValue `release` */
  readonly free?: (object: number) => void;
  /** Where exceptions from finalizers and callbacks go. */
  readonly unraisable?: UnraisableHook;
  /** Passed to the reference counter: see `LifecycleHooks.clearingWeakrefs`. */
  readonly clearingWeakrefs?: LifecycleHooks["clearingWeakrefs"];
}

/** What reference counting alone does: frees, finalizes, clears weakrefs; leaks cycles. */
export const COUNTING_CAPABILITIES: CollectorCapabilities = Object.freeze({
  refcounts: true,
  roots: false,
  generational: false,
  collectsCycles: false,
  frees: true,
  finalizers: true,
  weakrefs: true,
});

/** What the no-op strategy does: nothing. */
export const NO_CAPABILITIES: CollectorCapabilities = Object.freeze({
  refcounts: false,
  roots: false,
  generational: false,
  collectsCycles: false,
  frees: false,
  finalizers: false,
  weakrefs: false,
});

/**
 * Reference counting without a cycle collector: `collect` finds nothing, cycles leak.
 *
 * @example
 * ```ts
 * const strategy = new CountingCollector(space);
 * const a = strategy.allocate(node.id, 0);
 * strategy.decref(a);       // count 0: freed at once
 * ```
 */
export class CountingCollector extends FlatCollector {
  /** The reference counter that frees objects at zero. */
  readonly rc: RefCounter;
  readonly #space: ObjectSpace;

  constructor(space: ObjectSpace, options: FlatOptions = {}) {
    const rc = new RefCounter(space, {
      hooks: {
        ...(options.free ? { free: options.free } : {}),
        ...(options.clearingWeakrefs ? { clearingWeakrefs: options.clearingWeakrefs } : {}),
      },
      ...(options.unraisable ? { unraisable: options.unraisable } : {}),
    });
    // Never filled by a collector (there is none); what is appended is held by a reference.
    super({
      name: options.name ?? "refcount",
      capabilities: COUNTING_CAPABILITIES,
      garbage: GarbageList.counting(rc),
      ...(options.unraisable ? { unraisable: options.unraisable } : {}),
    });
    this.rc = rc;
    this.#space = space;
  }

  allocate(typeId: number, items = 0): number {
    return this.#space.allocate(typeId, items);
  }
  isFinalized(object: number): boolean {
    return finalizedContainer(this.#space, this.rc, object);
  }
  incref(object: number): void {
    this.rc.incref(object);
  }
  decref(object: number): void {
    this.rc.decref(object);
  }
  release(object: number): void {
    this.#space.free(object);
  }
  /** Finds nothing: counting frees what it can as it goes, and cycles are never found. */
  collect(): number {
    return 0;
  }
}

/**
 * Nothing is ever freed: no counts, no collections. Its reference counter exists for weak
 * references only.
 *
 * @example
 * ```ts
 * const strategy = new NoCollector(space);
 * const a = strategy.allocate(node.id, 0);
 * strategy.decref(a);       // nothing: a lives for ever
 * ```
 */
export class NoCollector extends FlatCollector {
  /** A reference counter for weak references only: nothing counts. */
  readonly rc: RefCounter;
  readonly #space: ObjectSpace;

  constructor(space: ObjectSpace, options: FlatOptions = {}) {
    // Nothing is counted, so holding an entry of gc.garbage is being listed.
    super({
      name: options.name ?? "none",
      capabilities: NO_CAPABILITIES,
      garbage: GarbageList.listing(space),
      ...(options.unraisable ? { unraisable: options.unraisable } : {}),
    });
    this.rc = new RefCounter(space, options.unraisable ? { unraisable: options.unraisable } : {});
    this.#space = space;
  }

  allocate(typeId: number, items = 0): number {
    return this.#space.allocate(typeId, items);
  }
  isFinalized(_object: number): boolean {
    return false;
  }
  incref(_object: number): void {}
  decref(_object: number): void {}
  release(_object: number): void {}
  collect(): number {
    return 0;
  }
}

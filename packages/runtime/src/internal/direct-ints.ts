// The direct path of ints and floats: under the built-in reference-counting collectors, an int
// beyond the small-int cache (a float) is made by its kind straight from the object space (the
// float free list), and its last reference frees it straight back, without the object layer's, the strategy's and the reference
// counter's calls in between. The blocks, headers, counts, tracemalloc's traces and the
// allocator's state are the same as on the layered path; the path is taken only while nothing
// observes the runtime and the reference counter would free the int at once (not deferred by
// the trashcan).

import { type Collector, CountingCollector, GenerationalCollector } from "@mm/gen-gc";
import { OB_FLAGS, OB_REFCNT, OB_TYPE, OB_WEAKLIST, ObjectFlags, type ObjectSpace } from "@mm/heap";
import { RefCounter } from "@mm/refcount";
import type { ResolvedConfig } from "../config.js";
import type { FloatKind } from "../objects/float.js";
import type { IntKind } from "../objects/int.js";
import { isBuiltinCountingCollector } from "../registry.js";

/**
 * Whether `strategy`'s incref and decref are the reference counter's own and nothing more: a
 * built-in counting collector (not a subclass that overrides them, nor an instance given other
 * functions) over an unmodified {@link RefCounter}. Then the count word is the whole of an
 * incref, and of a decref that does not reach zero, so a caller may change it in place.
 */
export function countsDirectly(strategy: Collector): boolean {
  const rc: unknown = strategy.rc;
  const counting =
    (strategy instanceof GenerationalCollector &&
      strategy.incref === GenerationalCollector.prototype.incref &&
      strategy.decref === GenerationalCollector.prototype.decref) ||
    (strategy instanceof CountingCollector &&
      strategy.incref === CountingCollector.prototype.incref &&
      strategy.decref === CountingCollector.prototype.decref);
  return (
    counting &&
    rc instanceof RefCounter &&
    rc.incref === RefCounter.prototype.incref &&
    rc.decref === RefCounter.prototype.decref
  );
}

/**
 * Whether ints may take the direct path: under the built-in `cpython` and `refcount`
 * collectors, whose counts may change in place ({@link countsDirectly}), whose allocation of a
 * non-container is the object space's `allocate`, whose free hook is the object layer's and
 * whose release of an int is the object space's `freeAs` (`allocate` and `release` not replaced
 * by a subclass). The allocator may be any: the direct path calls the object space, which calls
 * it as the layered path does.
 */
export function directIntsAllowed(config: ResolvedConfig, strategy: Collector): boolean {
  return (
    countsDirectly(strategy) &&
    isBuiltinCountingCollector(config.collectorDefinition) &&
    (strategy.allocate === GenerationalCollector.prototype.allocate ||
      strategy.allocate === CountingCollector.prototype.allocate) &&
    (strategy.release === GenerationalCollector.prototype.release ||
      strategy.release === CountingCollector.prototype.release)
  );
}

/**
 * Whether `strategy`'s `releaseAs` of an object that is on no collector list is the object
 * space's `freeAs` and nothing more: the built-in generational collector's own `release` and
 * `releaseAs` (not a subclass's, nor an instance's own functions), which untrack a tracked
 * object first and leave the rest to the space.
 */
export function releasesUntrackedToSpace(strategy: Collector): boolean {
  return (
    strategy instanceof GenerationalCollector &&
    strategy.release === GenerationalCollector.prototype.release &&
    strategy.releaseAs === GenerationalCollector.prototype.releaseAs
  );
}

/**
 * The direct path of ints and floats, for a runtime where {@link directIntsAllowed} holds: the
 * int and float kinds make them straight from the object space (and the float free list), and
 * the last reference to one (not an instance of a subclass) frees it straight back, while no
 * observer is added and the reference counter is not deep enough in deallocations to defer the
 * death. Anything else goes to the object layer and the strategy, which raises their errors and
 * runs deallocations in CPython's order.
 */
export class DirectPath {
  readonly #space: ObjectSpace;
  readonly #strategy: Collector;
  readonly #rc: RefCounter;
  readonly #observers: { readonly active: boolean };
  readonly #ints: IntKind;
  readonly #floats: FloatKind;
  readonly #intType: number;
  readonly #floatType: number;

  constructor(
    space: ObjectSpace,
    strategy: Collector,
    observers: { readonly active: boolean },
    ints: IntKind,
    floats: FloatKind,
  ) {
    this.#space = space;
    this.#strategy = strategy;
    this.#rc = strategy.rc;
    this.#observers = observers;
    this.#ints = ints;
    this.#floats = floats;
    this.#intType = ints.type.id;
    this.#floatType = floats.type.id;
  }

  /** Whether an observer is added (the direct path is not taken then). */
  get observed(): boolean {
    return this.#observers.active;
  }

  /** A new int of a safe integer value (the small-int cache's object for −5..256). */
  int(value: number): number {
    return this.#ints.createDirect(value, 2);
  }

  /** {@link int} in `PyLong_FromSsize_t`'s form: exactly the digits the value needs. */
  intExact(value: number): number {
    return this.#ints.createDirect(value, value < 0x4000_0000 && value > -0x4000_0000 ? 1 : 2);
  }

  /** A new float (from the free list when it has one). */
  float(value: number): number {
    return this.#floats.createDirect(value);
  }

  /**
   * Py_INCREF: one add on the count word of a live object, nothing for an immortal one; a
   * count of 0 or at its maximum (and anything not live) goes to the strategy, which raises
   * its error.
   */
  incref(o: number): void {
    const space = this.#space;
    if (space.isLive(o)) {
      const u32 = space.memory.u32;
      if ((u32[(o + OB_FLAGS) >>> 2]! & ObjectFlags.Immortal) !== 0) return;
      const i = (o + OB_REFCNT) >>> 2;
      const count = u32[i]!;
      if (count !== 0 && count !== 0xffff_ffff) {
        u32[i] = count + 1;
        return;
      }
    }
    this.#strategy.incref(o);
  }

  /**
   * Py_DECREF: a count above 1 is one subtract on the count word, the last reference to an int
   * or a float frees it here when it may ({@link releaseLast}); anything else is the strategy's.
   */
  decref(o: number): void {
    const space = this.#space;
    if (space.isLive(o)) {
      const u32 = space.memory.u32;
      const i = (o + OB_REFCNT) >>> 2;
      const count = u32[i]!;
      const flags = u32[(o + OB_FLAGS) >>> 2]!;
      if ((flags & ObjectFlags.Immortal) === 0) {
        if (count > 1) {
          u32[i] = count - 1;
          return;
        }
        if (count === 1 && this.releaseLast(u32, o)) return;
      }
      // A live object's last reference, or an immortal one: the strategy's decref is the
      // counter's (the path exists only where countsDirectly held), called without the hop.
      this.#rc.decref(o);
      return;
    }
    this.#strategy.decref(o);
  }

  /**
   * Drops the last reference to `o` (live, mortal, count 1) and frees it, if it is an int or a
   * float (not a subclass's instance) that has no weak reference, nobody observes, and the
   * reference counter would not defer its death; returns whether it did. Otherwise nothing
   * changes and the caller goes to the strategy.
   */
  releaseLast(u32: Uint32Array, o: number): boolean {
    const type = u32[(o + OB_TYPE) >>> 2];
    if (type !== this.#intType && type !== this.#floatType) return false;
    const rc = this.#rc;
    if (
      u32[(o + OB_WEAKLIST) >>> 2] !== 0 ||
      this.#observers.active ||
      rc.depth >= rc.trashcanDepth
    )
      return false;
    u32[(o + OB_REFCNT) >>> 2] = 0;
    if (type === this.#intType) this.#ints.releaseDirect(o);
    else this.#floats.releaseDirect(o);
    return true;
  }

  /**
   * {@link releaseLast} of `o` whose count the caller has already set to 0, with fewer
   * deallocations on the stack than the trashcan defers at (the release kernel's death of a
   * referent): frees it if it is an int or a float (not a subclass's instance) that has no weak
   * reference and nobody observes; returns whether it did. Otherwise nothing changes and the
   * caller deallocates it by the counter's own path.
   */
  releaseDead(o: number): boolean {
    const u32 = this.#space.memory.u32;
    const type = u32[(o + OB_TYPE) >>> 2];
    if (type === this.#intType) {
      if (u32[(o + OB_WEAKLIST) >>> 2] !== 0 || this.#observers.active) return false;
      this.#ints.releaseDirect(o);
      return true;
    }
    if (type === this.#floatType) {
      if (u32[(o + OB_WEAKLIST) >>> 2] !== 0 || this.#observers.active) return false;
      this.#floats.releaseDirect(o);
      return true;
    }
    return false;
  }
}

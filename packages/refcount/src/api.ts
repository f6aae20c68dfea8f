// Options and hooks of the reference counter: how it allocates and frees objects, and how a
// collector is told about deaths, so that reference counting works with any object model.

import type { TypeDescriptor } from "@mm/heap";

/**
 * What a collector or runtime plugs into deallocation. Every hook is optional; without them the
 * counter allocates and frees through its `ObjectSpace`.
 */
export interface LifecycleHooks {
  /**
   * Allocates an object of `typeId` (the counter allocates weak reference objects through it).
   * Returns 0 when memory is exhausted. A collector counts the allocation here and tracks it.
   */
  readonly allocate?: (typeId: number, items: number) => number;
  /** Called when deallocation starts, before anything else (CPython untracks first). */
  readonly untrack?: (object: number) => void;
  /**
   * Whether `untrack` does only this: if the object has a GC head that is linked into a list,
   * unlink it, zero its `gc_next` and clear its collection marks (`ObjectFlags.Collecting` and
   * `Unreachable`). The counter then does that itself, without the call, for the objects it
   * releases in place (a type's `release: "fields"`). With no `untrack` hook at all it does so
   * too, since nothing else will unlink them; only with an `untrack` hook and this flag unset are
   * such objects released through steps 1 to 6.
   * @defaultValue `false`
   */
  readonly untrackUnlinksOnly?: boolean;
  /** Called before a finalizer runs during deallocation, so that a resurrected object is tracked. */
  readonly track?: (object: number) => void;
  /**
   * Frees an object whose references are released: to its free list or its allocator. `type`
   * is the object's type, which the counter has already read (a hook can hand it to
   * `ObjectSpace.freeAs` instead of looking it up again). Without it the counter frees to the
   * object space.
   */
  readonly free?: (object: number, type: TypeDescriptor) => void;
  /**
   * Called when two or more weak references to a dying object are about to be cleared. CPython
   * packs them and their callbacks into a temporary tuple of `2 * count` items there, a GC
   * allocation that the gen-0 count sees; a runtime that models counts allocates it here and
   * returns a function that releases it once the callbacks have run.
   */
  readonly clearingWeakrefs?: (count: number) => (() => void) | undefined;
}

/** Reports an exception that cannot be raised (a finalizer's, a weakref callback's). */
export type UnraisableHook = (error: unknown, where: string, object: number) => void;

/** A weak reference's callback: called with the weak reference object after its target died. */
export type WeakrefCallback = (weakref: number) => void;

/** Options of {@link RefCounter}. */
export interface RefCounterOptions {
  /** Deallocation hooks. */
  readonly hooks?: LifecycleHooks;
  /**
   * Where exceptions from finalizers and weakref callbacks go; the other callbacks still run.
   * @defaultValue writes `Exception ignored in: …` and the error to `console.error`, as
   * CPython's `PyErr_WriteUnraisable` does
   */
  readonly unraisable?: UnraisableHook;
  /**
   * How many deallocations may nest before further ones are deferred (CPython's
   * `_PyTrash_UNWIND_LEVEL`).
   * @defaultValue `50`
   */
  readonly trashcanDepth?: number;
}

/**
 * What a release written outside the counter (a WebAssembly module over the heap's memory) needs
 * to take over the counter's in-place deaths (`RefCounter.inPlaceRelease`). Once its
 * {@link InPlaceReleaseAccess.kernel} is set, every death the counter would release in place
 * (the type's `release` is `"fields"` or `"pointers"`, no weak references, below the trashcan's
 * depth) and whose object holds something to drop (not an empty list, say: the counter's own
 * loops release that one, and the kernel's deaths of such referents are its own) calls it
 * instead, after the count reached zero; it must do what the counter's loops
 * do, in their order: unlink the object from its GC list, drop its fields and items (each slot
 * zeroed first; a referent's death handled the same way, or by
 * {@link InPlaceReleaseAccess.deallocateByModel} when it is no in-place death), then
 * {@link InPlaceReleaseAccess.free} it.
 */
export interface InPlaceReleaseAccess {
  /** The release that takes over the in-place deaths, or undefined (the counter's own loops). */
  kernel: ((object: number, flags: number, depth: number) => void) | undefined;
  /** Deallocations may nest this deep; a death at this depth goes to `deallocateByModel`. */
  readonly trashcanDepth: number;
  /** The `ob_flags` bits of the deaths that are released in place (0: none is). */
  readonly inPlaceMask: number;
  /**
   * The counter's table of releases, as last built (a type registered since has no record: its
   * deaths must go to {@link InPlaceReleaseAccess.releaseBody}, which rebuilds it): by type id,
   * sixteen int32s (the field count, the first two field offsets, where the others start in
   * {@link InPlaceReleaseAccess.more}, the release (1 fields, 2 pointers), the item run's mode
   * bits (1 present, 2 in a block, 4 count in the block, 8 last to first), its count's, block's
   * and first item's offsets, its stride, and whether the object may hold nothing: -1 never
   * anything, the block's offset plus one, or 0). A new array each time it is rebuilt.
   */
  readonly records: Int32Array;
  /** The offsets of the fields past each type's second, where its record says. */
  readonly more: Int32Array;
  /** The counter's deallocation (untrack, trashcan, finalizer, weak references, dealloc, free). */
  deallocateByModel(object: number, depth: number): void;
  /** The counter's drops of an in-place death, `object` already unlinked, without the free. */
  releaseBody(object: number, flags: number, depth: number): void;
  /** The free that ends an in-place death (the counter's free hook, or its object space). */
  free(object: number): void;
  /**
   * The counter's free hook by object, when it has one (`RefCounter.setFreeHook`): what
   * {@link InPlaceReleaseAccess.free} calls, which a caller may call itself instead. It changes
   * when the hook is set again.
   */
  readonly freeByObject: ((object: number) => void) | undefined;
  /** Throws the counter's error for a count that would go below zero. */
  underflow(object: number): never;
  /**
   * The release that takes over {@link RefCounter.decrefRun}, or undefined (the counter's own
   * loop): called with the run (its first slot's address, its length, the bytes between two
   * slots) and the deallocations now on the stack, it must drop the run's references from the
   * last to the first, exactly as `decref` of each would (a slot holding 0 skipped), draining
   * the trashcan's deferred deaths after each drop made at depth 0 ({@link drainDeferred}).
   */
  run: ((first: number, count: number, stride: number, depth: number) => void) | undefined;
  /**
   * The release that takes over {@link RefCounter.decrefEntries}, or undefined (the counter's
   * own loop): called with the entries (the first one's address, their count, the bytes
   * between two, the bytes from an entry's first slot to its second) and the deallocations now
   * on the stack, it must drop each entry's two references, first to last and the first slot's
   * before the second's, exactly as `decref` of each would (a slot holding 0 skipped), draining
   * the trashcan's deferred deaths after each drop made at depth 0 ({@link drainDeferred}).
   */
  entries:
    | ((first: number, count: number, stride: number, gap: number, depth: number) => void)
    | undefined;
  /** Deaths the trashcan deferred that wait for the outermost deallocation to end. */
  readonly deferredDeaths: number;
  /** Runs the deferred deaths, as `decref` does when a death at depth 0 leaves some behind. */
  drainDeferred(): void;
}

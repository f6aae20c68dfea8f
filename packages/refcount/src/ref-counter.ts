// Reference counting with CPython's deallocation order. When a count reaches zero:
//
//   1. the collector is told (untrack), as `PyObject_GC_UnTrack` opens every GC dealloc;
//   2. past 50 nested deallocations the object is deferred (the trashcan) and its destruction
//      resumes when the outermost deallocation returns, so no chain is deep enough to overflow
//      the JavaScript stack and the total work stays linear;
//   3. its finalizer runs once (PEP 442) with the count held at 1; if the count is still above
//      zero afterwards the object was resurrected and lives on, never to be finalized again;
//   4. the weak references to it are cleared, then their callbacks run in list order;
//   5. its type's `dealloc` drops the references it holds (which may cascade, back to step 1);
//   6. its memory is freed (to a free list or the allocator).
//
// An object whose type declares `release: "fields"` (CPython's subtype_dealloc for a class
// with __slots__) and has no finalizer, and that has no weak references, goes through the same
// steps in place: untrack, drop each pointer field, free, as plain typed-array code with no call
// into the model. The pointer map is the type's promise that its fields hold 0 or live objects,
// so the references it finds there are dropped without checking each address again.

import {
  GC_NEXT,
  hex,
  InvalidArgumentError,
  OB_FLAGS,
  OB_REFCNT,
  OB_TYPE,
  OB_WEAKLIST,
  ObjectFlags,
  type ObjectSpace,
  type TypeDescriptor,
  TypeFlags,
} from "@mm/heap";
import type {
  InPlaceReleaseAccess,
  LifecycleHooks,
  RefCounterOptions,
  UnraisableHook,
  WeakrefCallback,
} from "./api.js";
import { WeakrefTypeError } from "./errors.js";
import {
  deallocate,
  dropField,
  FieldRelease,
  fail,
  freeReleased,
  releaseBody,
  releaseClosedList,
  releaseFields,
  unlink,
} from "./field-release.js";
import { OwnedRef } from "./owned-ref.js";

/** Offsets inside a weak reference object (CPython's `PyWeakReference`, 64 bytes). */
export const WeakrefLayout = {
  /** The referent, or 0 once it is dead (CPython stores None). */
  object: 16,
  /** The callback's slot in the counter's callback table (1-based), or 0. */
  callback: 24,
  /** The cached hash (unused here, kept for the size). */
  hash: 32,
  /** The previous weak reference to the same referent. */
  prev: 40,
  /** The next weak reference to the same referent. */
  next: 48,
  /** Bytes of a weak reference object: `sys.getsizeof` adds the 16-byte GC head, giving 80. */
  size: 64,
} as const;

// The numbers of the hot paths (incref, decref, the deallocation step), written in place by
// every compiler: in V8 a module constant or an imported one is a load and a check on every
// use. Each equals the @mm/heap constant it stands for, which the module checks when it loads.

/** Header offsets (@mm/heap's `GC_NEXT` and `OB_*`). */
// biome-ignore lint/suspicious/noConstEnum: local to this module, so every compiler inlines it.
const enum Off {
  GcNext = -16,
  Refcnt = 0,
  Flags = 4,
  Type = 8,
  Weaklist = 12,
}

/** Bits of `ob_flags` (@mm/heap's `ObjectFlags`). */
// biome-ignore lint/suspicious/noConstEnum: local to this module, so every compiler inlines it.
const enum Flag {
  Immortal = 1,
  Finalized = 2,
  ReleasesFields = 32,
  ReleasesPointers = 64,
}

if (
  Off.GcNext !== GC_NEXT ||
  Off.Refcnt !== OB_REFCNT ||
  Off.Flags !== OB_FLAGS ||
  Off.Type !== OB_TYPE ||
  Off.Weaklist !== OB_WEAKLIST ||
  Flag.Immortal !== ObjectFlags.Immortal ||
  Flag.Finalized !== ObjectFlags.Finalized ||
  Flag.ReleasesFields !== ObjectFlags.ReleasesFields ||
  Flag.ReleasesPointers !== ObjectFlags.ReleasesPointers
) {
  throw new Error("refcount was built with header constants that are not @mm/heap's");
}

/** The largest count (`ob_refcnt` is 32 bits here). */
const MAX_COUNT = 0xffff_ffff;

/**
 * The default {@link UnraisableHook}, as CPython's `PyErr_WriteUnraisable`: writes
 * `Exception ignored in: <where>` and the error to `console.error`.
 */
export function writeUnraisable(error: unknown, where: string): void {
  console.error(`Exception ignored in: ${where}`);
  console.error(error);
}

/**
 * Reference counting over an {@link ObjectSpace}: `incref`, `decref`, finalizers, weak
 * references and immortal objects. One counter per object space.
 *
 * @example
 * ```ts
 * const rc = new RefCounter(space);
 * const o = space.allocate(node.id);   // count 1, owned by the caller
 * rc.incref(o);                        // 2
 * rc.decref(o);                        // 1
 * rc.decref(o);                        // 0: finalized, weakrefs cleared, children released, freed
 * ```
 */
export class RefCounter {
  readonly space: ObjectSpace;
  /** The type of weak reference objects, registered by this counter. */
  readonly weakrefType: TypeDescriptor;
  readonly trashcanDepth: number;
  readonly #hooks: LifecycleHooks;
  /** The hooks of the deallocation path, read once (they are called for every death). */
  readonly #untrack: ((object: number) => void) | undefined;
  /**
   * Whether the `untrack` hook only unlinks (`untrackUnlinksOnly`): the counter then unlinks a
   * dying object itself, without a call per death.
   */
  readonly #unlinkOnly: boolean;
  /** The `free` hook, if any ({@link RefCounter.freeHook}: replaceable). */
  #free: ((object: number, type: TypeDescriptor) => void) | undefined;
  /** The in-place release of objects whose type has `release: "fields"`. */
  readonly #release: FieldRelease;
  readonly #unraisable: UnraisableHook;
  /** Deallocations now nested on the stack. */
  #depth = 0;
  /** Objects whose destruction was deferred by the trashcan (LIFO, as CPython's chain). */
  readonly #deferred: number[] = [];
  /** Weakref callbacks by slot (slot 0 is never used). */
  readonly #callbacks: Array<WeakrefCallback | undefined> = [undefined];
  readonly #freeCallbackSlots: number[] = [];
  /** 1 at the type id of each subtype of weakref ({@link RefCounter.adoptWeakrefSubtype}). */
  readonly #weakrefSubtypes: number[] = [];

  constructor(space: ObjectSpace, options: RefCounterOptions = {}) {
    const depth = options.trashcanDepth ?? 50;
    if (!Number.isInteger(depth) || depth < 1) {
      throw new InvalidArgumentError(`trashcanDepth must be a positive integer, got ${depth}`);
    }
    if (space.types.byName("weakref")) {
      throw new InvalidArgumentError(
        "the object space already has a 'weakref' type: an object space takes one RefCounter",
      );
    }
    this.space = space;
    this.trashcanDepth = depth;
    this.#hooks = options.hooks ?? {};
    this.#untrack = this.#hooks.untrack;
    this.#unlinkOnly = this.#untrack !== undefined && this.#hooks.untrackUnlinksOnly === true;
    this.#free = this.#hooks.free;
    this.#unraisable = options.unraisable ?? writeUnraisable;
    this.#release = new FieldRelease(
      space,
      depth,
      this.#hooks.untrackUnlinksOnly === true || !this.#untrack,
      this.#free,
      (object, nesting) => this.#deallocateByModel(object, nesting),
      this.#deferred,
      () => this.#drain(),
    );
    this.weakrefType = space.types.register({
      name: "weakref",
      basicSize: WeakrefLayout.size,
      flags: TypeFlags.Gc,
      // The callback is a JavaScript function, not a heap object: there is nothing to visit.
      traverse: () => 0,
      clear: (wr) => this.#unlinkWeakref(wr),
      dealloc: (wr) => this.#unlinkWeakref(wr),
    });
  }

  /**
   * The `free` hook deaths end with (`LifecycleHooks.free`), or undefined when the counter frees
   * to its object space. Setting it replaces the hook for every later death, those of a
   * deallocation already under way included: an embedder that made the counter before the
   * function its hook forwards to, or that swaps between a plain and an observed free, hands
   * the function over itself and saves a call per death. The hook must free as the one it
   * replaces does (the counter cannot tell), and a counter without a hook cannot be given one:
   * its closed-list release ({@link RefCounter.freeClosedList}) relies on there being none.
   * @throws InvalidArgumentError when `free` is not a function, or the counter has no hook.
   */
  get freeHook(): ((object: number, type: TypeDescriptor) => void) | undefined {
    return this.#free;
  }

  set freeHook(free: (object: number, type: TypeDescriptor) => void) {
    if (typeof free !== "function") {
      throw new InvalidArgumentError("freeHook must be a function (object, type) => void");
    }
    if (this.#free === undefined) {
      throw new InvalidArgumentError(
        "freeHook: this counter frees to its object space, without a hook to replace",
      );
    }
    this.#free = free;
    this.#release.free = free;
    this.#release.freeObject = undefined;
  }

  /**
   * Sets {@link freeHook} to `free`, and `byObject`, the same function called with the object
   * alone, for the deaths the counter releases in place: a hook that reads the object's type
   * itself then costs no type look-up per death. The two must free alike (the counter cannot
   * tell); `byObject` is dropped again by the next assignment to {@link freeHook}.
   * @throws InvalidArgumentError when either is not a function, or the counter has no hook.
   */
  setFreeHook(
    free: (object: number, type: TypeDescriptor) => void,
    byObject: (object: number) => void,
  ): void {
    if (typeof byObject !== "function") {
      throw new InvalidArgumentError("setFreeHook: byObject must be a function (object) => void");
    }
    this.freeHook = free;
    this.#release.freeObject = byObject;
  }

  /**
   * Deallocations now nested on the stack: 0 outside any, and a death at `trashcanDepth` or
   * deeper is deferred to the outermost one (the trashcan). A caller that frees an object
   * itself, as the counter would at zero, frees it at once only while this is below
   * `trashcanDepth`.
   */
  get depth(): number {
    return this.#depth;
  }

  /** Adds a reference to `object`. Immortal objects are left alone. */
  incref(object: number): void {
    if (!this.space.isLive(object)) this.space.check(object, "incref");
    const u32 = this.space.memory.u32;
    const i = object >>> 2;
    if (u32[i + 1]! & Flag.Immortal) return;
    const count = u32[i]!;
    if (count === 0) fail(this.space, "dead", object);
    if (count === MAX_COUNT) fail(this.space, "overflow", object);
    u32[i] = count + 1;
  }

  /** Drops a reference to `object`; at zero the object is destroyed in CPython's order. */
  decref(object: number): void {
    const space = this.space;
    if (!space.isLive(object)) space.check(object, "decref");
    const u32 = space.memory.u32;
    const i = object >>> 2;
    const flags = u32[i + 1]!;
    if (flags & Flag.Immortal) return;
    const count = u32[i]!;
    if (count > 1) {
      u32[i] = count - 1;
      return;
    }
    if (count === 0) fail(space, "underflow", object);
    u32[i] = 0;
    const depth = this.#depth;
    if ((flags & (Flag.ReleasesFields | Flag.ReleasesPointers)) !== 0) {
      deallocate(this.#release, u32, object, flags, depth);
    } else {
      // Deallocation, inline: this is the path a long chain of model objects recurses through.
      if (this.#unlinkOnly) unlink(u32, object, flags);
      else this.#untrack?.(object);
      if (depth >= this.trashcanDepth) {
        this.#deferred.push(object);
        return;
      }
      this.#depth = depth + 1;
      this.#destroy(object);
      this.#depth = depth;
    }
    if (depth === 0 && this.#deferred.length > 0) this.#drain();
  }

  /**
   * Drops each pointer field of `object`, whose type has `release: "fields"`, in order: the
   * slot is zeroed, then what it held loses a reference (CPython's `subtype_clear`). This is
   * the `clear` a collector calls for such a type.
   * @throws InvalidAddressError when `object` is not live.
   * @throws InvalidArgumentError when its type does not release its fields.
   */
  clearFields(object: number): void {
    if (!this.space.isLive(object)) this.space.check(object, "access");
    const u32 = this.space.memory.u32;
    if (!this.#release.releasesFields(u32, object)) {
      const type = this.#liveType(object, "access");
      throw new InvalidArgumentError(
        `clearFields(${hex(object)}): ${type.name} does not have release "fields"`,
      );
    }
    releaseFields(this.#release, u32, object, this.#depth);
  }

  /**
   * delete_garbage's step for the objects of a GC list whose types have `release: "fields"`:
   * while the list's first object is one of them, holds a reference to it, drops its fields and
   * drops that reference (CPython's `Py_INCREF(op); tp_clear(op); Py_DECREF(op)`), which frees
   * it, and what only it kept alive, unless something else still refers to it. An exception
   * from a death the clear causes goes to the unraisable hook, as CPython reports one from
   * `tp_clear`. Stops at the first object of another type, at one that outlives its clear (it is
   * still first), or when the list is empty.
   * @param head a list head, as a collector's lists have (`gc_next` at `head - 16`).
   * @returns the object it stopped at, or `head` when the list is empty.
   * @throws InvalidAddressError when the first object is not live.
   */
  clearList(head: number): number {
    const release = this.#release;
    let u32 = this.space.memory.u32;
    for (let first = u32[(head + Off.GcNext) >>> 2]!; first !== head; ) {
      const i = first >>> 2;
      // The common case in one test; the rest (a bad address, another type, an immortal or
      // saturated count) out of line.
      if (
        !this.space.isLive(first) ||
        !release.releasesFields(u32, first) ||
        (u32[i + 1]! & Flag.Immortal) !== 0 ||
        u32[i] === MAX_COUNT
      ) {
        if (!this.#clearUnusual(first)) return first;
      } else {
        u32[i]! += 1;
        this.#clearHeld(u32, first);
        u32 = this.space.memory.u32;
        const depth = this.#depth;
        dropField(release, u32, first, depth);
        if (depth === 0 && this.#deferred.length > 0) this.#drain();
      }
      u32 = this.space.memory.u32;
      const next = u32[(head + Off.GcNext) >>> 2]!;
      if (next === first) return first;
      first = next;
    }
    return head;
  }

  /**
   * delete_garbage's shortcut for a list of garbage that only refers to itself: frees every
   * object of the GC list `head` in one pass, without clearing them one by one, when the list
   * qualifies, and returns whether it did. It qualifies when each object is live, releases its
   * fields in place (`ObjectFlags.ReleasesFields`), has no weak references and is not immortal,
   * when each pointer field holds 0 or an object of the same list, and when the counts add up
   * to exactly the fields that are not 0, so that nothing outside the list refers into it. The
   * deaths of such objects run no code and drop no reference outside the list, so only the
   * order in which the allocator gets their blocks back differs from clearing them one by one
   * (list order here, the order their counts reach zero there). A counter with a `free` hook,
   * or an `untrack` hook without `untrackUnlinksOnly`, always declines. The whole list is
   * checked before anything is written: a list that does not qualify is left as it was.
   * @param head a list head, as a collector's lists have (`gc_next` at `head - 16`).
   * @returns whether the list was freed (and is now empty).
   */
  freeClosedList(head: number): boolean {
    return releaseClosedList(this.#release, head);
  }

  /** The clear of {@link clearList}: an exception goes to the unraisable hook. */
  #clearHeld(u32: Uint32Array, object: number): void {
    const depth = this.#depth;
    try {
      releaseFields(this.#release, u32, object, depth);
    } catch (error) {
      // A death that threw left the nesting raised: the clear goes on from where it started.
      this.#depth = depth;
      const type = this.space.types.find(this.space.memory.u32[(object + Off.Type) >>> 2]!);
      this.#unraisable(error, `in tp_clear of ${type?.name ?? "unknown"}`, object);
    }
  }

  /**
   * {@link clearList}'s step for a first object off its common case: checks the address, and
   * clears an immortal object (which keeps its count) or one of another type not at all.
   * @returns whether it cleared the object.
   */
  #clearUnusual(object: number): boolean {
    const type = this.#liveType(object, "access");
    if (type.release !== "fields") return false;
    const u32 = this.space.memory.u32;
    if ((u32[(object + Off.Flags) >>> 2]! & Flag.Immortal) !== 0) {
      this.#clearHeld(u32, object);
      return true;
    }
    this.incref(object);
    this.#clearHeld(u32, object);
    this.decref(object);
    return true;
  }

  /**
   * Whether objects whose type has `release: "pointers"` are released in place (the default):
   * their fields and items dropped by the counter's own loops, without a call to the type's
   * `dealloc`. Turned off, every such death calls `dealloc`, which drops the same references in
   * the same order: the reference that the in-place release is checked against.
   */
  get releasePointersInPlace(): boolean {
    return (this.#release.inPlace & Flag.ReleasesPointers) !== 0;
  }

  set releasePointersInPlace(on: boolean) {
    this.#release.setInPlace(Flag.ReleasesFields | (on ? Flag.ReleasesPointers : 0));
  }

  /**
   * The in-place release's table and steps, for a release written elsewhere that takes over
   * its deaths (see {@link InPlaceReleaseAccess}); one object per counter.
   */
  get inPlaceRelease(): InPlaceReleaseAccess {
    if (this.#access === undefined) {
      const r = this.#release;
      const space = this.space;
      const counter = this;
      this.#access = {
        get kernel() {
          return r.kernel;
        },
        set kernel(kernel) {
          if (kernel !== undefined && typeof kernel !== "function") {
            throw new InvalidArgumentError("inPlaceRelease.kernel must be a function or undefined");
          }
          r.kernel = kernel;
        },
        trashcanDepth: this.trashcanDepth,
        get inPlaceMask() {
          return r.inPlaceMask;
        },
        get records() {
          if (r.recordsEnd === 0) r.rebuild();
          return r.records;
        },
        get more() {
          return r.more;
        },
        deallocateByModel: (object, depth) => r.byModel(object, depth),
        releaseBody: (object, flags, depth) => releaseBody(r, object, flags, depth),
        free: (object) => freeReleased(r, object),
        get freeByObject() {
          return r.freeObject;
        },
        underflow: (object) => fail(space, "underflow", object),
        get run() {
          return counter.#run;
        },
        set run(run) {
          if (run !== undefined && typeof run !== "function") {
            throw new InvalidArgumentError("inPlaceRelease.run must be a function or undefined");
          }
          counter.#run = run;
        },
        get entries() {
          return counter.#entries;
        },
        set entries(entries) {
          if (entries !== undefined && typeof entries !== "function") {
            throw new InvalidArgumentError(
              "inPlaceRelease.entries must be a function or undefined",
            );
          }
          counter.#entries = entries;
        },
        get deferredDeaths() {
          return counter.#deferred.length;
        },
        drainDeferred: () => {
          if (this.#depth === 0 && this.#deferred.length > 0) this.#drain();
        },
      };
    }
    return this.#access;
  }

  #access: InPlaceReleaseAccess | undefined;
  /** {@link InPlaceReleaseAccess.run}. */
  #run: ((first: number, count: number, stride: number, depth: number) => void) | undefined;

  /**
   * `Py_XDECREF` of each of the `count` references stored at `first`, `first + stride`, …,
   * from the last to the first, as {@link decref} of each (a slot holding 0 is skipped): what
   * a list's clear does with its items. The slots are read as the drops go, and are not
   * written. A release that takes over the in-place deaths may run it
   * ({@link InPlaceReleaseAccess.run}): the same drops, in the same order.
   * @throws InvalidArgumentError when `count` or `stride` is not a non-negative integer, or
   *   `first` is not an unsigned 32-bit address.
   */
  decrefRun(first: number, count: number, stride: number): void {
    if (
      !Number.isInteger(count) ||
      count < 0 ||
      !Number.isInteger(stride) ||
      stride < 0 ||
      first >>> 0 !== first
    ) {
      throw new InvalidArgumentError(
        `decrefRun(${first}, ${count}, ${stride}): not a run of slots in the memory`,
      );
    }
    if (count === 0) return;
    const run = this.#run;
    if (run !== undefined) {
      run(first, count, stride, this.#depth);
      return;
    }
    for (let k = count - 1; k >= 0; k--) {
      const ref = this.space.memory.u32[(first + stride * k) >>> 2]!;
      if (ref !== 0) this.decref(ref);
    }
  }

  /** {@link InPlaceReleaseAccess.entries}. */
  #entries:
    | ((first: number, count: number, stride: number, gap: number, depth: number) => void)
    | undefined;

  /**
   * `Py_XDECREF` of the two references of each of the `count` entries at `first`,
   * `first + stride`, …, from the first entry to the last, each entry's slot at `+0` before its
   * slot at `+gap`, as {@link decref} of each (a slot holding 0 is skipped): what a dict's key
   * table release does with its keys and values. The slots are read as the drops go, and are
   * not written. A release that takes over the in-place deaths may run it
   * ({@link InPlaceReleaseAccess.entries}): the same drops, in the same order.
   * @throws InvalidArgumentError when `count`, `stride` or `gap` is not a non-negative
   *   integer, or `first` is not an unsigned 32-bit address.
   */
  decrefEntries(first: number, count: number, stride: number, gap: number): void {
    if (
      !Number.isInteger(count) ||
      count < 0 ||
      !Number.isInteger(stride) ||
      stride < 0 ||
      !Number.isInteger(gap) ||
      gap < 0 ||
      first >>> 0 !== first
    ) {
      throw new InvalidArgumentError(
        `decrefEntries(${first}, ${count}, ${stride}, ${gap}): not a run of entries in the memory`,
      );
    }
    if (count === 0) return;
    const entries = this.#entries;
    if (entries !== undefined) {
      entries(first, count, stride, gap, this.#depth);
      return;
    }
    for (let k = 0; k < count; k++) {
      const at = first + stride * k;
      const a = this.space.memory.u32[at >>> 2]!;
      if (a !== 0) this.decref(a);
      const b = this.space.memory.u32[(at + gap) >>> 2]!;
      if (b !== 0) this.decref(b);
    }
  }

  /** The current count of `object` (`ob_refcnt`). */
  refcount(object: number): number {
    this.space.check(object, "access");
    return this.space.memory.u32[(object + Off.Refcnt) >>> 2]!;
  }

  /** Makes `object` immortal (PEP 683): its count never changes and it is never freed. */
  makeImmortal(object: number): void {
    this.space.check(object, "access");
    this.space.memory.u32[(object + Off.Flags) >>> 2]! |= Flag.Immortal;
  }

  /** Whether `object` is immortal. */
  isImmortal(object: number): boolean {
    this.space.check(object, "access");
    return (this.space.memory.u32[(object + Off.Flags) >>> 2]! & Flag.Immortal) !== 0;
  }

  /** Whether the finalizer of `object` has run (`gc.is_finalized`). */
  isFinalized(object: number): boolean {
    this.space.check(object, "access");
    return (this.space.memory.u32[(object + Off.Flags) >>> 2]! & Flag.Finalized) !== 0;
  }

  /**
   * Takes over one reference that the caller holds: the handle releases it when disposed, so
   * `using x = rc.own(address)` drops it at the end of the scope.
   */
  own(object: number): OwnedRef {
    this.space.check(object, "access");
    return new OwnedRef(this, object);
  }

  /** Adds a reference and returns a handle that owns it. */
  retain(object: number): OwnedRef {
    this.incref(object);
    return new OwnedRef(this, object);
  }

  /**
   * Runs the finalizer of `object` if its type has one and it has not run yet (PEP 442): sets
   * FINALIZED first, reports an exception through the unraisable hook. The caller keeps the
   * object alive across the call.
   * @returns whether the finalizer ran.
   */
  finalize(object: number): boolean {
    const u32 = this.space.memory.u32;
    const type = this.space.types.get(u32[(object + Off.Type) >>> 2]!);
    if (!type.finalize || u32[(object + Off.Flags) >>> 2]! & Flag.Finalized) return false;
    u32[(object + Off.Flags) >>> 2]! |= Flag.Finalized;
    try {
      type.finalize(object);
    } catch (error) {
      this.#unraisable(error, `${type.name}.__del__ of ${hex(object)}`, object);
    }
    return true;
  }

  // ---------------------------------------------------------------- weak references

  /**
   * `weakref.ref(target, callback)`: a new reference to a weak reference object. As in CPython,
   * a plain reference (no callback) to a target that already has one is that same object, and
   * references with callbacks go after it, newest first.
   * @returns the weak reference, or 0 when memory is exhausted.
   * @throws WeakrefTypeError when the target's type does not allow weak references.
   */
  newWeakref(target: number, callback?: WeakrefCallback): number {
    const type = this.#liveType(target, "access");
    if (!(type.flags & TypeFlags.Weakrefable)) throw new WeakrefTypeError(target, type.name);
    const u32 = this.space.memory.u32;
    const basic = this.#basicRef(target);
    if (callback === undefined && basic !== 0 && u32[(basic + Off.Refcnt) >>> 2]! > 0) {
      this.incref(basic);
      return basic;
    }
    const wr =
      this.#hooks.allocate?.(this.weakrefType.id, 0) ?? this.space.allocate(this.weakrefType.id);
    if (wr === 0) return 0;
    this.#link(wr, target, callback, callback === undefined ? 0 : basic);
    return wr;
  }

  /**
   * Makes `wr`, a new instance of a subtype of weakref ({@link RefCounter.adoptWeakrefSubtype})
   * whose weak reference fields are empty, refer weakly to `target`, with `callback`: as
   * weakref___new__ links an instance of a subclass, after the target's basic reference (never
   * reused, never first while there is one).
   * @throws WeakrefTypeError when the target's type does not allow weak references;
   *   InvalidArgumentError when `wr` is no such instance or refers to something already
   */
  initWeakref(wr: number, target: number, callback?: WeakrefCallback): void {
    const type = this.#liveType(target, "access");
    if (!(type.flags & TypeFlags.Weakrefable)) throw new WeakrefTypeError(target, type.name);
    const own = this.#liveType(wr, "access");
    if (this.#weakrefSubtypes[own.id] !== 1)
      throw new InvalidArgumentError(`${hex(wr)} is a ${own.name} object, not a weakref subtype`);
    if (this.space.memory.u32[(wr + WeakrefLayout.object) >>> 2] !== 0)
      throw new InvalidArgumentError(`${hex(wr)} already refers to an object`);
    this.#link(wr, target, callback, this.#basicRef(target));
  }

  /** The basic reference to `target` (an exact weakref without a callback, first), or 0. */
  #basicRef(target: number): number {
    const u32 = this.space.memory.u32;
    const head = u32[(target + Off.Weaklist) >>> 2]!;
    return head !== 0 &&
      u32[(head + Off.Type) >>> 2] === this.weakrefType.id &&
      u32[(head + WeakrefLayout.callback) >>> 2] === 0
      ? head
      : 0;
  }

  /** Fills in `wr` and links it first in `target`'s list, or after `after` when not 0. */
  #link(wr: number, target: number, callback: WeakrefCallback | undefined, after: number): void {
    const words = this.space.memory.u32;
    words[(wr + WeakrefLayout.object) >>> 2] = target;
    words[(wr + WeakrefLayout.callback) >>> 2] = callback ? this.#storeCallback(callback) : 0;
    if (after === 0) {
      const first = words[(target + Off.Weaklist) >>> 2]!;
      words[(wr + WeakrefLayout.next) >>> 2] = first;
      if (first !== 0) words[(first + WeakrefLayout.prev) >>> 2] = wr;
      words[(target + Off.Weaklist) >>> 2] = wr;
    } else {
      const next = words[(after + WeakrefLayout.next) >>> 2]!;
      words[(wr + WeakrefLayout.prev) >>> 2] = after;
      words[(wr + WeakrefLayout.next) >>> 2] = next;
      words[(after + WeakrefLayout.next) >>> 2] = wr;
      if (next !== 0) words[(next + WeakrefLayout.prev) >>> 2] = wr;
    }
  }

  /** Whether `object` is a weak reference object (of weakref or a subtype of it). */
  isWeakref(object: number): boolean {
    return (
      this.space.isLive(object) &&
      this.isWeakrefType(this.space.memory.u32[(object + Off.Type) >>> 2]!)
    );
  }

  /** Whether `typeId` is weakref's or a subtype's {@link RefCounter.adoptWeakrefSubtype} took. */
  isWeakrefType(typeId: number): boolean {
    return typeId === this.weakrefType.id || this.#weakrefSubtypes[typeId] === 1;
  }

  /**
   * Makes `type` a subtype of weakref (a class deriving from `weakref.ref`): its instances
   * start with {@link WeakrefLayout}, {@link RefCounter.newWeakref} makes them, and they are
   * linked, cleared and called back as weak references. Its `clear` and `dealloc` must
   * release its own references and then call {@link RefCounter.unlinkWeakref}.
   * @throws InvalidArgumentError when the type is smaller than a weak reference or no container
   */
  adoptWeakrefSubtype(type: TypeDescriptor): void {
    if (type.basicSize < WeakrefLayout.size || (type.flags & TypeFlags.Gc) === 0) {
      throw new InvalidArgumentError(
        `${type.name} cannot be a subtype of weakref: it needs ${WeakrefLayout.size} bytes and a GC head`,
      );
    }
    this.#weakrefSubtypes[type.id] = 1;
  }

  /**
   * What weakref's own clear and dealloc do: takes `weakref` out of its referent's list and
   * forgets its callback. A subtype's clear and dealloc call it after releasing their fields.
   */
  unlinkWeakref(weakref: number): void {
    this.#checkWeakref(weakref);
    this.#unlinkWeakref(weakref);
  }

  /** The referent of a weak reference (a borrowed address), or 0 once it is dead: `wr()`. */
  weakrefTarget(weakref: number): number {
    this.#checkWeakref(weakref);
    return this.space.memory.u32[(weakref + WeakrefLayout.object) >>> 2]!;
  }

  /** The callback of a weak reference, if it has one and it has not been called or cleared. */
  weakrefCallback(weakref: number): WeakrefCallback | undefined {
    this.#checkWeakref(weakref);
    return this.#callbacks[this.space.memory.u32[(weakref + WeakrefLayout.callback) >>> 2]!];
  }

  /** The weak references to `target`, in list order (`weakref.getweakrefs`). */
  weakrefsTo(target: number): number[] {
    this.#liveType(target, "access");
    const u32 = this.space.memory.u32;
    const out: number[] = [];
    for (
      let wr = u32[(target + Off.Weaklist) >>> 2]!;
      wr !== 0;
      wr = u32[(wr + WeakrefLayout.next) >>> 2]!
    ) {
      out.push(wr);
    }
    return out;
  }

  /**
   * Clears one weak reference: unlinks it from its referent, makes it dead, and returns its
   * callback (which is no longer attached to it) for the caller to run.
   */
  clearWeakref(weakref: number): WeakrefCallback | undefined {
    this.#checkWeakref(weakref);
    const callback =
      this.#callbacks[this.space.memory.u32[(weakref + WeakrefLayout.callback) >>> 2]!];
    this.#releaseCallback(weakref);
    this.#unlinkWeakref(weakref);
    return callback;
  }

  /**
   * Calls a weak reference's callback with the weak reference held alive across the call; an
   * exception goes to the unraisable hook.
   */
  runWeakrefCallback(weakref: number, callback: WeakrefCallback): void {
    this.incref(weakref);
    try {
      callback(weakref);
    } catch (error) {
      this.#unraisable(error, `weakref callback of ${hex(weakref)}`, weakref);
    }
    this.decref(weakref);
  }

  /**
   * CPython's `PyObject_ClearWeakRefs`: clears every weak reference to `target` first, then
   * runs the callbacks of those that are still alive themselves, in list order. With two or more
   * references they are held (as CPython's temporary tuple holds them) until every callback has
   * run, then released from the last to the first.
   */
  clearWeakrefsTo(target: number): void {
    const u32 = this.space.memory.u32;
    if (u32[(target + Off.Weaklist) >>> 2] === 0) return;
    const refs = this.weakrefsTo(target);
    if (refs.length === 1) {
      const wr = refs[0]!;
      const alive = u32[(wr + Off.Refcnt) >>> 2]! > 0;
      const callback = this.clearWeakref(wr);
      if (alive && callback) this.runWeakrefCallback(wr, callback);
      return;
    }
    const releaseTuple = this.#hooks.clearingWeakrefs?.(refs.length);
    const held: Array<[number, WeakrefCallback | undefined]> = [];
    for (const wr of refs) {
      const alive = this.space.memory.u32[(wr + Off.Refcnt) >>> 2]! > 0;
      const callback = this.clearWeakref(wr);
      if (alive) {
        this.incref(wr);
        held.push([wr, callback]);
      }
    }
    for (const [wr, callback] of held) {
      if (!callback) continue;
      try {
        callback(wr);
      } catch (error) {
        this.#unraisable(error, `weakref callback of ${hex(wr)}`, wr);
      }
    }
    for (let i = held.length - 1; i >= 0; i--) this.decref(held[i]![0]);
    releaseTuple?.();
  }

  // ---------------------------------------------------------------- deallocation

  /** Destroys deferred objects, each one with nesting 1, until none is left. */
  #drain(): void {
    this.#depth = 1;
    const deferred = this.#deferred;
    while (deferred.length > 0) this.#destroy(deferred.pop()!);
    this.#depth = 0;
  }

  /** Steps 1 to 6, for an object that is not released in place, with `depth` on the stack. */
  #deallocateByModel(object: number, depth: number): void {
    if (this.#unlinkOnly) {
      const u32 = this.space.memory.u32;
      unlink(u32, object, u32[(object + Off.Flags) >>> 2]!);
    } else this.#untrack?.(object);
    if (depth >= this.trashcanDepth) {
      this.#deferred.push(object);
      return;
    }
    const outer = this.#depth;
    this.#depth = depth + 1;
    this.#destroy(object);
    this.#depth = outer;
  }

  /** Steps 3 to 6 for an object whose count reached zero. */
  #destroy(object: number): void {
    const u32 = this.space.memory.u32;
    const type = this.space.types.get(u32[(object + Off.Type) >>> 2]!);
    if (
      (type.finalize !== undefined && !(u32[(object + Off.Flags) >>> 2]! & Flag.Finalized)) ||
      u32[(object + Off.Weaklist) >>> 2] !== 0
    ) {
      if (this.#finalizeAndClear(object, type)) return;
    }
    // The view again: a finalizer above may have grown the memory.
    if (type.release === "fields") {
      releaseFields(this.#release, this.space.memory.u32, object, this.#depth);
    } else type.dealloc?.(object);
    if (this.#free) this.#free(object, type);
    else this.space.freeAs(object, type);
  }

  /**
   * Steps 3 and 4, out of line: most deaths have neither a pending finalizer nor weak
   * references, and keeping this code out of `#destroy` keeps that path small enough for V8 to
   * inline it whole.
   * @returns whether the finalizer resurrected the object.
   */
  #finalizeAndClear(object: number, type: TypeDescriptor): boolean {
    const u32 = this.space.memory.u32;
    if (type.finalize !== undefined && !(u32[(object + Off.Flags) >>> 2]! & Flag.Finalized)) {
      this.#hooks.track?.(object);
      u32[(object + Off.Refcnt) >>> 2] = 1;
      this.finalize(object);
      const words = this.space.memory.u32;
      const count = words[(object + Off.Refcnt) >>> 2]! - 1;
      words[(object + Off.Refcnt) >>> 2] = count;
      if (count > 0) return true;
      this.#untrack?.(object);
    }
    if (this.space.memory.u32[(object + Off.Weaklist) >>> 2] !== 0) this.clearWeakrefsTo(object);
    return false;
  }

  // ---------------------------------------------------------------- internals

  #storeCallback(callback: WeakrefCallback): number {
    const slot = this.#freeCallbackSlots.pop() ?? this.#callbacks.length;
    this.#callbacks[slot] = callback;
    return slot;
  }

  #releaseCallback(weakref: number): void {
    const u32 = this.space.memory.u32;
    const slot = u32[(weakref + WeakrefLayout.callback) >>> 2]!;
    if (slot === 0) return;
    this.#callbacks[slot] = undefined;
    this.#freeCallbackSlots.push(slot);
    u32[(weakref + WeakrefLayout.callback) >>> 2] = 0;
  }

  /** Removes a weak reference from its referent's list and marks it dead. */
  #unlinkWeakref(weakref: number): void {
    const u32 = this.space.memory.u32;
    const target = u32[(weakref + WeakrefLayout.object) >>> 2]!;
    this.#releaseCallback(weakref);
    if (target === 0) return;
    const prev = u32[(weakref + WeakrefLayout.prev) >>> 2]!;
    const next = u32[(weakref + WeakrefLayout.next) >>> 2]!;
    if (prev !== 0) u32[(prev + WeakrefLayout.next) >>> 2] = next;
    else u32[(target + Off.Weaklist) >>> 2] = next;
    if (next !== 0) u32[(next + WeakrefLayout.prev) >>> 2] = prev;
    u32[(weakref + WeakrefLayout.object) >>> 2] = 0;
    u32[(weakref + WeakrefLayout.prev) >>> 2] = 0;
    u32[(weakref + WeakrefLayout.next) >>> 2] = 0;
  }

  #checkWeakref(weakref: number): void {
    const type = this.#liveType(weakref, "access");
    if (type !== this.weakrefType && this.#weakrefSubtypes[type.id] !== 1) {
      throw new InvalidArgumentError(`${hex(weakref)} is a ${type.name} object, not a weakref`);
    }
  }

  #liveType(object: number, operation: "access" | "incref" | "decref"): TypeDescriptor {
    this.space.check(object, operation);
    return this.space.types.get(this.space.memory.u32[(object + Off.Type) >>> 2]!);
  }
}

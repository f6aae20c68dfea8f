// The embedding API: what a language front end (a compiler to bytecode and its evaluation
// loop, say) needs to run programs on a runtime with CPython's reference-holding behaviour,
// over addresses instead of handles so that a value stack can be a typed array. It is built on
// the runtime's core and uses nothing else; front ends use nothing but it.

import {
  hex,
  InvalidArgumentError,
  type Memory,
  OB_FLAGS,
  OB_REFCNT,
  OB_SIZE,
  OB_TYPE,
  ObjectFlags,
  type ObjectSpace,
  TypeFlags,
} from "@mm/heap";
import { type WeakrefCallback, WeakrefTypeError } from "@mm/refcount";
import type { StrategyCapabilities } from "./api.js";
import {
  indexSized,
  PythonError,
  type PythonErrorType,
  raise,
  raiseItemDeletion,
  StaleHandleError,
} from "./errors.js";
import type { GcModule, SysModule, WeakrefModule } from "./facades/modules.js";
import type { Tracemalloc } from "./facades/tracemalloc.js";
import { badSlot, type Frame } from "./frames.js";
import type { Handle } from "./handle.js";
import { coreOf, type RuntimeCore } from "./internal/core.js";
import { countsDirectly, type DirectPath } from "./internal/direct-ints.js";
import type { RuntimeObserver } from "./internal/events.js";
import { DictKind } from "./objects/dict.js";
import { Instance, InstanceKind } from "./objects/instance.js";
import { type DetachedItems, ListKind } from "./objects/list.js";
import type { KeyProtocol, PythonClass, Subtype } from "./objects/model.js";
import { NativeKind, type NativeTypeInfo } from "./objects/native.js";
import type { SubtypeBase, SubtypeValue } from "./objects/subtype.js";
import { TupleKind } from "./objects/tuple.js";

export type { KeyProtocol };

/**
 * An object reference: the object's address in the runtime's heap. Whoever holds a `Ref` that a
 * method documents as a *new* reference owns it and must give it up once (with
 * {@link Embedding.decref}, or by handing it to a method that *takes* it); a *borrowed* one is
 * valid only while its owner holds it. Methods take their arguments borrowed unless they say so.
 */
export type Ref = number;

/** A class defined with {@link Embedding.defineClass}. */
export interface ClassRef {
  /** `Cls.__name__`. */
  readonly name: string;
  /** The type id in its instances' headers (a front end maps it to its own view of the class). */
  readonly typeId: number;
  /** @internal The object layer's class. */
  readonly cls: PythonClass;
}

/** What {@link Embedding.defineClass} takes. */
export interface ClassOptions {
  /**
   * `__del__` (PEP 442: run once per instance, also for instances in unreachable cycles, which
   * it may resurrect by storing `self`). `self` is borrowed; an exception it throws is reported
   * as unraisable, as CPython does.
   */
  readonly del?: (self: Ref) => void;
  /**
   * A legacy finalizer (`tp_del`): instances in unreachable cycles that have one are never
   * collected but go to `gc.garbage`, as before PEP 442.
   */
  readonly legacyDel?: (self: Ref) => void;
  /**
   * The class's type object, when the front end keeps its classes in the heap (a container it
   * made with {@link Embedding.allocate}): each instance then holds a reference to it, as an
   * instance of a CPython heap type does. It is taken when the instance is made and dropped
   * after the instance's memory is freed (so a class outlives its last instance), and
   * `gc.get_referents` and the collectors visit it after the attributes.
   * @defaultValue no type object
   */
  readonly typeObject?: Ref;
  /**
   * Reference fields in each instance besides its dict (see {@link Embedding.slotField}): the
   * `__slots__` of slotted bases of a class whose instances also have a dict, which CPython
   * 3.11 lays out before the `__weakref__` slot (8 bytes each).
   * @defaultValue `0`
   */
  readonly fields?: number;
}

/** A subclass of a built-in type, defined with {@link Embedding.defineSubtype}. */
export interface SubtypeRef {
  /** `Cls.__name__`. */
  readonly name: string;
  readonly base: SubtypeBase;
  /** The type id in its instances' headers. */
  readonly typeId: number;
  /** Byte offset of its first `__slots__` field (see {@link Embedding.slotField}). */
  readonly fieldsAt: number;
  /** Whether its instances have a `__dict__`. */
  readonly dict: boolean;
  /** @internal The object layer's subclass. */
  readonly subtype: Subtype;
}

/** What {@link Embedding.defineSubtype} takes besides the base and the name. */
export interface SubtypeOptions {
  /** The class's type object, which every instance holds a reference to (as {@link ClassOptions.typeObject}). */
  readonly typeObject: Ref;
  /** `__del__` (PEP 442). `self` is borrowed; an exception it throws is reported as unraisable. */
  readonly del?: (self: Ref) => void;
  /** `__slots__` fields after the base's object. @defaultValue `0` */
  readonly fields?: number;
  /** Whether instances have a `__dict__`. @defaultValue `true` */
  readonly dict?: boolean;
  /**
   * Whether instances take weak references. int and tuple subclasses never do (CPython gives
   * them no `__weakref__` slot). @defaultValue `true`
   */
  readonly weakref?: boolean;
  /**
   * For int, float, str and tuple: whether dict and set keys of the class hash and compare as
   * the base's (it overrides neither `__hash__` nor `__eq__`); otherwise they go through the
   * key protocol ({@link Embedding.setKeyProtocol}). @defaultValue `true`
   */
  readonly keys?: boolean;
}

// ------------------------------------------------------------------ native types (types)

/**
 * A type a front end defines with {@link Embedding.defineType}: CPython's type object reduced to
 * what the memory manager needs (the layout and the hooks). References sit in 8-byte slots of
 * the object, read with {@link Embedding.getRef} and written with {@link Embedding.setRef} and
 * {@link Embedding.takeRef}; every other byte after the 16-byte head is the front end's, through
 * {@link Embedding.memory}. Objects are freed to the allocator, or kept for the next ones
 * with {@link NativeTypeSpec.cache}.
 */
export interface NativeTypeSpec {
  /**
   * `type(o).__name__`. Two types may share it (the heap's registry gets a `#n` suffix, as
   * classes do).
   */
  readonly name: string;
  /** `tp_basicsize`: bytes from the object's address, the 16-byte head included, the GC head not. */
  readonly basicSize: number;
  /**
   * `tp_itemsize`, for a variable-size type: bytes per item (`allocate`'s `items`).
   * @defaultValue `8` with {@link NativeTypeSpec.items}, else `0`
   */
  readonly itemSize?: number;
  /**
   * Whether instances have a GC head (`Py_TPFLAGS_HAVE_GC`): 16 bytes before the object that
   * `sys.getsizeof` counts, tracking, and a place in the cycle collector's generations.
   * @defaultValue `false`
   */
  readonly container?: boolean;
  /**
   * Whether {@link Embedding.allocate} tracks a container (`PyObject_GC_New` then
   * `PyObject_GC_Track`, as most constructors do). With `false` it returns the container
   * untracked, for the front end to {@link Embedding.track} later, as CPython's function and
   * frame constructors do once their fields are set.
   * @defaultValue `true`
   */
  readonly trackOnCreate?: boolean;
  /** Whether weak references to instances are allowed. @defaultValue `false` */
  readonly weakrefable?: boolean;
  /**
   * Byte offsets of the reference fields (multiples of 8 inside `basicSize`, after the head:
   * from 16, or from 24 in a variable-size type, whose `ob_size` is at 16), in the order
   * tp_traverse visits them and dealloc releases them.
   */
  readonly refs?: readonly number[];
  /**
   * An inline run of 8-byte reference slots from offset `first` (at or before `basicSize`,
   * after the fields), their number a u32 at offset `count`: `allocate` writes its `items`
   * there. Visited and released after the fields, first to last. The count may be `ob_size`
   * (offset 16), as a tuple's is. A count of its own a front end may lower (items past it are
   * neither visited nor released, so it empties them first), never raise past what was
   * allocated.
   */
  readonly items?: { readonly count: number; readonly first: number };
  /**
   * `tp_finalize` (PEP 442): runs at most once per object, before it dies or when it is found
   * in an unreachable cycle (which it may resurrect). `o` is borrowed; an exception it throws is
   * reported as unraisable.
   */
  readonly finalize?: (o: Ref) => void;
  /**
   * Called once per object after its references are released, just before its memory is freed
   * (under a tracing collector, which releases nothing, just before it is freed): a front end
   * drops the JavaScript-side data it keeps for the object here. It must not touch the heap;
   * an exception it throws is reported as unraisable.
   */
  readonly onFree?: (o: Ref) => void;
  /** `repr(o)`; `<name object at 0x…>` without it. */
  readonly repr?: (o: Ref) => string;
  /** `__sizeof__`, when it is not `basicSize + itemSize × items` (`sys.getsizeof` adds the GC head). */
  readonly sizeOf?: (o: Ref) => number;
  /**
   * The type object every instance holds a reference to, for a type that stands for a heap type
   * the front end keeps in the heap (a class with `__slots__`, a subclass of an exception): taken
   * when an instance is allocated, dropped after its memory is freed, and visited by
   * `gc.get_referents` and the collectors after the references. Needs `container`.
   * @defaultValue no type object
   */
  readonly typeObject?: Ref;
  /**
   * Whether {@link NativeTypeSpec.typeObject} is visited before the references instead, as
   * `subtype_traverse` does for a subclass of a type with a traverse of its own (an exception).
   * @defaultValue `false`
   */
  readonly typeObjectFirst?: boolean;
  /**
   * References kept outside the object, in blocks the front end allocates with
   * {@link Embedding.memMalloc} (a deque's blocks): `traverse` calls `visit(ref, arg)` on each
   * after the fields and items, stopping at and returning a non-zero result; `clear` empties
   * each slot and then releases what it held. Every collector sees them through `traverse`,
   * and the object's dealloc and tp_clear call `clear`. Needs `container`.
   * @defaultValue no external references
   */
  readonly external?: {
    readonly traverse: (o: Ref, visit: (ref: Ref, arg: number) => number, arg: number) => number;
    readonly clear: (o: Ref) => void;
  };
  /**
   * How many freed instances the type keeps for its next ones, as CPython 3.11 keeps the last
   * slice freed (`slice_cache`, one): an instance dying while the cache has room keeps its
   * block (still allocated, so `sys.getallocatedblocks()` and tracemalloc count it), and the
   * next {@link Embedding.allocate} makes the new instance in the block freed last. Neither
   * counts toward `gc.get_count()`, and `gc.collect()` does not empty the cache (it is no free
   * list of the collector's). Only for a fixed-size type without `typeObject` or `onFree`.
   * @defaultValue `0`
   */
  readonly cache?: number;
}

/** A type defined with {@link Embedding.defineType}. */
export interface NativeType {
  /** `type(o).__name__`. */
  readonly name: string;
  /** The type id in its objects' headers. */
  readonly id: number;
}

/** The {@link ClassRef} of each class, so that {@link Embedding.classOf} gives back the same one. */
const classRefs = new WeakMap<PythonClass, ClassRef>();

// ------------------------------------------------------------------ frames (types)

/** The largest reference count (`ob_refcnt` is a 32-bit word here): the counter's overflow. */
const MAX_REFCOUNT = 0xffff_ffff;

/**
 * A function frame pushed with {@link Embedding.pushFrame} (or the module frame): its variables
 * are roots, each holds one reference, and a function frame's locals are released in slot
 * order (co_varnames) when it is popped.
 */
export class ActivationFrame {
  readonly #frame: Frame;
  readonly #core: RuntimeCore;

  /** @internal Frames come from {@link Embedding.pushFrame} and {@link Embedding.module}. */
  constructor(frame: Frame, core: RuntimeCore) {
    this.#frame = frame;
    this.#core = core;
  }

  /** The function's name (`<module>` for the module frame). */
  get name(): string {
    return this.#frame.name;
  }

  /** The file the frame's code comes from (tracemalloc's tracebacks show it). */
  get filename(): string {
    return this.#frame.filename;
  }

  /** The line being run: set it as the code advances, for tracebacks and tracemalloc. */
  get line(): number {
    return this.#frame.lineno;
  }

  set line(line: number) {
    this.#frame.lineno = line;
  }

  /** Whether `name` is a local of this frame (the module frame has none: its names are globals). */
  isLocal(name: string): boolean {
    return this.#frame.locals?.has(name) ?? false;
  }

  /** The object bound to `name` in this frame (borrowed), or 0 when it is unbound. */
  load(name: string): Ref {
    return this.#frame.get(name);
  }

  /**
   * Binds `name` to `value`, *taking* the reference the caller owns (STORE_FAST), then
   * releases the old value, which may run finalizers.
   */
  store(name: string, value: Ref): void {
    const old = this.#frame.set(name, value);
    if (old !== 0) this.#core.strategy.decref(old);
  }

  /**
   * `del name`: unbinds it and releases what it held.
   * @throws PythonError UnboundLocalError (a local) or NameError (a global) when it is unbound
   */
  delete(name: string): void {
    const old = this.#frame.delete(name);
    if (old === 0) {
      if (this.#frame.locals)
        raise(
          "UnboundLocalError",
          `cannot access local variable '${name}' where it is not associated with a value`,
        );
      raise("NameError", `name '${name}' is not defined`);
    }
    this.#core.strategy.decref(old);
  }

  /** The bound variables in slot order, as `[name, object]` (borrowed). */
  variables(): Array<[string, Ref]> {
    return [...this.#frame.bindings()];
  }

  // ---------------------------------------------------------------- slots (LOAD_FAST & co.)
  // The declared locals by slot number, their index in the `locals` array the frame was pushed
  // with (co_varnames): what a compiled function uses instead of names. The module frame has
  // no slots.

  /** The number of declared locals (0 for the module frame). */
  get slotCount(): number {
    return this.#frame.slots.length;
  }

  /**
   * LOAD_FAST: the object in slot `i` (borrowed), or 0 when it is unbound.
   * @throws RangeError when the frame has no slot `i`
   */
  loadSlot(i: number): Ref {
    const value = this.#frame.slots[i];
    if (value === undefined) badSlot(this.#frame, i);
    return value;
  }

  /**
   * STORE_FAST: binds slot `i`, *taking* the reference the caller owns, then releases the old
   * value (which may run finalizers).
   * @throws RangeError when the frame has no slot `i` (the reference is not taken)
   */
  storeSlot(i: number, value: Ref): void {
    const old = this.#frame.setSlot(i, value);
    if (old !== 0) this.#core.strategy.decref(old);
  }

  /**
   * DELETE_FAST: unbinds slot `i` and releases what it held.
   * @throws PythonError UnboundLocalError, naming the slot's local, when it is unbound
   * @throws RangeError when the frame has no slot `i`
   */
  deleteSlot(i: number): void {
    const old = this.#frame.setSlot(i, 0);
    if (old === 0) {
      raise(
        "UnboundLocalError",
        `cannot access local variable '${this.#frame.locals!.names[i]}' where it is not associated with a value`,
      );
    }
    this.#core.strategy.decref(old);
  }

  /**
   * Unbinds slot `i` and returns what it held, now the caller's reference (0 when it was
   * unbound): a value moved out of the frame without a count changing hands, as a generator's
   * frame hands its locals over or a cell takes an argument.
   * @throws RangeError when the frame has no slot `i`
   */
  takeSlot(i: number): Ref {
    return this.#frame.setSlot(i, 0);
  }

  /** @internal The frame itself, for {@link Embedding.popFrame}. */
  get frame(): Frame {
    return this.#frame;
  }
}

/**
 * The embedding API of a {@link Runtime}: object references with explicit counting, object
 * creation and access through the object layer, classes with finalizers, frames, temporaries,
 * the gc/sys/weakref/tracemalloc modules, and an observer of everything the memory manager
 * does. Everything a Python front end needs to reproduce CPython's reference-holding
 * behaviour; the `Runtime`'s handles and this API can be used side by side. References are
 * not checked (a `Ref` is a number): a front end that decrefs what it does not own corrupts the
 * heap, which `Runtime.verify()` then reports. Once the runtime is disposed its references are
 * dead and the API must not be used.
 *
 * @example
 * ```ts
 * const rt = new Runtime();
 * const py = new Embedding(rt);
 * const f = py.pushFrame("f", "<demo>", ["x"]);
 * f.store("x", py.list([]));      // x = [] (the frame takes the new reference)
 * py.popFrame(f);                  // return: x is released, the list freed
 * ```
 */
export class Embedding {
  readonly #core: RuntimeCore;
  /** {@link Embedding.decref}, bound once: a frame's release calls it per local. */
  readonly #decref: (o: Ref) => void;
  /**
   * The object space whose counts {@link Embedding.incref} and {@link Embedding.decref} change
   * in place, when the strategy's own incref and decref are exactly the reference counter's
   * (see `countsDirectly`); null when every call must go through the strategy.
   */
  readonly #direct: ObjectSpace | null;
  /** The runtime's `gc` module (handles: see {@link Embedding.toHandle}). */
  readonly gc: GcModule;
  /** The runtime's `sys` module: `getsizeof`, `getrecursionlimit`/`setrecursionlimit`, … */
  readonly sys: SysModule;
  /** The runtime's `tracemalloc` module; tracebacks come from the frames' names and lines. */
  readonly tracemalloc: Tracemalloc;
  /**
   * The heap's memory, for the scalar fields of native objects (`memory.u32[(o + 16) >>> 2]`,
   * `memory.f64[(o + 24) >>> 3]`). Its views are replaced when the heap grows (an allocation
   * may grow it): read `memory.u32` afresh after anything that allocates, rather than keep it.
   */
  readonly memory: Memory;
  /** The object layer's native kind (one per runtime). */
  readonly #native: NativeKind;
  /** The object layer's kind of user-class instances (the attribute fast paths use it). */
  readonly #instances: InstanceKind;
  readonly #tuples: TupleKind;
  readonly #lists: ListKind;
  readonly #dicts: DictKind;
  /**
   * The direct path of ints and floats (made by their kinds, the last reference freeing them
   * straight back), under the collectors that allow it; null when every int and float goes
   * through the object layer and the strategy.
   */
  readonly #ints: DirectPath | null;

  /**
   * The embedding API of `runtime` (any number of them may share a runtime).
   * @throws TypeError when `runtime` is not a `Runtime`
   */
  constructor(runtime: RuntimeModules) {
    this.#core = coreOf(runtime);
    this.#direct = countsDirectly(this.#core.strategy) ? this.#core.space : null;
    this.#decref = (o) => this.decref(o);
    this.gc = runtime.gc;
    this.sys = runtime.sys;
    this.tracemalloc = runtime.tracemalloc;
    this.memory = this.#core.space.memory;
    this.#native = this.#core.objects.kind(NativeKind);
    this.#instances = this.#core.objects.kind(InstanceKind);
    this.#tuples = this.#core.objects.kind(TupleKind);
    this.#lists = this.#core.objects.kind(ListKind);
    this.#dicts = this.#core.objects.kind(DictKind);
    this.#ints = this.#direct !== null ? (this.#core.direct ?? null) : null;
  }

  /**
   * Whether a new tuple, list, dict or instance may be made by its kind directly: under a
   * counting collector's direct path while nothing observes the runtime. The object layer's
   * making does the same and adds only the allocation event an observer receives.
   */
  #unobserved(): boolean {
    const direct = this.#ints;
    return direct !== null && !direct.observed;
  }

  // ------------------------------------------------------------------ references

  /** What the runtime's strategy does (counts, generations, cycles, finalizers, weakrefs). */
  get capabilities(): StrategyCapabilities {
    return this.#core.capabilities;
  }

  /**
   * Whether {@link Embedding.incref} and {@link Embedding.decref} change counts in place rather
   * than through the strategy: true under the reference-counting strategies (`cpython`,
   * `refcount`, every preset), whose incref and decref are the reference counter's. The two
   * paths do the same: the same counts, the same checks and errors, and a deallocation (with
   * its events) only when a count reaches zero, which always takes the strategy's path.
   */
  get countsInPlace(): boolean {
    return this.#direct !== null;
  }

  /**
   * Adds one reference to `o` (Py_INCREF). Under a reference-counting strategy this is one add
   * on the count word, and nothing for an immortal object (which the reference counter leaves
   * alone); anything unusual (not a live object, a count of 0 or at its maximum) goes to the
   * strategy, which raises its error.
   */
  incref(o: Ref): void {
    const space = this.#direct;
    if (space?.isLive(o)) {
      const u32 = space.memory.u32;
      // An immortal object (None, True, False, the small ints, …) keeps its count: what the
      // reference counter does with one, without going through the strategy to it.
      if ((u32[(o + OB_FLAGS) >>> 2]! & ObjectFlags.Immortal) !== 0) return;
      const i = (o + OB_REFCNT) >>> 2;
      const count = u32[i]!;
      if (count !== 0 && count !== MAX_REFCOUNT) {
        u32[i] = count + 1;
        return;
      }
    }
    this.#core.strategy.incref(o);
  }

  /**
   * Drops one reference to `o` (Py_DECREF): at zero it is finalized and freed, in CPython's
   * order. Under a reference-counting strategy a count above 1 is one subtract on the count
   * word and an immortal object is left alone; the last reference, and anything unusual, goes
   * to the strategy.
   */
  decref(o: Ref): void {
    const space = this.#direct;
    if (space?.isLive(o)) {
      const u32 = space.memory.u32;
      const i = (o + OB_REFCNT) >>> 2;
      const count = u32[i]!;
      // An immortal object keeps its count (see incref).
      if ((u32[(o + OB_FLAGS) >>> 2]! & ObjectFlags.Immortal) !== 0) return;
      if (count > 1) {
        u32[i] = count - 1;
        return;
      }
      // The last reference to an int or a float: the counter would find no finalizer, no weak
      // reference and nothing to release, and free it. Freed here when the direct path may.
      if (count === 1 && this.#ints?.releaseLast(u32, o)) return;
    }
    this.#core.strategy.decref(o);
  }

  /** A new reference to `o` (Py_NewRef). */
  newRef(o: Ref): Ref {
    this.incref(o);
    return o;
  }

  /**
   * `sys.getrefcount(o) - 1`: every reference to `o`, the caller's own included. Under
   * strategies without counts it is found by a scan, which sees only the references of roots
   * (variables, temporaries, handles) and containers.
   */
  refcount(o: Ref): number {
    return this.#core.referenceCount(o);
  }

  /**
   * A handle (for the `Runtime`'s handle API and the facades) taking a new reference to `o`.
   * @throws StaleHandleError when `o` is not a live object (freed, or never one): a handle to it
   *   would count a reference in freed memory
   */
  toHandle(o: Ref): Handle {
    if (!this.#core.space.isLive(o))
      throw new StaleHandleError(`toHandle(${hex(o)}): not a live object of this runtime`);
    this.#core.strategy.incref(o);
    return this.#core.own(o);
  }

  /** The object behind a handle (borrowed: the handle keeps its reference). @throws StaleHandleError */
  fromHandle(handle: Handle): Ref {
    return this.#core.addressOf(handle);
  }

  // ------------------------------------------------------------------ objects

  /** `None` (borrowed: it is immortal). */
  get none(): Ref {
    return this.#core.objects.none;
  }

  /** `True` or `False` (a new reference). */
  bool(value: boolean): Ref {
    return this.newRef(this.#core.objects.newBool(value));
  }

  /** An int (a new reference); -5…256 come from CPython's small-int cache. @throws PythonError MemoryError */
  int(value: number | bigint): Ref {
    const direct = this.#ints;
    if (
      direct !== null &&
      typeof value === "number" &&
      Number.isSafeInteger(value) &&
      !direct.observed
    )
      return direct.int(value);
    return this.#core.objects.newInt(value);
  }

  /**
   * An int (a new reference) as CPython 3.11's `PyLong_FromSsize_t` makes it, and
   * `PyLong_FromSize_t`, `PyLong_FromUnsignedLong(Long)` and `PyLong_FromVoidPtr` (`id`): the
   * cached object for −5..256, otherwise `_PyLong_New` of exactly the value's digits, so
   * tracemalloc traces 28 bytes for one digit where {@link int}'s `_PyLong_FromMedium` form
   * (`PyLong_FromLong`, arithmetic) traces 32. The result of `len`, `sys.getsizeof`,
   * `str.find`, `list.index`, `hash`, `id`, `gc.collect` … Not a safe integer: {@link int}'s.
   * @throws PythonError MemoryError
   */
  intFromSsize(value: number): Ref {
    if (!Number.isSafeInteger(value)) return this.#core.objects.newInt(value);
    const direct = this.#ints;
    if (direct !== null && !direct.observed) return direct.intExact(value);
    return this.#core.objects.newIntExact(value);
  }

  /** A float (a new reference; from the float free list when it has one). */
  float(value: number): Ref {
    const direct = this.#ints;
    if (direct !== null && !direct.observed) return direct.float(value);
    return this.#core.objects.newFloat(value);
  }

  /** A str (a new reference); the empty str and one-character Latin-1 strs are cached. */
  str(value: string): Ref {
    return this.#core.objects.newStr(value);
  }

  /**
   * A new str object (a new reference) even for a one-character Latin-1 value, which
   * {@link str} gives as the cached singleton: what `PyUnicode_New` and a copy make
   * (`str(5)` is a new object each time in CPython).
   */
  strNew(value: string): Ref {
    return this.#core.objects.newStrUncached(value);
  }

  /**
   * A statically allocated str of `value`: immortal, made once (borrowed), from now on the
   * interned str of its value and the key constant ({@link Embedding.constant}) of it. A front
   * end makes the strs its interpreter has before any program runs (CPython 3.11's deep-frozen
   * identifiers include one-character ones that are not the latin-1 singletons).
   */
  staticStr(value: string): Ref {
    return this.#core.objects.makeStaticStr(value);
  }

  /** `sys.intern(s)`: the interned str of `s`'s value (a new reference). */
  intern(s: Ref): Ref {
    return this.#core.objects.intern(s);
  }

  /**
   * An identifier-like str that lives as long as the runtime (a code object's constant: names,
   * attribute names), one object per value. Borrowed.
   */
  constant(value: string): Ref {
    return this.#core.keyConstant(value);
  }

  /** `(a, b, …)` (a new reference; items borrowed: the tuple takes its own). */
  tuple(items: readonly Ref[]): Ref {
    // Unobserved under a counting collector: the tuple kind's own making, without the object
    // layer's calls in between (they add an allocation event only while observed).
    if (items.length !== 0 && this.#unobserved()) return this.#tuples.create(items);
    const t = this.#core.objects.newTuple(items);
    // The empty tuple is a singleton: the object layer hands it out borrowed.
    return items.length === 0 ? this.newRef(t) : t;
  }

  /**
   * `(a, b, …)` taking over the caller's references to `items` (a new reference), as
   * CPython 3.11's BUILD_TUPLE does (`_PyTuple_FromArraySteal`): the same tuple, allocation,
   * tracking and counts as {@link tuple} followed by a decref of each item, without the
   * increfs and decrefs in between, which cannot free anything (the tuple holds each item).
   * When the allocation fails (MemoryError) the references are still the caller's.
   */
  tupleTaking(items: readonly Ref[]): Ref {
    if (items.length === 0) return this.newRef(this.#core.objects.newTuple(items));
    const direct = this.#ints;
    if (direct !== null && !direct.observed) return this.#tuples.createTaking(items);
    // Observed (or another strategy): the layered path, whose events and counts an observer
    // sees, then the caller's references given up.
    const t = this.#core.objects.newTuple(items);
    for (let i = 0; i < items.length; i++) this.decref(items[i]!);
    return t;
  }

  /**
   * `[a, b, …]` (BUILD_LIST: a new reference; items borrowed). `fresh` allocates past the free
   * list, as calling `list` does in CPython (`PyType_GenericAlloc`), so the new list's address
   * is never a dead list's.
   */
  list(items: readonly Ref[], fresh = false): Ref {
    if (this.#unobserved()) return this.#lists.create(items, fresh);
    return this.#core.objects.newList(items, fresh);
  }

  /**
   * `{}` (a new reference). `fresh` allocates past the free list, as calling `dict` does in
   * CPython (`dict_new` through `PyType_GenericAlloc`).
   */
  dict(fresh = false): Ref {
    if (this.#unobserved()) return this.#dicts.create(fresh);
    return this.#core.objects.newDict(fresh);
  }

  /** The type name of `o` (`type(o).__name__`). */
  typeName(o: Ref): string {
    return this.#core.objects.typeName(o);
  }

  /** `sys.getsizeof(o)`. */
  sizeof(o: Ref): number {
    return this.#core.objects.sizeOf(o);
  }

  /**
   * `_PyType_PreHeaderSize` of `o`'s type: the bytes before the object that `sys.getsizeof`
   * adds to `o.__sizeof__()` (the GC head of a container, and a managed dict's two words).
   */
  preHeaderSize(o: Ref): number {
    return this.#core.objects.preHeaderSize(o);
  }

  /** The value of an int. @throws PythonError TypeError for another type */
  intValue(o: Ref): number | bigint {
    this.#expect(o, "int");
    return this.#core.objects.intValue(o);
  }

  /** The value of a float. @throws PythonError TypeError for another type */
  floatValue(o: Ref): number {
    this.#expect(o, "float");
    return this.#core.objects.floatValue(o);
  }

  /** The value of a str. @throws PythonError TypeError for another type */
  strValue(o: Ref): string {
    this.#expect(o, "str");
    return this.#core.objects.strValue(o);
  }

  /**
   * `a + b` for two strs (borrowed): a new reference to the result, which is one of them when
   * the other is empty, as in CPython. Joins the strs' bytes without decoding them.
   * @throws PythonError TypeError when either is not a str
   */
  strConcat(a: Ref, b: Ref): Ref {
    this.#expect(a, "str");
    this.#expect(b, "str");
    return this.#core.objects.strConcat(a, b);
  }

  /**
   * `PyUnicode_Append(&left, right)` for two strs: takes over the caller's reference to
   * `left` and returns a new reference to `left + right`. Under a reference-counting strategy
   * (see {@link countsInPlace}) a `left` that nothing else holds, whose hash is not computed
   * and which is not interned, is resized in place when `right`'s characters fit its form: the
   * result is then `left` itself, at the same address while the new size fits its block's size
   * class (CPython 3.11's `s += t` on a local variable, BINARY_OP_INPLACE_ADD_UNICODE).
   * Otherwise the result is a new str and `left` loses the reference.
   * @throws PythonError TypeError when either is not a str
   */
  strAppend(left: Ref, right: Ref): Ref {
    this.#expect(left, "str");
    this.#expect(right, "str");
    const objects = this.#core.objects;
    if (this.#direct !== null) return objects.strAppend(left, right);
    const o = objects.strConcat(left, right);
    this.decref(left);
    return o;
  }

  /** `repr(o)` for scalars and containers, as CPython writes it. */
  repr(o: Ref): string {
    return this.#core.objects.repr(o);
  }

  // ------------------------------------------------------------------ classes and attributes

  /** `class name:` with optional finalizers; instances are 56 bytes, as in 3.11. */
  defineClass(name: string, options: ClassOptions = {}): ClassRef {
    const { del, legacyDel, typeObject, fields } = options;
    const cls = this.#core.objects.defineClass({
      name,
      ...(del ? { del } : {}),
      ...(legacyDel ? { legacyDel } : {}),
      ...(typeObject ? { typeObject } : {}),
      ...(fields ? { fields } : {}),
    });
    const ref: ClassRef = { name, typeId: cls.type.id, cls };
    classRefs.set(cls, ref);
    return ref;
  }

  /**
   * `class name(base):` for a base of list, dict or set (or another built-in type the union
   * names, or a native type of the front end's: a bytearray, an array): instances are the
   * base's object with
   * what CPython 3.11's `type_new` adds after it (the `__slots__` fields, a `__weakref__` slot
   * unless the base has one, the managed-dict pre-header unless `__slots__` leaves `__dict__`
   * out), so that `sys.getsizeof`, the collectors and `gc.get_referents` see what they see in
   * CPython. The base's operations (`len`, `append`, `dictGet`…) take its instances.
   */
  defineSubtype(base: SubtypeBase | NativeType, name: string, options: SubtypeOptions): SubtypeRef {
    const { del, typeObject } = options;
    const native = typeof base === "string" ? undefined : base;
    if (native !== undefined && !this.#native.owns(native)) {
      throw new TypeError(
        `defineSubtype: ${describeType(native)} is not a native type of this runtime (defineType makes one)`,
      );
    }
    const subtype = this.#core.objects.defineSubtype({
      name,
      base: native === undefined ? (base as SubtypeBase) : "native",
      ...(native !== undefined ? { native: native as NativeTypeInfo } : {}),
      fields: options.fields ?? 0,
      dict: options.dict ?? true,
      weakref: options.weakref ?? true,
      typeObject,
      ...(del ? { del } : {}),
      ...(options.keys === false ? { keys: false } : {}),
    });
    // Reference counting links, clears and calls back a subclass of weakref's instances.
    if (base === "weakref") this.#core.strategy.rc.adoptWeakrefSubtype(subtype.type);
    return {
      name,
      base: subtype.base,
      typeId: subtype.type.id,
      fieldsAt: subtype.fieldsAt,
      dict: subtype.dict,
      subtype,
    };
  }

  /**
   * `base.__new__(cls, value)`: a new instance of a {@link defineSubtype} class (tracked), empty
   * for list, dict and set, else holding `value`: an int's value, a float's, a str's, or a
   * tuple's items (borrowed; the instance takes its own references).
   * @throws TypeError when `value` is not what the base holds
   */
  subtypeInstance(cls: SubtypeRef, value?: SubtypeValue): Ref {
    return this.#core.objects.newSubtypeInstance(cls.subtype, value);
  }

  /**
   * The `__dict__` of an instance of a {@link defineSubtype} class (borrowed): made empty on
   * first use and kept (unless `create` is false: attribute reads make none). 0 when the class
   * gives its instances no dict, or `o` is no such instance.
   */
  subtypeDict(o: Ref, create = true): Ref {
    return this.#core.objects.subtypeDict(o, create);
  }

  /**
   * Reference field `i` (borrowed, or 0 when empty) of an instance of a {@link defineSubtype}
   * class or of a {@link defineClass} class with `fields`: a `__slots__` member.
   * @throws TypeError when `o` is neither; RangeError when it has no field `i`
   */
  slotField(o: Ref, i: number): Ref {
    return this.memory.u32[this.#slotFieldAt(o, i, "slotField") >>> 2]!;
  }

  /** Sets field `i` (value borrowed, or 0 to empty it), releasing what it held. */
  setSlotField(o: Ref, i: number, value: Ref): void {
    const at = this.#slotFieldAt(o, i, "setSlotField") >>> 2;
    const old = this.memory.u32[at]!;
    if (value !== 0) this.incref(value);
    this.memory.u32[at] = value;
    if (old !== 0) this.decref(old);
  }

  #slotFieldAt(o: Ref, i: number, method: string): number {
    const m = this.#core.objects;
    const subtype = m.subtypeOf(o);
    const cls = subtype === undefined ? m.classOf(o) : undefined;
    const fields = subtype?.fields ?? cls?.fields;
    if (fields === undefined)
      throw new TypeError(`${method}: a '${this.typeName(o)}' object has no slot fields`);
    if (!Number.isInteger(i) || i < 0 || i >= fields)
      throw new RangeError(
        `${method}: a '${this.typeName(o)}' object has ${fields} fields, not a field ${i}`,
      );
    return o + (subtype ? subtype.fieldsAt : Instance.basicSize) + 8 * i;
  }

  /**
   * The name of the built-in type `o` is an object of: `typeName(o)`, except for instances of
   * {@link defineSubtype} classes, which give their base's (`"list"` for `class L(list)`).
   */
  builtinName(o: Ref): string {
    return this.#core.objects.builtinName(o);
  }

  /** `Cls()`: a new instance without attributes (a new reference). */
  instance(cls: ClassRef): Ref {
    if (this.#unobserved()) return this.#instances.create(cls.cls);
    return this.#core.objects.newInstance(cls.cls);
  }

  /** `o.name` (a new reference). @throws PythonError AttributeError */
  getAttr(o: Ref, name: string): Ref {
    const m = this.#core.objects;
    const value = m.classOf(o) ? m.getAttr(o, name) : 0;
    if (value === 0)
      raise("AttributeError", `'${m.typeName(o)}' object has no attribute '${name}'`);
    return this.newRef(value);
  }

  /** `o.name = value` (value borrowed). @throws PythonError AttributeError for built-in types */
  setAttr(o: Ref, name: string, value: Ref): void {
    const m = this.#core.objects;
    if (!m.classOf(o))
      raise("AttributeError", `'${m.typeName(o)}' object has no attribute '${name}'`);
    m.setAttr(o, name, value);
  }

  /** `o.name` of an instance's own attributes (borrowed), or 0 when it has none by that name. */
  attr(o: Ref, name: string): Ref {
    const m = this.#core.objects;
    return m.classOf(o) ? m.getAttr(o, name) : 0;
  }

  /** An instance's own attributes in the order they were first set, as `[name, value]` (borrowed). */
  attributes(o: Ref): Array<[string, Ref]> {
    const m = this.#core.objects;
    return m.classOf(o) ? m.attributes(o) : [];
  }

  /**
   * `o.__dict__` of an instance of a class made with {@link Embedding.defineClass} (a new
   * reference): the first read makes it from the instance's values, a split dict sharing the
   * class's key table, and the instance keeps it, so later reads give the same dict.
   * @throws PythonError AttributeError for other objects
   */
  instanceDict(o: Ref): Ref {
    const m = this.#core.objects;
    if (!m.classOf(o))
      raise("AttributeError", `'${m.typeName(o)}' object has no attribute '__dict__'`);
    return m.instanceDict(o);
  }

  /**
   * The index of `name` in the key table of `cls` (the slot its value has in every instance), or
   * -1 while the table lacks it. A table only grows at its end, so an index stays its name's for
   * the class's life: an inline cache of an attribute access keeps it, for
   * {@link Embedding.attrAt} and {@link Embedding.setAttrAt}.
   */
  attrIndex(cls: ClassRef, name: string): number {
    return this.#instances.keyIndex(cls.cls, name);
  }

  /** How many names the key table of `cls` has: a name it lacks stays absent while this holds. */
  attrCount(cls: ClassRef): number {
    return this.#instances.keyCount(cls.cls);
  }

  /**
   * The attribute at `index` of its class's key table of an instance of a class made with
   * {@link Embedding.defineClass} (borrowed): 0 when it has none there (and for index -1), -1
   * when the instance keeps its attributes in a dict of its own (after a read of `__dict__`, or
   * a name the table had no room for), which only {@link Embedding.attr} reads.
   */
  attrAt(o: Ref, index: number): Ref {
    return this.#instances.getAt(o, index);
  }

  /**
   * `o.name = value` for the name at `index` of the key table of `o`'s class (from
   * {@link Embedding.attrIndex}), as {@link Embedding.setAttr} stores it, but *taking* the
   * caller's reference to `value` (CPython's STORE_ATTR_INSTANCE_VALUE steals it); the value
   * it replaces is released. False, having done nothing (the reference still the caller's),
   * when that needs more than a slot of the values the instance has (a dict of its own, or a
   * larger values block): {@link Embedding.setAttr} does it then.
   */
  setAttrAt(o: Ref, index: number, value: Ref): boolean {
    return this.#instances.setAt(o, index, value);
  }

  /** `del o.name`. @throws PythonError AttributeError */
  delAttr(o: Ref, name: string): void {
    const m = this.#core.objects;
    if (!m.classOf(o))
      raise("AttributeError", `'${m.typeName(o)}' object has no attribute '${name}'`);
    m.delAttr(o, name);
  }

  // ------------------------------------------------------------------ native types
  // Object types of the front end's own (functions, code objects, cells, bound methods,
  // ranges, iterators, exceptions, tracebacks, frames, slotted instances), with CPython's
  // sizes, tracking and deallocation order.

  /**
   * Defines a native type. Its objects' references (`refs`, then `items`) are visited by every
   * collector and by `gc.get_referents` (containers only, as in CPython), released in order when
   * the object dies, and cleared in that order when a collection breaks a cycle.
   * @throws InvalidArgumentError naming what is wrong with the layout (a field outside the
   *   object or misaligned, items that overlap the fields, an items run without itemSize 8)
   */
  defineType(spec: NativeTypeSpec): NativeType {
    const core = this.#core;
    const info = core.objects.defineNative(spec);
    // A collector that traces from roots walks containers only: what a non-container holds
    // must be a root, or it would be freed under it.
    const kind = this.#native;
    if (!info.container && info.holdsRefs && core.capabilities.roots && !kind.keepsUntracedRoots) {
      core.addRoots(kind.keepUntracedRoots());
    }
    return info;
  }

  /**
   * A new object of a native type (a new reference): every byte after the header zero, the
   * item count written at `items.count`, a container tracked unless `trackOnCreate` is false.
   * It counts toward `gc.get_count()` as every container allocation does (and may collect).
   * @param items - the item count of a variable-size type (0 for a fixed-size one)
   * @throws TypeError when `type` is not a native type of this runtime
   * @throws RangeError when `items` is not a count the type allows
   * @throws PythonError MemoryError when the heap is exhausted
   */
  allocate(type: NativeType, items = 0): Ref {
    const kind = this.#native;
    if (!kind.owns(type)) {
      throw new TypeError(
        `allocate: ${describeType(type)} is not a native type of this runtime (defineType makes one)`,
      );
    }
    if (!Number.isInteger(items) || items < 0 || (items > 0 && type.itemSize === 0)) {
      throw new RangeError(
        type.itemSize === 0
          ? `allocate: ${type.name} is not variable-size, so it takes no items (got ${items})`
          : `allocate: the item count must be a non-negative integer, got ${items}`,
      );
    }
    return this.#core.objects.newNative(type, items);
  }

  /**
   * `PyMem_Malloc(bytes)`: a block of the mem domain (traced by tracemalloc, counted by
   * `sys.getallocatedblocks`), its contents undefined; the caller frees it with
   * {@link Embedding.memFree}.
   * @throws PythonError MemoryError when the heap is exhausted
   */
  memMalloc(bytes: number): number {
    const block = this.#core.objects.host.mem.malloc(bytes);
    if (block === 0) this.raise("MemoryError", "");
    return block;
  }

  /** `PyMem_Free(block)` of a block from {@link Embedding.memMalloc} (0 is ignored). */
  memFree(block: number): void {
    if (block !== 0) this.#core.objects.host.mem.free(block);
  }

  /**
   * `PyObject_Malloc(bytes)`: a block of the object domain that is not an object (a bytearray's
   * buffer), traced by tracemalloc and counted by `sys.getallocatedblocks`; its contents are
   * undefined. Free it with {@link Embedding.objFree}, resize it with {@link Embedding.objRealloc}.
   * @throws PythonError MemoryError when the heap is exhausted
   */
  objMalloc(bytes: number): number {
    const block = this.#core.objects.host.obj.malloc(bytes);
    if (block === 0) this.raise("MemoryError", "");
    return block;
  }

  /**
   * `PyObject_Realloc(block, bytes)` of a block from {@link Embedding.objMalloc} (0: a new
   * block): the block itself while pymalloc can keep it in place, else a new one holding the
   * old contents (the old one freed).
   * @throws PythonError MemoryError when the heap is exhausted (the old block is kept)
   */
  objRealloc(block: number, bytes: number): number {
    const moved = this.#core.objects.host.obj.realloc(block, bytes);
    if (moved === 0) this.raise("MemoryError", "");
    return moved;
  }

  /** `PyObject_Free(block)` of a block from {@link Embedding.objMalloc} (0 is ignored). */
  objFree(block: number): void {
    if (block !== 0) this.#core.objects.host.obj.free(block);
  }

  /** The native type of `o`, or undefined when it is of another kind. */
  typeOf(o: Ref): NativeType | undefined {
    return this.#native.typeOf(o);
  }

  /**
   * The reference in field `offset` of native object `o` (borrowed), or 0 when it is empty.
   * @throws TypeError when `o` is not of a native type
   * @throws RangeError when `offset` is outside the object
   * @throws InvalidArgumentError when `offset` is inside it but not a reference slot
   */
  getRef(o: Ref, offset: number): Ref {
    return this.memory.u32[this.#refSlot(o, offset, "getRef")]!;
  }

  /**
   * Stores a new reference to `value` (0 empties the field) in field `offset` of `o`, then
   * releases the old one (which may run finalizers).
   * @throws as {@link Embedding.getRef}
   */
  setRef(o: Ref, offset: number, value: Ref): void {
    const at = this.#refSlot(o, offset, "setRef");
    if (value !== 0) this.incref(value);
    const u32 = this.memory.u32;
    const old = u32[at]!;
    u32[at] = value;
    if (old !== 0) this.decref(old);
  }

  /**
   * {@link Embedding.setRef}, *taking* the reference the caller owns to `value`.
   * @throws as {@link Embedding.getRef} (the reference is then not taken)
   */
  takeRef(o: Ref, offset: number, value: Ref): void {
    const at = this.#refSlot(o, offset, "takeRef");
    const u32 = this.memory.u32;
    const old = u32[at]!;
    u32[at] = value;
    if (old !== 0) this.decref(old);
  }

  /**
   * `PyObject_GC_Track`: puts an untracked container in the youngest generation (a no-op for
   * collectors without generation lists).
   * @throws InvalidArgumentError when `o` is no container or is tracked already
   */
  track(o: Ref): void {
    this.#core.objects.host.track(o);
  }

  /** `PyObject_GC_UnTrack`: takes a container out of the collector's lists (a no-op when it is not in one). */
  untrack(o: Ref): void {
    this.#core.strategy.untrack(o);
  }

  /** The class of an instance of a class made with {@link Embedding.defineClass}, or undefined. */
  classOf(o: Ref): ClassRef | undefined {
    const cls = this.#core.objects.classOf(o);
    if (cls === undefined) return undefined;
    let ref = classRefs.get(cls);
    if (ref === undefined) {
      // A class the Runtime's handle API defined: give it its ClassRef now.
      ref = { name: cls.name, typeId: cls.type.id, cls };
      classRefs.set(cls, ref);
    }
    return ref;
  }

  /** The u32 index of reference slot `offset` of native object `o`, after checking both. */
  #refSlot(o: Ref, offset: number, method: string): number {
    const space = this.#core.space;
    if (!space.isLive(o)) space.check(o);
    // A subclass of a native type has its base's fields.
    const info = this.#native.typeOf(o) ?? this.#core.objects.subtypeOf(o)?.native;
    if (info === undefined) {
      throw new TypeError(`${method}: a '${this.typeName(o)}' object is not of a native type`);
    }
    if ((offset | 0) === offset && (offset & 7) === 0) {
      if (offset < info.basicSize && info.refAt[offset >>> 3] === 1) return (o + offset) >>> 2;
      const item = offset - info.firstItem;
      if (
        info.itemCount >= 0 &&
        item >= 0 &&
        item >>> 3 < this.memory.u32[(o + info.itemCount) >>> 2]!
      ) {
        return (o + offset) >>> 2;
      }
    }
    const items = info.itemSize > 0 ? this.memory.u32[(o + OB_SIZE) >>> 2]! : 0;
    const size = info.basicSize + info.itemSize * items;
    return badField(info, size, offset, method, this.#core.objects.typeName(o));
  }

  // ------------------------------------------------------------------ items

  /**
   * `o[key]` for lists and tuples (int keys), dicts (any hashable key) and strs (a one-character
   * str): a new reference. @throws PythonError TypeError, IndexError or KeyError, as CPython
   */
  getItem(o: Ref, key: Ref): Ref {
    const m = this.#core.objects;
    const type = m.builtinName(o);
    if (type === "dict") {
      const value = m.dictGet(o, key);
      if (value === 0) raise("KeyError", m.repr(key));
      return this.newRef(value);
    }
    if (type === "list") return this.newRef(m.listGet(o, this.#index(type, key)));
    if (type === "tuple") {
      const items = m.tupleItems(o);
      const i = this.#index(type, key);
      const at = i < 0 ? i + items.length : i;
      if (at < 0 || at >= items.length) raise("IndexError", "tuple index out of range");
      return this.newRef(items[at]!);
    }
    if (type === "str") {
      // An int subclass's instance is an index too (PyIndex_Check).
      if (m.builtinName(key) !== "int")
        raise("TypeError", `string indices must be integers, not '${m.typeName(key)}'`);
      const chars = Array.from(m.strValue(o));
      const i = indexSized(BigInt(m.intValue(key)));
      const at = i < 0 ? i + chars.length : i;
      if (at < 0 || at >= chars.length) raise("IndexError", "string index out of range");
      return m.newStr(chars[at]!);
    }
    return raise("TypeError", `'${type}' object is not subscriptable`);
  }

  /** `o[key] = value` for lists and dicts (both borrowed). @throws PythonError as CPython */
  setItem(o: Ref, key: Ref, value: Ref): void {
    const m = this.#core.objects;
    const type = m.builtinName(o);
    if (type === "dict") m.dictSet(o, key, value);
    else if (type === "list") m.listSet(o, this.#index(type, key), value);
    else raise("TypeError", `'${type}' object does not support item assignment`);
  }

  /** `del o[key]` for lists and dicts. @throws PythonError as CPython */
  delItem(o: Ref, key: Ref): void {
    const m = this.#core.objects;
    const type = m.builtinName(o);
    if (type === "dict") m.dictDelete(o, key);
    else if (type === "list") m.listDelete(o, this.#index(type, key));
    else {
      const keyType = m.typeName(key);
      raiseItemDeletion(
        type,
        m.classOf(o) !== undefined,
        keyType === "int" || keyType === "bool",
        keyType === "int" ? BigInt(m.intValue(key)) : undefined,
      );
    }
  }

  /** `len(o)` for strs, tuples, lists, dicts, sets and frozensets. @throws PythonError TypeError */
  len(o: Ref): number {
    const m = this.#core.objects;
    const type = m.builtinName(o);
    if (type === "list") return m.listLength(o);
    if (type === "dict") return m.dictLength(o);
    if (type === "tuple") return m.tupleItems(o).length;
    if (type === "str") return Array.from(m.strValue(o)).length;
    if (m.isAnySet(o)) return m.setLength(o);
    return raise("TypeError", `object of type '${type}' has no len()`);
  }

  /** `l.append(value)` (value borrowed). @throws PythonError AttributeError when `l` is no list */
  append(l: Ref, value: Ref): void {
    this.#expectMethod(l, "append");
    this.#core.objects.listAppend(l, value);
  }

  /** `l.pop()`: the last item (a new reference). @throws PythonError IndexError when empty */
  pop(l: Ref): Ref {
    this.#expectMethod(l, "pop");
    return this.#core.objects.listPop(l);
  }

  // ------------------------------------------------------------------ sequences

  /** The items of a list or tuple, borrowed, in order. @throws PythonError TypeError otherwise */
  items(o: Ref): number[] {
    const m = this.#core.objects;
    const type = m.builtinName(o);
    if (type === "list") return m.listItems(o);
    if (type === "tuple") return m.tupleItems(o);
    return raise("TypeError", `expected a list or a tuple, got '${type}'`);
  }

  /** `l[i]` of a list with an index already in range (borrowed). @throws PythonError IndexError */
  listItem(l: Ref, index: number): Ref {
    this.#expectMethod(l, "__getitem__");
    return this.#core.objects.listGet(l, index);
  }

  /** `l[i] = v` with an int index (v borrowed). @throws PythonError IndexError */
  listSet(l: Ref, index: number, value: Ref): void {
    this.#expectMethod(l, "__setitem__");
    this.#core.objects.listSet(l, index, value);
  }

  /** `del l[i]` with an int index. @throws PythonError IndexError */
  listDelete(l: Ref, index: number): void {
    this.#expectMethod(l, "__delitem__");
    this.#core.objects.listDelete(l, index);
  }

  /**
   * `del l[start:stop]` with 0 <= start <= stop <= len(l), as CPython's `list_ass_slice`: one
   * move of the tail, one resize, then the removed items released from the last to the first.
   * @throws RangeError for bounds outside the list
   */
  listDeleteSlice(l: Ref, start: number, stop: number): void {
    this.#expectMethod(l, "__delitem__");
    this.#core.objects.listDeleteSlice(l, start, stop);
  }

  /**
   * `l[start:stop] = items` (items borrowed) with 0 <= start <= stop <= len(l), as CPython's
   * `list_ass_slice`: the replaced items set aside, one move of the tail, one resize, the new
   * items stored, then the replaced ones released from the last to the first; a replacement
   * that leaves the list empty clears it.
   * @throws RangeError for bounds outside the list
   */
  listReplaceSlice(l: Ref, start: number, stop: number, items: readonly Ref[]): void {
    this.#expectMethod(l, "__setitem__");
    this.#core.objects.listReplaceSlice(l, start, stop, items);
  }

  /** `l.extend(items)` (items borrowed), with CPython's exact first allocation. */
  extend(l: Ref, items: readonly Ref[]): void {
    this.#expectMethod(l, "extend");
    this.#core.objects.listExtend(l, items);
  }

  /**
   * Room for `hint` more items in `l`, its length unchanged: what CPython's `list_extend` makes
   * before it runs an iterator (`list_resize` to the length plus PyObject_LengthHint's guess).
   * Follow the appends with {@link trimList}.
   */
  reserveList(l: Ref, hint: number): void {
    this.#expectMethod(l, "extend");
    this.#core.objects.listReserve(l, hint);
  }

  /** `list_extend`'s cut back after an iterator: `list_resize` to the length. */
  trimList(l: Ref): void {
    this.#expectMethod(l, "extend");
    this.#core.objects.listTrim(l);
  }

  /** `l.insert(i, v)` (v borrowed). */
  insert(l: Ref, index: number, value: Ref): void {
    this.#expectMethod(l, "insert");
    this.#core.objects.listInsert(l, index, value);
  }

  /** `l.clear()`. */
  clearList(l: Ref): void {
    this.#expectMethod(l, "clear");
    this.#core.objects.listClear(l);
  }

  /** Puts a list's own items in a new order (`sort`, `reverse`): `items` must be a permutation. */
  permute(l: Ref, items: readonly Ref[]): void {
    this.#expectMethod(l, "sort");
    this.#core.objects.listPermute(l, items);
  }

  /**
   * `list.sort`'s start (`list_sort_impl`): `l` looks empty (length 0, `sys.getsizeof` 48) to
   * the code the sort runs, and its items are handed over, still the list's references. Every
   * detach must be followed by {@link Embedding.reattachList}.
   */
  detachList(l: Ref): DetachedItems {
    this.#expectMethod(l, "sort");
    return this.#core.objects.listDetach(l);
  }

  /**
   * `list.sort`'s end: `detached.items`, reordered or not, go back into `l`; what the list was
   * given meanwhile is released (its items from the last to the first).
   * @returns whether `l` was changed while detached: CPython then raises
   *   `ValueError: list modified during sort`
   */
  reattachList(l: Ref, detached: DetachedItems): boolean {
    return this.#core.objects.listReattach(l, detached);
  }

  /** Whether `o` is the runtime's own key constant or interned identifier. */
  isInterned(o: Ref): boolean {
    return this.#core.objects.isInterned(o);
  }

  // ------------------------------------------------------------------ hashing, dicts and sets
  //
  // Dict keys and set elements are any hashable object. The runtime hashes and compares its own
  // kinds as CPython 3.11 does (ints, bools, floats, strs, tuples, None, frozensets; `1 == 1.0
  // == True` with equal hashes); lists, dicts and sets are unhashable. Everything else (the
  // front end's instances, functions, …) hashes and compares through the key protocol the
  // front end installs, by identity until it does.

  /**
   * Installs the front end's `__hash__` and `__eq__` for the objects the runtime does not know
   * (undefined restores the default: `_Py_HashPointer` of the address, and identity). Either
   * function may throw (a PythonError from user code): the dict or set being looked up stays
   * consistent, and a lookup whose `==` changed the table looks up again, as CPython's does.
   */
  setKeyProtocol(protocol: KeyProtocol | undefined): void {
    this.#core.objects.setKeyProtocol(protocol);
  }

  /**
   * `hash(o)`, bit-exact with CPython 3.11 on 64-bit Linux (strs as under `PYTHONHASHSEED=0`;
   * `None` and identity-hashed objects from their address here).
   * @throws PythonError TypeError `unhashable type: 'list'` (dict, set), or what the protocol throws
   */
  hash(o: Ref): bigint {
    return this.#core.objects.hash(o);
  }

  /** `a == b` as dict keys compare: identity, the runtime's kinds by value, else the protocol. */
  keysEqual(a: Ref, b: Ref): boolean {
    return this.#core.objects.keysEqual(a, b);
  }

  /** `key in o` for a dict, set or frozenset. @throws PythonError TypeError, as CPython */
  contains(o: Ref, key: Ref): boolean {
    const m = this.#core.objects;
    const type = m.builtinName(o);
    if (type === "dict") return m.dictGet(o, key) !== 0;
    if (m.isAnySet(o)) return m.setContains(o, key);
    return raise("TypeError", `argument of type '${type}' is not iterable`);
  }

  /** `d.get(key)`: the value (borrowed), or 0 when missing. @throws PythonError TypeError */
  dictGet(d: Ref, key: Ref): Ref {
    this.#expect(d, "dict");
    return this.#core.objects.dictGet(d, key);
  }

  /** `d[key] = value` (both borrowed). @throws PythonError TypeError, the dict unchanged */
  dictSet(d: Ref, key: Ref, value: Ref): void {
    this.#expect(d, "dict");
    this.#core.objects.dictSet(d, key, value);
  }

  /** `del d[key]`. @throws PythonError KeyError when missing, TypeError when unhashable */
  dictDel(d: Ref, key: Ref): void {
    this.#expect(d, "dict");
    this.#core.objects.dictDelete(d, key);
  }

  /**
   * Iteration by position, allocation-free (`_PyDict_Next`): the first live position at or
   * after `pos`, or -1. Positions follow insertion order:
   * `for (let i = py.dictNext(d, 0); i >= 0; i = py.dictNext(d, i + 1))`.
   */
  dictNext(d: Ref, pos: number): number {
    return this.#core.objects.dictNext(d, pos);
  }

  /**
   * The position a reverse iteration of `d` starts from, fixed when `reversed(d)` is made
   * (`dictiter_new`'s `di_pos`: the last entry of the key table, holes included, or of a split
   * dict's order; -1 for none): entries added after it are not seen. Walk it with
   * {@link Embedding.dictPrev}.
   */
  dictReverseStart(d: Ref): number {
    return this.#core.objects.dictReverseStart(d);
  }

  /**
   * Reversed iteration by position (`reversed(d)`): the last live position at or before `pos`,
   * or -1; a `pos` past the end starts from the last entry:
   * `for (let i = py.dictPrev(d, Infinity); i >= 0; i = py.dictPrev(d, i - 1))`.
   */
  dictPrev(d: Ref, pos: number): number {
    return this.#core.objects.dictPrev(d, pos);
  }

  /** The key at a live position of {@link Embedding.dictNext} (borrowed). */
  dictKeyAt(d: Ref, pos: number): Ref {
    return this.#core.objects.dictKeyAt(d, pos);
  }

  /** The value at a live position of {@link Embedding.dictNext} (borrowed). */
  dictValueAt(d: Ref, pos: number): Ref {
    return this.#core.objects.dictValueAt(d, pos);
  }

  /** `list(d)`: the keys in insertion order (borrowed). */
  dictKeys(d: Ref): Ref[] {
    this.#expect(d, "dict");
    return this.#core.objects.dictEntries(d).map(([key]) => key);
  }

  /** `list(d.values())`: the values in insertion order (borrowed). */
  dictValues(d: Ref): Ref[] {
    this.#expect(d, "dict");
    return this.#core.objects.dictEntries(d).map(([, value]) => value);
  }

  /** `list(d.items())` as `[key, value]` pairs in insertion order (borrowed). */
  dictItems(d: Ref): Array<[Ref, Ref]> {
    this.#expect(d, "dict");
    return this.#core.objects.dictEntries(d);
  }

  /**
   * `d.pop(key[, fallback])`: the removed value, or `fallback` when missing (a new reference).
   * @throws PythonError KeyError when missing without a fallback
   */
  dictPop(d: Ref, key: Ref, fallback?: Ref): Ref {
    this.#expect(d, "dict");
    const m = this.#core.objects;
    const value = m.dictPop(d, key);
    if (value !== 0) return value;
    if (fallback === undefined) raise("KeyError", m.repr(key));
    return this.newRef(fallback);
  }

  /**
   * `d.popitem()`: the last entry as a new `(key, value)` tuple.
   * @throws PythonError KeyError `'popitem(): dictionary is empty'`
   */
  dictPopItem(d: Ref): Ref {
    this.#expect(d, "dict");
    return this.#core.objects.dictPopItem(d);
  }

  /** `d.setdefault(key, fallback)`: the value now at `key` (a new reference). */
  dictSetDefault(d: Ref, key: Ref, fallback: Ref): Ref {
    this.#expect(d, "dict");
    return this.newRef(this.#core.objects.dictSetDefault(d, key, fallback));
  }

  /** `d.copy()`: a new dict (a new reference), cloned whole when `d` is compact. */
  dictCopy(d: Ref): Ref {
    this.#expect(d, "dict");
    return this.#core.objects.dictCopy(d);
  }

  /**
   * `d.update(other)` for a dict `other`, as `dict_merge`. (Other iterables: set the pairs one
   * by one with {@link Embedding.dictSet}.)
   * @throws PythonError RuntimeError `dict mutated during update`, TypeError, as CPython
   */
  dictUpdate(d: Ref, other: Ref): void {
    this.#expect(d, "dict");
    this.#expect(other, "dict");
    this.#core.objects.dictUpdate(d, other);
  }

  /** `d.clear()`: the entries are released first to last, which may run finalizers. */
  dictClear(d: Ref): void {
    this.#expect(d, "dict");
    this.#core.objects.dictClear(d);
  }

  /**
   * `set(items)` (a new reference): the items added one by one, in order, as a set display or
   * `set(list)` adds them. @throws PythonError TypeError for an unhashable item
   */
  set(items: readonly Ref[] = []): Ref {
    return this.#core.objects.newSet(false, items);
  }

  /** `frozenset(items)` (a new reference), as {@link Embedding.set}. */
  frozenset(items: readonly Ref[] = []): Ref {
    return this.#core.objects.newSet(true, items);
  }

  /**
   * `set(o)` or `frozenset(o)` of a set, frozenset or dict (its keys), merged table to table as
   * CPython does (a new reference; `frozenset(f)` of a frozenset is `f` itself).
   */
  setFrom(o: Ref, frozen = false): Ref {
    const m = this.#core.objects;
    if (frozen && m.isFrozenSet(o) && m.typeName(o) === "frozenset") return this.newRef(o);
    if (m.isAnySet(o)) return m.newSet(frozen, { set: o });
    this.#expect(o, "dict");
    return m.newSet(frozen, { dict: o });
  }

  /** `s.add(key)`. @throws PythonError TypeError for an unhashable key, the set unchanged */
  setAdd(s: Ref, key: Ref): void {
    this.#expectSet(s, "add", false);
    this.#core.objects.setAdd(s, key);
  }

  /** `s.discard(key)`: whether `key` was there. */
  setDiscard(s: Ref, key: Ref): boolean {
    this.#expectSet(s, "discard", false);
    return this.#core.objects.setDiscard(s, key);
  }

  /** `s.remove(key)`. @throws PythonError KeyError when missing */
  setRemove(s: Ref, key: Ref): void {
    this.#expectSet(s, "remove", false);
    this.#core.objects.setRemove(s, key);
  }

  /** `key in s`. @throws PythonError TypeError for an unhashable key other than a set */
  setContains(s: Ref, key: Ref): boolean {
    this.#expectSet(s, "__contains__", true);
    return this.#core.objects.setContains(s, key);
  }

  /**
   * Iteration in CPython's order (the table's), allocation-free: the first occupied slot at or
   * after `pos`, or -1: `for (let i = py.setNext(s, 0); i >= 0; i = py.setNext(s, i + 1))`.
   */
  setNext(s: Ref, pos: number): number {
    return this.#core.objects.setNext(s, pos);
  }

  /** The key in a slot {@link Embedding.setNext} returned (borrowed). */
  setKeyAt(s: Ref, pos: number): Ref {
    return this.#core.objects.setKeyAt(s, pos);
  }

  /** `list(s)`: the keys in iteration order (borrowed). */
  setItems(s: Ref): Ref[] {
    this.#expectSet(s, "__iter__", true);
    return this.#core.objects.setItems(s);
  }

  /** `s.pop()`: a key (a new reference). @throws PythonError KeyError `'pop from an empty set'` */
  setPop(s: Ref): Ref {
    this.#expectSet(s, "pop", false);
    return this.#core.objects.setPop(s);
  }

  /** `s.clear()`: the keys are released in table order. */
  setClear(s: Ref): void {
    this.#expectSet(s, "clear", false);
    this.#core.objects.setClear(s);
  }

  /** `s.copy()` (a new reference; a frozenset's is itself). */
  setCopy(s: Ref): Ref {
    this.#expectSet(s, "copy", true);
    return this.#core.objects.setCopy(s);
  }

  /** `s.update(other)` for a set, frozenset or dict `other` (or an array of keys). */
  setUpdate(s: Ref, other: Ref | readonly Ref[]): void {
    this.#expectSet(s, "update", false);
    const m = this.#core.objects;
    if (typeof other !== "number") m.setUpdate(s, other);
    else if (m.isAnySet(other)) m.setUpdate(s, { set: other });
    else {
      this.#expect(other, "dict");
      m.setUpdate(s, { dict: other });
    }
  }

  /**
   * `a | b`, `a & b`, `a - b` or `a ^ b` on two sets or frozensets: a new set of `a`'s type.
   * @throws PythonError TypeError `unsupported operand type(s)` for anything else
   */
  setOperation(op: "|" | "&" | "-" | "^", a: Ref, b: Ref): Ref {
    const m = this.#core.objects;
    if (!m.isAnySet(a) || !m.isAnySet(b))
      raise(
        "TypeError",
        `unsupported operand type(s) for ${op}: '${m.typeName(a)}' and '${m.typeName(b)}'`,
      );
    if (op === "|") return m.setUnion(a, b);
    if (op === "&") return m.setIntersection(a, b);
    if (op === "-") return m.setDifference(a, b);
    return m.setSymmetricDifference(a, b);
  }

  // ------------------------------------------------------------------ frames

  /** The module frame: its variables are the globals. */
  get module(): ActivationFrame {
    return new ActivationFrame(this.#core.frames.module, this.#core);
  }

  /** The innermost frame. */
  get top(): ActivationFrame {
    return new ActivationFrame(this.#core.frames.top, this.#core);
  }

  /** Frames on the stack, the module frame included. */
  get depth(): number {
    return this.#core.frames.depth;
  }

  /**
   * Pushes a function frame with its locals in co_varnames order, all unbound: slot `i` is
   * `locals[i]`. Pass one array per code object and keep it unchanged: its name-to-slot map is
   * made at the first push and shared by every frame pushed with the same array.
   * @throws PythonError RecursionError past `sys.getrecursionlimit()`, the stack unchanged
   */
  pushFrame(name: string, filename: string, locals: readonly string[]): ActivationFrame {
    this.#core.startProcess();
    return new ActivationFrame(this.#core.frames.push(name, filename, locals), this.#core);
  }

  /**
   * Pushes `frame` again after {@link Embedding.popFrame} popped it, as a new call of the same
   * function: what {@link Embedding.pushFrame} does with the same name, file and locals, without
   * making a frame (a front end that keeps a finished call's frame for the next call of its code
   * keeps this one with it). Its locals are unbound and its line 0, its caller the top frame.
   * @throws PythonError RecursionError past `sys.getrecursionlimit()`, the stack unchanged
   * @throws RangeError when `frame` is on the stack, is the module frame, or still binds a local
   */
  repushFrame(frame: ActivationFrame): void {
    this.#core.startProcess();
    this.#core.frames.repush(frame.frame);
  }

  /**
   * Counts a call into the front end's native code (a builtin function) toward the recursion
   * depth, as CPython counts C calls; pair it with {@link Embedding.leaveCall}.
   * @param where what the RecursionError's message adds (CPython's words for the call:
   *   " while getting the repr of an object"); by default " while calling a Python object"
   * @throws PythonError RecursionError past `sys.getrecursionlimit()`, the depth unchanged
   */
  enterCall(where?: string): void {
    this.#core.frames.enterCall(where);
  }

  /** Ends a call counted by {@link Embedding.enterCall}. */
  leaveCall(): void {
    this.#core.frames.leaveCall();
  }

  /**
   * Pops the innermost frame (RETURN_VALUE) and releases its locals in slot order, which may run
   * finalizers. A return value must be held (as a temporary, say) before the frame is popped.
   * @throws RangeError when `frame` is not the innermost frame
   */
  popFrame(frame: ActivationFrame): void {
    const core = this.#core;
    // A pop that faults has still popped the frame (see FrameStack.pop): its locals go too.
    try {
      core.frames.pop(frame.frame);
    } finally {
      frame.frame.release(this.#decref);
    }
  }

  /**
   * Pops the innermost frame without releasing its locals, as when an exception's traceback
   * keeps the frame alive: the caller now owns their references (in slot order) and releases
   * them when the traceback dies (until then they should be roots: see {@link Embedding.addRoots}).
   * @throws RangeError when `frame` is not the innermost frame
   */
  detachFrame(frame: ActivationFrame): Ref[] {
    this.#core.frames.pop(frame.frame);
    return frame.frame.clear();
  }

  // ------------------------------------------------------------------ temporaries

  /**
   * Pushes `o` on the value stack, *taking* the reference the caller owns: a root until it is
   * popped, as an evaluated operand is in CPython's frame.
   */
  push(o: Ref): Ref {
    this.#core.temps.push(o);
    return o;
  }

  /** Pops the top temporary; the caller owns its reference again. @throws RangeError when empty */
  popTemp(): Ref {
    const temps = this.#core.temps;
    if (temps.length === 0) throw new RangeError("no temporaries to pop");
    return temps.pop()!;
  }

  /** The value stack's height, to drop back to with {@link Embedding.dropTemps}. */
  get tempMark(): number {
    return this.#core.temps.length;
  }

  /**
   * Pops temporaries down to `mark` and releases them in the order they were pushed (as an
   * unwinding frame's stack is), which may run finalizers.
   */
  dropTemps(mark: number): void {
    const temps = this.#core.temps;
    if (!Number.isInteger(mark) || mark < 0 || mark > temps.length)
      throw new RangeError(`no temporary mark ${mark} (the stack holds ${temps.length})`);
    for (const o of temps.splice(mark)) this.decref(o);
  }

  /** Adds a source of roots (a front end's own references, for tracing collectors); returns its removal. */
  addRoots(source: () => Iterable<Ref>): () => void {
    return this.#core.addRoots(source);
  }

  // ------------------------------------------------------------------ modules

  /**
   * `weakref.ref(target, callback)`: a new reference to a new weak reference. The callback gets
   * the weakref (borrowed) once the target dies.
   * @throws PythonError TypeError when the target's type has no weak references
   */
  weakref(target: Ref, callback?: (weakref: Ref) => void, subtype?: SubtypeRef): Ref {
    const core = this.#core;
    const wrapped: WeakrefCallback | undefined = callback
      ? (w) => {
          core.notifyWeakrefCallback(w);
          callback(w);
        }
      : undefined;
    if (subtype !== undefined) return this.#weakrefSubtypeInstance(target, wrapped, subtype);
    let wr: number;
    try {
      wr = core.strategy.rc.newWeakref(target, wrapped);
    } catch (error) {
      // The counter's own error, as the Python exception CPython raises (naming the type by
      // its `tp_name`, which the object layer knows: `weakref.ReferenceType`, not `weakref`).
      if (error instanceof WeakrefTypeError)
        raise(
          "TypeError",
          `cannot create weak reference to '${core.objects.typeName(target)}' object`,
        );
      throw error;
    }
    if (wr === 0) raise("MemoryError", "");
    core.notifyAllocate(wr);
    return wr;
  }

  /**
   * `ref.__new__(cls, target, callback)` for a subclass of weakref ({@link defineSubtype} with
   * base `"weakref"`): always a new instance (tracked), linked after the target's basic
   * reference. The target's type is checked before anything is allocated.
   */
  #weakrefSubtypeInstance(
    target: Ref,
    callback: WeakrefCallback | undefined,
    subtype: SubtypeRef,
  ): Ref {
    const core = this.#core;
    if (subtype.base !== "weakref")
      raise("TypeError", `${subtype.name} is not a subtype of weakref.ReferenceType`);
    const rc = core.strategy.rc;
    const type = rc.space.typeOf(target);
    if ((type.flags & TypeFlags.Weakrefable) === 0)
      raise(
        "TypeError",
        `cannot create weak reference to '${core.objects.typeName(target)}' object`,
      );
    const wr = core.objects.newSubtypeInstance(subtype.subtype);
    rc.initWeakref(wr, target, callback);
    return wr;
  }

  /** `w()`: the referent (a new reference), or `None` (borrowed) once it is dead. */
  deref(weakref: Ref): Ref {
    const target = this.#core.strategy.rc.weakrefTarget(weakref);
    return target === 0 ? this.#core.objects.none : this.newRef(target);
  }

  /** `gc.collect(generation)`: the number of unreachable objects found. @throws ValueError */
  collect(generation = 2): number {
    if (!Number.isInteger(generation) || generation < 0 || generation > 2)
      raise("ValueError", "invalid generation");
    return this.#core.collect(generation);
  }

  /** `gc.is_tracked(o)`. */
  isTracked(o: Ref): boolean {
    return this.#core.strategy.isTracked(o);
  }

  /** `gc.is_finalized(o)`. */
  isFinalized(o: Ref): boolean {
    return this.#core.strategy.isFinalized(o);
  }

  /** Raises a Python exception with CPython's type and message (`raise TypeError(...)`). */
  raise(type: PythonErrorType, message: string): never {
    throw new PythonError(type, message);
  }

  /**
   * Adds an observer of allocations, frees (by count or by which generation's collection),
   * finalizers, weakref callbacks and collections; returns its removal.
   */
  observe(observer: RuntimeObserver): () => void {
    return this.#core.observe(observer);
  }

  #expect(o: Ref, type: string): void {
    const m = this.#core.objects;
    if (m.builtinName(o) !== type) raise("TypeError", `expected ${type}, got '${m.typeName(o)}'`);
  }

  /** A set (or, for `frozenOk`, a frozenset), or the AttributeError CPython raises. */
  #expectSet(o: Ref, method: string, frozenOk: boolean): void {
    const m = this.#core.objects;
    if (m.isAnySet(o) && (frozenOk || !m.isFrozenSet(o))) return;
    raise("AttributeError", `'${m.typeName(o)}' object has no attribute '${method}'`);
  }

  #expectMethod(o: Ref, name: string): void {
    // An exact list is one by its type id alone; a subclass's instance and anything else are
    // told by their built-in type's name.
    if (this.memory.u32[(o + OB_TYPE) >>> 2] === this.#lists.type.id) return;
    const m = this.#core.objects;
    if (m.builtinName(o) !== "list")
      raise("AttributeError", `'${m.typeName(o)}' object has no attribute '${name}'`);
  }

  /** An int index from an int key, or CPython's TypeError. */
  #index(type: string, key: Ref): number {
    const m = this.#core.objects;
    if (m.builtinName(key) !== "int")
      raise("TypeError", `${type} indices must be integers or slices, not ${m.typeName(key)}`);
    return indexSized(BigInt(m.intValue(key)));
  }
}

/**
 * The gc, sys, weakref and tracemalloc modules of a runtime, for {@link Embedding} users: a
 * `Runtime` is one.
 */
export interface RuntimeModules {
  /** The `gc` module. */
  readonly gc: GcModule;
  /** The `sys` module's memory functions. */
  readonly sys: SysModule;
  /** The `weakref` module (over handles; {@link Embedding.weakref} works on references). */
  readonly weakref: WeakrefModule;
  /** The `tracemalloc` module. */
  readonly tracemalloc: Tracemalloc;
}

/** A value that was passed for a native type, for an error message. */
function describeType(type: unknown): string {
  if (typeof type === "object" && type !== null && "name" in type)
    return `'${String((type as { name: unknown }).name)}'`;
  return String(type);
}

/** The error of a field offset that is not a reference slot of a native object. */
function badField(
  info: NativeTypeInfo,
  size: number,
  offset: number,
  method: string,
  name: string,
): never {
  if (!Number.isInteger(offset) || offset < 0 || offset + 8 > size) {
    throw new RangeError(
      `${method}: offset ${offset} is outside the ${size}-byte '${name}' object (its references are 8-byte slots from 16 to ${size - 8})`,
    );
  }
  const slots =
    info.refs.length > 0
      ? `its reference fields are at ${info.refs.join(", ")}`
      : "it has no reference fields";
  const items = info.itemCount >= 0 ? `, its items from ${info.firstItem}` : "";
  throw new InvalidArgumentError(
    `${method}: offset ${offset} of a '${name}' object is not a reference slot (${slots}${items})`,
  );
}

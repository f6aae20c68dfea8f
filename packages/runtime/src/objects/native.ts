// Native types: object types a language front end defines at run time (a function, a code
// object, a cell, a bound method, a range, an iterator, an exception, a frame, a class with
// __slots__), with CPython's sizes, tracking and deallocation order. The front end gives the
// layout (the basic size, where the references sit) and the kind does the rest: the type in the
// heap's registry with a pointer map the collectors walk, traverse, clear and dealloc over the
// same offsets, allocation counted as every allocation is, and tp_free without a free list.

import {
  InvalidArgumentError,
  OB_TYPE,
  type TypeDescriptor,
  TypeFlags,
  type TypeSpec,
  type Visit,
} from "@mm/heap";
import type { KindTable, ObjectKind } from "./kind.js";

/**
 * What the object layer needs to define a native type: CPython's `PyType_Spec`, reduced to the
 * memory layout and the hooks. References sit in 8-byte slots (an object's address in the low
 * 32 bits, 0 when empty), as every reference of the heap does.
 *
 * ```
 *   op - 16  +------------------------+
 *            | gc_next      gc_gen    |  8   containers only (not in basicSize)
 *   op - 8   | gc_prev      gc_refs   |  8
 *   op + 0   +------------------------+
 *            | ob_refcnt    ob_flags  |  8
 *   op + 8   | ob_type      weaklist  |  8
 *   op + 16  | fields ...             |      refs: offsets of reference fields; the other
 *            |                        |      bytes are scalars the front end reads and writes
 *   op + basicSize - ... +------------+
 *            | item[0] ... item[n-1]  |  8n  items: an inline run of reference slots from
 *            +------------------------+      `first`, their count a u32 at `count`
 *   sys.getsizeof = basicSize + itemSize × n (+ 16 for the GC head of a container)
 * ```
 */
export interface NativeSpec {
  /** `type(o).__name__`. */
  readonly name: string;
  /** `tp_basicsize`: bytes from the object's address, the 16-byte object head included. */
  readonly basicSize: number;
  /** `tp_itemsize`: bytes per item of a variable-size type (8 when it has `items`). */
  readonly itemSize?: number;
  /** Whether instances have a GC head (`Py_TPFLAGS_HAVE_GC`). */
  readonly container?: boolean;
  /** Whether {@link NativeKind.create} tracks a container (default true). */
  readonly trackOnCreate?: boolean;
  /** Whether weak references to instances are allowed. */
  readonly weakrefable?: boolean;
  /** Byte offsets of the reference fields, in traverse and release order. */
  readonly refs?: readonly number[];
  /** An inline run of reference slots after the fields, released after them. */
  readonly items?: { readonly count: number; readonly first: number };
  /** `tp_finalize` (PEP 442): at most once per object. */
  readonly finalize?: (o: number) => void;
  /** Called once the references are released, just before the memory is freed. */
  readonly onFree?: (o: number) => void;
  /** `repr(o)`; `<name object at 0x…>` without it. */
  readonly repr?: (o: number) => string;
  /** `__sizeof__`, when it is not `basicSize + itemSize × n`. */
  readonly sizeOf?: (o: number) => number;
  /**
   * The type object in the heap that every instance holds a reference to (a heap type's, as
   * a class statement makes): taken when an instance is made, dropped after its memory is
   * freed, visited after the references (before them with {@link typeObjectFirst}). Needs a
   * container.
   */
  readonly typeObject?: number;
  /** Whether traversals visit {@link typeObject} before the references (an exception subclass's). */
  readonly typeObjectFirst?: boolean;
  /**
   * References the front end keeps outside the object (in blocks it allocates, as a deque's
   * are): `traverse` visits each after the fields and items, `clear` drops each (`Py_CLEAR`).
   * The type then has no pointer map: collectors call its traverse. Needs a container.
   */
  readonly external?: {
    readonly traverse: (o: number, visit: Visit, arg: number) => number;
    readonly clear: (o: number) => void;
  };
  /**
   * How many freed instances the type keeps for its next ones, as CPython 3.11 keeps the last
   * freed slice (`slice_cache`): a dying instance whose fields are released goes there while it
   * has room, its block still allocated (and traced), and the next instance is made in it.
   * Neither the parking nor the reuse is an allocation or a free to the collector's count, nor
   * does `gc.collect()`'s clearing of the free lists empty it. Only for a fixed-size type
   * without a `typeObject` or `onFree`. Default 0.
   */
  readonly cache?: number;
}

/**
 * A defined native type: its name and type id (what the embedding API hands out), with the
 * layout checks need. One per {@link NativeKind.define}.
 */
export class NativeTypeInfo {
  /** `type(o).__name__` (the registry's name may carry a `#n` suffix). */
  readonly name: string;
  /** The type id in the objects' headers. */
  readonly id: number;
  /** The registered type. */
  readonly type: TypeDescriptor;
  /** `tp_basicsize`. */
  readonly basicSize: number;
  /** `tp_itemsize`. */
  readonly itemSize: number;
  /** Whether instances have a GC head. */
  readonly container: boolean;
  /** Whether a container is tracked as it is made. */
  readonly trackOnCreate: boolean;
  /** The reference fields' offsets, in order. */
  readonly refs: readonly number[];
  /** The offset of the items' u32 count, or -1 without items. */
  readonly itemCount: number;
  /** The offset of the first item slot (meaningful with items). */
  readonly firstItem: number;
  /** By `offset / 8`, for offsets inside `basicSize`: 1 where a reference field starts. */
  readonly refAt: Uint8Array;
  /** Whether the type holds references at all. */
  readonly holdsRefs: boolean;
  /** {@link NativeSpec.repr}. */
  readonly reprOf: ((o: number) => string) | undefined;
  /** {@link NativeSpec.onFree}. */
  readonly onFree: ((o: number) => void) | undefined;
  /** {@link NativeSpec.cache}: how many freed instances' blocks the type keeps. */
  readonly cache: number;
  /** @internal The blocks kept, the last freed last. */
  readonly cached: number[] = [];

  /** @internal Made by {@link NativeKind.define}. */
  constructor(spec: NativeSpec, type: TypeDescriptor, itemSize: number) {
    this.name = spec.name;
    this.id = type.id;
    this.type = type;
    this.basicSize = spec.basicSize;
    this.itemSize = itemSize;
    this.container = spec.container === true;
    this.trackOnCreate = spec.trackOnCreate !== false;
    this.refs = Object.freeze([...(spec.refs ?? [])]);
    this.itemCount = spec.items ? spec.items.count : -1;
    this.firstItem = spec.items ? spec.items.first : 0;
    this.refAt = new Uint8Array(Math.ceil(spec.basicSize / 8));
    for (const offset of this.refs) this.refAt[offset >>> 3] = 1;
    this.holdsRefs =
      this.refs.length > 0 || spec.items !== undefined || spec.external !== undefined;
    this.reprOf = spec.repr;
    this.onFree = spec.onFree;
    this.cache = spec.cache ?? 0;
  }
}

/** The kind of every native type's objects. */
export class NativeKind implements ObjectKind {
  readonly name = "native";
  readonly #table: KindTable;
  /** Native types by type id: {@link typeOf} is one array read. */
  readonly #types: Array<NativeTypeInfo | undefined> = [];
  /**
   * Live objects of non-container types that hold references, while a tracing collector needs
   * them as roots (see {@link keepUntracedRoots}); undefined otherwise.
   */
  #untraced: Set<number> | undefined;

  constructor(table: KindTable) {
    this.#table = table;
  }

  /**
   * Registers a native type. A type whose references are only fields, with neither finalizer
   * nor `onFree`, releases them in place (`release: "fields"`, CPython's subtype_dealloc for a
   * class with `__slots__`): reference counting and the collectors drop them with no call back
   * into the layer. Other types get a dealloc that clears the fields in order, then the items.
   * Containers get a traverse (for `gc.get_referents`) over the same offsets as their pointer map.
   * @throws InvalidArgumentError naming what is wrong with the layout
   */
  define(spec: NativeSpec): NativeTypeInfo {
    const itemSize = checkSpec(spec);
    const table = this.#table;
    const memory = table.memory;
    const host = table.host;
    const types = host.space.types;
    let registered = spec.name;
    for (let n = 2; types.byName(registered); n++) registered = `${spec.name}#${n}`;
    const refs = [...(spec.refs ?? [])];
    const items = spec.items;
    const container = spec.container === true;
    const finalize = spec.finalize;
    const external = spec.external;
    const inPlace = refs.length > 0 && !items && !finalize && !spec.onFree && !external;

    // tp_traverse: the fields in order, then the items first to last; the type object (a heap
    // type's) after them, or before them for a subclass of a type with a traverse of its own.
    const typeObject = spec.typeObject ?? 0;
    const typeFirst = typeObject !== 0 && spec.typeObjectFirst === true;
    const typeLast = typeObject !== 0 && !typeFirst;
    const traverse = (o: number, visit: Visit, arg: number): number => {
      const u32 = memory.u32;
      if (typeFirst && visit(typeObject, arg) !== 0) return 1;
      for (let i = 0; i < refs.length; i++) {
        const ref = u32[(o + refs[i]!) >>> 2]!;
        if (ref !== 0 && visit(ref, arg) !== 0) return 1;
      }
      if (items) {
        const n = u32[(o + items.count) >>> 2]!;
        for (let i = 0; i < n; i++) {
          const ref = u32[(o + items.first + 8 * i) >>> 2]!;
          if (ref !== 0 && visit(ref, arg) !== 0) return 1;
        }
      }
      if (external && external.traverse(o, visit, arg) !== 0) return 1;
      if (typeLast && visit(typeObject, arg) !== 0) return 1;
      return 0;
    };
    // Py_CLEAR of each field in order, then of each item: the slot is emptied before what it
    // held is released, so a finalizer the release runs sees no dangling reference.
    const clear = (o: number): void => {
      for (let i = 0; i < refs.length; i++) {
        const at = (o + refs[i]!) >>> 2;
        const ref = memory.u32[at]!;
        if (ref !== 0) {
          memory.u32[at] = 0;
          host.decref(ref);
        }
      }
      if (items) {
        const n = memory.u32[(o + items.count) >>> 2]!;
        for (let i = 0; i < n; i++) {
          const at = (o + items.first + 8 * i) >>> 2;
          const ref = memory.u32[at]!;
          if (ref !== 0) {
            memory.u32[at] = 0;
            host.decref(ref);
          }
        }
      }
      external?.clear(o);
    };

    const typeSpec: TypeSpec = {
      name: registered,
      basicSize: spec.basicSize,
      itemSize,
      flags:
        (container ? TypeFlags.Gc : 0) |
        (spec.weakrefable ? TypeFlags.Weakrefable : 0) |
        (finalize ? TypeFlags.HasFinalizer : 0),
      ...((refs.length > 0 || items) && !external
        ? {
            pointers: {
              fields: refs,
              ...(items ? { items: { count: items.count, first: items.first } } : {}),
            },
          }
        : {}),
      // gc.get_referents lists a container's references; a non-container's, as in CPython, none.
      ...(container ? { traverse } : {}),
      ...(inPlace
        ? { release: "fields" as const }
        : spec.refs?.length || items || external
          ? { clear, dealloc: clear }
          : {}),
      ...(finalize
        ? {
            finalize: (o: number) => {
              try {
                finalize(o);
              } catch (error) {
                host.unraisable(error, table.repr(o));
              }
            },
          }
        : {}),
      ...(spec.sizeOf ? { sizeOf: spec.sizeOf } : {}),
      ...(typeObject !== 0 ? { typeObject, typeObjectFirst: typeFirst } : {}),
    };
    const type = table.register(typeSpec, this);
    const info = new NativeTypeInfo(spec, type, itemSize);
    this.#types[type.id] = info;
    return info;
  }

  /** The native type of `o`, or undefined when it is of another kind. */
  typeOf(o: number): NativeTypeInfo | undefined {
    return this.#types[this.#table.memory.u32[(o + OB_TYPE) >>> 2]!];
  }

  /** Whether `type` is a native type of this layer (not a look-alike). */
  owns(type: { readonly id: number }): type is NativeTypeInfo {
    return this.#types[type.id] === type;
  }

  /**
   * A new object of `info` with `items` items (a new reference), every byte after the header
   * zero and the item count written at the items' count; a container is tracked unless its type
   * says otherwise. Counted as every allocation (a container's may collect first).
   * @throws PythonError MemoryError when the heap is exhausted
   */
  create(info: NativeTypeInfo, items: number): number {
    const table = this.#table;
    let o: number;
    const kept = info.cached.pop();
    if (kept !== undefined) {
      // _Py_NewReference of the kept block: counted as made, traced anew, no allocation.
      table.countAllocated();
      table.host.retrace?.(kept);
      o = table.host.space.initialize(kept, info.id, items);
    } else o = table.alloc(info.id, items);
    if (info.itemCount >= 0) table.memory.u32[(o + info.itemCount) >>> 2] = items;
    if (info.container && info.trackOnCreate) table.host.track(o);
    if (this.#untraced !== undefined && !info.container && info.holdsRefs) this.#untraced.add(o);
    return o;
  }

  /**
   * Keeps the referents of non-container objects alive under a collector that traces from
   * roots: such a collector walks containers only (as CPython's does), so what a non-container
   * holds is a root, as it is in CPython, where the collector sees those references only as
   * counts it cannot explain. Returns the source of those roots.
   */
  keepUntracedRoots(): () => Iterable<number> {
    this.#untraced ??= new Set();
    return () => this.#untracedReferents();
  }

  /** Whether {@link keepUntracedRoots} was called. */
  get keepsUntracedRoots(): boolean {
    return this.#untraced !== undefined;
  }

  *#untracedReferents(): IterableIterator<number> {
    const u32 = this.#table.memory.u32;
    for (const o of this.#untraced ?? []) {
      const info = this.typeOf(o)!;
      for (const offset of info.refs) {
        const ref = u32[(o + offset) >>> 2]!;
        if (ref !== 0) yield ref;
      }
      if (info.itemCount >= 0) {
        const n = u32[(o + info.itemCount) >>> 2]!;
        for (let i = 0; i < n; i++) {
          const ref = u32[(o + info.firstItem + 8 * i) >>> 2]!;
          if (ref !== 0) yield ref;
        }
      }
    }
  }

  typeName(o: number): string {
    return this.typeOf(o)!.name;
  }

  repr(o: number): string {
    const info = this.typeOf(o)!;
    return info.reprOf ? info.reprOf(o) : `<${info.name} object at 0x${o.toString(16)}>`;
  }

  /**
   * tp_free: `onFree`, then the memory back to the allocator, or into the type's
   * {@link NativeSpec.cache} while it has room. An exception from `onFree` cannot stop a death
   * half done: it is reported as unraisable.
   */
  free(o: number): void {
    const info = this.typeOf(o);
    this.#untraced?.delete(o);
    if (info !== undefined && info.cached.length < info.cache) {
      info.cached.push(this.#table.host.space.retire(o));
      return;
    }
    const onFree = info?.onFree;
    if (onFree !== undefined) {
      try {
        onFree(o);
      } catch (error) {
        this.#table.host.unraisable(
          error,
          `<onFree of ${info!.name} object at 0x${o.toString(16)}>`,
        );
      }
    }
    this.#table.host.release(o);
  }
}

/** Checks a spec's layout; returns its item size. @throws InvalidArgumentError */
function checkSpec(spec: NativeSpec): number {
  const bad = (message: string): never => {
    throw new InvalidArgumentError(`native type ${JSON.stringify(spec.name)}: ${message}`);
  };
  if (typeof spec.name !== "string" || spec.name.length === 0) {
    throw new InvalidArgumentError("a native type needs a non-empty name");
  }
  const { basicSize } = spec;
  if (!Number.isInteger(basicSize) || basicSize < 16 || basicSize % 8 !== 0) {
    bad(`basicSize must be a multiple of 8 of at least 16 (the object head), got ${basicSize}`);
  }
  const itemSize = spec.itemSize ?? (spec.items ? 8 : 0);
  if (!Number.isInteger(itemSize) || itemSize < 0) {
    bad(`itemSize must be a non-negative integer, got ${itemSize}`);
  }
  if (spec.items && itemSize !== 8) {
    bad(`items are 8-byte reference slots: itemSize must be 8, got ${itemSize}`);
  }
  if (itemSize > 0 && basicSize < 24) {
    bad(`a variable-size type's basicSize must include the 24-byte head, got ${basicSize}`);
  }
  // A variable-size object's head is 24 bytes: ob_size is at 16.
  const head = itemSize > 0 ? 24 : 16;
  const taken = new Set<number>();
  for (const offset of spec.refs ?? []) {
    if (!Number.isInteger(offset) || offset % 8 !== 0 || offset < head || offset + 8 > basicSize) {
      bad(
        `a reference field must be an 8-byte slot after the ${head}-byte head and inside basicSize (${head} to ${basicSize - 8}), got ${offset}`,
      );
    }
    if (taken.has(offset)) bad(`the reference field at ${offset} is given twice`);
    taken.add(offset);
  }
  if (spec.items) {
    const { count, first } = spec.items;
    // The count may be ob_size itself (at 16), as a tuple's is.
    if (!Number.isInteger(count) || count % 4 !== 0 || count < 16 || count + 4 > basicSize) {
      bad(`items.count must be a 4-byte slot from 16 (ob_size) and inside basicSize, got ${count}`);
    }
    if (taken.has(count & ~7)) bad(`items.count (${count}) is inside a reference field`);
    if (!Number.isInteger(first) || first % 8 !== 0 || first < 16 || first > basicSize) {
      bad(
        `items.first must be a multiple of 8 from 16 up to basicSize (${basicSize}), got ${first}`,
      );
    }
    if (first < basicSize && [...taken, count & ~7].some((o) => o >= first)) {
      bad(`the items from ${first} overlap the fields before basicSize`);
    }
  }
  if (spec.external !== undefined) {
    if (spec.container !== true) bad("external references need a container");
    if (typeof spec.external.traverse !== "function" || typeof spec.external.clear !== "function") {
      bad("external needs traverse and clear functions");
    }
  }
  const cache = spec.cache ?? 0;
  if (!Number.isInteger(cache) || cache < 0) {
    bad(`cache must be a non-negative integer, got ${cache}`);
  }
  if (cache > 0 && (itemSize > 0 || spec.typeObject !== undefined || spec.onFree !== undefined)) {
    bad("only a fixed-size type without a typeObject or onFree keeps a cache");
  }
  for (const hook of ["finalize", "onFree", "repr", "sizeOf"] as const) {
    if (spec[hook] !== undefined && typeof spec[hook] !== "function") {
      bad(`${hook} must be a function, got ${typeof spec[hook]}`);
    }
  }
  return itemSize;
}

// The contract between the object layer and one Python object kind, and the table that holds
// the kinds. A kind is one file of this folder: its memory layout, the type (or types) it
// registers in the heap's type registry with its own traverse/clear/dealloc/sizeOf, and what
// else is particular to it (its free list, its repr, its untrack rule). The object layer finds
// an object's kind by the type id in its header, with one array read: no switch on type ids.

import {
  type Allocator,
  InvalidArgumentError,
  type Memory,
  OB_FLAGS,
  OB_REFCNT,
  OB_TYPE,
  ObjectFlags,
  type ObjectSpace,
  type TypeDescriptor,
  type TypeSpec,
} from "@mm/heap";
import type { FreeListKind, FreeLists } from "@mm/pool-allocator";
import { raise } from "../errors.js";

/** What the object layer needs from the memory-management strategy. */
export interface ObjectHost {
  readonly space: ObjectSpace;
  /** The PyMem domain: list item arrays, instance values. */
  readonly mem: Allocator;
  /** The PyObject domain for non-object blocks: dict key tables. */
  readonly obj: Allocator;
  readonly freeLists: FreeLists | undefined;
  /**
   * Whether the strategy decides liveness by tracing alone (no reference counts): traversal
   * must then reach every object, including those CPython's `tp_traverse` skips because its
   * collector needs only containers (a dict's str keys).
   */
  readonly traced?: boolean;
  /** A new object of a type (counted and maybe collecting first, for containers). */
  allocate(typeId: number, items: number): number;
  /** Starts tracking a container. */
  track(object: number): void;
  isTracked(object: number): boolean;
  incref(object: number): void;
  decref(object: number): void;
  /** Returns an object's memory to its allocator (CPython's tp_free). */
  release(object: number): void;
  /**
   * {@link release} of an object whose type is `type`, when it is the same as `release`
   * (gen-gc's `directRelease`): the object layer calls it instead, without a look-up per death.
   */
  readonly releaseAs?: ((object: number, type: TypeDescriptor) => void) | undefined;
  /** Reports an exception that cannot propagate (from `__del__`). */
  unraisable(error: unknown, where: string): void;
}

/**
 * CPython's rule for untracking a kind's containers during a collection (tuples in every
 * collection, dicts in full ones): `canUntrack` says whether no reference the object holds can
 * be part of a cycle.
 */
export interface KindUntrackRule {
  /** Whether the rule runs only in full (oldest-generation) collections. */
  readonly fullCollectionsOnly: boolean;
  /** Whether the container may leave the collector's lists. */
  readonly canUntrack: (object: number) => boolean;
  /**
   * Whether `canUntrack` is the test the collector can run over the type's pointer map by
   * itself (every slot set, no referent that may be tracked): see gen-gc's `UntrackRule`.
   */
  readonly byPointerMap?: boolean;
  /** Whether an untracked instance can be part of no cycle (true of tuples alone). */
  readonly untrackedIsAcyclic?: boolean;
}

/**
 * One Python object kind. Its constructor registers its type (or types, for user classes)
 * through {@link KindTable.register}, giving the heap's type registry its traverse, clear,
 * dealloc and sizeOf hooks and, where its references sit in fixed slots or a counted run, a
 * pointer map; the members here are what the object layer itself asks of it.
 */
export interface ObjectKind {
  /** The kind's name: its type's name (`"tuple"`), or `"instance"` for user classes. */
  readonly name: string;
  /**
   * `tp_free`: gives a dead object's memory back, after `dealloc` (or, under a tracing
   * collector, instead of it). It frees the blocks the object still owns, then parks the
   * object on the kind's free list when there is room, else releases it to the allocator.
   */
  free(object: number): void;
  /** `repr(o)`, or undefined for the generic `<name object at 0x…>`. */
  repr?(object: number): string;
  /**
   * `type(o).__name__` when it differs from the registered type's name (two user classes may
   * share a name; the registry's names are unique).
   */
  typeName?(object: number): string;
  /**
   * `_PyObject_GC_MAY_BE_TRACKED` when it is not just "the type is a container" (a tuple may
   * be untracked). Only asked of objects whose type has a GC head.
   */
  mayBeTracked?(object: number): boolean;
  /**
   * Makes the kind's singletons and caches (`None`, the small ints, `()`), outside any strategy.
   * Runs once every kind is constructed, in the kinds' order.
   */
  start?(): void;
  /** The kind's untrack rule, if CPython's collector untracks its containers. */
  readonly untrack?: KindUntrackRule;
}

/** A kind's class: constructed once per object layer, with the table to register in. */
export type KindClass<K extends ObjectKind = ObjectKind> = new (table: KindTable) => K;

/**
 * The kinds of one object layer, by type id, and the services they share: allocation through
 * the strategy (counted), free lists, singletons made before anything runs.
 */
export class KindTable {
  readonly host: ObjectHost;
  readonly memory: Memory;
  /** Kinds by type id: the dispatch of `repr` and `typeName`. */
  readonly #byId: Array<ObjectKind | undefined> = [];
  /**
   * The kinds' `free` and `mayBeTracked`, bound, by type id: the hot paths call a function read
   * from an array rather than a method looked up on kinds of a dozen classes.
   */
  readonly #free: Array<((object: number) => void) | undefined> = [];
  readonly #mayBeTracked: Array<((object: number) => boolean) | undefined> = [];
  /**
   * By type id: the type object every instance holds a reference to (a heap type's), or 0/absent
   * (`TypeDescriptor.typeObject`, read here without a look-up in the registry).
   */
  readonly #typeObjects: number[] = [];
  /** By type id: the descriptors of the kinds' types, for {@link KindTable.release}. */
  readonly #types: Array<TypeDescriptor | undefined> = [];
  /** The host's `releaseAs`, read once: every death that reaches the allocator calls it. */
  readonly #releaseAs: ((object: number, type: TypeDescriptor) => void) | undefined;
  readonly #byClass = new Map<KindClass<ObjectKind>, ObjectKind>();
  readonly #kinds: ObjectKind[] = [];
  #allocated = 0;
  #freed = 0;
  #resized = 0;

  constructor(host: ObjectHost) {
    this.host = host;
    this.memory = host.space.memory;
    this.#releaseAs = host.releaseAs;
  }

  /**
   * Constructs `kinds` in order (a kind may look up the kinds before it with {@link get}), then
   * runs their `start` hooks in the same order.
   */
  install(kinds: readonly KindClass[]): void {
    const installed: ObjectKind[] = [];
    for (const Kind of kinds) {
      if (this.#byClass.has(Kind)) {
        throw new InvalidArgumentError(`kind ${Kind.name} is installed twice`);
      }
      const kind = new Kind(this);
      this.#byClass.set(Kind, kind);
      this.#kinds.push(kind);
      installed.push(kind);
    }
    for (const kind of installed) kind.start?.();
  }

  /** Registers a type in the heap's registry and makes `kind` the kind of its instances. */
  register(spec: TypeSpec, kind: ObjectKind): TypeDescriptor {
    const type = this.host.space.types.register(spec);
    this.adopt(type, kind);
    return type;
  }

  /** Makes `kind` the kind of a type that another layer registered (the weakref type). */
  adopt(type: TypeDescriptor, kind: ObjectKind): void {
    this.#byId[type.id] = kind;
    this.#free[type.id] = kind.free.bind(kind);
    this.#mayBeTracked[type.id] = kind.mayBeTracked?.bind(kind);
    this.#typeObjects[type.id] = type.typeObject;
    this.#types[type.id] = type;
  }

  /** The installed kind of class `Kind`. @throws when it is not installed (yet). */
  get<K extends ObjectKind>(Kind: KindClass<K>): K {
    const kind = this.#byClass.get(Kind);
    if (kind === undefined) {
      throw new InvalidArgumentError(`kind ${Kind.name} must be installed before it is used`);
    }
    return kind as K;
  }

  /** The kind of a type id, or undefined for a type no kind registered or adopted. */
  kindOfType(typeId: number): ObjectKind | undefined {
    return this.#byId[typeId];
  }

  /** The kind of an object, by the type id in its header. */
  kindOf(object: number): ObjectKind | undefined {
    return this.#byId[this.memory.u32[(object + OB_TYPE) >>> 2]!];
  }

  /** Every installed kind, in installation order. */
  kinds(): readonly ObjectKind[] {
    return this.#kinds;
  }

  /** Objects created by the program (free-list reuse included; caches and singletons not). */
  get allocated(): number {
    return this.#allocated;
  }

  /** Objects that died (to a free list or the allocator). */
  get freed(): number {
    return this.#freed;
  }

  /**
   * Counts an object another layer allocated (a weak reference, which reference counting
   * makes): its death is counted by {@link KindTable.free} like any other's, so its birth must
   * be too, or the live count falls below zero.
   */
  countAllocated(): void {
    this.#allocated++;
  }

  /**
   * Counts the death of an object that a kind's direct path freed without {@link free} (an int
   * released by the embedding itself): the live count must fall as it would there.
   */
  countFreed(): void {
    this.#freed++;
  }

  /**
   * `tp_free` of any object: its kind's, or the allocator's for a type without a kind. An
   * instance of a heap type then drops its reference to the type, as `subtype_dealloc` does
   * after `tp_free`: the type (and what its death releases) goes after the instance's memory.
   */
  free(object: number): void {
    this.#freed++;
    const typeId = this.memory.u32[(object + OB_TYPE) >>> 2]!;
    const free = this.#free[typeId];
    if (free === undefined) this.host.release(object);
    else free(object);
    const typeObject = this.#typeObjects[typeId];
    if (typeObject !== undefined && typeObject !== 0) this.host.decref(typeObject);
  }

  /**
   * `PyObject_Realloc` of a variable-size object that nothing else refers to (see
   * `ObjectSpace.resize`): its address afterwards, the old one when the block stayed. Raises
   * MemoryError when the heap is exhausted (the object is then unchanged). Counted in
   * {@link resized}, so that observers can tell the block changed.
   */
  resize(object: number, items: number): number {
    const o = this.host.space.resize(object, items);
    if (o === 0) raise("MemoryError", "");
    this.#resized++;
    return o;
  }

  /** Objects {@link resize} reallocated. */
  get resized(): number {
    return this.#resized;
  }

  /**
   * The end of a kind's `free`: the object's memory goes back through the strategy. With a
   * `releaseAs` the type is the kind's own, read from the header here (the strategy's
   * `freeAs` checks it against the object as it frees); else the host's `release` looks it up.
   */
  release(object: number): void {
    const releaseAs = this.#releaseAs;
    if (releaseAs !== undefined) {
      const type = this.#types[this.memory.u32[(object + OB_TYPE) >>> 2]!];
      if (type !== undefined) {
        releaseAs(object, type);
        return;
      }
    }
    this.host.release(object);
  }

  /**
   * A new object through the strategy; raises MemoryError when the heap is exhausted. An
   * instance of a heap type takes a reference to the type (`PyType_GenericAlloc`).
   */
  alloc(typeId: number, items: number): number {
    const o = this.host.allocate(typeId, items);
    if (o === 0) raise("MemoryError", "");
    this.#allocated++;
    const typeObject = this.#typeObjects[typeId];
    if (typeObject !== undefined && typeObject !== 0) this.host.incref(typeObject);
    return o;
  }

  /** A block from a free list made into a fresh object (no count: CPython's reuse is invisible). */
  fromFreeList(list: FreeListKind, typeId: number, length: number): number {
    const lists = this.host.freeLists;
    if (!lists) return 0;
    const block = lists.pop(list, length);
    if (block === 0) return 0;
    this.#allocated++;
    return this.host.space.initialize(block, typeId, length);
  }

  /**
   * Parks a dead object on free list `list` if it has room (the object's header is retired
   * first); returns whether it did. The caller releases it otherwise.
   */
  park(list: FreeListKind, object: number, length: number): boolean {
    const lists = this.host.freeLists;
    // One question of the free lists per death: while a large structure dies its list stays
    // full, and this is all that is asked.
    if (!lists?.hasRoom(list, length)) return false;
    lists.push(list, this.host.space.retire(object), length);
    return true;
  }

  /** An object outside any strategy (singletons and caches, made before anything runs). */
  raw(typeId: number, items: number): number {
    const o = this.host.space.allocate(typeId, items);
    if (o === 0) raise("MemoryError", "");
    return o;
  }

  /** PEP 683: the object's count never changes and it is never freed. */
  makeImmortal(o: number): void {
    this.memory.u32[(o + OB_FLAGS) >>> 2]! |= ObjectFlags.Immortal;
    this.memory.u32[(o + OB_REFCNT) >>> 2] = 1;
  }

  /** A block of `bytes` from `allocator`; raises MemoryError when it has none. */
  malloc(allocator: Allocator, bytes: number): number {
    const block = allocator.malloc(bytes);
    if (block === 0) raise("MemoryError", "");
    return block;
  }

  /** `_PyObject_GC_MAY_BE_TRACKED`: a container, unless its kind says otherwise. */
  mayBeTracked(object: number): boolean {
    // The header says whether the type is a container (the object space sets GC_HEAD from it),
    // without a look-up in the type registry: the untrack rules ask this of every item.
    const u32 = this.memory.u32;
    if ((u32[(object + OB_FLAGS) >>> 2]! & ObjectFlags.GcHead) === 0) return false;
    const mayBeTracked = this.#mayBeTracked[u32[(object + OB_TYPE) >>> 2]!];
    return mayBeTracked === undefined || mayBeTracked(object);
  }

  /** `type(o).__name__`. */
  typeName(o: number): string {
    const typeId = this.memory.u32[(o + OB_TYPE) >>> 2]!;
    const kind = this.#byId[typeId];
    return kind?.typeName?.(o) ?? this.host.space.types.get(typeId).name;
  }

  /** `repr(o)`: its kind's, or `<name object at 0x…>`. */
  repr(o: number): string {
    const text = this.kindOf(o)?.repr?.(o);
    return text ?? `<${this.typeName(o)} object at 0x${o.toString(16)}>`;
  }
}

// The contract between the object layer and one Python object kind, and the table that holds
// the kinds. A kind is one file of this folder: its memory layout, the type (or types) it
// registers in the heap's type registry with its own traverse/clear/dealloc/sizeOf, and what
// else is particular to it (its free list, its repr, its untrack rule). The object layer finds
// an object's kind by the type id in its header, with one array read: no switch on type ids.

import {
  type Allocator,
  GC_NEXT,
  InvalidArgumentError,
  type Memory,
  OB_FLAGS,
  OB_REFCNT,
  OB_SIZE,
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
   * A block taken from a free list becomes an object again: tracemalloc gives its trace the
   * current traceback, as CPython's `_Py_NewReference` does while tracing.
   */
  readonly retrace?: (block: number) => void;
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
  /**
   * {@link decref} of each of `count` references stored `stride` bytes apart from `first`, from
   * the last to the first (a slot holding 0 skipped), in one call: a list's clear drops its
   * items so. Where it is given it must do exactly what those decrefs would (the reference
   * counter's `decrefRun`, which the release kernel runs); else the kinds call {@link decref}.
   */
  decrefRun?: ((first: number, count: number, stride: number) => void) | undefined;
  /**
   * {@link decref} of the two references of each of `count` entries stored `stride` bytes apart
   * from `first` (the one at the entry, then the one `gap` bytes past it), from the first entry
   * to the last (a slot holding 0 skipped), in one call: a dict's key table release drops its
   * keys and values so. Where it is given it must do exactly what those decrefs would (the
   * reference counter's `decrefEntries`, which the release kernel runs); else the kinds call
   * {@link decref}.
   */
  decrefEntries?: ((first: number, count: number, stride: number, gap: number) => void) | undefined;
  /** Returns an object's memory to its allocator (CPython's tp_free). */
  release(object: number): void;
  /**
   * {@link release} of an object whose type is `type`, when it is the same as `release`
   * (gen-gc's `directRelease`): the object layer calls it instead, without a look-up per death.
   */
  readonly releaseAs?: ((object: number, type: TypeDescriptor) => void) | undefined;
  /**
   * Whether {@link releaseAs} of an object that no collector list holds (its GC head unlinked,
   * as every death by count leaves it, or no GC head) is the object space's `freeAs` and
   * nothing more (gen-gc's generational collector's own): the object layer then frees such an
   * object to the space itself, a call less per death.
   */
  readonly releaseUntrackedIsFreeAs?: boolean;
  /**
   * Whether {@link decref} of an object whose count is above 1 (and that is not immortal) is
   * the subtract on its count word and nothing more (a counting strategy's own decref): the
   * free path then drops an instance's reference to its heap type in place. Read at each
   * death, so a host may set it once that holds.
   */
  countsInPlace?: boolean;
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

/**
 * A kind's `free` for one of its types, written as data the kind table runs itself: the block
 * the object owns goes back to the PyMem domain, fields are zeroed, and the object is parked on
 * a free list while that has room, else released. The table runs a plan in place of calling
 * the kind's `free`, and only where the strategy's release is direct (`ObjectHost.releaseAs`);
 * a plan must therefore do exactly what the kind's `free` does for instances of that type.
 */
export interface FreePlan {
  /**
   * The field holding a block the object owns (a list's items, an instance's values), 0 when
   * it holds none: the field is zeroed, then the block is freed.
   */
  readonly block?: number;
  /**
   * Whether the block starts `u8[p - 1]` bytes before the address `p` the field holds (a values
   * block, whose insertion order sits before its slots).
   */
  readonly blockPrefixed?: boolean;
  /** Other fields zeroed after the block's (at most two). */
  readonly zero?: readonly number[];
  /**
   * A field that, when it is not 0, sends the death to the kind's own `free` instead of the
   * plan (a dict's key table, which its dealloc has already released but a tracing sweep
   * leaves for `free`, whose parking of small tables the plan does not describe).
   */
  readonly kindFreeUnlessZero?: number;
  /**
   * The free list: `"list"` or `"dict"` (length 0), or `"tuple"` by the item count at
   * `OB_SIZE` for counts from 1 to `tupleMaxLength`.
   */
  readonly park?: "list" | "tuple" | "dict";
  /** For `park: "tuple"`: the longest tuple the kind parks. */
  readonly tupleMaxLength?: number;
}

/** The int32s {@link KindTable.planWords} writes per type. */
export const KERNEL_PLAN_WORDS = 8;

/**
 * The bits of a plan's flags word, as {@link KindTable.planWords} writes it (for a module that
 * runs plans itself).
 */
export const PlanFlag = {
  Present: 1,
  Block: 2,
  Prefixed: 4,
  Zero0: 8,
  Zero1: 16,
  ParkList: 32,
  ParkTuple: 64,
  ParkDict: 128,
  KindFree: 256,
} as const;

/** A kind's class: constructed once per object layer, with the table to register in. */
export type KindClass<K extends ObjectKind = ObjectKind> = new (table: KindTable) => K;

/** A type's {@link FreePlan} in `KindTable.#plans`: the words of its record. */
// biome-ignore lint/suspicious/noConstEnum: local to this module, so every compiler inlines it.
const enum Plan {
  Words = 8,
  Flags = 0,
  BlockAt = 1,
  Zero0At = 2,
  Zero1At = 3,
  TupleMax = 4,
  KindFreeAt = 5,
}

/**
 * A plan's record (`Plan.Words` int32s; all 0 for no plan).
 * @throws InvalidArgumentError when the plan zeroes more than two fields, zeroes fields
 *   without a block, parks tuples without a positive `tupleMaxLength`, or names a
 *   `kindFreeUnlessZero` that is not an offset.
 */
function encodePlan(plan: FreePlan | undefined): Int32Array {
  const record = new Int32Array(Plan.Words);
  if (plan === undefined) return record;
  const zero = plan.zero ?? [];
  if (zero.length > 2) {
    throw new InvalidArgumentError(`a free plan zeroes at most two fields, not ${zero.length}`);
  }
  let flags: number = PlanBit.Present;
  if (plan.block !== undefined) {
    flags |= PlanBit.Block;
    record[Plan.BlockAt] = plan.block;
    if (plan.blockPrefixed === true) flags |= PlanBit.Prefixed;
  } else if (zero.length > 0 || plan.blockPrefixed === true) {
    throw new InvalidArgumentError("a free plan zeroes fields only beside its block");
  }
  if (zero.length > 0) {
    flags |= PlanBit.Zero0;
    record[Plan.Zero0At] = zero[0]!;
  }
  if (zero.length > 1) {
    flags |= PlanBit.Zero1;
    record[Plan.Zero1At] = zero[1]!;
  }
  if (plan.kindFreeUnlessZero !== undefined) {
    if (!Number.isInteger(plan.kindFreeUnlessZero) || plan.kindFreeUnlessZero < 0) {
      throw new InvalidArgumentError(
        `a free plan's kindFreeUnlessZero is a field's offset, got ${plan.kindFreeUnlessZero}`,
      );
    }
    flags |= PlanBit.KindFree;
    record[Plan.KindFreeAt] = plan.kindFreeUnlessZero;
  }
  if (plan.park === "list") flags |= PlanBit.ParkList;
  else if (plan.park === "dict") flags |= PlanBit.ParkDict;
  else if (plan.park === "tuple") {
    const max = plan.tupleMaxLength ?? 0;
    if (!Number.isInteger(max) || max < 1) {
      throw new InvalidArgumentError(`a tuple free plan needs a tupleMaxLength, got ${max}`);
    }
    flags |= PlanBit.ParkTuple;
    record[Plan.TupleMax] = max;
  }
  record[Plan.Flags] = flags;
  return record;
}

/**
 * The header words the free paths read, written in place: in V8 an imported constant is a load
 * and a check at every use, and these run at every death. Each equals the @mm/heap constant
 * it stands for, which the module checks when it loads.
 */
// biome-ignore lint/suspicious/noConstEnum: local to this module, so every compiler inlines it.
const enum Header {
  GcNext = -16,
  Refcnt = 0,
  Flags = 4,
  Type = 8,
  Size = 16,
}

/** `ObjectFlags.GcHead`, written in place as {@link Header} is. */
// biome-ignore lint/suspicious/noConstEnum: local to this module, so every compiler inlines it.
const enum HeaderBit {
  Immortal = 1,
  GcHead = 4,
}

if (
  Plan.Flags !== 0 ||
  Plan.BlockAt !== 1 ||
  Plan.Zero0At !== 2 ||
  Plan.Zero1At !== 3 ||
  Plan.TupleMax !== 4 ||
  Plan.KindFreeAt !== 5 ||
  Header.GcNext !== GC_NEXT ||
  Header.Refcnt !== OB_REFCNT ||
  Header.Flags !== OB_FLAGS ||
  Header.Type !== OB_TYPE ||
  Header.Size !== OB_SIZE ||
  HeaderBit.GcHead !== ObjectFlags.GcHead ||
  HeaderBit.Immortal !== ObjectFlags.Immortal
) {
  throw new Error("the kind table was built with header constants that are not @mm/heap's");
}

/** The bits of a plan's `Plan.Flags` word. */
// biome-ignore lint/suspicious/noConstEnum: local to this module, so every compiler inlines it.
const enum PlanBit {
  Present = 1,
  Block = 2,
  Prefixed = 4,
  Zero0 = 8,
  Zero1 = 16,
  ParkList = 32,
  ParkTuple = 64,
  ParkDict = 128,
  KindFree = 256,
}

if (
  PlanBit.Present !== PlanFlag.Present ||
  PlanBit.Block !== PlanFlag.Block ||
  PlanBit.Prefixed !== PlanFlag.Prefixed ||
  PlanBit.Zero0 !== PlanFlag.Zero0 ||
  PlanBit.Zero1 !== PlanFlag.Zero1 ||
  PlanBit.ParkList !== PlanFlag.ParkList ||
  PlanBit.ParkTuple !== PlanFlag.ParkTuple ||
  PlanBit.ParkDict !== PlanFlag.ParkDict ||
  PlanBit.KindFree !== PlanFlag.KindFree
) {
  throw new Error("the kind table's plan bits are not the ones it hands out (PlanFlag)");
}

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
  /**
   * By type id, `Plan.Words` int32s: the type's {@link FreePlan}, flags 0 when it has none.
   * Plans run only where the strategy releases directly (`releaseAs`).
   */
  #plans = new Int32Array(0);
  /** {@link planVersion}. */
  #planVersion = 0;
  /** {@link free}: the planned path where the strategy releases directly, else the layered one. */
  readonly #freeOne: (object: number) => void;
  /** By type id: the descriptors of the kinds' types, for {@link KindTable.release}. */
  readonly #types: Array<TypeDescriptor | undefined> = [];
  /** The host's `releaseAs`, read once: every death that reaches the allocator calls it. */
  readonly #releaseAs: ((object: number, type: TypeDescriptor) => void) | undefined;
  /** The host's `releaseUntrackedIsFreeAs` (with a `releaseAs`). */
  readonly #untrackedFreeAs: boolean;
  readonly #byClass = new Map<KindClass<ObjectKind>, ObjectKind>();
  readonly #kinds: ObjectKind[] = [];
  /**
   * The table's counts, in an object the free function shares: a field's increment is a few
   * instructions, a typed array's element (its buffer checked at each access) several more.
   */
  readonly #counts = { allocated: 0, freed: 0, resized: 0 };

  constructor(host: ObjectHost) {
    this.host = host;
    this.memory = host.space.memory;
    this.#releaseAs = host.releaseAs;
    this.#untrackedFreeAs = host.releaseAs !== undefined && host.releaseUntrackedIsFreeAs === true;
    this.#freeOne =
      host.releaseAs !== undefined ? this.#plannedFree() : (object) => this.#layeredFree(object);
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

  /**
   * Registers a type in the heap's registry and makes `kind` the kind of its instances, whose
   * `free` is `plan` when one is given.
   */
  register(spec: TypeSpec, kind: ObjectKind, plan?: FreePlan): TypeDescriptor {
    // A plan the table cannot run is refused before the type exists.
    encodePlan(plan);
    const type = this.host.space.types.register(spec);
    this.adopt(type, kind, plan);
    return type;
  }

  /**
   * Makes `kind` the kind of a type that another layer registered (the weakref type), with
   * `plan` as its instances' `free` when one is given.
   * @throws InvalidArgumentError when the plan zeroes more than two fields, zeroes fields
   *   without a block, or parks tuples without a positive `tupleMaxLength`.
   */
  adopt(type: TypeDescriptor, kind: ObjectKind, plan?: FreePlan): void {
    this.#setPlan(type.id, plan);
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
    return this.#counts.allocated;
  }

  /** Objects that died (to a free list or the allocator). */
  get freed(): number {
    return this.#counts.freed;
  }

  /**
   * Counts an object another layer allocated (a weak reference, which reference counting
   * makes): its death is counted by {@link KindTable.free} like any other's, so its birth must
   * be too, or the live count falls below zero.
   */
  countAllocated(): void {
    this.#counts.allocated++;
  }

  /**
   * Counts the death of an object that a kind's direct path freed without {@link free} (an int
   * released by the embedding itself), or `deaths` of them that a module over the memory freed
   * by their plans (the release kernel): the live count must fall as it would there.
   */
  countFreed(deaths = 1): void {
    this.#counts.freed += deaths;
  }

  /**
   * Changes each time a type's free plan is recorded: a copy of the plans made elsewhere (see
   * {@link planWords}) is stale exactly when this moved since it was made.
   */
  get planVersion(): number {
    return this.#planVersion;
  }

  /**
   * Whether {@link free} runs the types' plans and frees an object that no collector list
   * holds to the object space's `freeOwnType` (the strategy's release is direct and is that for
   * such an object): only then may a module over the memory run a plan in its place.
   */
  get runsPlansDirectly(): boolean {
    return this.#releaseAs !== undefined && this.#untrackedFreeAs;
  }

  /**
   * Writes type `typeId`'s free plan as `KERNEL_PLAN_WORDS` int32s at `into[at…]`, for a
   * module over the memory that runs plans itself (the release kernel): the plan's flags (0: no
   * plan), the offsets of its block field, its two zeroed fields, its longest parked tuple and
   * its `kindFreeUnlessZero` field, then the type's pre-header bytes with bit 16 set for a GC
   * type, and the type object its instances hold a reference to (0 for none).
   */
  planWords(typeId: number, into: Int32Array, at: number): void {
    const plans = this.#plans;
    const rec = typeId * Plan.Words;
    for (let i = 0; i < 6; i++) into[at + i] = plans[rec + i] ?? 0;
    const type = this.#types[typeId];
    into[at + 6] = type === undefined ? 0 : type.preHeaderSize | (type.isGc ? 1 << 16 : 0);
    into[at + 7] = this.#typeObjects[typeId] ?? 0;
  }

  /**
   * `tp_free` of any object: its type's {@link FreePlan} or its kind's `free`, or the
   * allocator's for a type without a kind. An instance of a heap type then drops its reference
   * to the type, as `subtype_dealloc` does after `tp_free`: the type (and what its death
   * releases) goes after the instance's memory.
   */
  free(object: number): void {
    this.#freeOne(object);
  }

  /**
   * {@link free} as one function, for the strategy's free hook, which calls it once per death.
   * Where plans run (the strategy releases directly) it runs them itself, over values read once
   * here: a death then costs no call into a kind, the free lists' dispatch on names, or the
   * table's private state.
   */
  freeFunction(): (object: number) => void {
    return this.#freeOne;
  }

  /** {@link free} where plans do not run: the kind's `free`, or the strategy's `release`. */
  #layeredFree(object: number): void {
    this.#counts.freed++;
    const typeId = this.memory.u32[(object + OB_TYPE) >>> 2]!;
    const free = this.#free[typeId];
    if (free === undefined) this.host.release(object);
    else free(object);
    const typeObject = this.#typeObjects[typeId];
    if (typeObject !== undefined && typeObject !== 0) this.host.decref(typeObject);
  }

  /**
   * {@link free} where plans run: one closure over values read once, which runs a type's plan
   * itself and calls the kind's `free` only for a type without one.
   */
  #plannedFree(): (object: number) => void {
    const memory = this.memory;
    const host = this.host;
    const lists = host.freeLists;
    const space = host.space;
    const frees = this.#free;
    const types = this.#types;
    const typeObjects = this.#typeObjects;
    // Made only when the strategy's releaseAs is there.
    const releaseAs = this.#releaseAs!;
    const untrackedFreeAs = this.#untrackedFreeAs;
    const counts = this.#counts;
    return (object) => {
      counts.freed++;
      let u32 = memory.u32;
      const typeId = u32[(object + Header.Type) >>> 2]!;
      // Read at each death: registering a type may replace the array.
      const plans = this.#plans;
      const rec = typeId * Plan.Words;
      // A type id past the table reads undefined, which masks to 0: no plan.
      const flags = plans[rec + Plan.Flags]! | 0;
      if (
        (flags & PlanBit.Present) === 0 ||
        ((flags & PlanBit.KindFree) !== 0 &&
          u32[(object + plans[rec + Plan.KindFreeAt]!) >>> 2] !== 0)
      ) {
        const free = frees[typeId];
        if (free === undefined) host.release(object);
        else free(object);
      } else {
        if ((flags & PlanBit.Block) !== 0) {
          const at = (object + plans[rec + Plan.BlockAt]!) >>> 2;
          const block = u32[at]!;
          u32[at] = 0;
          if ((flags & PlanBit.Zero0) !== 0) u32[(object + plans[rec + Plan.Zero0At]!) >>> 2] = 0;
          if ((flags & PlanBit.Zero1) !== 0) u32[(object + plans[rec + Plan.Zero1At]!) >>> 2] = 0;
          if (block !== 0) {
            host.mem.free((flags & PlanBit.Prefixed) !== 0 ? block - memory.u8[block - 1]! : block);
            u32 = memory.u32;
          }
        }
        let parked = false;
        if (lists !== undefined) {
          if ((flags & PlanBit.ParkList) !== 0) {
            if (lists.listHasRoom()) {
              lists.push("list", space.retire(object), 0);
              parked = true;
            }
          } else if ((flags & PlanBit.ParkDict) !== 0) {
            if (lists.dictHasRoom()) {
              lists.push("dict", space.retire(object), 0);
              parked = true;
            }
          } else if ((flags & PlanBit.ParkTuple) !== 0) {
            const length = u32[(object + Header.Size) >>> 2]!;
            if (length > 0 && length <= plans[rec + Plan.TupleMax]! && lists.tupleHasRoom(length)) {
              lists.push("tuple", space.retire(object), length);
              parked = true;
            }
          }
        }
        if (!parked) {
          // An object off every collector list goes to the space itself, when the strategy's
          // release of it is just that; one still tracked (a tracing sweep's, say) to the strategy.
          if (
            untrackedFreeAs &&
            ((u32[(object + Header.Flags) >>> 2]! & HeaderBit.GcHead) === 0 ||
              u32[(object + Header.GcNext) >>> 2] === 0)
          ) {
            space.freeOwnType(object, types[typeId]!);
          } else releaseAs(object, types[typeId]!);
        }
      }
      const typeObject = typeObjects[typeId];
      if (typeObject !== undefined && typeObject !== 0) {
        // Py_DECREF(type), in place where the count stays above zero.
        const words = memory.u32;
        const at = (typeObject + Header.Refcnt) >>> 2;
        const count = words[at]!;
        if (
          count > 1 &&
          host.countsInPlace === true &&
          (words[(typeObject + Header.Flags) >>> 2]! & HeaderBit.Immortal) === 0
        ) {
          words[at] = count - 1;
        } else host.decref(typeObject);
      }
    };
  }

  /** Records `plan` for type `typeId` (or forgets the one it had). */
  #setPlan(typeId: number, plan: FreePlan | undefined): void {
    const end = (typeId + 1) * Plan.Words;
    if (this.#plans.length < end) {
      const grown = new Int32Array(Math.max(end, 2 * this.#plans.length));
      grown.set(this.#plans);
      this.#plans = grown;
    }
    this.#plans.set(encodePlan(plan), typeId * Plan.Words);
    this.#planVersion++;
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
    this.#counts.resized++;
    return o;
  }

  /** Objects {@link resize} reallocated. */
  get resized(): number {
    return this.#counts.resized;
  }

  /**
   * The end of a kind's `free`: the object's memory goes back through the strategy. With a
   * `releaseAs` the type is the kind's own, read from the header here (the strategy's
   * `freeAs` checks it against the object as it frees); else the host's `release` looks it up.
   */
  release(object: number): void {
    const releaseAs = this.#releaseAs;
    if (releaseAs !== undefined) {
      const u32 = this.memory.u32;
      const type = this.#types[u32[(object + Header.Type) >>> 2]!];
      if (type !== undefined) {
        // An object off every collector list, as the plans free it (see #plannedFree).
        if (
          this.#untrackedFreeAs &&
          ((u32[(object + Header.Flags) >>> 2]! & HeaderBit.GcHead) === 0 ||
            u32[(object + Header.GcNext) >>> 2] === 0)
        ) {
          this.host.space.freeOwnType(object, type);
        } else releaseAs(object, type);
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
    this.#counts.allocated++;
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
    this.#counts.allocated++;
    this.host.retrace?.(block);
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

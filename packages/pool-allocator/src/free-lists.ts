// The free lists of CPython 3.11 (floats, tuples by length, lists, dicts, dict keys): a dead
// object's block is parked instead of freed, and the next object of that kind takes it back
// without a trip through the allocator. Parked blocks stay allocated blocks of the allocator
// (they count in sys.getallocatedblocks()); a full collection gives them all back (clear()).
//
// CPython threads floats through ob_type and tuples through ob_item[0] and keeps lists, dicts
// and keys in arrays. Here every list is a LIFO stack in a typed array: the same order and the
// same capacities, without writing into the parked block, so the facility needs to know nothing
// of the object layout (where the GC head is, which field is free).

import {
  AddressBitmap,
  type Allocator,
  DoubleFreeError,
  GC_HEAD_SIZE,
  InvalidArgumentError,
  invalidArgument,
} from "@mm/heap";
import type { FreeListCounts, FreeListKind, FreeListsOptions } from "./api.js";
import { allocatorStatsLine } from "./internal/stats-text.js";

/** `sizeof` of each object in CPython 3.11 on 64-bit, without the GC head. */
const OBJECT_SIZE = { dict: 48, dictKeys: 120, float: 24, list: 40 } as const;
/** `sizeof(PyTupleObject) - sizeof(PyObject *)`: a tuple of length n is 24 + 8n bytes. */
const TUPLE_BASE_SIZE = 24;
const POINTER_SIZE = 8;
/** Container types carry the 16-byte GC head before the object, in the same block. */
const GC_KINDS: ReadonlySet<FreeListKind> = new Set(["dict", "list", "tuple"]);
const KINDS: readonly FreeListKind[] = ["dict", "dictKeys", "float", "list", "tuple"];

function capacity(name: string, value: number | undefined, fallback: number): number {
  const resolved = value ?? fallback;
  if (!Number.isInteger(resolved) || resolved < 0 || resolved > 1 << 20) {
    invalidArgument(`${name} must be an integer in [0, ${1 << 20}], got ${String(value)}`);
  }
  return resolved;
}

/**
 * CPython 3.11's free lists over any {@link Allocator} (normally a `PoolAllocator`, or the
 * debug hooks around one).
 *
 * @example
 * ```ts
 * const lists = new FreeLists(pymalloc);
 * const f = pymalloc.malloc(lists.blockSize("float"));
 * lists.push("float", f);          // parked instead of freed: true
 * lists.pop("float") === f;        // the next float reuses it
 * lists.clear();                   // a full collection frees whatever is parked
 * ```
 */
export class FreeLists {
  /** The allocator parked blocks come from and `clear()` frees them to. */
  readonly allocator: Allocator;
  /** `PyTuple_MAXSAVESIZE`. */
  readonly tupleMaxLength: number;
  readonly #capacity: Record<FreeListKind, number>;
  /** LIFO stacks of parked blocks; tuples of length n use slots [(n-1)*cap, n*cap). */
  readonly #stacks: Record<FreeListKind, Uint32Array>;
  readonly #counts: Record<Exclude<FreeListKind, "tuple">, number>;
  readonly #tupleCounts: Int32Array;
  /** A bit per 8 bytes: set at every parked block, so parking one twice is refused. */
  readonly #parked: AddressBitmap;
  #total = 0;
  /** {@link changes}. */
  #changes = 0;
  /**
   * The room left on the list and dict lists, kept beside their counts: a death asks one plain
   * field instead of two records (see {@link listHasRoom}).
   */
  #listRoom = 0;
  #dictRoom = 0;

  constructor(allocator: Allocator, options: FreeListsOptions = {}) {
    this.allocator = allocator;
    this.tupleMaxLength = capacity("tupleMaxLength", options.tupleMaxLength, 20);
    this.#capacity = {
      dict: capacity("dictCapacity", options.dictCapacity, 80),
      dictKeys: capacity("dictKeysCapacity", options.dictKeysCapacity, 80),
      float: capacity("floatCapacity", options.floatCapacity, 100),
      list: capacity("listCapacity", options.listCapacity, 80),
      tuple: capacity("tupleCapacity", options.tupleCapacity, 2000),
    };
    const c = this.#capacity;
    this.#stacks = {
      dict: new Uint32Array(c.dict),
      dictKeys: new Uint32Array(c.dictKeys),
      float: new Uint32Array(c.float),
      list: new Uint32Array(c.list),
      tuple: new Uint32Array(c.tuple * this.tupleMaxLength),
    };
    this.#counts = { dict: 0, dictKeys: 0, float: 0, list: 0 };
    this.#tupleCounts = new Int32Array(this.tupleMaxLength);
    this.#listRoom = c.list;
    this.#dictRoom = c.dict;
    this.#parked = new AddressBitmap(allocator.memory, 3);
  }

  /** How many blocks the list of `kind` can hold (for tuples: per length). */
  capacity(kind: FreeListKind): number {
    checkKind(kind);
    return this.#capacity[kind];
  }

  /**
   * The object size CPython's stats print for `kind`: dict 48, dict keys 120 (an 8-slot
   * unicode table), float 24, list 40, tuple of length n 24 + 8n.
   */
  objectSize(kind: FreeListKind, length = 0): number {
    checkKind(kind);
    if (kind === "tuple") return TUPLE_BASE_SIZE + POINTER_SIZE * this.#tupleLength(length);
    return OBJECT_SIZE[kind];
  }

  /** The block an object of `kind` needs: its size plus the GC head for containers. */
  blockSize(kind: FreeListKind, length = 0): number {
    return this.objectSize(kind, length) + (GC_KINDS.has(kind) ? GC_HEAD_SIZE : 0);
  }

  /** Blocks parked on the list of `kind` (tuples: of `length`). */
  count(kind: FreeListKind, length = 0): number {
    checkKind(kind);
    if (kind !== "tuple") return this.#counts[kind];
    const n = this.#tupleLength(length);
    return n >= 1 && n <= this.tupleMaxLength ? this.#tupleCounts[n - 1]! : 0;
  }

  /**
   * Whether the list of `kind` (tuples: of `length`) would take one more block: the first thing
   * {@link push} asks. A deallocation path asks this before it retires the object, in one call
   * instead of {@link count} and {@link capacity}; once a list is full, as it stays while a
   * large structure dies, that is all it asks.
   */
  hasRoom(kind: FreeListKind, length = 0): boolean {
    // A length that is not a small positive integer has no list (push refuses it too).
    if (kind === "tuple") return this.tupleHasRoom(length);
    checkKind(kind);
    return this.#counts[kind] < this.#capacity[kind];
  }

  /**
   * {@link hasRoom} for lists, without the dispatch on the kind's name: what a list's
   * deallocation asks at each death.
   */
  listHasRoom(): boolean {
    return this.#listRoom > 0;
  }

  /**
   * {@link hasRoom} for dicts, without the dispatch on the kind's name: what a dict's
   * deallocation asks at each death.
   */
  dictHasRoom(): boolean {
    return this.#dictRoom > 0;
  }

  /**
   * {@link hasRoom} for tuples of `length`, without the dispatch on the kind's name: what a
   * tuple's deallocation asks at each death.
   */
  tupleHasRoom(length: number): boolean {
    return (
      length >= 1 &&
      length <= this.tupleMaxLength &&
      Number.isInteger(length) &&
      this.#tupleCounts[length - 1]! < this.#capacity.tuple
    );
  }

  /** Every list's count. */
  counts(): FreeListCounts {
    return { ...this.#counts, tuple: [...this.#tupleCounts] };
  }

  /**
   * How many times a list's count changed (each {@link push} that parked, each {@link pop}
   * that took a block): a copy of the counts made elsewhere (a WebAssembly release kernel's
   * room words) is stale exactly when this moved since it was made.
   */
  get changes(): number {
    return this.#changes;
  }

  /** Blocks parked on all lists together. */
  get parkedBlocks(): number {
    return this.#total;
  }

  /**
   * Parks the block of a dead object of `kind` (a tuple of `length` items).
   * @returns `false`, parking nothing, when that list is full or the tuple's length has no
   *   list (0 or more than `tupleMaxLength`): the caller frees the block, as CPython does.
   * @throws InvalidAddressError when `block` is not a live block of the allocator;
   *   DoubleFreeError when it is already parked; InvalidArgumentError when it is too small.
   */
  push(kind: FreeListKind, block: number, length = 0): boolean {
    checkKind(kind);
    let slot: number;
    if (kind === "tuple") {
      const n = this.#tupleLength(length);
      if (n < 1 || n > this.tupleMaxLength) return false;
      const count = this.#tupleCounts[n - 1]!;
      if (count >= this.#capacity.tuple) return false;
      slot = (n - 1) * this.#capacity.tuple + count;
    } else {
      slot = this.#counts[kind];
      if (slot >= this.#capacity[kind]) return false;
    }
    if (block > 0 && block >>> 0 === block && this.#parked.get(block)) {
      throw new DoubleFreeError(block, "it is already parked on a free list");
    }
    const usable = this.allocator.usableSize(block);
    const needed = this.blockSize(kind, length);
    if (usable < needed) {
      invalidArgument(`a ${usable}-byte block cannot hold a ${kind} object (${needed} bytes)`);
    }
    this.#stacks[kind][slot] = block;
    if (kind === "tuple") this.#tupleCounts[this.#tupleLength(length) - 1]!++;
    else {
      this.#counts[kind]++;
      this.#roomChanged(kind);
    }
    this.#parked.set(block);
    this.#total++;
    this.#changes++;
    return true;
  }

  /** Takes the most recently parked block of `kind` (tuples: of `length`), or 0 if none. */
  pop(kind: FreeListKind, length = 0): number {
    checkKind(kind);
    let block: number;
    if (kind === "tuple") {
      const n = this.#tupleLength(length);
      if (n < 1 || n > this.tupleMaxLength || this.#tupleCounts[n - 1] === 0) return 0;
      const count = --this.#tupleCounts[n - 1]!;
      block = this.#stacks.tuple[(n - 1) * this.#capacity.tuple + count]!;
    } else {
      if (this.#counts[kind] === 0) return 0;
      block = this.#stacks[kind][--this.#counts[kind]]!;
      this.#roomChanged(kind);
    }
    this.#parked.clear(block);
    this.#total--;
    this.#changes++;
    return block;
  }

  /**
   * Frees every parked block to the allocator, in CPython's `clear_freelists` order (tuples by
   * length, floats, lists, dicts, dict keys; each list newest first). A full collection calls
   * this last.
   * @returns the number of blocks freed.
   */
  clear(): number {
    let freed = 0;
    for (let n = 1; n <= this.tupleMaxLength; n++) {
      for (let block = this.pop("tuple", n); block !== 0; block = this.pop("tuple", n)) {
        this.allocator.free(block);
        freed++;
      }
    }
    for (const kind of ["float", "list", "dict", "dictKeys"] as const) {
      for (let block = this.pop(kind); block !== 0; block = this.pop(kind)) {
        this.allocator.free(block);
        freed++;
      }
    }
    return freed;
  }

  /**
   * The free-list lines of `sys._debugmallocstats()` (`_PyObject_DebugTypeStats`, 3.11 order:
   * dict, float, list, then tuples of length 1 to 20), e.g.
   * `            0 free PyDictObjects * 48 bytes each =                    0`.
   */
  debugTypeStats(): string {
    let out = allocatorStatsLine("free PyDictObject", this.#counts.dict, OBJECT_SIZE.dict);
    out += allocatorStatsLine("free PyFloatObject", this.#counts.float, OBJECT_SIZE.float);
    out += allocatorStatsLine("free PyListObject", this.#counts.list, OBJECT_SIZE.list);
    for (let n = 1; n <= this.tupleMaxLength; n++) {
      out += allocatorStatsLine(
        `free ${n}-sized PyTupleObject`,
        this.#tupleCounts[n - 1]!,
        this.objectSize("tuple", n),
      );
    }
    return out;
  }

  /** Brings the room field of `kind`'s list, if it has one, up to date with its count. */
  #roomChanged(kind: Exclude<FreeListKind, "tuple">): void {
    if (kind === "list") this.#listRoom = this.#capacity.list - this.#counts.list;
    else if (kind === "dict") this.#dictRoom = this.#capacity.dict - this.#counts.dict;
  }

  #tupleLength(length: number): number {
    if (!Number.isInteger(length) || length < 0) {
      invalidArgument(`a tuple length must be a non-negative integer, got ${String(length)}`);
    }
    return length;
  }
}

function checkKind(kind: FreeListKind): void {
  // Compared one by one rather than with `KINDS.includes`: every death of a list, tuple or dict
  // asks its free list for room, and interned strings compare by identity.
  if (
    kind !== "tuple" &&
    kind !== "list" &&
    kind !== "dict" &&
    kind !== "dictKeys" &&
    kind !== "float"
  ) {
    throw new InvalidArgumentError(
      `unknown free list ${JSON.stringify(kind)}; expected one of ${KINDS.join(", ")}`,
    );
  }
}

// A dict's keys object: CPython 3.11's `PyDictKeysObject`, a separate block (not an object) of
// the object domain holding the hash index and the entries in insertion order, with its free
// list of minimal str-keyed tables; and the hashing and equality of keys (`KeyOps`), shared by
// dicts and sets: the runtime's own for its kinds, a protocol the front end installs for others.

import { OB_TYPE } from "@mm/heap";
import { raise } from "../errors.js";
import { BoolKind } from "./bool.js";
import { FloatKind } from "./float.js";
import {
  type Hash64,
  hashFloat,
  hashFromPython,
  hashInt,
  hashPointer,
  newHash,
  tupleHashAdd,
  tupleHashFinish,
  tupleHashStart,
} from "./hash.js";
import { Int, IntKind, readInt } from "./int.js";
import type { KindTable } from "./kind.js";
import { ListKind } from "./list.js";
import { NoneKind } from "./none.js";
import { StrKind } from "./str.js";
import { TupleKind } from "./tuple.js";

/**
 * `PyDictKeysObject`: a 32-byte header, the index table (2^log2 slots of 1, 2 or 4 bytes, −1
 * for empty and −2 for a deleted entry) and two thirds as many entries. A table of str keys
 * (dk_kind unicode) has {key, value} entries, 16 bytes, the hash being cached in each str; a
 * general one (any other key) adds the hash first, 24, as its low and high 32-bit halves.
 *
 * ```
 *   keys + 0   +------------------------+
 *              | dk_refcnt              |  8
 *   keys + 8   | log2_size  log2_index_bytes  kind  (pad) |  DictKeys.log2Size, .log2IndexBytes, .kind
 *   keys + 12  | dk_version             |  4
 *   keys + 16  | dk_usable              |  8   DictKeys.usable: entries left before a resize
 *   keys + 24  | dk_nentries            |  8   DictKeys.nentries: entries used, holes included
 *   keys + 32  +------------------------+ ---- DictKeys.header
 *              | dk_indices[2^log2]     |  1 << log2_index_bytes bytes
 *              +------------------------+
 *              | entry[0]               |  unicode: key, value (16); general: hash, key, value (24)
 *              | ...                    |
 *              | entry[usable - 1]      |  USABLE_FRACTION(2^log2) = 2^log2 × 2 / 3 entries
 *              +------------------------+
 *   8 slots: 32 + 8 + 5 × 16 = 120 bytes (str keys), 32 + 8 + 5 × 24 = 160 (general)
 * ```
 */
export const DictKeys = {
  header: 32,
  log2Size: 8,
  log2IndexBytes: 9,
  kind: 10,
  usable: 16,
  nentries: 24,
  unicodeEntry: 16,
  generalEntry: 24,
  /** dk_kind values. */
  kindGeneral: 0,
  kindUnicode: 1,
  /** The smallest table: 8 slots. */
  minLog2Size: 3,
} as const;

/** An index slot that no entry has used (`DKIX_EMPTY`). */
export const EMPTY = -1;
/** An index slot whose entry was deleted (`DKIX_DUMMY`). */
export const DUMMY = -2;
/** A lookup whose comparison changed the table: the caller looks up again (`DKIX_KEY_CHANGED`). */
export const CHANGED = -4;

/** CPython's `USABLE_FRACTION`: two thirds of the slots hold entries. */
export const usableFraction = (size: number) => Math.floor((size << 1) / 3);

/**
 * `calculate_log2_keysize`: the bit length of `((minsize | 8) - 1) | 7`, so 8 slots for 0 or 8
 * and 16 for 1 to 7 (a str table that takes its first other key with one entry grows to 16
 * slots: `d = {'m': 1}; d[0] = 2` is 352 bytes).
 */
export function log2KeySize(minsize: number): number {
  return 32 - Math.clz32((((minsize | 8) - 1) | 7) >>> 0);
}

/** `estimate_log2_keysize`: the table for `n` entries (dict_merge's one big resize). */
export function estimateLog2KeySize(n: number): number {
  return log2KeySize(Math.floor((n * 3 + 1) / 2));
}

/** Bytes per index for a table of 2^log2 slots, as log2: 1, 2 or 4 bytes. */
const log2IndexBytes = (log2: number) => log2 + (log2 < 8 ? 0 : log2 < 16 ? 1 : 2);

/** Bytes of a key table: header, index table, entries (16 bytes each for str keys, else 24). */
export function keysSize(log2: number, unicode: boolean): number {
  const entry = unicode ? DictKeys.unicodeEntry : DictKeys.generalEntry;
  return DictKeys.header + (1 << log2IndexBytes(log2)) + usableFraction(1 << log2) * entry;
}

/**
 * Hashing and equality of keys for the front end's objects (instances of its classes, its
 * functions, …): what `__hash__` and `__eq__` say. Either may throw (a `PythonError` from user
 * code); a dict or set stays consistent when it does.
 */
export interface KeyProtocol {
  /** `hash(o)`: the int `__hash__` returned (reduced as CPython's `slot_tp_hash` does). */
  hash(o: number): number | bigint;
  /** `a == b` as a truth value, for objects whose hashes are equal and which are not identical. */
  equals(a: number, b: number): boolean;
}

/** How `==` treats a type: by value for the runtime's kinds, through the protocol otherwise. */
enum Equality {
  Protocol = 0,
  Int = 1,
  Float = 2,
  Str = 3,
  Tuple = 4,
  AnySet = 5,
  /** None, and containers that are never keys: equal only to themselves. */
  Identity = 6,
}

/**
 * `PyObject_Hash` and `PyObject_RichCompareBool(a, b, Py_EQ)` for dict and set keys: the
 * runtime's own kinds (int, bool, float, str, tuple, None, frozenset) hash and compare as in
 * CPython 3.11 (so `1 == 1.0 == True` and their hashes agree); lists, dicts and sets are
 * unhashable; any other object goes through the installed {@link KeyProtocol}.
 */
export class KeyOps {
  readonly #table: KindTable;
  readonly #str: StrKind;
  readonly #float: FloatKind;
  readonly #tuple: TupleKind;
  /** How each type id compares (Protocol for types no kind registered here). */
  readonly #equality: Equality[] = [];
  /** `tp_hash` of the kinds that register one (frozenset), by type id. */
  readonly #hashes: Array<((o: number, out: Hash64) => void) | undefined> = [];
  /** Type ids whose `tp_hash` is `PyObject_HashNotImplemented`. */
  readonly #unhashable = new Set<number>();
  #setEquals: (a: number, b: number) => boolean = () => false;
  #protocol: KeyProtocol | undefined;

  constructor(table: KindTable) {
    this.#table = table;
    this.#str = table.get(StrKind);
    this.#float = table.get(FloatKind);
    this.#tuple = table.get(TupleKind);
    this.#equality[table.get(IntKind).type.id] = Equality.Int;
    this.#equality[table.get(BoolKind).type.id] = Equality.Int;
    this.#equality[this.#float.type.id] = Equality.Float;
    this.#equality[this.#str.type.id] = Equality.Str;
    this.#equality[this.#tuple.type.id] = Equality.Tuple;
    this.#equality[table.get(NoneKind).type.id] = Equality.Identity;
    const list = table.get(ListKind).type.id;
    this.#equality[list] = Equality.Identity;
    this.#unhashable.add(list);
  }

  /**
   * Installs the front end's hashing and equality of its own objects; undefined restores the
   * default, `object`'s: the address's hash (`_Py_HashPointer`) and identity.
   */
  setProtocol(protocol: KeyProtocol | undefined): void {
    this.#protocol = protocol;
  }

  /** Declares a type unhashable (`unhashable type: 'dict'`) that compares by identity. */
  registerUnhashable(typeId: number): void {
    this.#unhashable.add(typeId);
    this.#equality[typeId] = Equality.Identity;
  }

  /**
   * Makes a subclass's type id hash and compare as its base's (int, float, str or tuple): what
   * a subclass that overrides neither `__hash__` nor `__eq__` inherits.
   */
  registerLike(typeId: number, baseTypeId: number): void {
    const equality = this.#equality[baseTypeId];
    if (equality === undefined) return;
    this.#equality[typeId] = equality;
  }

  /**
   * Declares a set type: `hash` is its `tp_hash` (frozenset), or undefined when unhashable (set);
   * `equals` compares two sets of either type by their elements.
   */
  registerSet(
    typeId: number,
    hash: ((o: number, out: Hash64) => void) | undefined,
    equals: (a: number, b: number) => boolean,
  ): void {
    this.#equality[typeId] = Equality.AnySet;
    this.#setEquals = equals;
    if (hash) this.#hashes[typeId] = hash;
    else this.#unhashable.add(typeId);
  }

  /** Whether `o` is a str (`PyUnicode_CheckExact`): str keys keep a table "unicode". */
  isStr(o: number): boolean {
    return this.#str.is(o);
  }

  /** Whether two strs are equal (`unicode_eq`). */
  strEqual(a: number, b: number): boolean {
    return this.#str.equal(a, b);
  }

  /** The cached hash of a str (computed on first use). */
  strHash(o: number, out: Hash64): void {
    this.#str.hash(o, out);
  }

  /**
   * `hash(o)` into `out`.
   * @throws PythonError TypeError `unhashable type: 'list'` (and dict, set), or what the
   *   protocol's `hash` throws
   */
  hash(o: number, out: Hash64): void {
    const table = this.#table;
    const typeId = table.memory.u32[(o + OB_TYPE) >>> 2]!;
    switch (this.#equality[typeId]) {
      case Equality.Str:
        this.#str.hash(o, out);
        return;
      case Equality.Int:
        hashInt(this.#intValue(o), out);
        return;
      case Equality.Float:
        hashFloat(this.#float.value(o), o, out);
        return;
      case Equality.Tuple:
        this.#tupleHash(o, out);
        return;
      default:
        break;
    }
    const own = this.#hashes[typeId];
    if (own !== undefined) {
      own(o, out);
      return;
    }
    if (this.#unhashable.has(typeId)) raise("TypeError", `unhashable type: '${table.typeName(o)}'`);
    const protocol = this.#protocol;
    if (protocol === undefined || this.#equality[typeId] === Equality.Identity) hashPointer(o, out);
    else hashFromPython(protocol.hash(o), out);
  }

  /**
   * `a == b` for two keys (identity first, as `PyObject_RichCompareBool`).
   * @throws what the protocol's `equals` throws
   */
  equals(a: number, b: number): boolean {
    if (a === b) return true;
    const table = this.#table;
    const u32 = table.memory.u32;
    const ea = this.#equality[u32[(a + OB_TYPE) >>> 2]!] ?? Equality.Protocol;
    const eb = this.#equality[u32[(b + OB_TYPE) >>> 2]!] ?? Equality.Protocol;
    if (ea === Equality.Protocol || eb === Equality.Protocol) {
      return this.#protocol?.equals(a, b) === true;
    }
    if (ea === Equality.Int || ea === Equality.Float) {
      if (eb !== Equality.Int && eb !== Equality.Float) return false;
      const x = ea === Equality.Int ? this.#intValue(a) : this.#float.value(a);
      const y = eb === Equality.Int ? this.#intValue(b) : this.#float.value(b);
      return numbersEqual(x, y);
    }
    if (ea !== eb) return false;
    switch (ea) {
      case Equality.Str:
        return this.#str.equal(a, b);
      case Equality.Tuple: {
        const n = this.#tuple.length(a);
        if (this.#tuple.length(b) !== n) return false;
        const xs = this.#tuple.items(a);
        const ys = this.#tuple.items(b);
        for (let i = 0; i < n; i++) if (!this.equals(xs[i]!, ys[i]!)) return false;
        return true;
      }
      case Equality.AnySet:
        return this.#setEquals(a, b);
      default:
        return false;
    }
  }

  /**
   * An int's (or bool's) value: read straight from its digits when it has at most two and fits
   * a safe integer (the common case, without BigInt), else by readInt.
   */
  #intValue(o: number): number | bigint {
    const memory = this.#table.memory;
    const size = memory.i32[(o + Int.size) >>> 2]!;
    if (size === 0) return 0;
    const magnitude = size < 0 ? -size : size;
    if (magnitude <= 2) {
      const u32 = memory.u32;
      const low = u32[(o + Int.digits) >>> 2]!;
      const high = magnitude === 2 ? u32[(o + Int.digits + 4) >>> 2]! : 0;
      // 30 + 23 bits: below 2**53.
      if (high < 1 << 23) {
        const value = low + high * (1 << 30);
        return size < 0 ? -value : value;
      }
    }
    return readInt(this.#table, o);
  }

  /**
   * `tuplehash`: xxHash over the items' hashes. CPython's recurses in C into nested tuples
   * without the recursion limit, so `hash()` of a tuple nested 100,000 deep is computed there;
   * here nested tuples are walked with an explicit stack (made at the first nested tuple met),
   * so no depth overflows the JavaScript stack. Each call has its own stack: an item's
   * `__hash__` may hash other tuples meanwhile.
   */
  #tupleHash(t: number, out: Hash64): void {
    const tupleType = this.#tuple.type.id;
    const u32 = this.#table.memory.u32;
    let items = this.#tuple.items(t);
    let acc = out;
    let i = 0;
    const item = newHash();
    tupleHashStart(acc);
    // The enclosing tuples' items, positions and accumulators, once a nested tuple is met.
    let outerItems: number[][] | undefined;
    let outerIndex: number[] | undefined;
    let outerAcc: Hash64[] | undefined;
    for (;;) {
      if (i < items.length) {
        const o = items[i]!;
        if (u32[(o + OB_TYPE) >>> 2] === tupleType) {
          outerItems ??= [];
          outerIndex ??= [];
          outerAcc ??= [];
          outerItems.push(items);
          outerIndex.push(i);
          outerAcc.push(acc);
          items = this.#tuple.items(o);
          acc = newHash();
          i = 0;
          tupleHashStart(acc);
          continue;
        }
        this.hash(o, item);
        tupleHashAdd(acc, item);
        i++;
        continue;
      }
      tupleHashFinish(acc, items.length);
      if (outerItems === undefined || outerItems.length === 0) return;
      const inner = acc;
      items = outerItems.pop()!;
      i = outerIndex!.pop()! + 1;
      acc = outerAcc!.pop()!;
      tupleHashAdd(acc, inner);
    }
  }
}

/** `==` between ints (number or bigint) and floats, exact as Python's. */
function numbersEqual(x: number | bigint, y: number | bigint): boolean {
  if (typeof x === "number" && typeof y === "number") return x === y;
  if (typeof x === "bigint" && typeof y === "bigint") return x === y;
  const big = (typeof x === "bigint" ? x : y) as bigint;
  const other = (typeof x === "bigint" ? y : x) as number;
  return Number.isInteger(other) && BigInt(other) === big;
}

/** The key tables of one object layer: their creation, lookup, insertion and release. */
export class KeyTables {
  readonly #table: KindTable;
  /** The hashing and equality of keys. */
  readonly ops: KeyOps;
  /** The index slot of the last {@link KeyTables.lookup}'s key (found or not), for deletion. */
  slot = 0;
  /** Scratch hashes: an entry's, while probing. */
  readonly #entryHash: Hash64 = newHash();

  constructor(table: KindTable, ops: KeyOps) {
    this.#table = table;
    this.ops = ops;
  }

  isUnicode(keys: number): boolean {
    return this.#table.memory.u8[keys + DictKeys.kind] === DictKeys.kindUnicode;
  }

  /** Bytes of the table at `keys`. */
  size(keys: number): number {
    return keysSize(this.#table.memory.u8[keys + DictKeys.log2Size]!, this.isUnicode(keys));
  }

  /** The entries used, holes included. */
  nentries(keys: number): number {
    return this.#table.memory.u32[(keys + DictKeys.nentries) >>> 2]!;
  }

  usable(keys: number): number {
    return this.#table.memory.u32[(keys + DictKeys.usable) >>> 2]!;
  }

  /** The address of entry `index`. */
  entry(keys: number, index: number): number {
    const memory = this.#table.memory;
    const entries = keys + DictKeys.header + (1 << memory.u8[keys + DictKeys.log2IndexBytes]!);
    return entries + index * (this.isUnicode(keys) ? DictKeys.unicodeEntry : DictKeys.generalEntry);
  }

  /** Where the key sits in an entry: first for str tables, after the hash for general ones. */
  keyOffset(keys: number): number {
    return this.isUnicode(keys) ? 0 : 8;
  }

  /** Bytes from one entry to the next. */
  stride(keys: number): number {
    return this.isUnicode(keys) ? DictKeys.unicodeEntry : DictKeys.generalEntry;
  }

  /** The hash of entry `index` (a live one): the str's cached hash, or the stored one. */
  entryHash(keys: number, index: number, out: Hash64): void {
    const u32 = this.#table.memory.u32;
    const at = this.entry(keys, index);
    if (this.isUnicode(keys)) {
      this.ops.strHash(u32[at >>> 2]!, out);
    } else {
      out.lo = u32[at >>> 2]!;
      out.hi = u32[(at + 4) >>> 2]!;
    }
  }

  /** A new empty table of 2^log2 slots; a minimal str-keyed one may come from the free list. */
  create(log2: number, unicode: boolean): number {
    const table = this.#table;
    const host = table.host;
    let keys = 0;
    if (log2 === DictKeys.minLog2Size && unicode && host.freeLists)
      keys = host.freeLists.pop("dictKeys");
    const size = keysSize(log2, unicode);
    if (keys === 0) keys = table.malloc(host.obj, size);
    const memory = table.memory;
    const indexLog2 = log2IndexBytes(log2);
    memory.u8.fill(0, keys, keys + size);
    memory.u32[keys >>> 2] = 1;
    memory.u8[keys + DictKeys.log2Size] = log2;
    memory.u8[keys + DictKeys.log2IndexBytes] = indexLog2;
    memory.u8[keys + DictKeys.kind] = unicode ? DictKeys.kindUnicode : DictKeys.kindGeneral;
    memory.u32[(keys + DictKeys.usable) >>> 2] = usableFraction(1 << log2);
    memory.u8.fill(0xff, keys + DictKeys.header, keys + DictKeys.header + (1 << indexLog2));
    return keys;
  }

  /**
   * `clone_combined_dict_keys`: a byte copy of `keys` (a new block, never from the free list),
   * holding new references to every key and value.
   */
  clone(keys: number): number {
    const table = this.#table;
    const size = this.size(keys);
    const copy = table.malloc(table.host.obj, size);
    const memory = table.memory;
    memory.u8.copyWithin(copy, keys, keys + size);
    const n = this.nentries(keys);
    const stride = this.stride(keys);
    const host = table.host;
    for (let i = 0, at = this.entry(copy, 0) + this.keyOffset(copy); i < n; i++, at += stride) {
      const key = memory.u32[at >>> 2]!;
      if (key === 0) continue;
      host.incref(key);
      host.incref(memory.u32[(at + 8) >>> 2]!);
    }
    return copy;
  }

  /** Drops the entries (key then value, first to last) and frees the table (or parks it). */
  release(keys: number): void {
    const table = this.#table;
    const memory = table.memory;
    const host = table.host;
    const n = this.nentries(keys);
    const stride = this.stride(keys);
    const entries = host.decrefEntries;
    if (entries !== undefined) {
      // The same drops in one call (the key at the entry's key offset, the value 8 bytes on).
      entries(this.entry(keys, 0) + this.keyOffset(keys), n, stride, 8);
      this.free(keys);
      return;
    }
    // The table is no dict's any more (every caller detached it first) and its block is freed
    // only at the end, so nothing a death runs can change its entries: they are read as they
    // are released, in the order a copy of them would give, without the copy. The view is read
    // again for each: a finalizer may grow the memory.
    for (let i = 0, at = this.entry(keys, 0) + this.keyOffset(keys); i < n; i++, at += stride) {
      const key = memory.u32[at >>> 2]!;
      if (key !== 0) host.decref(key);
      const value = memory.u32[(at + 8) >>> 2]!;
      if (value !== 0) host.decref(value);
    }
    this.free(keys);
  }

  /** Frees a key table, or parks it when it is a minimal str-keyed one with room on its list. */
  free(keys: number): void {
    const table = this.#table;
    const log2 = table.memory.u8[keys + DictKeys.log2Size]!;
    const lists = table.host.freeLists;
    if (
      log2 === DictKeys.minLog2Size &&
      this.isUnicode(keys) &&
      lists &&
      lists.count("dictKeys") < lists.capacity("dictKeys")
    ) {
      lists.push("dictKeys", keys);
    } else {
      table.host.obj.free(keys);
    }
  }

  index(keys: number, slot: number): number {
    const memory = this.#table.memory;
    const width = memory.u8[keys + DictKeys.log2IndexBytes]! - memory.u8[keys + DictKeys.log2Size]!;
    const at = keys + DictKeys.header;
    return width === 0
      ? memory.view.getInt8(at + slot)
      : width === 1
        ? memory.view.getInt16(at + 2 * slot, true)
        : memory.view.getInt32(at + 4 * slot, true);
  }

  setIndex(keys: number, slot: number, value: number): void {
    const memory = this.#table.memory;
    const width = memory.u8[keys + DictKeys.log2IndexBytes]! - memory.u8[keys + DictKeys.log2Size]!;
    const at = keys + DictKeys.header;
    if (width === 0) memory.view.setInt8(at + slot, value);
    else if (width === 1) memory.view.setInt16(at + 2 * slot, value, true);
    else memory.view.setInt32(at + 4 * slot, value, true);
  }

  /**
   * `_Py_dict_lookup` in the table `keys`, which the word at `field` points to (a dict's
   * `ma_keys`): the entry index of `key` (whose hash is
   * `hash`), or EMPTY, with {@link KeyTables.slot} set to its index slot. Probing is CPython's: the low
   * bits of the hash, then `i = i × 5 + perturb + 1` with `perturb` the unsigned 64-bit hash
   * shifted right by 5 each step. A key is found by identity, or by an equal hash and `==`;
   * when `==` runs the front end's code and `field` or that entry changed meanwhile,
   * returns CHANGED and the caller looks up again.
   * @throws what the key protocol's `equals` throws (the table unchanged by the lookup)
   */
  lookup(field: number, keys: number, key: number, hash: Hash64): number {
    const table = this.#table;
    // memory.u32 is read afresh at each use: the front end's `==` may grow the heap.
    const memory = table.memory;
    const mask = (1 << memory.u8[keys + DictKeys.log2Size]!) - 1;
    const unicode = this.isUnicode(keys);
    const keyAt = unicode ? 0 : 8;
    const ops = this.ops;
    const strKey = ops.isStr(key);
    const entryHash = this.#entryHash;
    let perturbLo = hash.lo;
    let perturbHi = hash.hi;
    let i = hash.lo & mask;
    for (;;) {
      const ix = this.index(keys, i);
      if (ix === EMPTY) {
        this.slot = i;
        return EMPTY;
      }
      if (ix >= 0) {
        const entry = this.entry(keys, ix);
        const candidate = memory.u32[(entry + keyAt) >>> 2]!;
        if (candidate === key) {
          this.slot = i;
          return ix;
        }
        if (unicode) ops.strHash(candidate, entryHash);
        else {
          entryHash.lo = memory.u32[entry >>> 2]!;
          entryHash.hi = memory.u32[(entry + 4) >>> 2]!;
        }
        if (entryHash.lo === hash.lo && entryHash.hi === hash.hi) {
          if (strKey && ops.isStr(candidate)) {
            if (ops.strEqual(candidate, key)) {
              this.slot = i;
              return ix;
            }
          } else {
            // `==` may run the front end's code: hold the entry's key meanwhile, as CPython.
            const host = table.host;
            host.incref(candidate);
            let equal: boolean;
            try {
              equal = ops.equals(candidate, key);
            } finally {
              host.decref(candidate);
            }
            if (memory.u32[field >>> 2] !== keys || memory.u32[(entry + keyAt) >>> 2] !== candidate)
              return CHANGED;
            if (equal) {
              this.slot = i;
              return ix;
            }
          }
        }
      }
      perturbLo = ((perturbLo >>> 5) | (perturbHi << 27)) >>> 0;
      perturbHi >>>= 5;
      i = (i * 5 + perturbLo + 1) & mask;
    }
  }

  /** `lookdict_index`: the index slot that holds entry `index` (whose hash is `hash`). */
  slotOf(keys: number, hash: Hash64, index: number): number {
    const mask = (1 << this.#table.memory.u8[keys + DictKeys.log2Size]!) - 1;
    let perturbLo = hash.lo;
    let perturbHi = hash.hi;
    let i = hash.lo & mask;
    for (;;) {
      const ix = this.index(keys, i);
      if (ix === index) return i;
      if (ix === EMPTY) throw new RangeError(`entry ${index} is not in its table`);
      perturbLo = ((perturbLo >>> 5) | (perturbHi << 27)) >>> 0;
      perturbHi >>>= 5;
      i = (i * 5 + perturbLo + 1) & mask;
    }
  }

  /**
   * Puts a new entry at the end and its index in the first free (empty or dummy) slot of its
   * probe sequence (`find_empty_slot`); a general table stores the hash in the entry.
   */
  insertNew(keys: number, key: number, value: number, hash: Hash64): void {
    const memory = this.#table.memory;
    const mask = (1 << memory.u8[keys + DictKeys.log2Size]!) - 1;
    let perturbLo = hash.lo;
    let perturbHi = hash.hi;
    let i = hash.lo & mask;
    while (this.index(keys, i) >= 0) {
      perturbLo = ((perturbLo >>> 5) | (perturbHi << 27)) >>> 0;
      perturbHi >>>= 5;
      i = (i * 5 + perturbLo + 1) & mask;
    }
    const n = memory.u32[(keys + DictKeys.nentries) >>> 2]!;
    this.setIndex(keys, i, n);
    const entry = this.entry(keys, n);
    if (!this.isUnicode(keys)) {
      memory.u32[entry >>> 2] = hash.lo;
      memory.u32[(entry + 4) >>> 2] = hash.hi;
    }
    const at = (entry + this.keyOffset(keys)) >>> 2;
    memory.u32[at] = key;
    memory.u32[at + 2] = value;
    memory.u32[(keys + DictKeys.nentries) >>> 2] = n + 1;
    memory.u32[(keys + DictKeys.usable) >>> 2]! -= 1;
  }
}

// ------------------------------------------------------------------------- split tables

/** CPython 3.11's `SHARED_KEYS_MAX_SIZE`: the most names a class's key table takes. */
export const SHARED_KEYS_MAX_SIZE = 30;

/**
 * A values block: the attribute values of one instance (or of a split dict, once the instance's
 * dict is materialised), indexed by the class's shared key table, with their insertion order.
 * Its bytes are CPython 3.11's `new_values`: a prefix of `round8(capacity + 2)` bytes, then the
 * slots, and a block's address is the address of its first slot, as CPython's values pointer
 * is. The prefix holds the insertion order read backwards from the slots
 * (`_PyDictValues_AddToInsertionOrder`), the count of values and the prefix's own size (to find
 * the block's start when it is freed).
 *
 * ```
 *   block + 0       | ... order[1] order[0] (u8, key-table indices)
 *   values - 2      | count (u8)
 *   values - 1      | prefix size (u8): round8(capacity + 2)
 *   values + 0      | slot[0]                 8   the value of keys[i], or 0
 *                   | ...
 *                   | slot[capacity - 1]
 * ```
 *
 * The block knows neither its capacity nor its class, in CPython as here: its holder tells. An
 * instance keeps the capacity in its pre-header (`Instance.capacity`) and is of the class; a
 * split dict keeps the capacity beside its values pointer (`Dict.valuesCapacity`) and the class
 * beside its keys pointer (`Dict.valuesOwner`). So the functions below take the capacity from
 * their caller, and making or freeing a block touches nothing but the block.
 */
export const SplitValues = { slots: 0 } as const;

/** Bytes of a values block of `capacity` slots: `new_values`' prefix and the slots. */
export function splitValuesSize(capacity: number): number {
  return splitValuesPrefix(capacity) + 8 * capacity;
}

/** The prefix of a values block of `capacity` slots: the order, the count, the prefix size. */
function splitValuesPrefix(capacity: number): number {
  return (capacity + 2 + 7) & ~7;
}

/** A class's shared key table (`ht_cached_keys`): its names in first-set order and its room. */
interface SharedTable {
  /** The names, by index (the class's own array, which its instances read). */
  readonly names: string[];
  /** The strs of the names, made when a split dict first needs them (references held). */
  readonly strs: number[];
  /** `dk_usable`: names it can still take. */
  usable: number;
}

/**
 * The shared key tables of the classes of one object layer, and the values blocks indexed by
 * them. An instance stores its attributes in a values block; reading its `__dict__` makes a
 * split dict that takes the block over and reads its keys here (`ma_keys` is the class's table
 * in CPython; the dict finds it through the block's owner field).
 */
export class SharedKeyTables {
  readonly #table: KindTable;
  readonly #str: StrKind;
  /** By type id. */
  readonly #tables: Array<SharedTable | undefined> = [];

  constructor(table: KindTable) {
    this.#table = table;
    this.#str = table.get(StrKind);
  }

  /**
   * `_PyDict_NewKeysForClass`: a class's empty table with room for {@link SHARED_KEYS_MAX_SIZE}
   * names (one more than the first instance leaves). `names` is the class's array of names,
   * which this table fills.
   */
  define(typeId: number, names: string[]): void {
    this.#tables[typeId] = { names, strs: [], usable: SHARED_KEYS_MAX_SIZE };
  }

  /** Whether `typeId` has a shared key table. */
  has(typeId: number): boolean {
    return this.#tables[typeId] !== undefined;
  }

  /** The names, by index. */
  names(typeId: number): readonly string[] {
    return this.#get(typeId).names;
  }

  /** `dk_usable`: the names the table can still take. */
  usable(typeId: number): number {
    return this.#get(typeId).usable;
  }

  /**
   * `shared_keys_usable_size`: `dk_nentries + dk_usable`, the values a new instance gets room
   * for, and what a split dict's size counts.
   */
  usableSize(typeId: number): number {
    const shared = this.#get(typeId);
    return shared.names.length + shared.usable;
  }

  /** init_inline_values: each new instance takes one from the room while more than one is left. */
  takeInstance(typeId: number): void {
    const shared = this.#get(typeId);
    if (shared.usable > 1) shared.usable--;
  }

  /** The index of `name`, or -1. */
  indexOf(typeId: number, name: string): number {
    return this.#get(typeId).names.indexOf(name);
  }

  /**
   * insert_into_dictkeys: the index of `name`, entered at the end when new.
   * @returns the index, or -1 when the name is new and the table has no room (`dk_usable` 0)
   */
  insert(typeId: number, name: string): number {
    const shared = this.#get(typeId);
    const index = shared.names.indexOf(name);
    if (index >= 0) return index;
    if (shared.usable <= 0) return -1;
    shared.usable--;
    return shared.names.push(name) - 1;
  }

  /**
   * The str of name `index` (borrowed): made once and held for the class's life, as the key
   * table holds its names.
   */
  keyStr(typeId: number, index: number): number {
    const shared = this.#get(typeId);
    let s = shared.strs[index];
    if (s === undefined) {
      s = this.#str.create(shared.names[index]!);
      shared.strs[index] = s;
    }
    return s;
  }

  /** The str of name `index` if one was made (borrowed), else 0; never allocates. */
  heldStr(typeId: number, index: number): number {
    return this.#get(typeId).strs[index] ?? 0;
  }

  /**
   * Makes `key` (a str equal to name `index`) the table's str for that name if it has none
   * yet, as `insertdict` stores the key it was given in a split table.
   */
  adopt(typeId: number, index: number, key: number): void {
    const shared = this.#get(typeId);
    if (shared.strs[index] !== undefined) return;
    this.#table.host.incref(key);
    shared.strs[index] = key;
  }

  /** A new values block of `capacity` empty slots (mem domain). */
  newValues(capacity: number): number {
    const table = this.#table;
    const prefix = splitValuesPrefix(capacity);
    const bytes = prefix + 8 * capacity;
    const block = table.malloc(table.host.mem, bytes);
    const u8 = table.memory.u8;
    u8.fill(0, block, block + bytes);
    const values = block + prefix;
    u8[values - 1] = prefix;
    return values;
  }

  /** Frees a values block (its slots must have been released or taken over). */
  freeValues(values: number): void {
    this.#table.host.mem.free(values - this.#table.memory.u8[values - 1]!);
  }

  /**
   * A copy of `values`, a block of `capacity` slots, with `grown` slots (at least `capacity`);
   * the old block is freed.
   */
  growValues(values: number, capacity: number, grown: number): number {
    if (grown < capacity)
      throw new RangeError(`a values block of ${capacity} cannot shrink to ${grown}`);
    const copy = this.newValues(grown);
    // Read after the allocation, which may have grown the heap.
    const u8 = this.#table.memory.u8;
    u8.copyWithin(copy, values, values + 8 * capacity);
    this.#copyOrder(values, copy);
    this.freeValues(values);
    return copy;
  }

  /**
   * `PyDict_Copy` of a split dict's values, a block of `capacity` slots: a new block of the
   * same capacity, same order, new references.
   */
  copyValues(values: number, capacity: number): number {
    const copy = this.newValues(capacity);
    const memory = this.#table.memory;
    for (let i = 0; i < capacity; i++) {
      const value = this.slot(values, i);
      if (value === 0) continue;
      this.#table.host.incref(value);
      memory.u32[(copy + SplitValues.slots + 8 * i) >>> 2] = value;
    }
    this.#copyOrder(values, copy);
    return copy;
  }

  /** The insertion order (and count) of `from` given to `to`, which has room for it. */
  #copyOrder(from: number, to: number): void {
    const u8 = this.#table.memory.u8;
    const n = u8[from - 2]!;
    u8.copyWithin(to - 2 - n, from - 2 - n, from - 1);
  }

  /**
   * The value of key `index` (borrowed), or 0; `index` must be below the block's capacity,
   * which its holder knows.
   */
  slot(values: number, index: number): number {
    return this.#table.memory.u32[(values + SplitValues.slots + 8 * index) >>> 2]!;
  }

  /** Stores `value` (a reference the block takes over, or 0) in slot `index`, which must fit. */
  setSlot(values: number, index: number, value: number): void {
    this.#table.memory.u32[(values + SplitValues.slots + 8 * index) >>> 2] = value;
  }

  /** How many values the block holds (the length of its insertion order). */
  count(values: number): number {
    return this.#table.memory.u8[values - 2]!;
  }

  /** The key index of the `position`th value in insertion order. */
  orderAt(values: number, position: number): number {
    return this.#table.memory.u8[values - 3 - position]!;
  }

  /** `_PyDictValues_AddToInsertionOrder`: key `index` now has a value, the newest. */
  addToOrder(values: number, index: number): void {
    const u8 = this.#table.memory.u8;
    const n = u8[values - 2]!;
    u8[values - 3 - n] = index;
    u8[values - 2] = n + 1;
  }

  /** `delete_index_from_values`: key `index` has no value any more; later ones move up. */
  deleteFromOrder(values: number, index: number): void {
    const u8 = this.#table.memory.u8;
    const n = u8[values - 2]!;
    let i = 0;
    while (i < n && u8[values - 3 - i] !== index) i++;
    if (i === n) return;
    // Positions i + 1 .. n - 1 (at lower addresses) each move one byte up.
    u8.copyWithin(values - 2 - n + 1, values - 2 - n, values - 3 - i);
    u8[values - 2 - n] = 0;
    u8[values - 2] = n - 1;
  }

  /** The key indices with values, in insertion order. */
  order(values: number): number[] {
    const u8 = this.#table.memory.u8;
    const n = u8[values - 2]!;
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(u8[values - 3 - i]!);
    return out;
  }

  #get(typeId: number): SharedTable {
    const shared = this.#tables[typeId];
    if (shared === undefined) throw new RangeError(`type ${typeId} has no shared key table`);
    return shared;
  }
}

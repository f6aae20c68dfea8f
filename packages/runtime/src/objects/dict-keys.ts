// A dict's keys object: CPython 3.11's `PyDictKeysObject`, a separate block (not an object) of
// the object domain holding the hash index and the entries in insertion order, with its free
// list of minimal str-keyed tables.

import { OB_TYPE } from "@mm/heap";
import type { IntKind } from "./int.js";
import type { KindTable } from "./kind.js";
import { type StrKind, stringHash } from "./str.js";

/**
 * `PyDictKeysObject`: a 32-byte header, the index table (2^log2 slots of 1, 2 or 4 bytes, −1
 * for empty and −2 for a deleted entry) and two thirds as many entries. A table of str keys
 * (dk_kind unicode) has {key, value} entries, 16 bytes; a general one adds the hash first, 24.
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

const EMPTY = -1;
/** An index slot whose entry was deleted (`DKIX_DUMMY`). */
export const DUMMY = -2;

/** CPython's `USABLE_FRACTION`: two thirds of the slots hold entries. */
const usableFraction = (size: number) => Math.floor((size << 1) / 3);

/** `calculate_log2_keysize`: the smallest table of at least `minsize` slots (8 or more). */
export function log2KeySize(minsize: number): number {
  return Math.max(DictKeys.minLog2Size, 32 - Math.clz32((minsize | 7) >>> 0));
}

/** Bytes per index for a table of 2^log2 slots, as log2: 1, 2 or 4 bytes. */
const log2IndexBytes = (log2: number) => log2 + (log2 < 8 ? 0 : log2 < 16 ? 1 : 2);

/** Bytes of a key table: header, index table, entries (16 bytes each for str keys, else 24). */
export function keysSize(log2: number, unicode: boolean): number {
  const entry = unicode ? DictKeys.unicodeEntry : DictKeys.generalEntry;
  return DictKeys.header + (1 << log2IndexBytes(log2)) + usableFraction(1 << log2) * entry;
}

/** The key tables of one object layer: their creation, lookup, insertion and release. */
export class KeyTables {
  readonly #table: KindTable;
  readonly #str: StrKind;
  readonly #int: IntKind;

  constructor(table: KindTable, str: StrKind, int: IntKind) {
    this.#table = table;
    this.#str = str;
    this.#int = int;
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

  /** Drops the entries (key then value, first to last) and frees the table (or parks it). */
  release(keys: number): void {
    const table = this.#table;
    const n = this.nentries(keys);
    const held: number[] = [];
    const u32 = table.memory.u32;
    const stride = this.stride(keys);
    for (let i = 0, at = this.entry(keys, 0) + this.keyOffset(keys); i < n; i++, at += stride) {
      held.push(u32[at >>> 2]!, u32[(at + 8) >>> 2]!);
    }
    const host = table.host;
    for (const o of held) if (o !== 0) host.decref(o);
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

  /** The hash of a str or int key (not Python's: iteration order never depends on it). */
  keyHash(key: number): number {
    if (this.#str.is(key)) return this.#str.hash(key);
    return stringHash(`int:${this.#int.value(key)}`);
  }

  keysEqual(a: number, b: number): boolean {
    if (a === b) return true;
    const u32 = this.#table.memory.u32;
    const ta = u32[(a + OB_TYPE) >>> 2];
    if (ta !== u32[(b + OB_TYPE) >>> 2]) return false;
    return ta === this.#str.type.id
      ? this.#str.value(a) === this.#str.value(b)
      : this.#int.value(a) === this.#int.value(b);
  }

  /** Open addressing with CPython's perturbation: returns [slot, entry index or -1]. */
  lookup(keys: number, key: number): [number, number] {
    const memory = this.#table.memory;
    const mask = (1 << memory.u8[keys + DictKeys.log2Size]!) - 1;
    const hash = this.keyHash(key);
    const keyAt = this.keyOffset(keys);
    let perturb = hash;
    let i = hash & mask;
    for (;;) {
      const ix = this.index(keys, i);
      if (ix === EMPTY) return [i, -1];
      if (ix >= 0) {
        const candidate = memory.u32[(this.entry(keys, ix) + keyAt) >>> 2]!;
        if (candidate !== 0 && this.keyHash(candidate) === hash && this.keysEqual(candidate, key))
          return [i, ix];
      }
      perturb >>>= 5;
      i = (i * 5 + perturb + 1) & mask;
    }
  }

  /** Puts a new entry at the end and its index in the first free slot of its probe sequence. */
  insertNew(keys: number, key: number, value: number): void {
    const memory = this.#table.memory;
    const mask = (1 << memory.u8[keys + DictKeys.log2Size]!) - 1;
    const hash = this.keyHash(key);
    let perturb = hash;
    let i = hash & mask;
    while (this.index(keys, i) >= 0) {
      perturb >>>= 5;
      i = (i * 5 + perturb + 1) & mask;
    }
    const n = memory.u32[(keys + DictKeys.nentries) >>> 2]!;
    this.setIndex(keys, i, n);
    const entry = this.entry(keys, n);
    if (!this.isUnicode(keys)) memory.u32[entry >>> 2] = hash;
    const at = (entry + this.keyOffset(keys)) >>> 2;
    memory.u32[at] = key;
    memory.u32[at + 2] = value;
    memory.u32[(keys + DictKeys.nentries) >>> 2] = n + 1;
    memory.u32[(keys + DictKeys.usable) >>> 2]! -= 1;
  }
}

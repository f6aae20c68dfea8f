// dict: CPython 3.11's `PyDictObject` over a combined key table (dict-keys.ts), with any
// hashable key, created untracked and tracked when it gets a key or value that may be part of a
// cycle, with the dict free list; or split, over a class's shared key table and an instance's
// values (a materialised `__dict__`), until something needs it combined.

import { OB_TYPE, type TypeDescriptor, TypeFlags, type Visit } from "@mm/heap";
import { raise } from "../errors.js";
import {
  CHANGED,
  DictKeys,
  DUMMY,
  EMPTY,
  estimateLog2KeySize,
  KeyOps,
  KeyTables,
  keysSize,
  log2KeySize,
  SharedKeyTables,
  SplitValues,
  usableFraction,
} from "./dict-keys.js";
import { type Hash64, newHash } from "./hash.js";
import type { KindTable, KindUntrackRule, ObjectKind } from "./kind.js";
import { NoneKind } from "./none.js";
import { StrKind } from "./str.js";
import { Tuple, TupleKind } from "./tuple.js";

/**
 * `PyDictObject` (a container). `ma_keys` points to the key table (a separate block, see
 * dict-keys.ts), or is 0 for an empty dict: CPython's shared `Py_EMPTY_KEYS`, which is not
 * the dict's own and does not count in its size. `ma_values` is 0 but in a split dict, an
 * instance's materialised `__dict__`: it then points to the values block the dict took over
 * from the instance (dict-keys.ts, `SplitValues`), whose keys are its class's shared key table
 * (`ma_keys` stays 0, and the class's type id is in its upper half, `Dict.valuesOwner`; the
 * block's capacity is in the upper half of `ma_values`, `Dict.valuesCapacity`: the block holds
 * neither), and its size is 64 plus 8 per slot of that table's usable size (`sys.getsizeof` 296
 * for a class with one instance).
 *
 * ```
 *   op - 16  +------------------------+
 *            | gc_next      gc_gen    |  8   PyGC_Head
 *   op - 8   | gc_prev      gc_refs   |  8
 *   op + 0   +------------------------+
 *            | ob_refcnt    ob_flags  |  8
 *   op + 8   | ob_type      weaklist  |  8
 *   op + 16  | ma_used                |  8   Dict.used: live entries
 *   op + 24  | ma_version_tag         |  8   Dict.version: new at each creation and change
 *   op + 32  | ma_keys  ──────────────┼──8─▶ PyDictKeysObject (dict-keys.ts)
 *   op + 40  | ma_values (0)          |  8
 *   op + 48  +------------------------+
 *   sys.getsizeof = 16 + 48 + the key table's size: {} is 64, one str key 184, one int key 224
 * ```
 */
export const Dict = {
  basicSize: 48,
  used: 16,
  version: 24,
  keys: 32,
  values: 40,
  /**
   * A split dict's class (the type id whose shared key table indexes its values; u32), in the
   * upper half of the keys pointer's 8 bytes, which is 0 in a split dict.
   */
  valuesOwner: 36,
  /**
   * A split dict's values capacity (u32), in the upper half of the values pointer's 8 bytes
   * (addresses here are 32-bit): what the collector's pointer map counts the slots by.
   */
  valuesCapacity: 44,
} as const;

/**
 * A dict's `ma_version_tag` as one number (its two 32-bit words): every creation and every change
 * of a dict's entries gives it a value no dict of the runtime has had before, so an evaluator
 * may keep what it looked up in a dict for as long as the dict's tag is the one it saw (as
 * CPython 3.11's LOAD_GLOBAL caches do). Never 0 for a live dict.
 */
export function dictVersion(u32: Uint32Array, d: number): number {
  const at = (d + Dict.version) >>> 2;
  return u32[at]! + u32[at + 1]! * 0x1_0000_0000;
}

// biome-ignore lint/suspicious/noConstEnum: local to this module, so every compiler inlines it.
const enum At {
  Used = 16,
  Version = 24,
  Keys = 32,
  ValuesOwner = 36,
  Values = 40,
  ValuesCapacity = 44,
}

/** `DK_LOG_SIZE` of a class's shared key table (`NEXT_LOG2_SHARED_KEYS_MAX_SIZE`): 64 slots. */
const SHARED_KEYS_LOG2_SIZE = 6;

/** The `dict` kind. */
export class DictKind implements ObjectKind {
  readonly name = "dict";
  readonly type: TypeDescriptor;
  /** `_PyDict_MaybeUntrack`, run by full collections only. */
  readonly untrack: KindUntrackRule;
  /** The key tables (dict-keys.ts). */
  readonly keys: KeyTables;
  /** The hashing and equality of keys, shared with sets. */
  readonly ops: KeyOps;
  /** The classes' shared key tables, which split dicts (materialised `__dict__`s) index. */
  readonly shared: SharedKeyTables;
  readonly #table: KindTable;
  readonly #tuple: TupleKind;
  readonly #none: NoneKind;
  readonly #str: StrKind;
  /** The last `ma_version_tag` given out (CPython's global `pydict_global_version`). */
  #version = 0;

  constructor(table: KindTable) {
    this.#table = table;
    this.#str = table.get(StrKind);
    this.#tuple = table.get(TupleKind);
    this.#none = table.get(NoneKind);
    const ops = new KeyOps(table);
    this.ops = ops;
    const keyTables = new KeyTables(table, ops);
    this.keys = keyTables;
    const shared = new SharedKeyTables(table);
    this.shared = shared;
    const memory = table.memory;
    const host = table.host;
    const clear = (o: number) => this.clear(o);
    this.type = table.register(
      {
        name: "dict",
        basicSize: Dict.basicSize,
        flags: TypeFlags.Gc,
        // The collectors walk this map, not the traverse below: a split dict's values block
        // (an instance's, slot order, its capacity beside the pointer) or a combined dict's key
        // table, whose entries start after an index of 2^log2IndexBytes bytes and whose kind
        // byte chooses between {key, value} (str keys, not visited: a str holds no references
        // and CPython's collector needs only containers) and {hash, key, value} (value, then
        // key). At most one of the two blocks is set: ma_keys stays 0 in a split dict.
        pointers: {
          items: {
            block: Dict.values,
            count: Dict.valuesCapacity,
            first: SplitValues.slots,
          },
          table: {
            block: Dict.keys,
            count: DictKeys.nentries,
            index: DictKeys.header,
            indexBytesLog2: DictKeys.log2IndexBytes,
            layoutByte: DictKeys.kind,
            layouts: [
              { stride: DictKeys.generalEntry, key: 8, value: 16, visitKey: true },
              { stride: DictKeys.unicodeEntry, key: 0, value: 8, visitKey: false },
            ],
          },
        },
        // dict_traverse, as the map says; a strategy that decides liveness by tracing alone
        // must reach every object, so under one (which calls this, not the map) the str keys
        // are visited too.
        traverse: (o: number, visit: Visit, arg: number): number => {
          const u32 = memory.u32;
          if (u32[(o + At.Values) >>> 2] !== 0) return this.#traverseSplit(o, visit, arg);
          const keys = u32[(o + At.Keys) >>> 2]!;
          if (keys === 0) return 0;
          const unicode = memory.u8[keys + DictKeys.kind] === DictKeys.kindUnicode;
          const visitKeys = !unicode || host.traced === true;
          const stride = unicode ? DictKeys.unicodeEntry : DictKeys.generalEntry;
          const n = u32[(keys + DictKeys.nentries) >>> 2]!;
          const entries =
            keys + DictKeys.header + (1 << memory.u8[keys + DictKeys.log2IndexBytes]!);
          for (let i = 0, key = entries + (unicode ? 0 : 8); i < n; i++, key += stride) {
            const k = u32[key >>> 2]!;
            if (k === 0) continue;
            if (visit(u32[(key + 8) >>> 2]!, arg) !== 0 || (visitKeys && visit(k, arg) !== 0))
              return 1;
          }
          return 0;
        },
        clear,
        dealloc: clear,
        sizeOf: (o) => {
          // A split dict counts its values array as long as the shared table's usable size;
          // the shared table itself belongs to the class (its dk_refcnt is above 1).
          const values = memory.u32[(o + At.Values) >>> 2]!;
          if (values !== 0) {
            return Dict.basicSize + 8 * shared.usableSize(memory.u32[(o + At.ValuesOwner) >>> 2]!);
          }
          const keys = memory.u32[(o + At.Keys) >>> 2]!;
          if (keys === 0) return Dict.basicSize;
          return (
            Dict.basicSize +
            keysSize(memory.u8[keys + DictKeys.log2Size]!, keyTables.isUnicode(keys))
          );
        },
      },
      this,
      // `free` for an exact dict, as data: a split dict's values block goes (its fields
      // zeroed), then the dict is parked. A key table still there (a tracing sweep's) sends the
      // death to `free` itself, which may park the table.
      {
        block: At.Values,
        blockPrefixed: true,
        zero: [At.ValuesCapacity, At.ValuesOwner],
        park: "dict",
        kindFreeUnlessZero: At.Keys,
      },
    );
    ops.registerUnhashable(this.type.id);
    this.untrack = { fullCollectionsOnly: true, canUntrack: (d) => this.untrackable(d) };
  }

  /**
   * `{}`: an empty dict sharing the empty key table; created untracked, as in 3.11. `fresh`
   * skips the free list, as `dict()` does (`dict_new` allocates with `PyType_GenericAlloc`).
   */
  create(fresh = false): number {
    const table = this.#table;
    const d =
      (fresh ? 0 : table.fromFreeList("dict", this.type.id, 0)) || table.alloc(this.type.id, 0);
    this.#changed(d);
    return d;
  }

  /**
   * Makes a zeroed object of a dict subclass an empty dict (`dict_new` for a subtype): the
   * empty key table and a version tag.
   */
  initialize(d: number): void {
    this.#changed(d);
  }

  /**
   * Gives `d` a new version tag: called at its creation and at every change of its entries
   * (a new key, a value replaced, a deletion, a clear), never for a resize, which keeps them.
   */
  #changed(d: number): void {
    const version = ++this.#version;
    const u32 = this.#table.memory.u32;
    const at = (d + At.Version) >>> 2;
    u32[at] = version >>> 0;
    u32[at + 1] = Math.floor(version / 0x1_0000_0000);
  }

  length(d: number): number {
    return this.#table.memory.u32[(d + At.Used) >>> 2]!;
  }

  /** The live (key, value) pairs in insertion order (borrowed). */
  entries(d: number): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    for (let i = this.next(d, 0); i >= 0; i = this.next(d, i + 1))
      out.push([this.keyAt(d, i), this.valueAt(d, i)]);
    return out;
  }

  /**
   * `_PyDict_Next`: the position of the first live entry at or after `pos` (positions are entry
   * indices, in insertion order), or -1 when there is none.
   */
  next(d: number, pos: number): number {
    const u32 = this.#table.memory.u32;
    if (u32[(d + At.Values) >>> 2] !== 0) {
      // A split dict's positions are those of its insertion order, 0 to ma_used - 1.
      const at = Math.max(0, pos);
      return at < u32[(d + At.Used) >>> 2]! ? at : -1;
    }
    const keys = u32[(d + At.Keys) >>> 2]!;
    if (keys === 0) return -1;
    const tables = this.keys;
    const n = tables.nentries(keys);
    const stride = tables.stride(keys);
    let at = tables.entry(keys, pos) + tables.keyOffset(keys);
    for (let i = Math.max(0, pos); i < n; i++, at += stride) if (u32[at >>> 2] !== 0) return i;
    return -1;
  }

  /**
   * Where a reverse iteration starts, fixed when the iterator is made (`dictiter_new`'s
   * `di_pos`): the last position of a split dict's insertion order (`ma_used - 1`), else the
   * last entry of the key table, holes included (`dk_nentries - 1`); -1 for no entries. Entries
   * added later lie past it, and the iterator does not see them.
   */
  reverseStart(d: number): number {
    const u32 = this.#table.memory.u32;
    if (u32[(d + At.Values) >>> 2] !== 0) return u32[(d + At.Used) >>> 2]! - 1;
    const keys = u32[(d + At.Keys) >>> 2]!;
    return keys === 0 ? -1 : this.keys.nentries(keys) - 1;
  }

  /**
   * `dictreviter_iternext`'s walk: the position of the last live entry at or before `pos` (a
   * position past the end starts from the last entry), or -1 when there is none.
   */
  prev(d: number, pos: number): number {
    const u32 = this.#table.memory.u32;
    if (u32[(d + At.Values) >>> 2] !== 0) {
      const used = u32[(d + At.Used) >>> 2]!;
      return Math.min(pos, used - 1);
    }
    const keys = u32[(d + At.Keys) >>> 2]!;
    if (keys === 0 || pos < 0) return -1;
    const tables = this.keys;
    const last = Math.min(pos, tables.nentries(keys) - 1);
    const stride = tables.stride(keys);
    let at = tables.entry(keys, last) + tables.keyOffset(keys);
    for (let i = last; i >= 0; i--, at -= stride) if (u32[at >>> 2] !== 0) return i;
    return -1;
  }

  /** The key of the live entry at position `pos` (borrowed; see {@link DictKind.next}). */
  keyAt(d: number, pos: number): number {
    const values = this.#table.memory.u32[(d + At.Values) >>> 2]!;
    if (values !== 0) {
      const shared = this.shared;
      return shared.keyStr(this.#owner(d), shared.orderAt(values, pos));
    }
    const keys = this.#table.memory.u32[(d + At.Keys) >>> 2]!;
    const tables = this.keys;
    return this.#table.memory.u32[(tables.entry(keys, pos) + tables.keyOffset(keys)) >>> 2]!;
  }

  /** The value of the live entry at position `pos` (borrowed; see {@link DictKind.next}). */
  valueAt(d: number, pos: number): number {
    const values = this.#table.memory.u32[(d + At.Values) >>> 2]!;
    if (values !== 0) return this.shared.slot(values, this.shared.orderAt(values, pos));
    const keys = this.#table.memory.u32[(d + At.Keys) >>> 2]!;
    const tables = this.keys;
    return this.#table.memory.u32[(tables.entry(keys, pos) + tables.keyOffset(keys) + 8) >>> 2]!;
  }

  /** The hash of the key of the live entry at position `pos` (see {@link DictKind.next}). */
  hashAt(d: number, pos: number, out: Hash64): void {
    const u32 = this.#table.memory.u32;
    if (u32[(d + At.Values) >>> 2] !== 0) this.ops.strHash(this.keyAt(d, pos), out);
    else this.keys.entryHash(u32[(d + At.Keys) >>> 2]!, pos, out);
  }

  /** Whether `d` is a split dict: its values in a values block, its keys its class's. */
  isSplit(d: number): boolean {
    return this.#table.memory.u32[(d + At.Values) >>> 2] !== 0;
  }

  /**
   * `d[key]` (borrowed), or 0 when the key is missing.
   * @throws PythonError TypeError for an unhashable key, or what the key protocol throws
   */
  get(d: number, key: number): number {
    const hash = newHash();
    this.ops.hash(key, hash);
    const index = this.#find(d, key, hash);
    return index < 0 ? 0 : this.#entryValue(d, index);
  }

  /** `key in d`. @throws as {@link DictKind.get} */
  contains(d: number, key: number): boolean {
    return this.get(d, key) !== 0;
  }

  /**
   * `d[key] = value`; tracks the dict when the key or the value may be part of a cycle. A table
   * of str keys becomes a general one (24-byte entries) at its first other key.
   * @throws PythonError TypeError for an unhashable key, or what the key protocol throws; the
   *   dict is then unchanged (but for that conversion, as in CPython)
   */
  set(d: number, key: number, value: number): void {
    const hash = newHash();
    this.ops.hash(key, hash);
    this.insert(d, key, hash, value);
  }

  /** `insertdict`: `d[key] = value` for a key whose hash is known. */
  insert(d: number, key: number, hash: Hash64, value: number): void {
    const table = this.#table;
    const host = table.host;
    const tables = this.keys;
    // Lookups (the front end's `==`) and new tables may grow the heap: memory.u32 is read
    // afresh after each.
    const memory = table.memory;
    const isStr = this.ops.isStr(key);
    if (memory.u32[(d + At.Values) >>> 2] !== 0) {
      // A split table takes str keys while its class's table has room; anything else makes
      // the dict combined first (insertion_resize), general for a key that is not a str.
      if (!isStr) this.#unsplit(d, log2KeySize(this.length(d) * 3), false);
      else if (this.#insertSplit(d, key, hash, value)) return;
    }
    let keys = memory.u32[(d + At.Keys) >>> 2]!;
    let index = EMPTY;
    if (keys !== 0) {
      if (!isStr && tables.isUnicode(keys)) this.#resize(d, log2KeySize(this.length(d) * 3), false);
      index = this.#find(d, key, hash);
      keys = memory.u32[(d + At.Keys) >>> 2]!;
    }
    // MAINTAIN_TRACKING: an untracked dict is tracked when it gets a trackable key or value.
    if (!host.isTracked(d) && (table.mayBeTracked(key) || table.mayBeTracked(value))) host.track(d);
    if (index >= 0) {
      const at = (tables.entry(keys, index) + tables.keyOffset(keys) + 8) >>> 2;
      const old = memory.u32[at]!;
      host.incref(value);
      memory.u32[at] = value;
      this.#changed(d);
      host.decref(old);
      return;
    }
    if (keys === 0) {
      // insert_to_emptydict (or a table a comparison emptied): a minimal table of the key's kind.
      keys = tables.create(DictKeys.minLog2Size, isStr);
      memory.u32[(d + At.Keys) >>> 2] = keys;
    } else if (!isStr && tables.isUnicode(keys)) {
      keys = this.#resize(d, log2KeySize(this.length(d) * 3), false);
    } else if (tables.usable(keys) === 0) {
      keys = this.#resize(d, log2KeySize(this.length(d) * 3), tables.isUnicode(keys));
    }
    host.incref(key);
    host.incref(value);
    tables.insertNew(keys, key, value, hash);
    memory.u32[(d + At.Used) >>> 2]! += 1;
    this.#changed(d);
  }

  /**
   * `d.setdefault(key, default)`: the value of `key` (borrowed), inserting `fallback` first when
   * the key is missing. @throws as {@link DictKind.set}
   */
  setDefault(d: number, key: number, fallback: number): number {
    const hash = newHash();
    this.ops.hash(key, hash);
    const index = this.#find(d, key, hash);
    if (index >= 0) return this.#entryValue(d, index);
    this.insert(d, key, hash, fallback);
    return fallback;
  }

  /**
   * `del d[key]`: the entry becomes a hole; the key and then the value are released.
   * @throws PythonError KeyError when the key is missing, TypeError when it is unhashable
   */
  delete(d: number, key: number): void {
    const value = this.#pop(d, key, true);
    if (value === 0) raise("KeyError", this.#table.repr(key));
    this.#table.host.decref(value);
  }

  /**
   * `d.pop(key)`: removes the entry and returns its value (a reference the caller now owns),
   * or 0 when the key is missing (the caller returns its default or raises KeyError). An empty
   * dict does not hash the key, as `_PyDict_Pop`. @throws as {@link DictKind.get}
   */
  pop(d: number, key: number): number {
    return this.#pop(d, key, false);
  }

  /**
   * `d.popitem()`: the last entry as a new `(key, value)` tuple, made before the dict is
   * looked at (CPython allocates it first, in case the allocation collects and empties the
   * dict). @throws PythonError KeyError `popitem(): dictionary is empty`
   */
  popItem(d: number): number {
    const table = this.#table;
    const none = this.#none.none;
    const result = this.#tuple.create([none, none]);
    let u32 = table.memory.u32;
    if (this.length(d) === 0) {
      table.host.decref(result);
      raise("KeyError", "'popitem(): dictionary is empty'");
    }
    // A split dict becomes combined first, at its shared table's size (64 slots).
    if (u32[(d + At.Values) >>> 2] !== 0) {
      try {
        this.#unsplit(d, SHARED_KEYS_LOG2_SIZE, true);
      } catch (error) {
        table.host.decref(result);
        throw error;
      }
      u32 = table.memory.u32;
    }
    const keys = u32[(d + At.Keys) >>> 2]!;
    const tables = this.keys;
    let i = tables.nentries(keys) - 1;
    while (this.valueAt(d, i) === 0) i--;
    const hash = newHash();
    tables.entryHash(keys, i, hash);
    const at = (tables.entry(keys, i) + tables.keyOffset(keys)) >>> 2;
    const key = u32[at]!;
    const value = u32[at + 2]!;
    tables.setIndex(keys, tables.slotOf(keys, hash, i), DUMMY);
    u32[at] = 0;
    u32[at + 2] = 0;
    // The entry's references move into the tuple; the placeholders' go.
    u32[(result + Tuple.items) >>> 2] = key;
    u32[(result + Tuple.items + 8) >>> 2] = value;
    table.host.decref(none);
    table.host.decref(none);
    // dk_usable stays: the dummy slot still takes a place in the index.
    u32[(keys + DictKeys.nentries) >>> 2] = i;
    u32[(d + At.Used) >>> 2]! -= 1;
    this.#changed(d);
    return result;
  }

  /**
   * `d.copy()` (`PyDict_Copy`): a compact enough dict is cloned whole (its key table copied
   * byte for byte, tracked if `d` is); otherwise a new dict merges it.
   */
  copy(d: number): number {
    const table = this.#table;
    const used = this.length(d);
    if (used === 0) return this.create();
    const values = table.memory.u32[(d + At.Values) >>> 2]!;
    if (values !== 0) return this.#copySplit(d, values);
    const keys = table.memory.u32[(d + At.Keys) >>> 2]!;
    if (used >= Math.floor((this.keys.nentries(keys) * 2) / 3)) {
      const cloned = this.keys.clone(keys);
      let copy: number;
      try {
        copy = this.create();
      } catch (error) {
        this.keys.release(cloned);
        throw error;
      }
      table.memory.u32[(copy + At.Keys) >>> 2] = cloned;
      table.memory.u32[(copy + At.Used) >>> 2] = used;
      this.#changed(copy);
      if (table.host.isTracked(d)) table.host.track(copy);
      return copy;
    }
    const copy = this.create();
    try {
      this.update(copy, d);
    } catch (error) {
      table.host.decref(copy);
      throw error;
    }
    return copy;
  }

  /**
   * `d.update(other)` for a dict `other` (`dict_merge`): an empty `d` takes a clone of a clean
   * `other`'s table; otherwise one resize up front, then the entries in order.
   * @throws PythonError RuntimeError `dict mutated during update` when a comparison changes
   *   `other`, or what the key protocol throws
   */
  update(d: number, other: number): void {
    const table = this.#table;
    const memory = table.memory;
    const tables = this.keys;
    const otherUsed = this.length(other);
    if (other === d || otherUsed === 0) return;
    const okeys = memory.u32[(other + At.Keys) >>> 2]!;
    const otherSplit = memory.u32[(other + At.Values) >>> 2] !== 0;
    if (this.length(d) === 0 && !otherSplit) {
      const log2 = memory.u8[okeys + DictKeys.log2Size]!;
      if (
        otherUsed === tables.nentries(okeys) &&
        (log2 === DictKeys.minLog2Size || usableFraction((1 << log2) / 2) < otherUsed)
      ) {
        const cloned = tables.clone(okeys);
        const old = memory.u32[(d + At.Keys) >>> 2]!;
        memory.u32[(d + At.Keys) >>> 2] = cloned;
        memory.u32[(d + At.Used) >>> 2] = otherUsed;
        this.#changed(d);
        if (old !== 0) tables.release(old);
        // An empty split dict lets its values go (free_values: they hold nothing).
        const oldValues = memory.u32[(d + At.Values) >>> 2]!;
        this.#setValues(d, 0, 0, 0);
        if (oldValues !== 0) this.shared.freeValues(oldValues);
        if (table.host.isTracked(other) && !table.host.isTracked(d)) table.host.track(d);
        return;
      }
    }
    const unicode = otherSplit || tables.isUnicode(okeys);
    const grown = estimateLog2KeySize(this.length(d) + otherUsed);
    if (memory.u32[(d + At.Values) >>> 2] !== 0) {
      // The one big resize, judged against the shared table's size, makes the dict combined.
      if (usableFraction(1 << SHARED_KEYS_LOG2_SIZE) < otherUsed) this.#unsplit(d, grown, unicode);
    } else {
      const keys = memory.u32[(d + At.Keys) >>> 2]!;
      const capacity = keys === 0 ? 0 : usableFraction(1 << memory.u8[keys + DictKeys.log2Size]!);
      if (capacity < otherUsed) this.#resize(d, grown, unicode);
    }
    const size = this.#shape(other);
    const hash = newHash();
    const host = table.host;
    for (let i = this.next(other, 0); i >= 0; i = this.next(other, i + 1)) {
      const key = this.keyAt(other, i);
      const value = this.valueAt(other, i);
      this.hashAt(other, i, hash);
      host.incref(key);
      host.incref(value);
      try {
        this.insert(d, key, hash, value);
      } finally {
        host.decref(value);
        host.decref(key);
      }
      if (this.#shape(other) !== size) raise("RuntimeError", "dict mutated during update");
    }
  }

  /**
   * `d.clear()`, and dict's tp_clear and the release half of its tp_dealloc: back to the shared
   * empty table; the entries are released first to last.
   */
  clear(d: number): void {
    const u32 = this.#table.memory.u32;
    const values = u32[(d + At.Values) >>> 2]!;
    if (values !== 0) {
      this.#clearSplit(d, values);
      return;
    }
    const keys = u32[(d + At.Keys) >>> 2]!;
    u32[(d + At.Keys) >>> 2] = 0;
    u32[(d + At.Used) >>> 2] = 0;
    this.#changed(d);
    if (keys !== 0) this.keys.release(keys);
  }

  /** CPython's `_PyDict_MaybeUntrack` test: no value, nor any key of a general table, can be part of a cycle. */
  untrackable(d: number): boolean {
    const table = this.#table;
    const values = table.memory.u32[(d + At.Values) >>> 2]!;
    if (values !== 0) {
      const n = this.#capacity(d);
      for (let i = 0; i < n; i++) if (table.mayBeTracked(this.shared.slot(values, i))) return false;
      return true;
    }
    const keys = table.memory.u32[(d + At.Keys) >>> 2]!;
    if (keys === 0) return true;
    const general = !this.keys.isUnicode(keys);
    for (let i = this.next(d, 0); i >= 0; i = this.next(d, i + 1)) {
      if (table.mayBeTracked(this.valueAt(d, i))) return false;
      if (general && table.mayBeTracked(this.keyAt(d, i))) return false;
    }
    return true;
  }

  /**
   * dict_dealloc's end: frees the key table if dealloc did not (a tracing sweep), then parks.
   * The free plan given at registration says the same for an exact dict without a key table,
   * for the table to run without this call.
   */
  free(o: number): void {
    const table = this.#table;
    const u32 = table.memory.u32;
    const keys = u32[(o + At.Keys) >>> 2]!;
    u32[(o + At.Keys) >>> 2] = 0;
    if (keys !== 0) this.keys.free(keys);
    // A split dict's values block (its values were released, or swept beside it).
    const values = u32[(o + At.Values) >>> 2]!;
    this.#setValues(o, 0, 0, 0);
    if (values !== 0) this.shared.freeValues(values);
    // dict_dealloc parks exact dicts only (`Py_IS_TYPE(mp, &PyDict_Type)`).
    if (u32[(o + OB_TYPE) >>> 2] !== this.type.id || !table.park("dict", o, 0)) table.release(o);
  }

  /**
   * The entry index of `key` (for a split dict, its index in the class's table, when this dict
   * has a value for it), or EMPTY, looking up again while comparisons change the table.
   */
  #find(d: number, key: number, hash: Hash64): number {
    const memory = this.#table.memory;
    for (;;) {
      const values = memory.u32[(d + At.Values) >>> 2]!;
      if (values !== 0) {
        const index = this.#lookupSplit(d, key, hash);
        return index >= 0 && this.#splitSlot(d, values, index) !== 0 ? index : EMPTY;
      }
      const keys = memory.u32[(d + At.Keys) >>> 2]!;
      if (keys === 0) return EMPTY;
      const index = this.keys.lookup(d + At.Keys, keys, key, hash);
      if (index !== CHANGED) return index;
    }
  }

  /**
   * Removes `key`'s entry (`delitem_common`: a dummy index, a hole in the entries, the key
   * released) and returns its value, owned, or 0 when missing. `hashEmpty` says whether an
   * empty dict still hashes the key (`del d[k]` does, `d.pop(k)` does not).
   */
  #pop(d: number, key: number, hashEmpty: boolean): number {
    if (this.length(d) === 0 && !hashEmpty) return 0;
    const hash = newHash();
    this.ops.hash(key, hash);
    if (this.isSplit(d)) return this.#popSplit(d, key, hash);
    const index = this.#find(d, key, hash);
    if (index < 0) return 0;
    const table = this.#table;
    const tables = this.keys;
    const u32 = table.memory.u32;
    const keys = u32[(d + At.Keys) >>> 2]!;
    tables.setIndex(keys, tables.slot, DUMMY);
    const at = (tables.entry(keys, index) + tables.keyOffset(keys)) >>> 2;
    const oldKey = u32[at]!;
    const oldValue = u32[at + 2]!;
    u32[at] = 0;
    u32[at + 2] = 0;
    u32[(d + At.Used) >>> 2]! -= 1;
    this.#changed(d);
    table.host.decref(oldKey);
    return oldValue;
  }

  // ----------------------------------------------------------------------- split tables

  /**
   * `make_dict_from_instance_attributes`: a split dict over an instance's values block, which
   * it takes over (its count and order included): `capacity` slots, indexed by the shared key
   * table of class `owner` (a type id). A new dict (from the free list), tracked
   * only when a value may be part of a cycle.
   */
  fromValues(values: number, capacity: number, owner: number): number {
    const table = this.#table;
    const d = this.create();
    const shared = this.shared;
    const u32 = table.memory.u32;
    this.#setValues(d, values, capacity, owner);
    u32[(d + At.Used) >>> 2] = shared.count(values);
    for (let i = 0; i < capacity; i++) {
      if (table.mayBeTracked(shared.slot(values, i))) {
        table.host.track(d);
        break;
      }
    }
    return d;
  }

  /** The value of entry `index` as {@link DictKind.#find} gives it (borrowed). */
  #entryValue(d: number, index: number): number {
    const values = this.#table.memory.u32[(d + At.Values) >>> 2]!;
    return values !== 0 ? this.#splitSlot(d, values, index) : this.valueAt(d, index);
  }

  /**
   * Something that changes when a dict's entries are rearranged: its entry count (holes
   * included), or, for a split dict, its class's table length, apart from a combined one's.
   */
  #shape(d: number): number {
    const u32 = this.#table.memory.u32;
    const values = u32[(d + At.Values) >>> 2]!;
    if (values !== 0) return -2 - this.shared.names(this.#owner(d)).length;
    const keys = u32[(d + At.Keys) >>> 2]!;
    return keys === 0 ? -1 : this.keys.nentries(keys);
  }

  /**
   * Sets a dict's values block (0 for none), with its capacity, which the pointer map reads
   * beside it, and its class (a type id), beside the keys pointer (0 in a split dict).
   */
  #setValues(d: number, values: number, capacity: number, owner: number): void {
    const u32 = this.#table.memory.u32;
    u32[(d + At.Values) >>> 2] = values;
    u32[(d + At.ValuesCapacity) >>> 2] = capacity;
    u32[(d + At.ValuesOwner) >>> 2] = owner;
  }

  /** The slots of a split dict's values block. */
  #capacity(d: number): number {
    return this.#table.memory.u32[(d + At.ValuesCapacity) >>> 2]!;
  }

  /** The class (type id) whose shared key table a split dict's values block is indexed by. */
  #owner(d: number): number {
    return this.#table.memory.u32[(d + At.ValuesOwner) >>> 2]!;
  }

  /**
   * The value of a split dict's key `index` (borrowed), or 0: also for an index of its class's
   * table past its block (a name the table took after the block was made).
   */
  #splitSlot(d: number, values: number, index: number): number {
    return index < this.#capacity(d) ? this.shared.slot(values, index) : 0;
  }

  /**
   * dict_traverse of a split dict: the values in key-table order (and, for a strategy that
   * decides liveness by tracing alone, the keys' strs).
   */
  #traverseSplit(d: number, visit: Visit, arg: number): number {
    const shared = this.shared;
    const values = this.#table.memory.u32[(d + At.Values) >>> 2]!;
    const owner = this.#owner(d);
    const traced = this.#table.host.traced === true;
    const n = this.#capacity(d);
    for (let i = 0; i < n; i++) {
      const value = shared.slot(values, i);
      if (value === 0) continue;
      if (visit(value, arg) !== 0) return 1;
      const key = traced ? shared.heldStr(owner, i) : 0;
      if (key !== 0 && visit(key, arg) !== 0) return 1;
    }
    return 0;
  }

  /**
   * The index of `key` in the class's table of the split dict `d`, or EMPTY. A str is found by
   * value; another key as `unicodekeys_lookup_generic` finds it, by identity or by an equal
   * hash and `==`.
   */
  #lookupSplit(d: number, key: number, hash: Hash64): number {
    const shared = this.shared;
    const owner = this.#owner(d);
    if (this.ops.isStr(key)) return shared.indexOf(owner, this.#str.value(key));
    const names = shared.names(owner);
    const candidateHash = newHash();
    for (let i = 0; i < names.length; i++) {
      const candidate = shared.keyStr(owner, i);
      if (candidate === key) return i;
      this.ops.strHash(candidate, candidateHash);
      if (
        candidateHash.lo === hash.lo &&
        candidateHash.hi === hash.hi &&
        this.ops.equals(candidate, key)
      )
        return i;
    }
    return EMPTY;
  }

  /**
   * `insertdict` into a split dict for a str key: a name of the class's table, or a new one
   * entered at its end while it has room, gets its value in the values block (a new one joins
   * the insertion order). With no room, the dict is made combined instead.
   * @returns false when the dict became combined and the key is still to insert
   */
  #insertSplit(d: number, key: number, hash: Hash64, value: number): boolean {
    const table = this.#table;
    const host = table.host;
    const shared = this.shared;
    let values = table.memory.u32[(d + At.Values) >>> 2]!;
    const owner = this.#owner(d);
    let index = this.#lookupSplit(d, key, hash);
    if (!host.isTracked(d) && (table.mayBeTracked(key) || table.mayBeTracked(value))) host.track(d);
    if (index < 0) {
      if (shared.usable(owner) <= 0) {
        this.#unsplit(d, log2KeySize(this.length(d) * 3), true);
        return false;
      }
      index = shared.insert(owner, this.#str.value(key));
      shared.adopt(owner, index, key);
    }
    const capacity = this.#capacity(d);
    if (index >= capacity) {
      const grown = Math.max(shared.names(owner).length, 4, capacity);
      values = shared.growValues(values, capacity, grown);
      this.#setValues(d, values, grown, owner);
    }
    const old = shared.slot(values, index);
    host.incref(value);
    shared.setSlot(values, index, value);
    if (old === 0) {
      shared.addToOrder(values, index);
      table.memory.u32[(d + At.Used) >>> 2]! += 1;
    } else {
      host.decref(old);
    }
    return true;
  }

  /**
   * `delitem_common` on a split dict: the value leaves its slot and the insertion order; the
   * dict stays split and the key stays in the class's table.
   * @returns the value (owned), or 0 when the dict has none for `key`
   */
  #popSplit(d: number, key: number, hash: Hash64): number {
    const shared = this.shared;
    const values = this.#table.memory.u32[(d + At.Values) >>> 2]!;
    const index = this.#lookupSplit(d, key, hash);
    if (index < 0) return 0;
    const old = this.#splitSlot(d, values, index);
    if (old === 0) return 0;
    shared.setSlot(values, index, 0);
    shared.deleteFromOrder(values, index);
    this.#table.memory.u32[(d + At.Used) >>> 2]! -= 1;
    return old;
  }

  /**
   * `PyDict_Copy` of a split dict: a split copy sharing the class's table, its own values
   * block (same order, new references), made with `PyObject_GC_New` (never the free list),
   * tracked if `d` is.
   */
  #copySplit(d: number, values: number): number {
    const table = this.#table;
    const shared = this.shared;
    const capacity = this.#capacity(d);
    const copied = shared.copyValues(values, capacity);
    let copy: number;
    try {
      copy = table.alloc(this.type.id, 0);
    } catch (error) {
      this.#releaseValues(copied, capacity);
      throw error;
    }
    const u32 = table.memory.u32;
    this.#setValues(copy, copied, capacity, this.#owner(d));
    u32[(copy + At.Used) >>> 2] = this.length(d);
    if (table.host.isTracked(d)) table.host.track(copy);
    return copy;
  }

  /**
   * `PyDict_Clear` (and dict_dealloc) of a split dict: empty at once, then each value released
   * in key-table order, then the values block freed.
   */
  #clearSplit(d: number, values: number): void {
    const u32 = this.#table.memory.u32;
    const capacity = this.#capacity(d);
    this.#setValues(d, 0, 0, 0);
    u32[(d + At.Keys) >>> 2] = 0;
    u32[(d + At.Used) >>> 2] = 0;
    this.#releaseValues(values, capacity);
  }

  /** Releases the values of a block of `capacity` slots one at a time (`Py_CLEAR`), then frees it. */
  #releaseValues(values: number, capacity: number): void {
    const shared = this.shared;
    const host = this.#table.host;
    for (let i = 0; i < capacity; i++) {
      const value = shared.slot(values, i);
      if (value === 0) continue;
      shared.setSlot(values, i, 0);
      host.decref(value);
    }
    shared.freeValues(values);
  }

  /**
   * `dictresize` of a split dict: a combined table of 2^log2 slots (general unless `unicode`)
   * with the keys in insertion order, holding new references to them; the values move over
   * and the values block is freed.
   */
  #unsplit(d: number, log2: number, unicode: boolean): number {
    const table = this.#table;
    const shared = this.shared;
    const values = table.memory.u32[(d + At.Values) >>> 2]!;
    const owner = this.#owner(d);
    const order = shared.order(values);
    // The names' strs exist in CPython (the class's table holds them): made before the table.
    const names = order.map((index) => shared.keyStr(owner, index));
    const keys = this.keys.create(log2, unicode);
    const hash = newHash();
    const host = table.host;
    order.forEach((index, i) => {
      const key = names[i]!;
      host.incref(key);
      this.ops.strHash(key, hash);
      this.keys.insertNew(keys, key, shared.slot(values, index), hash);
    });
    const u32 = table.memory.u32;
    u32[(d + At.Keys) >>> 2] = keys;
    this.#setValues(d, 0, 0, 0);
    shared.freeValues(values);
    return keys;
  }

  /**
   * `dictresize`: a new table of 2^log2 slots holding the live entries, in order; it stays a str
   * table only if it was one and `unicode` says so. The old table is freed, not released: its
   * references moved.
   */
  #resize(d: number, log2: number, unicode: boolean): number {
    const table = this.#table;
    const tables = this.keys;
    const oldKeys = table.memory.u32[(d + At.Keys) >>> 2]!;
    const keepUnicode = unicode && (oldKeys === 0 || tables.isUnicode(oldKeys));
    const keys = tables.create(log2, keepUnicode);
    // Read after the allocation, which may have grown the heap.
    const u32 = table.memory.u32;
    if (oldKeys !== 0) {
      const hash = newHash();
      const n = tables.nentries(oldKeys);
      const stride = tables.stride(oldKeys);
      const offset = tables.keyOffset(oldKeys);
      for (let i = 0, at = tables.entry(oldKeys, 0) + offset; i < n; i++, at += stride) {
        const key = u32[at >>> 2]!;
        if (key === 0) continue;
        tables.entryHash(oldKeys, i, hash);
        tables.insertNew(keys, key, u32[(at + 8) >>> 2]!, hash);
      }
    }
    u32[(d + At.Keys) >>> 2] = keys;
    if (oldKeys !== 0) tables.free(oldKeys);
    return keys;
  }
}

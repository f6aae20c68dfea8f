// dict: CPython 3.11's `PyDictObject` over a combined key table (dict-keys.ts), created
// untracked and tracked when it gets a value that may be part of a cycle, with the dict free list.

import { OB_TYPE, type TypeDescriptor, TypeFlags, type Visit } from "@mm/heap";
import { raise } from "../errors.js";
import { DictKeys, DUMMY, KeyTables, keysSize, log2KeySize } from "./dict-keys.js";
import { IntKind } from "./int.js";
import type { KindTable, KindUntrackRule, ObjectKind } from "./kind.js";
import { StrKind } from "./str.js";

/**
 * `PyDictObject` (a container). `ma_keys` points to the key table (a separate block, see
 * dict-keys.ts), or is 0 for an empty dict: CPython's shared `Py_EMPTY_KEYS`, which is not
 * the dict's own and does not count in its size. `ma_values` (a split table's values) stays 0.
 *
 * ```
 *   op - 16  +------------------------+
 *            | gc_next      gc_gen    |  8   PyGC_Head
 *   op - 8   | gc_prev      gc_refs   |  8
 *   op + 0   +------------------------+
 *            | ob_refcnt    ob_flags  |  8
 *   op + 8   | ob_type      weaklist  |  8
 *   op + 16  | ma_used                |  8   Dict.used: live entries
 *   op + 24  | ma_version_tag         |  8
 *   op + 32  | ma_keys  ──────────────┼──8─▶ PyDictKeysObject (dict-keys.ts)
 *   op + 40  | ma_values (0)          |  8
 *   op + 48  +------------------------+
 *   sys.getsizeof = 16 + 48 + the key table's size: {} is 64, one str key 184, one int key 224
 * ```
 */
export const Dict = { basicSize: 48, used: 16, keys: 32, values: 40 } as const;

// biome-ignore lint/suspicious/noConstEnum: local to this module, so every compiler inlines it.
const enum At {
  Used = 16,
  Keys = 32,
}

/** The `dict` kind. */
export class DictKind implements ObjectKind {
  readonly name = "dict";
  readonly type: TypeDescriptor;
  /** `_PyDict_MaybeUntrack`, run by full collections only. */
  readonly untrack: KindUntrackRule;
  /** The key tables (dict-keys.ts). */
  readonly keys: KeyTables;
  readonly #table: KindTable;
  readonly #str: StrKind;
  readonly #int: IntKind;

  constructor(table: KindTable) {
    this.#table = table;
    this.#str = table.get(StrKind);
    this.#int = table.get(IntKind);
    const keyTables = new KeyTables(table, this.#str, this.#int);
    this.keys = keyTables;
    const memory = table.memory;
    const clear = (o: number) => this.clear(o);
    this.type = table.register(
      {
        name: "dict",
        basicSize: Dict.basicSize,
        flags: TypeFlags.Gc,
        // No pointer map: the entries move with the index table's size and the table's kind.
        // dict_traverse: a table of str keys visits only the values (a str holds no
        // references); a general table visits each value, then its key. Not visiting a str key
        // frees nothing early, even under the tracing strategy, because every str key is a key
        // constant (Runtime.keyConstant): alive for the runtime's whole life and a root.
        traverse: (o: number, visit: Visit, arg: number): number => {
          const u32 = memory.u32;
          const keys = u32[(o + At.Keys) >>> 2]!;
          if (keys === 0) return 0;
          const unicode = memory.u8[keys + DictKeys.kind] === DictKeys.kindUnicode;
          const stride = unicode ? DictKeys.unicodeEntry : DictKeys.generalEntry;
          const n = u32[(keys + DictKeys.nentries) >>> 2]!;
          const entries =
            keys + DictKeys.header + (1 << memory.u8[keys + DictKeys.log2IndexBytes]!);
          for (let i = 0, key = entries + (unicode ? 0 : 8); i < n; i++, key += stride) {
            const k = u32[key >>> 2]!;
            if (k === 0) continue;
            if (visit(u32[(key + 8) >>> 2]!, arg) !== 0 || (!unicode && visit(k, arg) !== 0))
              return 1;
          }
          return 0;
        },
        clear,
        dealloc: clear,
        sizeOf: (o) => {
          const keys = memory.u32[(o + At.Keys) >>> 2]!;
          if (keys === 0) return Dict.basicSize;
          return (
            Dict.basicSize +
            keysSize(memory.u8[keys + DictKeys.log2Size]!, keyTables.isUnicode(keys))
          );
        },
      },
      this,
    );
    this.untrack = { fullCollectionsOnly: true, canUntrack: (d) => this.untrackable(d) };
  }

  /** `{}`: an empty dict sharing the empty key table; created untracked, as in 3.11. */
  create(): number {
    const table = this.#table;
    return table.fromFreeList("dict", this.type.id, 0) || table.alloc(this.type.id, 0);
  }

  length(d: number): number {
    return this.#table.memory.u32[(d + At.Used) >>> 2]!;
  }

  /** The live (key, value) pairs in insertion order (borrowed). */
  entries(d: number): Array<[number, number]> {
    const u32 = this.#table.memory.u32;
    const keys = u32[(d + At.Keys) >>> 2]!;
    if (keys === 0) return [];
    const out: Array<[number, number]> = [];
    const tables = this.keys;
    const n = tables.nentries(keys);
    const stride = tables.stride(keys);
    for (let i = 0, at = tables.entry(keys, 0) + tables.keyOffset(keys); i < n; i++, at += stride) {
      const key = u32[at >>> 2]!;
      if (key !== 0) out.push([key, u32[(at + 8) >>> 2]!]);
    }
    return out;
  }

  /** `d[key]` (borrowed), or 0 when the key is missing. */
  get(d: number, key: number): number {
    const u32 = this.#table.memory.u32;
    const keys = u32[(d + At.Keys) >>> 2]!;
    if (keys === 0) return 0;
    const tables = this.keys;
    const [, index] = tables.lookup(keys, key);
    return index < 0 ? 0 : u32[(tables.entry(keys, index) + tables.keyOffset(keys) + 8) >>> 2]!;
  }

  /**
   * `d[key] = value` (str or int keys); tracks the dict when the value may be part of a cycle.
   * A table of str keys becomes a general one (24-byte entries) at its first other key. A str
   * key must be a key constant (`Runtime.keyConstant`): traversal does not visit str keys.
   */
  set(d: number, key: number, value: number): void {
    const isStr = this.#requireKey(key);
    const table = this.#table;
    const host = table.host;
    const tables = this.keys;
    // MAINTAIN_TRACKING: an untracked dict is tracked when it gets a trackable value.
    if (!host.isTracked(d) && table.mayBeTracked(value)) host.track(d);
    let keys = table.memory.u32[(d + At.Keys) >>> 2]!;
    if (keys === 0) {
      keys = tables.create(DictKeys.minLog2Size, isStr);
      table.memory.u32[(d + At.Keys) >>> 2] = keys;
    } else if (!isStr && tables.isUnicode(keys)) {
      keys = this.#resize(d, log2KeySize(this.length(d) * 3), false);
    }
    const [, found] = tables.lookup(keys, key);
    if (found >= 0) {
      const at = (tables.entry(keys, found) + tables.keyOffset(keys) + 8) >>> 2;
      const old = table.memory.u32[at]!;
      host.incref(value);
      table.memory.u32[at] = value;
      host.decref(old);
      return;
    }
    if (tables.usable(keys) === 0) {
      keys = this.#resize(d, log2KeySize(this.length(d) * 3), tables.isUnicode(keys));
    }
    host.incref(key);
    host.incref(value);
    tables.insertNew(keys, key, value);
    table.memory.u32[(d + At.Used) >>> 2]! += 1;
  }

  /** `del d[key]`: the entry becomes a hole; the key and then the value are released. */
  delete(d: number, key: number): void {
    this.#requireKey(key);
    const table = this.#table;
    const tables = this.keys;
    const keys = table.memory.u32[(d + At.Keys) >>> 2]!;
    const [slot, index] = keys === 0 ? [-1, -1] : tables.lookup(keys, key);
    if (index < 0) raise("KeyError", table.repr(key));
    tables.setIndex(keys, slot, DUMMY);
    const u32 = table.memory.u32;
    const at = (tables.entry(keys, index) + tables.keyOffset(keys)) >>> 2;
    const oldKey = u32[at]!;
    const oldValue = u32[at + 2]!;
    u32[at] = 0;
    u32[at + 2] = 0;
    u32[(d + At.Used) >>> 2]! -= 1;
    table.host.decref(oldKey);
    table.host.decref(oldValue);
  }

  /**
   * `d.clear()`, and dict's tp_clear and the release half of its tp_dealloc: back to the shared
   * empty table; the entries are released first to last.
   */
  clear(d: number): void {
    const u32 = this.#table.memory.u32;
    const keys = u32[(d + At.Keys) >>> 2]!;
    u32[(d + At.Keys) >>> 2] = 0;
    u32[(d + At.Used) >>> 2] = 0;
    if (keys !== 0) this.keys.release(keys);
  }

  /** CPython's `_PyDict_MaybeUntrack` test: no value can be part of a cycle. */
  untrackable(d: number): boolean {
    const table = this.#table;
    for (const [, value] of this.entries(d)) if (table.mayBeTracked(value)) return false;
    return true;
  }

  /** dict_dealloc's end: frees the key table if dealloc did not (a tracing sweep), then parks. */
  free(o: number): void {
    const table = this.#table;
    const u32 = table.memory.u32;
    const keys = u32[(o + At.Keys) >>> 2]!;
    u32[(o + At.Keys) >>> 2] = 0;
    if (keys !== 0) this.keys.free(keys);
    if (!table.park("dict", o, 0)) table.host.release(o);
  }

  /** `dictresize`: a new table of 2^log2 slots holding the live entries, in order. */
  #resize(d: number, log2: number, unicode: boolean): number {
    const table = this.#table;
    const oldKeys = table.memory.u32[(d + At.Keys) >>> 2]!;
    const live = this.entries(d);
    const keys = this.keys.create(log2, unicode);
    for (const [key, value] of live) this.keys.insertNew(keys, key, value);
    table.memory.u32[(d + At.Keys) >>> 2] = keys;
    this.keys.free(oldKeys);
    return keys;
  }

  /** Dict keys here are str or int; returns whether it is a str. */
  #requireKey(key: number): boolean {
    const typeId = this.#table.memory.u32[(key + OB_TYPE) >>> 2];
    if (typeId === this.#str.type.id) return true;
    if (typeId === this.#int.type.id) return false;
    return raise(
      "TypeError",
      `dict keys must be str or int here, not '${this.#table.typeName(key)}'`,
    );
  }
}

// set and frozenset: CPython 3.11's `PySetObject` (Objects/setobject.c), an open-addressing
// table of (key, hash) entries, 8 of them inline, probed linearly 9 slots at a time before
// perturbation, with dummy entries for deletions; created tracked; frozenset's cached hash.

import { OB_TYPE, type TypeDescriptor, TypeFlags, type Visit } from "@mm/heap";
import { raise } from "../errors.js";
import { DictKind } from "./dict.js";
import type { KeyOps } from "./dict-keys.js";
import { frozensetHashAdd, frozensetHashFinish, type Hash64, newHash } from "./hash.js";
import type { KindTable, ObjectKind } from "./kind.js";

/**
 * `PySetObject` (a container, for both `set` and `frozenset`). `table` points to the inline
 * `smalltable` (8 entries) until the set grows, then to a block of (mask + 1) entries from the
 * mem domain. An entry is a key (0: never used; a dummy after a deletion) and its hash.
 *
 * ```
 *   op - 16  +------------------------+
 *            | gc_next      gc_gen    |  8   PyGC_Head
 *   op - 8   | gc_prev      gc_refs   |  8
 *   op + 0   +------------------------+
 *            | ob_refcnt    ob_flags  |  8
 *   op + 8   | ob_type      weaklist  |  8
 *   op + 16  | fill                   |  8   SetLayout.fill: active and dummy entries
 *   op + 24  | used                   |  8   SetLayout.used: active entries (len)
 *   op + 32  | mask                   |  8   SetLayout.mask: slots - 1
 *   op + 40  | table  ────────────────┼──8─▶ smalltable (op + 64), or a block of (mask + 1) × 16
 *   op + 48  | hash (frozenset)       |  8   SetLayout.hash: -1 until computed
 *   op + 56  | finger                 |  8   SetLayout.finger: where pop() looks first
 *   op + 64  | smalltable[0]: key     |  8   SetLayout.smalltable; an entry is key, hash
 *            |                hash    |  8
 *            | ... smalltable[7]      |  8 × 16 bytes in all
 *   op + 192 | weakreflist            |  8   (the list head is kept in ob_weaklist)
 *   op + 200 +------------------------+
 *   sys.getsizeof = 16 + 200, plus (mask + 1) × 16 once the table is not the small one: set() is 216
 * ```
 */
export const SetLayout = {
  basicSize: 200,
  fill: 16,
  used: 24,
  mask: 32,
  table: 40,
  hash: 48,
  finger: 56,
  smalltable: 64,
  entrySize: 16,
  /** `PySet_MINSIZE`: the inline table's slots. */
  minSize: 8,
} as const;

// biome-ignore lint/suspicious/noConstEnum: local to this module, so every compiler inlines it.
const enum At {
  Fill = 16,
  Used = 24,
  Mask = 32,
  Table = 40,
  Hash = 48,
  Finger = 56,
  Small = 64,
}

/** Slots probed one after another before the perturbed jump (`LINEAR_PROBES`). */
const LINEAR_PROBES = 9;
/**
 * The key of a deleted entry (CPython's `dummy` object). No object lives at address 1
 * (objects are aligned), so it cannot be mistaken for a key; its hash is -1, which no key has.
 */
const DUMMY = 1;
/** What `discard` found. */
const DISCARD_NOTFOUND = 0;
const DISCARD_FOUND = 1;

/** An operand of the set operations that take any set, or a dict's keys. */
export type SetSource = { readonly set: number } | { readonly dict: number } | readonly number[];

/** The `set` and `frozenset` kind. */
export class SetKind implements ObjectKind {
  readonly name = "set";
  /** `set`. */
  readonly type: TypeDescriptor;
  /** `frozenset`. */
  readonly frozenType: TypeDescriptor;
  readonly #table: KindTable;
  readonly #ops: KeyOps;
  /** Type ids of the subclasses of set and frozenset ({@link SetKind.adoptSubtype}). */
  readonly #subtypes = new Set<number>();
  /** Type ids of the subclasses of frozenset. */
  readonly #frozenSubtypes = new Set<number>();
  readonly #dict: DictKind;
  /** The sets whose repr is being written (`Py_ReprEnter`). */
  readonly #reprs = new Set<number>();

  constructor(table: KindTable) {
    this.#table = table;
    this.#dict = table.get(DictKind);
    this.#ops = this.#dict.ops;
    const memory = table.memory;
    const clear = (o: number) => this.clear(o);
    const spec = (name: string) => ({
      name,
      basicSize: SetLayout.basicSize,
      flags: TypeFlags.Gc | TypeFlags.Weakrefable,
      // set_traverse: the active keys in table order.
      traverse: (o: number, visit: Visit, arg: number): number => {
        const u32 = memory.u32;
        const entries = u32[(o + At.Table) >>> 2]!;
        const slots = u32[(o + At.Mask) >>> 2]! + 1;
        for (let i = 0; i < slots; i++) {
          const key = u32[(entries + 16 * i) >>> 2]!;
          if (key > DUMMY && visit(key, arg) !== 0) return 1;
        }
        return 0;
      },
      clear,
      dealloc: clear,
      // set_sizeof: the object, and the table when it is not the inline one.
      sizeOf: (o: number) => {
        const u32 = memory.u32;
        const entries = u32[(o + At.Table) >>> 2]!;
        return (
          SetLayout.basicSize +
          (entries === o + At.Small ? 0 : (u32[(o + At.Mask) >>> 2]! + 1) * SetLayout.entrySize)
        );
      },
    });
    this.type = table.register(spec("set"), this);
    this.frozenType = table.register(spec("frozenset"), this);
    const equals = (a: number, b: number) => this.equal(a, b);
    this.#ops.registerSet(this.type.id, undefined, equals);
    this.#ops.registerSet(this.frozenType.id, (o, out) => this.hash(o, out), equals);
  }

  /**
   * Makes a subclass's type id a set's (`PyAnySet_Check` holds for its instances): with `keys`
   * their equality is a set's, and they are unhashable as sets are; without, the class's own
   * `__hash__` and `__eq__` answer through the key protocol.
   */
  adoptSubtype(typeId: number, keys = true, frozen = false): void {
    this.#subtypes.add(typeId);
    if (frozen) this.#frozenSubtypes.add(typeId);
    // A frozenset subclass's keys hash as frozensets do; a set subclass's are unhashable.
    if (keys)
      this.#ops.registerSet(typeId, frozen ? (o, out) => this.hash(o, out) : undefined, (a, b) =>
        this.equal(a, b),
      );
  }

  /** Makes a zeroed object of a set subclass an empty set on its inline table (`make_new_set`). */
  initialize(s: number): void {
    this.#empty(s);
  }

  /** Whether `o` is a set or a frozenset (`PyAnySet_Check`). */
  is(o: number): boolean {
    const typeId = this.#typeId(o);
    return typeId === this.type.id || typeId === this.frozenType.id || this.#subtypes.has(typeId);
  }

  /** Whether `o` is a frozenset (`PyFrozenSet_Check`: a subclass's instance too). */
  isFrozen(o: number): boolean {
    const typeId = this.#typeId(o);
    return typeId === this.frozenType.id || this.#frozenSubtypes.has(typeId);
  }

  /**
   * `make_new_set`: an empty set (or frozenset) on its inline table, tracked as every set is in
   * 3.11, then filled from `source` if given (`set_update_internal`).
   */
  create(frozen: boolean, source?: SetSource): number {
    const table = this.#table;
    const s = table.alloc(frozen ? this.frozenType.id : this.type.id, 0);
    this.#empty(s);
    table.host.track(s);
    if (source !== undefined) {
      try {
        this.update(s, source);
      } catch (error) {
        table.host.decref(s);
        throw error;
      }
    }
    return s;
  }

  length(s: number): number {
    return this.#table.memory.u32[(s + At.Used) >>> 2]!;
  }

  /** The first active slot at or after `pos` (table order: iteration order), or -1. */
  next(s: number, pos: number): number {
    const u32 = this.#table.memory.u32;
    const entries = u32[(s + At.Table) >>> 2]!;
    const slots = u32[(s + At.Mask) >>> 2]! + 1;
    for (let i = Math.max(0, pos); i < slots; i++)
      if (u32[(entries + 16 * i) >>> 2]! > DUMMY) return i;
    return -1;
  }

  /** The key in active slot `pos` (borrowed). */
  keyAt(s: number, pos: number): number {
    const u32 = this.#table.memory.u32;
    return u32[(u32[(s + At.Table) >>> 2]! + 16 * pos) >>> 2]!;
  }

  /** The keys in iteration order (borrowed). */
  items(s: number): number[] {
    const out: number[] = [];
    for (let i = this.next(s, 0); i >= 0; i = this.next(s, i + 1)) out.push(this.keyAt(s, i));
    return out;
  }

  /** `key in s`; a set key is looked up as a frozenset of its elements, as CPython does. */
  contains(s: number, key: number): boolean {
    const hash = newHash();
    const temp = this.#hashKey(key, hash);
    try {
      return this.#containsEntry(s, temp || key, hash);
    } finally {
      if (temp) this.#table.host.decref(temp);
    }
  }

  /** `s.add(key)`. @throws PythonError TypeError for an unhashable key, or what `==` throws */
  add(s: number, key: number): void {
    const hash = newHash();
    this.#ops.hash(key, hash);
    this.#addEntry(s, key, hash);
  }

  /** `s.discard(key)`: whether it was there. @throws as {@link SetKind.contains} */
  discard(s: number, key: number): boolean {
    const hash = newHash();
    const temp = this.#hashKey(key, hash);
    try {
      return this.#discardEntry(s, temp || key, hash) === DISCARD_FOUND;
    } finally {
      if (temp) this.#table.host.decref(temp);
    }
  }

  /** `s.remove(key)`. @throws PythonError KeyError when missing, or as {@link SetKind.contains} */
  remove(s: number, key: number): void {
    if (!this.discard(s, key)) raise("KeyError", this.#table.repr(key));
  }

  /** `s.pop()`: an arbitrary key, from the finger on (owned by the caller now). */
  pop(s: number): number {
    const memory = this.#table.memory;
    const u32 = memory.u32;
    if (u32[(s + At.Used) >>> 2] === 0) raise("KeyError", "'pop from an empty set'");
    const entries = u32[(s + At.Table) >>> 2]!;
    const mask = u32[(s + At.Mask) >>> 2]!;
    let i = u32[(s + At.Finger) >>> 2]! & mask;
    while (u32[(entries + 16 * i) >>> 2]! <= DUMMY) i = i + 1 > mask ? 0 : i + 1;
    const key = u32[(entries + 16 * i) >>> 2]!;
    this.#setEntry(entries + 16 * i, DUMMY, 0xffffffff, 0xffffffff);
    u32[(s + At.Used) >>> 2]! -= 1;
    u32[(s + At.Finger) >>> 2] = i + 1;
    return key;
  }

  /**
   * `set_clear_internal`, also tp_clear and tp_dealloc's release: the set is emptied onto its
   * inline table first, then the old keys are released in table order and a separate table
   * freed (a finalizer run by a release sees an empty set).
   */
  clear(s: number): void {
    const table = this.#table;
    const memory = table.memory;
    const u32 = memory.u32;
    const entries = u32[(s + At.Table) >>> 2]!;
    const slots = u32[(s + At.Mask) >>> 2]! + 1;
    const keys: number[] = [];
    for (let i = 0; i < slots; i++) {
      const key = u32[(entries + 16 * i) >>> 2]!;
      if (key > DUMMY) keys.push(key);
    }
    const malloced = entries !== s + At.Small;
    this.#empty(s);
    const host = table.host;
    for (const key of keys) host.decref(key);
    if (malloced) host.mem.free(entries);
  }

  /** `s.copy()`: a new set of the same type; a frozenset's copy is itself (a new reference). */
  copy(s: number): number {
    // frozenset_copy: an exact frozenset is its own copy, a subclass's is a new frozenset.
    if (this.#typeId(s) === this.frozenType.id) {
      this.#table.host.incref(s);
      return s;
    }
    return this.create(this.isFrozen(s), { set: s });
  }

  /**
   * `s.update(source)` (`set_update_internal`): another set merged table to table, a dict's
   * keys with their stored hashes, or objects one by one.
   */
  update(s: number, source: SetSource): void {
    if ("set" in source) this.#merge(s, source.set);
    else if ("dict" in source) this.#mergeDict(s, source.dict);
    else for (const key of source as readonly number[]) this.add(s, key);
  }

  /** `a | b` (`set_or`): a copy of `a` (its type) updated with `b`. */
  union(a: number, b: number): number {
    const result = this.create(this.isFrozen(a), { set: a });
    if (a === b) return result;
    try {
      this.#merge(result, b);
    } catch (error) {
      this.#table.host.decref(result);
      throw error;
    }
    return result;
  }

  /**
   * `a & b` (`set_intersection`): a new set of `a`'s type with the keys of the smaller operand
   * that the larger one contains, in the smaller one's table order.
   */
  intersection(a: number, b: number): number {
    if (a === b) return this.create(this.isFrozen(a), { set: a });
    const result = this.create(this.isFrozen(a));
    let so = a;
    let other = b;
    if (this.length(other) > this.length(so)) {
      so = b;
      other = a;
    }
    return this.#guard(result, () => {
      const hash = newHash();
      for (let i = this.next(other, 0); i >= 0; i = this.next(other, i + 1)) {
        const key = this.#entryOf(other, i, hash);
        this.#holding(key, () => {
          if (this.#containsEntry(so, key, hash)) this.#addEntry(result, key, hash);
        });
      }
    });
  }

  /**
   * `a - b` (`set_difference`): when `a` is more than four times `b`'s size, a copy of `a`
   * with `b`'s keys discarded; otherwise a new set of `a`'s keys that `b` lacks.
   */
  difference(a: number, b: number): number {
    if (this.length(a) >>> 2 > this.length(b)) {
      const result = this.create(this.isFrozen(a), { set: a });
      return this.#guard(result, () => this.#differenceUpdate(result, b));
    }
    const result = this.create(this.isFrozen(a));
    return this.#guard(result, () => {
      const hash = newHash();
      for (let i = this.next(a, 0); i >= 0; i = this.next(a, i + 1)) {
        const key = this.#entryOf(a, i, hash);
        this.#holding(key, () => {
          if (!this.#containsEntry(b, key, hash)) this.#addEntry(result, key, hash);
        });
      }
    });
  }

  /**
   * `a ^ b` (`set_symmetric_difference`): a set of `a`'s type made from `b`, then each key of
   * `a` discarded from it, or added when it was not there.
   */
  symmetricDifference(a: number, b: number): number {
    const result = this.create(this.isFrozen(a), { set: b });
    return this.#guard(result, () => {
      const hash = newHash();
      this.#table.host.incref(a);
      try {
        for (let i = this.next(a, 0); i >= 0; i = this.next(a, i + 1)) {
          const key = this.#entryOf(a, i, hash);
          this.#holding(key, () => {
            if (this.#discardEntry(result, key, hash) === DISCARD_NOTFOUND)
              this.#addEntry(result, key, hash);
          });
        }
      } finally {
        this.#table.host.decref(a);
      }
    });
  }

  /**
   * `set_richcompare`'s `==`: the same size, hashes that do not differ (frozensets'), and every
   * key of `a` in `b`.
   */
  equal(a: number, b: number): boolean {
    if (this.length(a) !== this.length(b)) return false;
    const u32 = this.#table.memory.u32;
    const ha = (s: number) =>
      u32[(s + At.Hash) >>> 2] !== 0xffffffff || u32[(s + At.Hash + 4) >>> 2] !== 0xffffffff;
    if (
      ha(a) &&
      ha(b) &&
      (u32[(a + At.Hash) >>> 2] !== u32[(b + At.Hash) >>> 2] ||
        u32[(a + At.Hash + 4) >>> 2] !== u32[(b + At.Hash + 4) >>> 2])
    )
      return false;
    const hash = newHash();
    for (let i = this.next(a, 0); i >= 0; i = this.next(a, i + 1)) {
      const key = this.#entryOf(a, i, hash);
      if (!this.#containsEntry(b, key, hash)) return false;
    }
    return true;
  }

  /** `frozenset_hash`, cached in the object. */
  hash(s: number, out: Hash64): void {
    const memory = this.#table.memory;
    const u32 = memory.u32;
    const lo = u32[(s + At.Hash) >>> 2]!;
    const hi = u32[(s + At.Hash + 4) >>> 2]!;
    if (lo !== 0xffffffff || hi !== 0xffffffff) {
      out.lo = lo;
      out.hi = hi;
      return;
    }
    out.lo = 0;
    out.hi = 0;
    const entry = newHash();
    for (let i = this.next(s, 0); i >= 0; i = this.next(s, i + 1)) {
      this.#entryOf(s, i, entry);
      frozensetHashAdd(out, entry);
    }
    frozensetHashFinish(out, this.length(s));
    u32[(s + At.Hash) >>> 2] = out.lo;
    u32[(s + At.Hash + 4) >>> 2] = out.hi;
  }

  /** `repr(s)`: `set()`, `{1, 2}`, `frozenset({1})`. */
  repr(s: number): string {
    const frozen = this.isFrozen(s);
    if (this.length(s) === 0) return frozen ? "frozenset()" : "set()";
    if (this.#reprs.has(s)) return frozen ? "frozenset(...)" : "set(...)";
    this.#reprs.add(s);
    try {
      const body = `{${this.items(s)
        .map((key) => this.#table.repr(key))
        .join(", ")}}`;
      return frozen ? `frozenset(${body})` : body;
    } finally {
      this.#reprs.delete(s);
    }
  }

  /** set_dealloc's end: frees a separate table a tracing sweep left, then the object. */
  free(o: number): void {
    const table = this.#table;
    const u32 = table.memory.u32;
    const entries = u32[(o + At.Table) >>> 2]!;
    if (entries !== 0 && entries !== o + At.Small) table.host.mem.free(entries);
    u32[(o + At.Table) >>> 2] = 0;
    table.host.release(o);
  }

  // ------------------------------------------------------------------ the table

  #typeId(o: number): number {
    return this.#table.memory.u32[(o + OB_TYPE) >>> 2]!;
  }

  /** `set_empty_to_minsize`: the inline table, zeroed, and no hash. */
  #empty(s: number): void {
    const memory = this.#table.memory;
    const u32 = memory.u32;
    memory.u8.fill(0, s + At.Small, s + At.Small + SetLayout.minSize * SetLayout.entrySize);
    u32[(s + At.Fill) >>> 2] = 0;
    u32[(s + At.Used) >>> 2] = 0;
    u32[(s + At.Mask) >>> 2] = SetLayout.minSize - 1;
    u32[(s + At.Table) >>> 2] = s + At.Small;
    u32[(s + At.Hash) >>> 2] = 0xffffffff;
    u32[(s + At.Hash + 4) >>> 2] = 0xffffffff;
    u32[(s + At.Finger) >>> 2] = 0;
  }

  #setEntry(entry: number, key: number, lo: number, hi: number): void {
    const u32 = this.#table.memory.u32;
    u32[entry >>> 2] = key;
    u32[(entry + 8) >>> 2] = lo;
    u32[(entry + 12) >>> 2] = hi;
  }

  /** The key of active slot `i` (borrowed), its hash into `hash`. */
  #entryOf(s: number, i: number, hash: Hash64): number {
    const u32 = this.#table.memory.u32;
    const entry = u32[(s + At.Table) >>> 2]! + 16 * i;
    hash.lo = u32[(entry + 8) >>> 2]!;
    hash.hi = u32[(entry + 12) >>> 2]!;
    return u32[entry >>> 2]!;
  }

  /**
   * Hashes `key` into `hash`. A set, being unhashable, is looked up as a frozenset of its keys
   * (`set_contains`, `set_discard`, `set_remove`): returns that temporary (owned), or 0.
   */
  #hashKey(key: number, hash: Hash64): number {
    if (this.#typeId(key) !== this.type.id) {
      this.#ops.hash(key, hash);
      return 0;
    }
    const temp = this.create(true, { set: key });
    try {
      this.hash(temp, hash);
    } catch (error) {
      this.#table.host.decref(temp);
      throw error;
    }
    return temp;
  }

  /** Runs `body` while holding a reference to `key` (user `==` may drop the set's). */
  #holding(key: number, body: () => void): void {
    const host = this.#table.host;
    host.incref(key);
    try {
      body();
    } finally {
      host.decref(key);
    }
  }

  /** Runs `body` to fill `result`; releases `result` if it throws. */
  #guard(result: number, body: () => void): number {
    try {
      body();
    } catch (error) {
      this.#table.host.decref(result);
      throw error;
    }
    return result;
  }

  /**
   * Compares an entry's key with `key` (equal hashes, not identical): true, false, or
   * undefined when the comparison changed the set's table or that entry (look up again).
   */
  #compare(s: number, entries: number, entry: number, startKey: number, key: number) {
    const ops = this.#ops;
    if (ops.isStr(startKey) && ops.isStr(key)) return ops.strEqual(startKey, key);
    let equal: boolean;
    this.#table.host.incref(startKey);
    try {
      equal = ops.equals(startKey, key);
    } finally {
      this.#table.host.decref(startKey);
    }
    const u32 = this.#table.memory.u32;
    if (u32[(s + At.Table) >>> 2] !== entries || u32[entry >>> 2] !== startKey) return undefined;
    return equal;
  }

  /** `set_lookkey`: the entry holding `key`, or an unused one; restarts when `==` mutates. */
  #lookup(s: number, key: number, hash: Hash64): number {
    for (;;) {
      const found = this.#probe(s, key, hash);
      if (found !== -1) return found;
    }
  }

  /** One `set_lookkey` pass: the entry's address, or -1 when a comparison changed the table. */
  #probe(s: number, key: number, hash: Hash64): number {
    const memory = this.#table.memory;
    const entries = memory.u32[(s + At.Table) >>> 2]!;
    let mask = memory.u32[(s + At.Mask) >>> 2]!;
    let perturbLo = hash.lo;
    let perturbHi = hash.hi;
    let i = hash.lo & mask;
    for (;;) {
      let entry = entries + 16 * i;
      let probes = i + LINEAR_PROBES <= mask ? LINEAR_PROBES : 0;
      do {
        const u32 = memory.u32;
        const k = u32[entry >>> 2]!;
        const lo = u32[(entry + 8) >>> 2]!;
        const hi = u32[(entry + 12) >>> 2]!;
        if (k === 0 && lo === 0 && hi === 0) return entry;
        if (lo === hash.lo && hi === hash.hi) {
          if (k === key) return entry;
          const equal = this.#compare(s, entries, entry, k, key);
          if (equal === undefined) return -1;
          if (equal) return entry;
          mask = memory.u32[(s + At.Mask) >>> 2]!;
        }
        entry += 16;
      } while (probes-- > 0);
      perturbLo = ((perturbLo >>> 5) | (perturbHi << 27)) >>> 0;
      perturbHi >>>= 5;
      i = (i * 5 + 1 + perturbLo) & mask;
    }
  }

  #containsEntry(s: number, key: number, hash: Hash64): boolean {
    const entry = this.#lookup(s, key, hash);
    return this.#table.memory.u32[entry >>> 2]! !== 0;
  }

  /**
   * `set_add_entry`: the key goes to the first dummy of its probe sequence, or else to the
   * unused slot that ends it; a table whose fill reaches 3/5 of its mask is resized to four
   * times the used count (twice past 50000).
   */
  #addEntry(s: number, key: number, hash: Hash64): void {
    const table = this.#table;
    const memory = table.memory;
    const host = table.host;
    // Held from the start: a comparison's code could otherwise free the key before it is in.
    host.incref(key);
    restart: for (;;) {
      const entries = memory.u32[(s + At.Table) >>> 2]!;
      let mask = memory.u32[(s + At.Mask) >>> 2]!;
      let perturbLo = hash.lo;
      let perturbHi = hash.hi;
      let i = hash.lo & mask;
      let freeSlot = 0;
      for (;;) {
        let entry = entries + 16 * i;
        let probes = i + LINEAR_PROBES <= mask ? LINEAR_PROBES : 0;
        do {
          const u32 = memory.u32;
          const k = u32[entry >>> 2]!;
          const lo = u32[(entry + 8) >>> 2]!;
          const hi = u32[(entry + 12) >>> 2]!;
          if (k === 0 && lo === 0 && hi === 0) {
            if (freeSlot !== 0) {
              this.#setEntry(freeSlot, key, hash.lo, hash.hi);
              u32[(s + At.Used) >>> 2]! += 1;
              return;
            }
            this.#setEntry(entry, key, hash.lo, hash.hi);
            const fill = u32[(s + At.Fill) >>> 2]! + 1;
            const used = u32[(s + At.Used) >>> 2]! + 1;
            u32[(s + At.Fill) >>> 2] = fill;
            u32[(s + At.Used) >>> 2] = used;
            if (fill * 5 < mask * 3) return;
            this.#resize(s, used > 50000 ? used * 2 : used * 4);
            return;
          }
          if (lo === hash.lo && hi === hash.hi) {
            if (k === key) {
              host.decref(key);
              return;
            }
            let equal: boolean | undefined;
            try {
              equal = this.#compare(s, entries, entry, k, key);
            } catch (error) {
              host.decref(key);
              throw error;
            }
            if (equal === true) {
              host.decref(key);
              return;
            }
            if (equal === undefined) continue restart;
            mask = memory.u32[(s + At.Mask) >>> 2]!;
          } else if (k === DUMMY && freeSlot === 0) {
            freeSlot = entry;
          }
          entry += 16;
        } while (probes-- > 0);
        perturbLo = ((perturbLo >>> 5) | (perturbHi << 27)) >>> 0;
        perturbHi >>>= 5;
        i = (i * 5 + 1 + perturbLo) & mask;
      }
    }
  }

  /** `set_discard_entry`: the entry becomes a dummy and the key is released. */
  #discardEntry(s: number, key: number, hash: Hash64): number {
    const entry = this.#lookup(s, key, hash);
    const u32 = this.#table.memory.u32;
    const old = u32[entry >>> 2]!;
    if (old === 0) return DISCARD_NOTFOUND;
    this.#setEntry(entry, DUMMY, 0xffffffff, 0xffffffff);
    u32[(s + At.Used) >>> 2]! -= 1;
    this.#table.host.decref(old);
    return DISCARD_FOUND;
  }

  /** `set_insert_clean`: into a table with no dummies and no equal key. */
  #insertClean(entries: number, mask: number, key: number, lo: number, hi: number): void {
    const u32 = this.#table.memory.u32;
    let perturbLo = lo;
    let perturbHi = hi;
    let i = lo & mask;
    for (;;) {
      let entry = entries + 16 * i;
      let free = u32[entry >>> 2] === 0;
      if (!free && i + LINEAR_PROBES <= mask) {
        for (let j = 0; j < LINEAR_PROBES && !free; j++) {
          entry += 16;
          free = u32[entry >>> 2] === 0;
        }
      }
      if (free) {
        this.#setEntry(entry, key, lo, hi);
        return;
      }
      perturbLo = ((perturbLo >>> 5) | (perturbHi << 27)) >>> 0;
      perturbHi >>>= 5;
      i = (i * 5 + 1 + perturbLo) & mask;
    }
  }

  /**
   * `set_table_resize`: the smallest power of two above `minUsed` slots (8 at least); back on
   * the inline table when that is 8 (rebuilt in place only if it holds dummies); the active
   * entries reinserted in table order; a separate old table freed.
   */
  #resize(s: number, minUsed: number): void {
    const table = this.#table;
    let newSize = SetLayout.minSize;
    while (newSize <= minUsed) newSize *= 2;
    const memory = table.memory;
    const oldEntries = memory.u32[(s + At.Table) >>> 2]!;
    const oldMask = memory.u32[(s + At.Mask) >>> 2]!;
    const oldMalloced = oldEntries !== s + At.Small;
    // The old entries, read before the new table (the inline one may be the new table).
    const moved: number[] = [];
    for (let i = 0; i <= oldMask; i++) {
      const entry = oldEntries + 16 * i;
      const key = memory.u32[entry >>> 2]!;
      if (key > DUMMY)
        moved.push(key, memory.u32[(entry + 8) >>> 2]!, memory.u32[(entry + 12) >>> 2]!);
    }
    let entries: number;
    if (newSize === SetLayout.minSize) {
      entries = s + At.Small;
      const u32 = memory.u32;
      if (entries === oldEntries && u32[(s + At.Fill) >>> 2] === u32[(s + At.Used) >>> 2]) return;
    } else {
      entries = table.malloc(table.host.mem, newSize * SetLayout.entrySize);
    }
    memory.u8.fill(0, entries, entries + newSize * SetLayout.entrySize);
    const u32 = memory.u32;
    u32[(s + At.Mask) >>> 2] = newSize - 1;
    u32[(s + At.Table) >>> 2] = entries;
    u32[(s + At.Fill) >>> 2] = u32[(s + At.Used) >>> 2]!;
    for (let k = 0; k < moved.length; k += 3)
      this.#insertClean(entries, newSize - 1, moved[k]!, moved[k + 1]!, moved[k + 2]!);
    if (oldMalloced) table.host.mem.free(oldEntries);
  }

  /**
   * `set_merge`: one resize up front; an empty set of the same size without dummies on the
   * other side copies the entries slot for slot; an empty one reinserts them clean; otherwise
   * each is added.
   */
  #merge(s: number, other: number): void {
    if (other === s || this.length(other) === 0) return;
    const memory = this.#table.memory;
    const otherUsed = this.length(other);
    {
      const u32 = memory.u32;
      if ((u32[(s + At.Fill) >>> 2]! + otherUsed) * 5 >= u32[(s + At.Mask) >>> 2]! * 3)
        this.#resize(s, (u32[(s + At.Used) >>> 2]! + otherUsed) * 2);
    }
    const u32 = memory.u32;
    const host = this.#table.host;
    const entries = u32[(s + At.Table) >>> 2]!;
    const mask = u32[(s + At.Mask) >>> 2]!;
    const otherEntries = u32[(other + At.Table) >>> 2]!;
    const otherMask = u32[(other + At.Mask) >>> 2]!;
    const otherFill = u32[(other + At.Fill) >>> 2]!;
    if (u32[(s + At.Fill) >>> 2] === 0 && mask === otherMask && otherFill === otherUsed) {
      for (let i = 0; i <= otherMask; i++) {
        const from = otherEntries + 16 * i;
        const key = u32[from >>> 2]!;
        if (key === 0) continue;
        host.incref(key);
        this.#setEntry(entries + 16 * i, key, u32[(from + 8) >>> 2]!, u32[(from + 12) >>> 2]!);
      }
      u32[(s + At.Fill) >>> 2] = otherFill;
      u32[(s + At.Used) >>> 2] = otherUsed;
      return;
    }
    if (u32[(s + At.Fill) >>> 2] === 0) {
      u32[(s + At.Fill) >>> 2] = otherUsed;
      u32[(s + At.Used) >>> 2] = otherUsed;
      for (let i = 0; i <= otherMask; i++) {
        const from = otherEntries + 16 * i;
        const key = u32[from >>> 2]!;
        if (key <= DUMMY) continue;
        host.incref(key);
        this.#insertClean(entries, mask, key, u32[(from + 8) >>> 2]!, u32[(from + 12) >>> 2]!);
      }
      return;
    }
    // Each key may run the front end's `==`, which may change `other`: its table and mask are
    // read afresh for every slot, as set_merge does.
    const hash = newHash();
    for (let i = 0; i <= memory.u32[(other + At.Mask) >>> 2]!; i++) {
      const from = memory.u32[(other + At.Table) >>> 2]! + 16 * i;
      const key = memory.u32[from >>> 2]!;
      if (key <= DUMMY) continue;
      hash.lo = memory.u32[(from + 8) >>> 2]!;
      hash.hi = memory.u32[(from + 12) >>> 2]!;
      this.#addEntry(s, key, hash);
    }
  }

  /** `set_update_internal` of a dict: one resize up front, then its keys with their hashes. */
  #mergeDict(s: number, d: number): void {
    const dict = this.#dict;
    const size = dict.length(d);
    const u32 = this.#table.memory.u32;
    if ((u32[(s + At.Fill) >>> 2]! + size) * 5 >= u32[(s + At.Mask) >>> 2]! * 3)
      this.#resize(s, (u32[(s + At.Used) >>> 2]! + size) * 2);
    const hash = newHash();
    for (let i = dict.next(d, 0); i >= 0; i = dict.next(d, i + 1)) {
      dict.hashAt(d, i, hash);
      this.#addEntry(s, dict.keyAt(d, i), hash);
    }
  }

  /**
   * `set_difference_update_internal` with a set: the other's keys discarded (through their
   * intersection when the other is more than 8 times larger), then a resize if more than a
   * quarter of the slots are dummies.
   */
  #differenceUpdate(s: number, other: number): void {
    const host = this.#table.host;
    if (s === other) {
      this.clear(s);
      return;
    }
    let source: number;
    if (this.length(other) >>> 3 > this.length(s)) source = this.intersection(s, other);
    else {
      host.incref(other);
      source = other;
    }
    try {
      const hash = newHash();
      for (let i = this.next(source, 0); i >= 0; i = this.next(source, i + 1)) {
        const key = this.#entryOf(source, i, hash);
        this.#holding(key, () => {
          this.#discardEntry(s, key, hash);
        });
      }
    } finally {
      host.decref(source);
    }
    const u32 = this.#table.memory.u32;
    const used = u32[(s + At.Used) >>> 2]!;
    if (u32[(s + At.Fill) >>> 2]! - used <= u32[(s + At.Mask) >>> 2]! >>> 2) return;
    this.#resize(s, used > 50000 ? used * 2 : used * 4);
  }
}

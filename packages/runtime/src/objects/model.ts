// Python's object kinds on the @mm heap, with CPython 3.11's memory behaviour: the small-int
// cache, the one-character and empty strings, interning, free lists for float/tuple/list/dict,
// list over-allocation, dict key tables with their growth and tracking rules, and instances of
// user classes whose attributes live in a values block. Every allocation and every release goes
// through the same paths as in CPython, so that `gc.get_count()` and `sys.getsizeof()` agree.

import {
  type Allocator,
  OB_FLAGS,
  OB_REFCNT,
  OB_TYPE,
  ObjectFlags,
  type ObjectSpace,
  type TypeDescriptor,
  TypeFlags,
  type Visit,
} from "@mm/heap";
import type { FreeListKind, FreeLists } from "@mm/pool-allocator";
import { raise } from "../errors.js";
import {
  Dict,
  DictKeys,
  Float,
  Instance,
  Int,
  List,
  Resource,
  Singleton,
  Str,
  Tuple,
  Values,
} from "./layout.js";

/** What the object layer needs from the memory-management strategy. */
export interface ObjectHost {
  readonly space: ObjectSpace;
  /** The PyMem domain: list item arrays, instance values. */
  readonly mem: Allocator;
  /** The PyObject domain for non-object blocks: dict key tables. */
  readonly obj: Allocator;
  readonly freeLists: FreeLists | undefined;
  /** A new object of a type (counted and maybe collecting first, for containers). */
  allocate(typeId: number, items: number): number;
  /** Starts tracking a container. */
  track(object: number): void;
  isTracked(object: number): boolean;
  incref(object: number): void;
  decref(object: number): void;
  /** Returns an object's memory to its allocator (CPython's tp_free). */
  release(object: number): void;
  /** Reports an exception that cannot propagate (from `__del__`). */
  unraisable(error: unknown, where: string): void;
}

/** A user class: its `__del__`, and whether it has a legacy (`tp_del`) finalizer. */
export interface ClassSpec {
  readonly name: string;
  /** `__del__(self)`; runs once per object (PEP 442). */
  readonly del?: (self: number) => void;
  /** A legacy finalizer: in a cycle, the instance goes to `gc.garbage` and is never freed. */
  readonly legacyDel?: (self: number) => void;
}

/** A registered user class. */
export interface PythonClass {
  readonly name: string;
  readonly type: TypeDescriptor;
  /** Attribute names in first-set order: the class's shared keys. */
  readonly keys: string[];
}

const MASK_30 = 0x3fff_ffff;
const EMPTY = -1;
const DUMMY = -2;
const SMALL_INT_MIN = -5;
const SMALL_INT_MAX = 256;
const TUPLE_MAX_FREE_LENGTH = 20;
const DICT_KEYS_FREE_LOG2 = DictKeys.minLog2Size;

/** CPython's `USABLE_FRACTION`: two thirds of the slots hold entries. */
const usableFraction = (size: number) => Math.floor((size << 1) / 3);

/** `calculate_log2_keysize`: the smallest table of at least `minsize` slots (8 or more). */
function log2KeySize(minsize: number): number {
  return Math.max(DictKeys.minLog2Size, 32 - Math.clz32((minsize | 7) >>> 0));
}

/** Bytes per index for a table of 2^log2 slots, as log2: 1, 2 or 4 bytes. */
const log2IndexBytes = (log2: number) => log2 + (log2 < 8 ? 0 : log2 < 16 ? 1 : 2);

/** The 30-bit digits of |value|, least significant first; none for 0 (ob_size 0). */
function digitsOf(value: bigint): number[] {
  let v = value < 0n ? -value : value;
  const digits: number[] = [];
  while (v > 0n) {
    digits.push(Number(v & BigInt(MASK_30)));
    v >>= BigInt(Int.shift);
  }
  return digits;
}

/** 32-bit FNV-1a over UTF-16 code units; never 0 (0 means "not yet computed"). */
function stringHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0 || 1;
}

/**
 * The object layer: creates, reads, mutates and destroys Python objects in the heap. Addresses
 * are the currency; a method that returns an object returns a new reference.
 */
export class ObjectModel {
  readonly host: ObjectHost;
  readonly none: number;
  readonly true: number;
  readonly false: number;
  readonly emptyTuple: number;
  readonly emptyStr: number;
  readonly types: {
    readonly none: TypeDescriptor;
    readonly bool: TypeDescriptor;
    readonly int: TypeDescriptor;
    readonly float: TypeDescriptor;
    readonly str: TypeDescriptor;
    readonly tuple: TypeDescriptor;
    readonly list: TypeDescriptor;
    readonly dict: TypeDescriptor;
    readonly resource: TypeDescriptor;
  };
  readonly #classes = new Map<number, PythonClass>();
  readonly #smallInts: number[] = [];
  readonly #latin1: number[] = [];
  /** Interned strings by value (`sys.intern`); the table's references are not counted. */
  readonly #interned = new Map<string, number>();
  /** Resources by address: their close callbacks. */
  readonly #resourceClose = new Map<number, () => void>();
  #allocated = 0;
  #freed = 0;

  constructor(host: ObjectHost) {
    this.host = host;
    const types = host.space.types;
    const immortal = TypeFlags.ImmortalInstances;
    const drop = (o: number) => this.#dealloc(o);
    const visit = (o: number, v: Visit, a: number) => this.#traverse(o, v, a);
    const clear = (o: number) => this.#clear(o);
    this.types = {
      none: types.register({ name: "NoneType", basicSize: Singleton.noneSize, flags: immortal }),
      bool: types.register({ name: "bool", basicSize: Singleton.boolSize, flags: immortal }),
      int: types.register({ name: "int", basicSize: Int.basicSize, itemSize: Int.digitSize }),
      float: types.register({ name: "float", basicSize: Float.basicSize }),
      str: types.register({ name: "str", basicSize: Str.asciiHeader, itemSize: 1 }),
      // Tuples, lists and instances also say where their references are, so the generational
      // collector walks them without calling traverse; a dict's entries move with its index
      // table's size and kind, so dicts keep only traverse. Both visit in the same order, which
      // is CPython's: a tuple's or a list's items last to first.
      tuple: types.register({
        name: "tuple",
        basicSize: Tuple.basicSize,
        itemSize: Tuple.itemSize,
        flags: TypeFlags.Gc,
        pointers: { items: { count: Tuple.size, first: Tuple.items, reverse: true } },
        traverse: visit,
        dealloc: drop,
      }),
      list: types.register({
        name: "list",
        basicSize: List.basicSize,
        flags: TypeFlags.Gc,
        pointers: { items: { block: List.items, count: List.size, first: 0, reverse: true } },
        traverse: visit,
        clear,
        dealloc: drop,
      }),
      dict: types.register({
        name: "dict",
        basicSize: Dict.basicSize,
        flags: TypeFlags.Gc,
        traverse: visit,
        clear,
        dealloc: drop,
      }),
      resource: types.register({
        name: "resource",
        basicSize: Resource.basicSize,
        flags: TypeFlags.Weakrefable | TypeFlags.HasFinalizer,
        // As io objects do: a resource that dies open is closed, with a warning.
        finalize: (o) => {
          if (this.isClosed(o)) return;
          this.host.unraisable(
            new Error("ResourceWarning: unclosed resource"),
            `<resource at 0x${o.toString(16)}>`,
          );
          this.close(o);
        },
      }),
    };
    this.none = this.#raw(this.types.none.id, 0);
    this.true = this.#raw(this.types.bool.id, 0);
    this.false = this.#raw(this.types.bool.id, 0);
    this.#writeInt(this.true, 1n);
    this.#writeInt(this.false, 0n);
    for (let v = SMALL_INT_MIN; v <= SMALL_INT_MAX; v++) {
      const o = this.#raw(this.types.int.id, 1);
      this.#writeInt(o, BigInt(v));
      this.#makeImmortal(o);
      this.#smallInts.push(o);
    }
    this.emptyTuple = this.#raw(this.types.tuple.id, 0);
    this.#makeImmortal(this.emptyTuple);
    this.emptyStr = this.#newStrObject("", true);
    this.#makeImmortal(this.emptyStr);
    for (let c = 0; c < 256; c++) {
      const o = this.#newStrObject(String.fromCharCode(c), true);
      this.#makeImmortal(o);
      this.#latin1.push(o);
    }
  }

  get #u32(): Uint32Array {
    return this.host.space.memory.u32;
  }

  /** Objects created by the program (free-list reuse included; caches and singletons not). */
  get allocated(): number {
    return this.#allocated;
  }

  /** Objects that died (to a free list or the allocator). */
  get freed(): number {
    return this.#freed;
  }

  // --------------------------------------------------------------- classes

  /** Registers a user class; its instances are 56 bytes as `sys.getsizeof` reports in 3.11. */
  defineClass(spec: ClassSpec): PythonClass {
    const del = spec.del;
    const legacy = spec.legacyDel;
    let registered = spec.name;
    for (let n = 2; this.host.space.types.byName(registered); n++) registered = `${spec.name}#${n}`;
    const type = this.host.space.types.register({
      name: registered,
      basicSize: Instance.basicSize,
      extraPreHeaderSize: Instance.extraPreHeader,
      flags:
        TypeFlags.Gc |
        TypeFlags.Weakrefable |
        (del ? TypeFlags.HasFinalizer : 0) |
        (legacy ? TypeFlags.LegacyFinalizer : 0),
      // The values block's slots, by key-table index; its capacity is in the block.
      pointers: {
        items: {
          block: Instance.values,
          count: Values.capacity,
          countInBlock: true,
          first: Values.slots,
        },
      },
      traverse: (o, v, a) => this.#traverse(o, v, a),
      clear: (o) => this.#clear(o),
      dealloc: (o) => {
        if (legacy) this.#callLegacy(o, legacy);
        this.#dealloc(o);
      },
      ...(del
        ? {
            finalize: (o: number) => {
              try {
                del(o);
              } catch (error) {
                this.host.unraisable(error, `<function ${spec.name}.__del__>`);
              }
            },
          }
        : {}),
    });
    const cls: PythonClass = { name: spec.name, type, keys: [] };
    this.#classes.set(type.id, cls);
    return cls;
  }

  /** The class of an instance, or undefined for built-in kinds. */
  classOf(object: number): PythonClass | undefined {
    return this.#classes.get(this.#u32[(object + OB_TYPE) >>> 2]!);
  }

  /** `Cls()`: a new instance with no attributes (tracked, counted). */
  newInstance(cls: PythonClass): number {
    const o = this.#alloc(cls.type.id, 0);
    this.host.track(o);
    return o;
  }

  // --------------------------------------------------------------- ints, floats, strings

  /** An int: the cached object for −5..256, a new one otherwise (any size, as Python's). */
  newInt(value: number | bigint): number {
    const big = BigInt(value);
    if (big >= BigInt(SMALL_INT_MIN) && big <= BigInt(SMALL_INT_MAX))
      return this.#smallInts[Number(big) - SMALL_INT_MIN]!;
    const o = this.#alloc(this.types.int.id, Math.max(1, digitsOf(big).length));
    this.#writeInt(o, big);
    return o;
  }

  newBool(value: boolean): number {
    return value ? this.true : this.false;
  }

  /** A float, from the free list when it has one. */
  newFloat(value: number): number {
    const o =
      this.#fromFreeList("float", this.types.float.id, 0) || this.#alloc(this.types.float.id, 0);
    this.host.space.memory.f64[(o + Float.value) >>> 3] = value;
    return o;
  }

  /** A str: the empty and one-character latin-1 strings are singletons. */
  newStr(value: string): number {
    if (value.length === 0) return this.emptyStr;
    if (value.length === 1 && value.charCodeAt(0) < 256) return this.#latin1[value.charCodeAt(0)]!;
    return this.#newStrObject(value);
  }

  /**
   * `sys.intern(s)`: the interned string of that value, interning `s` if none is. The table's
   * references are not counted (CPython 3.11's mortal interning): the string dies as usual and
   * leaves the table.
   */
  intern(s: number): number {
    const value = this.strValue(s);
    const existing = this.#interned.get(value);
    if (existing !== undefined) {
      this.host.incref(existing);
      return existing;
    }
    this.#interned.set(value, s);
    this.#u32[(s + Str.state) >>> 2]! |= 1;
    this.host.incref(s);
    return s;
  }

  isInterned(s: number): boolean {
    return (this.#u32[(s + Str.state) >>> 2]! & Str.internedMask) !== 0;
  }

  /** The value of an int: a number when it is exact as one, a bigint otherwise. */
  intValue(o: number): number | bigint {
    const size = this.host.space.memory.i32[(o + Int.size) >>> 2]!;
    let value = 0n;
    for (let d = Math.abs(size) - 1; d >= 0; d--) {
      value = (value << BigInt(Int.shift)) + BigInt(this.#u32[(o + Int.digits + 4 * d) >>> 2]!);
    }
    if (size < 0) value = -value;
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(value)
      : value;
  }

  floatValue(o: number): number {
    return this.host.space.memory.f64[(o + Float.value) >>> 3]!;
  }

  strValue(o: number): string {
    const u32 = this.#u32;
    const length = u32[(o + Str.length) >>> 2]!;
    const state = u32[(o + Str.state) >>> 2]!;
    const kind = (state >>> Str.kindShift) & 7;
    const data = o + (state & Str.asciiBit ? Str.asciiHeader : Str.compactHeader);
    const memory = this.host.space.memory;
    let out = "";
    for (let i = 0; i < length; i++) {
      const code =
        kind === 1
          ? memory.u8[data + i]!
          : kind === 2
            ? memory.view.getUint16(data + 2 * i, true)
            : memory.view.getUint32(data + 4 * i, true);
      out += String.fromCodePoint(code);
    }
    return out;
  }

  // --------------------------------------------------------------- tuples

  /** `(a, b, …)`: a new tuple holding new references to `items` (tracked). */
  newTuple(items: readonly number[]): number {
    if (items.length === 0) return this.emptyTuple;
    const t =
      this.#fromFreeList("tuple", this.types.tuple.id, items.length) ||
      this.#alloc(this.types.tuple.id, items.length);
    const u32 = this.#u32;
    items.forEach((item, i) => {
      this.host.incref(item);
      u32[(t + Tuple.items + 8 * i) >>> 2] = item;
    });
    this.host.track(t);
    return t;
  }

  tupleItems(t: number): number[] {
    const u32 = this.#u32;
    const n = u32[(t + Tuple.size) >>> 2]!;
    return Array.from({ length: n }, (_, i) => u32[(t + Tuple.items + 8 * i) >>> 2]!);
  }

  // --------------------------------------------------------------- lists

  /** `[a, b, …]`: a new list of exactly `items.length` slots (BUILD_LIST), tracked. */
  newList(items: readonly number[]): number {
    const l =
      this.#fromFreeList("list", this.types.list.id, 0) || this.#alloc(this.types.list.id, 0);
    if (items.length > 0) {
      const array = this.#mallocOrRaise(this.host.mem, 8 * items.length);
      const u32 = this.#u32;
      items.forEach((item, i) => {
        this.host.incref(item);
        u32[(array + 8 * i) >>> 2] = item;
      });
      u32[(l + List.items) >>> 2] = array;
      u32[(l + List.size) >>> 2] = items.length;
      u32[(l + List.allocated) >>> 2] = items.length;
    }
    this.host.track(l);
    return l;
  }

  listLength(l: number): number {
    return this.#u32[(l + List.size) >>> 2]!;
  }

  listItems(l: number): number[] {
    const u32 = this.#u32;
    const array = u32[(l + List.items) >>> 2]!;
    return Array.from({ length: this.listLength(l) }, (_, i) => u32[(array + 8 * i) >>> 2]!);
  }

  /** `l.append(v)`, with CPython's over-allocation. */
  listAppend(l: number, value: number): void {
    const n = this.listLength(l);
    this.#listResize(l, n + 1);
    this.host.incref(value);
    const u32 = this.#u32;
    u32[(u32[(l + List.items) >>> 2]! + 8 * n) >>> 2] = value;
  }

  /** `l.pop()`: returns the last item (a reference the caller now owns). */
  listPop(l: number): number {
    const n = this.listLength(l);
    if (n === 0) raise("IndexError", "pop from empty list");
    const u32 = this.#u32;
    const item = u32[(u32[(l + List.items) >>> 2]! + 8 * (n - 1)) >>> 2]!;
    this.#listResize(l, n - 1);
    return item;
  }

  /** `l[i]` (borrowed). */
  listGet(l: number, index: number): number {
    const i = this.#listIndex(l, index, "list index out of range");
    const u32 = this.#u32;
    return u32[(u32[(l + List.items) >>> 2]! + 8 * i) >>> 2]!;
  }

  /** `l[i] = v`. */
  listSet(l: number, index: number, value: number): void {
    const i = this.#listIndex(l, index, "list assignment index out of range");
    const u32 = this.#u32;
    const at = (u32[(l + List.items) >>> 2]! + 8 * i) >>> 2;
    const old = u32[at]!;
    this.host.incref(value);
    u32[at] = value;
    this.host.decref(old);
  }

  /** `del l[i]`. */
  listDelete(l: number, index: number): void {
    const i = this.#listIndex(l, index, "list assignment index out of range");
    const u32 = this.#u32;
    const array = u32[(l + List.items) >>> 2]!;
    const n = this.listLength(l);
    const old = u32[(array + 8 * i) >>> 2]!;
    for (let k = i; k < n - 1; k++) u32[(array + 8 * k) >>> 2] = u32[(array + 8 * (k + 1)) >>> 2]!;
    this.#listResize(l, n - 1);
    this.host.decref(old);
  }

  /** `l.clear()`: drops the items from the last to the first and frees the array. */
  listClear(l: number): void {
    const u32 = this.#u32;
    const array = u32[(l + List.items) >>> 2]!;
    const n = this.listLength(l);
    u32[(l + List.items) >>> 2] = 0;
    u32[(l + List.size) >>> 2] = 0;
    u32[(l + List.allocated) >>> 2] = 0;
    if (array === 0) return;
    const items = Array.from({ length: n }, (_, i) => this.#u32[(array + 8 * i) >>> 2]!);
    for (let i = n - 1; i >= 0; i--) this.host.decref(items[i]!);
    this.host.mem.free(array);
  }

  // --------------------------------------------------------------- dicts

  /** `{}`: an empty dict sharing the empty key table; created untracked, as in 3.11. */
  newDict(): number {
    const d =
      this.#fromFreeList("dict", this.types.dict.id, 0) || this.#alloc(this.types.dict.id, 0);
    return d;
  }

  dictLength(d: number): number {
    return this.#u32[(d + Dict.used) >>> 2]!;
  }

  /** The live (key, value) pairs in insertion order (borrowed). */
  dictEntries(d: number): Array<[number, number]> {
    const keys = this.#u32[(d + Dict.keys) >>> 2]!;
    if (keys === 0) return [];
    const out: Array<[number, number]> = [];
    const u32 = this.#u32;
    const n = u32[(keys + DictKeys.nentries) >>> 2]!;
    const stride = this.#isUnicode(keys) ? DictKeys.unicodeEntry : DictKeys.generalEntry;
    for (let i = 0, at = this.#entry(keys, 0) + this.#keyOffset(keys); i < n; i++, at += stride) {
      const key = u32[at >>> 2]!;
      if (key !== 0) out.push([key, u32[(at + 8) >>> 2]!]);
    }
    return out;
  }

  /** `d[key]` (borrowed), or 0 when the key is missing. */
  dictGet(d: number, key: number): number {
    const keys = this.#u32[(d + Dict.keys) >>> 2]!;
    if (keys === 0) return 0;
    const [, index] = this.#lookup(keys, key);
    return index < 0 ? 0 : this.#u32[(this.#entry(keys, index) + this.#keyOffset(keys) + 8) >>> 2]!;
  }

  /**
   * `d[key] = value` (str or int keys); tracks the dict when the value may be part of a cycle.
   * A table of str keys becomes a general one (24-byte entries) at its first other key. A str
   * key must be a key constant (`Runtime.keyConstant`): traversal does not visit str keys.
   */
  dictSet(d: number, key: number, value: number): void {
    const isStr = this.#requireKey(key);
    this.#maintainTracking(d, value);
    let keys = this.#u32[(d + Dict.keys) >>> 2]!;
    if (keys === 0) {
      keys = this.#newKeys(DictKeys.minLog2Size, isStr);
      this.#u32[(d + Dict.keys) >>> 2] = keys;
    } else if (!isStr && this.#isUnicode(keys)) {
      keys = this.#resize(d, log2KeySize(this.dictLength(d) * 3), false);
    }
    const [, found] = this.#lookup(keys, key);
    if (found >= 0) {
      const at = (this.#entry(keys, found) + this.#keyOffset(keys) + 8) >>> 2;
      const old = this.#u32[at]!;
      this.host.incref(value);
      this.#u32[at] = value;
      this.host.decref(old);
      return;
    }
    if (this.#u32[(keys + DictKeys.usable) >>> 2] === 0) {
      keys = this.#resize(d, log2KeySize(this.dictLength(d) * 3), this.#isUnicode(keys));
    }
    this.host.incref(key);
    this.host.incref(value);
    this.#insertNew(keys, key, value);
    this.#u32[(d + Dict.used) >>> 2]! += 1;
  }

  /** `del d[key]`: the entry becomes a hole; the key and then the value are released. */
  dictDelete(d: number, key: number): void {
    this.#requireKey(key);
    const keys = this.#u32[(d + Dict.keys) >>> 2]!;
    const [slot, index] = keys === 0 ? [-1, -1] : this.#lookup(keys, key);
    if (index < 0) raise("KeyError", this.repr(key));
    this.#setIndex(keys, slot, DUMMY);
    const at = (this.#entry(keys, index) + this.#keyOffset(keys)) >>> 2;
    const oldKey = this.#u32[at]!;
    const oldValue = this.#u32[at + 2]!;
    this.#u32[at] = 0;
    this.#u32[at + 2] = 0;
    this.#u32[(d + Dict.used) >>> 2]! -= 1;
    this.host.decref(oldKey);
    this.host.decref(oldValue);
  }

  /** `d.clear()`: back to the shared empty table; the entries are released first to last. */
  dictClear(d: number): void {
    const keys = this.#u32[(d + Dict.keys) >>> 2]!;
    this.#u32[(d + Dict.keys) >>> 2] = 0;
    this.#u32[(d + Dict.used) >>> 2] = 0;
    if (keys !== 0) this.#releaseKeys(keys);
  }

  /** CPython's `_PyDict_MaybeUntrack` test: no value can be part of a cycle. */
  dictUntrackable(d: number): boolean {
    for (const [, value] of this.dictEntries(d)) if (this.mayBeTracked(value)) return false;
    return true;
  }

  /** CPython's `_PyTuple_MaybeUntrack` test: no item is missing or can be part of a cycle. */
  tupleUntrackable(t: number): boolean {
    for (const item of this.tupleItems(t)) if (item === 0 || this.mayBeTracked(item)) return false;
    return true;
  }

  /** `_PyObject_GC_MAY_BE_TRACKED`: a container, and for a tuple only if it is tracked. */
  mayBeTracked(object: number): boolean {
    const type = this.host.space.types.get(this.#u32[(object + OB_TYPE) >>> 2]!);
    if (!type.isGc) return false;
    return type === this.types.tuple ? this.host.isTracked(object) : true;
  }

  // --------------------------------------------------------------- instance attributes

  /** `o.name` (borrowed), or 0 when it has no such attribute. */
  getAttr(o: number, name: string): number {
    const cls = this.#requireInstance(o, name);
    const index = cls.keys.indexOf(name);
    const values = this.#u32[(o + Instance.values) >>> 2]!;
    if (index < 0 || values === 0 || index >= this.#u32[(values + Values.capacity) >>> 2]!)
      return 0;
    return this.#u32[(values + Values.slots + 8 * index) >>> 2]!;
  }

  /** `o.name = value`; a new name joins the end of the class's key table. */
  setAttr(o: number, name: string, value: number): void {
    const cls = this.#requireInstance(o, name);
    let index = cls.keys.indexOf(name);
    if (index < 0) index = cls.keys.push(name) - 1;
    let values = this.#u32[(o + Instance.values) >>> 2]!;
    if (values === 0 || index >= this.#u32[(values + Values.capacity) >>> 2]!) {
      values = this.#growValues(o, values, Math.max(cls.keys.length, 4));
    }
    const slot = (values + Values.slots + 8 * index) >>> 2;
    const old = this.#u32[slot]!;
    this.host.incref(value);
    this.#u32[slot] = value;
    if (old !== 0) this.host.decref(old);
  }

  /**
   * `del o.name`. As in 3.11, deleting a name the class has never seen still enters it in the
   * key table (which fixes the order later attributes are released in), then raises.
   */
  delAttr(o: number, name: string): void {
    const cls = this.#requireInstance(o, name);
    if (!cls.keys.includes(name)) cls.keys.push(name);
    const old = this.getAttr(o, name);
    if (old === 0) raise("AttributeError", `'${cls.name}' object has no attribute '${name}'`);
    const values = this.#u32[(o + Instance.values) >>> 2]!;
    this.#u32[(values + Values.slots + 8 * cls.keys.indexOf(name)) >>> 2] = 0;
    this.host.decref(old);
  }

  /** The attributes of an instance in its class's key-table order: [name, value] (borrowed). */
  attributes(o: number): Array<[string, number]> {
    const cls = this.classOf(o);
    const values = this.#u32[(o + Instance.values) >>> 2]!;
    if (!cls || values === 0) return [];
    const capacity = this.#u32[(values + Values.capacity) >>> 2]!;
    const out: Array<[string, number]> = [];
    for (let index = 0; index < capacity; index++) {
      const value = this.#u32[(values + Values.slots + 8 * index) >>> 2]!;
      if (value !== 0) out.push([cls.keys[index]!, value]);
    }
    return out;
  }

  // --------------------------------------------------------------- resources

  /** A resource that needs closing; `onClose` runs once, at `close()` or at death. */
  newResource(onClose: () => void): number {
    const o = this.#alloc(this.types.resource.id, 0);
    this.#resourceClose.set(o, onClose);
    return o;
  }

  isClosed(o: number): boolean {
    return this.#u32[(o + Resource.closed) >>> 2] === 1;
  }

  /** `r.close()`: idempotent, as file objects' is. */
  close(o: number): void {
    if (this.isClosed(o)) return;
    this.#u32[(o + Resource.closed) >>> 2] = 1;
    const onClose = this.#resourceClose.get(o);
    this.#resourceClose.delete(o);
    onClose?.();
  }

  // --------------------------------------------------------------- introspection

  /** `type(o).__name__`. */
  typeName(o: number): string {
    const typeId = this.#u32[(o + OB_TYPE) >>> 2]!;
    return this.#classes.get(typeId)?.name ?? this.host.space.types.get(typeId).name;
  }

  /** `sys.getsizeof(o)`: `__sizeof__` plus the pre-header (GC head, managed dict). */
  sizeOf(o: number): number {
    const u32 = this.#u32;
    const type = this.host.space.types.get(u32[(o + OB_TYPE) >>> 2]!);
    const pre = type.preHeaderSize;
    switch (type) {
      case this.types.int:
        return (
          Int.basicSize +
          Int.digitSize * Math.max(1, Math.abs(this.host.space.memory.i32[(o + Int.size) >>> 2]!))
        );
      case this.types.str: {
        const state = u32[(o + Str.state) >>> 2]!;
        const kind = (state >>> Str.kindShift) & 7;
        const length = u32[(o + Str.length) >>> 2]!;
        return (state & Str.asciiBit ? Str.asciiHeader : Str.compactHeader) + (length + 1) * kind;
      }
      case this.types.tuple:
        return pre + Tuple.basicSize + Tuple.itemSize * u32[(o + Tuple.size) >>> 2]!;
      case this.types.list:
        return pre + List.basicSize + 8 * u32[(o + List.allocated) >>> 2]!;
      case this.types.dict: {
        const keys = u32[(o + Dict.keys) >>> 2]!;
        if (keys === 0) return pre + Dict.basicSize;
        return (
          pre +
          Dict.basicSize +
          this.#keysSize(
            this.host.space.memory.u8[keys + DictKeys.log2Size]!,
            this.#isUnicode(keys),
          )
        );
      }
      default:
        return (
          pre +
          type.basicSize +
          type.itemSize * (type.itemSize > 0 ? u32[(o + Tuple.size) >>> 2]! : 0)
        );
    }
  }

  /** The objects `o` refers to, in its traversal order (`gc.get_referents`). */
  referents(o: number): number[] {
    const out: number[] = [];
    this.#traverse(
      o,
      (ref) => {
        out.push(ref);
        return 0;
      },
      0,
    );
    return out;
  }

  // --------------------------------------------------------------- lifecycle internals

  #traverse(o: number, visit: Visit, arg: number): number {
    const u32 = this.#u32;
    const typeId = u32[(o + OB_TYPE) >>> 2]!;
    const t = this.types;
    // tupletraverse and list_traverse visit the items last to first.
    if (typeId === t.tuple.id) {
      for (let i = u32[(o + Tuple.size) >>> 2]! - 1; i >= 0; i--) {
        const item = u32[(o + Tuple.items + 8 * i) >>> 2]!;
        if (item !== 0 && visit(item, arg) !== 0) return 1;
      }
      return 0;
    }
    if (typeId === t.list.id) {
      const array = u32[(o + List.items) >>> 2]!;
      for (let i = u32[(o + List.size) >>> 2]! - 1; i >= 0; i--) {
        const item = u32[(array + 8 * i) >>> 2]!;
        if (item !== 0 && visit(item, arg) !== 0) return 1;
      }
      return 0;
    }
    if (typeId === t.dict.id) {
      // dict_traverse: a table of str keys visits only the values (a str holds no references);
      // a general table visits each value, then its key. Not visiting a str key frees nothing
      // early, even under the tracing strategy, because every str key is a key constant
      // (Runtime.keyConstant): alive for the runtime's whole life and a root.
      const keys = u32[(o + Dict.keys) >>> 2]!;
      if (keys === 0) return 0;
      const unicode = this.#isUnicode(keys);
      const stride = unicode ? DictKeys.unicodeEntry : DictKeys.generalEntry;
      const n = u32[(keys + DictKeys.nentries) >>> 2]!;
      for (
        let i = 0, key = this.#entry(keys, 0) + this.#keyOffset(keys);
        i < n;
        i++, key += stride
      ) {
        const k = u32[key >>> 2]!;
        if (k === 0) continue;
        if (visit(u32[(key + 8) >>> 2]!, arg) !== 0 || (!unicode && visit(k, arg) !== 0)) return 1;
      }
      return 0;
    }
    // An instance: its values block's slots, by key-table index.
    const values = u32[(o + Instance.values) >>> 2]!;
    if (values === 0) return 0;
    const capacity = u32[(values + Values.capacity) >>> 2]!;
    for (let i = 0; i < capacity; i++) {
      const value = u32[(values + Values.slots + 8 * i) >>> 2]!;
      if (value !== 0 && visit(value, arg) !== 0) return 1;
    }
    return 0;
  }

  /** tp_clear: drop the references that may form cycles. */
  #clear(o: number): void {
    const typeId = this.#u32[(o + OB_TYPE) >>> 2]!;
    if (typeId === this.types.list.id) this.listClear(o);
    else if (typeId === this.types.dict.id) this.dictClear(o);
    else this.#clearAttributes(o);
  }

  /** The release half of tp_dealloc, in CPython's orders. */
  #dealloc(o: number): void {
    const u32 = this.#u32;
    const typeId = u32[(o + OB_TYPE) >>> 2]!;
    const t = this.types;
    if (typeId === t.tuple.id) {
      const n = u32[(o + Tuple.size) >>> 2]!;
      for (let i = n - 1; i >= 0; i--) {
        const at = (o + Tuple.items + 8 * i) >>> 2;
        const item = this.#u32[at]!;
        this.#u32[at] = 0;
        if (item !== 0) this.host.decref(item);
      }
    } else if (typeId === t.list.id) {
      this.listClear(o);
    } else if (typeId === t.dict.id) {
      this.dictClear(o);
    } else if (this.#classes.has(typeId)) {
      this.#clearAttributes(o);
    }
  }

  /**
   * tp_free with CPython's free lists: park the block if its list has room. Blocks the object
   * owns (item array, key table, values) are freed here if dealloc did not already, which is
   * the case when a tracing collector sweeps without reference counts.
   */
  free(o: number): void {
    const u32 = this.#u32;
    const typeId = u32[(o + OB_TYPE) >>> 2]!;
    const t = this.types;
    this.#freed++;
    this.#freeOwnedBlocks(o, typeId);
    const lists = this.host.freeLists;
    if (lists) {
      let kind: FreeListKind | undefined;
      let length = 0;
      if (typeId === t.float.id) kind = "float";
      else if (typeId === t.list.id) kind = "list";
      else if (typeId === t.dict.id) kind = "dict";
      else if (typeId === t.tuple.id) {
        length = u32[(o + Tuple.size) >>> 2]!;
        if (length > 0 && length <= TUPLE_MAX_FREE_LENGTH) kind = "tuple";
      }
      if (kind !== undefined && lists.count(kind, length) < lists.capacity(kind)) {
        lists.push(kind, this.host.space.retire(o), length);
        return;
      }
    }
    this.host.release(o);
  }

  #freeOwnedBlocks(o: number, typeId: number): void {
    const u32 = this.#u32;
    const t = this.types;
    if (typeId === t.list.id) {
      const array = u32[(o + List.items) >>> 2]!;
      u32[(o + List.items) >>> 2] = 0;
      if (array !== 0) this.host.mem.free(array);
    } else if (typeId === t.dict.id) {
      const keys = u32[(o + Dict.keys) >>> 2]!;
      u32[(o + Dict.keys) >>> 2] = 0;
      if (keys !== 0) this.#freeKeysBlock(keys);
    } else if (typeId === t.str.id) {
      if (this.isInterned(o)) this.#interned.delete(this.strValue(o));
    } else if (this.#classes.has(typeId)) {
      const values = u32[(o + Instance.values) >>> 2]!;
      u32[(o + Instance.values) >>> 2] = 0;
      if (values !== 0) this.host.mem.free(values);
    }
  }

  /** Releases the attributes in key-table order (3.11 keeps instance values inline). */
  #clearAttributes(o: number): void {
    const values = this.#u32[(o + Instance.values) >>> 2]!;
    if (values === 0) return;
    const capacity = this.#u32[(values + Values.capacity) >>> 2]!;
    const held: number[] = [];
    for (let index = 0; index < capacity; index++) {
      const at = (values + Values.slots + 8 * index) >>> 2;
      const value = this.#u32[at]!;
      if (value !== 0) {
        held.push(value);
        this.#u32[at] = 0;
      }
    }
    for (const value of held) this.host.decref(value);
  }

  #callLegacy(o: number, legacy: (self: number) => void): void {
    try {
      legacy(o);
    } catch (error) {
      this.host.unraisable(error, `<function ${this.typeName(o)}.__del__>`);
    }
  }

  // --------------------------------------------------------------- allocation helpers

  /** A new object through the strategy; raises MemoryError when the heap is exhausted. */
  #alloc(typeId: number, items: number): number {
    const o = this.host.allocate(typeId, items);
    if (o === 0) raise("MemoryError", "");
    this.#allocated++;
    return o;
  }

  /** A block from a free list made into a fresh object (no count: CPython's reuse is invisible). */
  #fromFreeList(kind: FreeListKind, typeId: number, length: number): number {
    const lists = this.host.freeLists;
    if (!lists) return 0;
    const block = lists.pop(kind, length);
    if (block === 0) return 0;
    this.#allocated++;
    return this.host.space.initialize(block, typeId, length);
  }

  /** An object outside any strategy (singletons and caches, made before anything runs). */
  #raw(typeId: number, items: number): number {
    const o = this.host.space.allocate(typeId, items);
    if (o === 0) raise("MemoryError", "");
    return o;
  }

  #makeImmortal(o: number): void {
    this.#u32[(o + OB_FLAGS) >>> 2]! |= ObjectFlags.Immortal;
    this.#u32[(o + OB_REFCNT) >>> 2] = 1;
  }

  #mallocOrRaise(allocator: Allocator, bytes: number): number {
    const block = allocator.malloc(bytes);
    if (block === 0) raise("MemoryError", "");
    return block;
  }

  /** Writes ob_size (signed digit count) and the 30-bit digits of `value`. */
  #writeInt(o: number, value: number | bigint): void {
    const big = BigInt(value);
    const digits = digitsOf(big);
    this.host.space.memory.i32[(o + Int.size) >>> 2] = big < 0n ? -digits.length : digits.length;
    digits.forEach((digit, d) => {
      this.#u32[(o + Int.digits + 4 * d) >>> 2] = digit;
    });
  }

  #newStrObject(value: string, raw = false): number {
    // One pass for the length in code points and the widest one (PEP 393's kind).
    let length = 0;
    let max = 0;
    for (let i = 0; i < value.length; i++, length++) {
      const code = value.codePointAt(i)!;
      if (code > 0xffff) i++;
      if (code > max) max = code;
    }
    const kind = max < 256 ? 1 : max < 65536 ? 2 : 4;
    const ascii = max < 128;
    const items = (ascii ? 0 : Str.compactHeader - Str.asciiHeader) + (length + 1) * kind;
    const o = raw ? this.#raw(this.types.str.id, items) : this.#alloc(this.types.str.id, items);
    const memory = this.host.space.memory;
    const u32 = memory.u32;
    u32[(o + Str.length) >>> 2] = length;
    u32[(o + Str.hash) >>> 2] = stringHash(value);
    u32[(o + Str.state) >>> 2] = (kind << Str.kindShift) | (ascii ? Str.asciiBit : 0);
    const data = o + (ascii ? Str.asciiHeader : Str.compactHeader);
    if (kind === 1) {
      const u8 = memory.u8;
      for (let i = 0; i < length; i++) u8[data + i] = value.charCodeAt(i);
    } else {
      const view = memory.view;
      for (let i = 0, at = 0; i < value.length; i++, at++) {
        const code = value.codePointAt(i)!;
        if (code > 0xffff) i++;
        if (kind === 2) view.setUint16(data + 2 * at, code, true);
        else view.setUint32(data + 4 * at, code, true);
      }
    }
    return o;
  }

  // --------------------------------------------------------------- list internals

  #listIndex(l: number, index: number, message: string): number {
    const n = this.listLength(l);
    const i = index < 0 ? index + n : index;
    if (!Number.isInteger(index) || i < 0 || i >= n) raise("IndexError", message);
    return i;
  }

  /** CPython's `list_resize`: over-allocates by about 1/8 plus 6, rounded to a multiple of 4. */
  #listResize(l: number, newSize: number): void {
    const u32 = this.#u32;
    const allocated = u32[(l + List.allocated) >>> 2]!;
    if (allocated >= newSize && newSize >= allocated >>> 1) {
      u32[(l + List.size) >>> 2] = newSize;
      return;
    }
    const size = u32[(l + List.size) >>> 2]!;
    let newAllocated = (newSize + (newSize >>> 3) + 6) & ~3;
    if (newSize - size > newAllocated - newSize) newAllocated = (newSize + 3) & ~3;
    if (newSize === 0) newAllocated = 0;
    const array = u32[(l + List.items) >>> 2]!;
    let moved = 0;
    if (newAllocated === 0) {
      if (array !== 0) this.host.mem.free(array);
    } else {
      moved =
        array === 0
          ? this.host.mem.malloc(8 * newAllocated)
          : this.host.mem.realloc(array, 8 * newAllocated);
      if (moved === 0) raise("MemoryError", "");
    }
    const words = this.#u32;
    words[(l + List.items) >>> 2] = moved;
    words[(l + List.size) >>> 2] = newSize;
    words[(l + List.allocated) >>> 2] = newAllocated;
  }

  // --------------------------------------------------------------- dict internals

  #isUnicode(keys: number): boolean {
    return this.host.space.memory.u8[keys + DictKeys.kind] === DictKeys.kindUnicode;
  }

  /** Bytes of a key table: header, index table, entries (16 bytes each for str keys, else 24). */
  #keysSize(log2: number, unicode: boolean): number {
    const entry = unicode ? DictKeys.unicodeEntry : DictKeys.generalEntry;
    return DictKeys.header + (1 << log2IndexBytes(log2)) + usableFraction(1 << log2) * entry;
  }

  /** The address of entry `index`. */
  #entry(keys: number, index: number): number {
    const memory = this.host.space.memory;
    const entries = keys + DictKeys.header + (1 << memory.u8[keys + DictKeys.log2IndexBytes]!);
    return (
      entries + index * (this.#isUnicode(keys) ? DictKeys.unicodeEntry : DictKeys.generalEntry)
    );
  }

  /** Where the key sits in an entry: first for str tables, after the hash for general ones. */
  #keyOffset(keys: number): number {
    return this.#isUnicode(keys) ? 0 : 8;
  }

  #newKeys(log2: number, unicode: boolean): number {
    let keys = 0;
    if (log2 === DICT_KEYS_FREE_LOG2 && unicode && this.host.freeLists)
      keys = this.host.freeLists.pop("dictKeys");
    const size = this.#keysSize(log2, unicode);
    if (keys === 0) keys = this.#mallocOrRaise(this.host.obj, size);
    const memory = this.host.space.memory;
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
  #releaseKeys(keys: number): void {
    const n = this.#u32[(keys + DictKeys.nentries) >>> 2]!;
    const held: number[] = [];
    for (let i = 0; i < n; i++) {
      const at = (this.#entry(keys, i) + this.#keyOffset(keys)) >>> 2;
      held.push(this.#u32[at]!, this.#u32[at + 2]!);
    }
    for (const o of held) if (o !== 0) this.host.decref(o);
    this.#freeKeysBlock(keys);
  }

  /** Frees a key table, or parks it when it is a minimal str-keyed one with room on its list. */
  #freeKeysBlock(keys: number): void {
    const log2 = this.host.space.memory.u8[keys + DictKeys.log2Size]!;
    const lists = this.host.freeLists;
    if (
      log2 === DICT_KEYS_FREE_LOG2 &&
      this.#isUnicode(keys) &&
      lists &&
      lists.count("dictKeys") < lists.capacity("dictKeys")
    ) {
      lists.push("dictKeys", keys);
    } else {
      this.host.obj.free(keys);
    }
  }

  #index(keys: number, slot: number): number {
    const memory = this.host.space.memory;
    const width = memory.u8[keys + DictKeys.log2IndexBytes]! - memory.u8[keys + DictKeys.log2Size]!;
    const at = keys + DictKeys.header;
    return width === 0
      ? memory.view.getInt8(at + slot)
      : width === 1
        ? memory.view.getInt16(at + 2 * slot, true)
        : memory.view.getInt32(at + 4 * slot, true);
  }

  #setIndex(keys: number, slot: number, value: number): void {
    const memory = this.host.space.memory;
    const width = memory.u8[keys + DictKeys.log2IndexBytes]! - memory.u8[keys + DictKeys.log2Size]!;
    const at = keys + DictKeys.header;
    if (width === 0) memory.view.setInt8(at + slot, value);
    else if (width === 1) memory.view.setInt16(at + 2 * slot, value, true);
    else memory.view.setInt32(at + 4 * slot, value, true);
  }

  /** The hash of a str or int key (not Python's: iteration order never depends on it). */
  #keyHash(key: number): number {
    if (this.#u32[(key + OB_TYPE) >>> 2] === this.types.str.id)
      return this.#u32[(key + Str.hash) >>> 2]!;
    return stringHash(`int:${this.intValue(key)}`);
  }

  #keysEqual(a: number, b: number): boolean {
    if (a === b) return true;
    const ta = this.#u32[(a + OB_TYPE) >>> 2];
    if (ta !== this.#u32[(b + OB_TYPE) >>> 2]) return false;
    return ta === this.types.str.id
      ? this.strValue(a) === this.strValue(b)
      : this.intValue(a) === this.intValue(b);
  }

  /** Open addressing with CPython's perturbation: returns [slot, entry index or -1]. */
  #lookup(keys: number, key: number): [number, number] {
    const memory = this.host.space.memory;
    const mask = (1 << memory.u8[keys + DictKeys.log2Size]!) - 1;
    const hash = this.#keyHash(key);
    const keyAt = this.#keyOffset(keys);
    let perturb = hash;
    let i = hash & mask;
    for (;;) {
      const ix = this.#index(keys, i);
      if (ix === EMPTY) return [i, -1];
      if (ix >= 0) {
        const candidate = memory.u32[(this.#entry(keys, ix) + keyAt) >>> 2]!;
        if (candidate !== 0 && this.#keyHash(candidate) === hash && this.#keysEqual(candidate, key))
          return [i, ix];
      }
      perturb >>>= 5;
      i = (i * 5 + perturb + 1) & mask;
    }
  }

  /** Puts a new entry at the end and its index in the first free slot of its probe sequence. */
  #insertNew(keys: number, key: number, value: number): void {
    const memory = this.host.space.memory;
    const mask = (1 << memory.u8[keys + DictKeys.log2Size]!) - 1;
    const hash = this.#keyHash(key);
    let perturb = hash;
    let i = hash & mask;
    while (this.#index(keys, i) >= 0) {
      perturb >>>= 5;
      i = (i * 5 + perturb + 1) & mask;
    }
    const n = memory.u32[(keys + DictKeys.nentries) >>> 2]!;
    this.#setIndex(keys, i, n);
    const entry = this.#entry(keys, n);
    if (!this.#isUnicode(keys)) memory.u32[entry >>> 2] = hash;
    const at = (entry + this.#keyOffset(keys)) >>> 2;
    memory.u32[at] = key;
    memory.u32[at + 2] = value;
    memory.u32[(keys + DictKeys.nentries) >>> 2] = n + 1;
    memory.u32[(keys + DictKeys.usable) >>> 2]! -= 1;
  }

  /** `dictresize`: a new table of 2^log2 slots holding the live entries, in order. */
  #resize(d: number, log2: number, unicode: boolean): number {
    const oldKeys = this.#u32[(d + Dict.keys) >>> 2]!;
    const live = this.dictEntries(d);
    const keys = this.#newKeys(log2, unicode);
    for (const [key, value] of live) this.#insertNew(keys, key, value);
    this.#u32[(d + Dict.keys) >>> 2] = keys;
    this.#freeKeysBlock(oldKeys);
    return keys;
  }

  /** `MAINTAIN_TRACKING`: an untracked dict is tracked when it gets a trackable value. */
  #maintainTracking(d: number, value: number): void {
    if (!this.host.isTracked(d) && this.mayBeTracked(value)) this.host.track(d);
  }

  /** Dict keys here are str or int; returns whether it is a str. */
  #requireKey(key: number): boolean {
    const typeId = this.#u32[(key + OB_TYPE) >>> 2];
    if (typeId === this.types.str.id) return true;
    if (typeId === this.types.int.id) return false;
    return raise("TypeError", `dict keys must be str or int here, not '${this.typeName(key)}'`);
  }

  /** `repr(o)` of a str or int, as CPython writes it (for KeyError messages). */
  repr(o: number): string {
    if (this.#u32[(o + OB_TYPE) >>> 2] === this.types.int.id) return String(this.intValue(o));
    const s = this.strValue(o);
    const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
    let out = quote;
    for (const c of s) {
      const code = c.codePointAt(0)!;
      if (c === quote || c === "\\") out += `\\${c}`;
      else if (c === "\n") out += "\\n";
      else if (c === "\r") out += "\\r";
      else if (c === "\t") out += "\\t";
      else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`;
      else out += c;
    }
    return out + quote;
  }

  // --------------------------------------------------------------- instance internals

  #requireInstance(o: number, name: string): PythonClass {
    const cls = this.classOf(o);
    if (!cls) raise("AttributeError", `'${this.typeName(o)}' object has no attribute '${name}'`);
    return cls;
  }

  #growValues(o: number, values: number, capacity: number): number {
    const bytes = Values.slots + 8 * capacity;
    const grown = this.#mallocOrRaise(this.host.mem, bytes);
    const memory = this.host.space.memory;
    memory.u8.fill(0, grown, grown + bytes);
    memory.u32[(grown + Values.capacity) >>> 2] = capacity;
    if (values !== 0) {
      const oldCapacity = memory.u32[(values + Values.capacity) >>> 2]!;
      memory.u8.copyWithin(
        grown + Values.slots,
        values + Values.slots,
        values + Values.slots + 8 * oldCapacity,
      );
      this.host.mem.free(values);
    }
    memory.u32[(o + Instance.values) >>> 2] = grown;
    return grown;
  }
}

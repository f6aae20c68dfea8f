// Python's object kinds on the @mm heap, with CPython 3.11's memory behaviour: the small-int
// cache, the one-character and empty strings, interning, free lists for float/tuple/list/dict,
// list over-allocation, dict key tables with their growth and tracking rules, and instances of
// user classes whose attributes live in a values block. Every allocation and every release goes
// through the same paths as in CPython, so that `gc.get_count()` and `sys.getsizeof()` agree.
//
// Each kind is a file of this folder (kinds.ts lists them); this class is the one face of the
// object layer and hands each call to the kind concerned.

import { OB_TYPE, type TypeDescriptor, type Visit } from "@mm/heap";
import { BoolKind } from "./bool.js";
import { DictKind } from "./dict.js";
import type { KeyProtocol } from "./dict-keys.js";
import { FloatKind } from "./float.js";
import { hashToBigInt, newHash } from "./hash.js";
import { type ClassSpec, InstanceKind, type PythonClass } from "./instance.js";
import { IntKind } from "./int.js";
import {
  type KindClass,
  KindTable,
  type KindUntrackRule,
  type ObjectHost,
  type ObjectKind,
} from "./kind.js";
import { objectKinds } from "./kinds.js";
import { type DetachedItems, ListKind } from "./list.js";
import { NativeKind, type NativeSpec, type NativeTypeInfo } from "./native.js";
import { NoneKind } from "./none.js";
import { ResourceKind } from "./resource.js";
import { SetKind, type SetSource } from "./set.js";
import { StrKind } from "./str.js";
import { type Subtype, SubtypeKind, type SubtypeSpec, type SubtypeValue } from "./subtype.js";
import { TupleKind } from "./tuple.js";

export type {
  ClassSpec,
  KeyProtocol,
  NativeSpec,
  NativeTypeInfo,
  ObjectHost,
  PythonClass,
  SetSource,
  Subtype,
  SubtypeSpec,
  SubtypeValue,
};

/** An untrack rule of a kind, with the type it applies to (see {@link ObjectModel.untrackRules}). */
export interface TypeUntrackRule extends KindUntrackRule {
  /** The type id whose containers the rule examines. */
  readonly typeId: number;
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
  readonly #table: KindTable;
  readonly #int: IntKind;
  readonly #float: FloatKind;
  readonly #str: StrKind;
  readonly #tuple: TupleKind;
  readonly #list: ListKind;
  readonly #dict: DictKind;
  readonly #instance: InstanceKind;
  readonly #resource: ResourceKind;
  #native: NativeKind | undefined;
  #subtype: SubtypeKind | undefined;
  readonly #set: SetKind;
  /** `referents`' collector: one visitor for every call, the output array swapped in. */
  #referents: number[] = [];
  readonly #collect: Visit = (ref) => {
    this.#referents.push(ref);
    return 0;
  };

  /** Installs `kinds` (by default every kind of kinds.ts) over `host`. */
  constructor(host: ObjectHost, kinds: readonly KindClass[] = objectKinds) {
    this.host = host;
    const table = new KindTable(host);
    table.install(kinds);
    this.#table = table;
    this.#int = table.get(IntKind);
    this.#float = table.get(FloatKind);
    this.#str = table.get(StrKind);
    this.#tuple = table.get(TupleKind);
    this.#list = table.get(ListKind);
    this.#dict = table.get(DictKind);
    this.#instance = table.get(InstanceKind);
    this.#resource = table.get(ResourceKind);
    this.#set = table.get(SetKind);
    const none = table.get(NoneKind);
    const bool = table.get(BoolKind);
    this.none = none.none;
    this.true = bool.true;
    this.false = bool.false;
    this.emptyTuple = this.#tuple.empty;
    this.emptyStr = this.#str.empty;
    this.types = {
      none: none.type,
      bool: bool.type,
      int: this.#int.type,
      float: this.#float.type,
      str: this.#str.type,
      tuple: this.#tuple.type,
      list: this.#list.type,
      dict: this.#dict.type,
      resource: this.#resource.type,
    };
  }

  /**
   * The kind table: the free plans and counts a release written elsewhere (the WebAssembly
   * release kernel) runs and keeps in its place.
   */
  get kindTable(): KindTable {
    return this.#table;
  }

  /** Objects created by the program (free-list reuse included; caches and singletons not). */
  get allocated(): number {
    return this.#table.allocated;
  }

  /** Counts an object made outside the object layer (a weak reference) as allocated. */
  countAllocated(): void {
    this.#table.countAllocated();
  }

  /** Objects that died (to a free list or the allocator). */
  get freed(): number {
    return this.#table.freed;
  }

  // --------------------------------------------------------------- kinds

  /** The installed kind of class `Kind` (for a kind's own operations). */
  kind<K extends ObjectKind>(Kind: KindClass<K>): K {
    return this.#table.get(Kind);
  }

  /** The kind of an object, or undefined for a type that no kind registered or adopted. */
  kindOf(object: number): ObjectKind | undefined {
    return this.#table.kindOf(object);
  }

  /** The kind of a type id, or undefined for a type that no kind registered or adopted. */
  kindOfType(typeId: number): ObjectKind | undefined {
    return this.#table.kindOfType(typeId);
  }

  /** Every installed kind, in registration order. */
  kinds(): readonly ObjectKind[] {
    return this.#table.kinds();
  }

  /**
   * The kinds' untrack rules (CPython's: tuples in every collection, dicts in full ones), with
   * their type ids, for the collector.
   */
  untrackRules(): TypeUntrackRule[] {
    const rules: TypeUntrackRule[] = [];
    for (const type of this.host.space.types.all()) {
      const rule = this.#table.kindOfType(type.id)?.untrack;
      if (rule) rules.push({ typeId: type.id, ...rule });
    }
    return rules;
  }

  // --------------------------------------------------------------- classes

  /** Registers a user class; its instances are 56 bytes as `sys.getsizeof` reports in 3.11. */
  defineClass(spec: ClassSpec): PythonClass {
    return this.#instance.define(spec);
  }

  /** The class of an instance, or undefined for built-in kinds. */
  classOf(object: number): PythonClass | undefined {
    return this.#instance.classOf(object);
  }

  /** `Cls()`: a new instance with no attributes (tracked, counted). */
  newInstance(cls: PythonClass): number {
    return this.#instance.create(cls);
  }

  // --------------------------------------------------------------- native types

  /** Registers a type a front end defines (see {@link NativeKind.define}). */
  defineNative(spec: NativeSpec): NativeTypeInfo {
    return this.#nativeKind().define(spec);
  }

  /** A new object of a native type with `items` items: zeroed, counted, tracked unless told. */
  newNative(type: NativeTypeInfo, items: number): number {
    return this.#nativeKind().create(type, items);
  }

  // --------------------------------------------------------------- subclasses of built-ins

  /** Registers a subclass of list, dict or set (see {@link SubtypeKind.define}). */
  defineSubtype(spec: SubtypeSpec): Subtype {
    return this.#subtypeKind().define(spec);
  }

  /** The subclass of list, dict or set that `o` is an instance of, or undefined. */
  subtypeOf(o: number): Subtype | undefined {
    return this.#subtype?.subtypeOf(o);
  }

  /**
   * A new instance of a subclass of a built-in type (tracked, counted): empty for list, dict
   * and set, holding `value` for int, float, str and tuple (see {@link SubtypeKind.create}).
   */
  newSubtypeInstance(subtype: Subtype, value?: SubtypeValue): number {
    return this.#subtypeKind().create(subtype, value);
  }

  /** The `__dict__` of an instance of such a subclass, borrowed, made on first use (or 0). */
  subtypeDict(o: number, create = true): number {
    return this.#subtype?.dict(o, create) ?? 0;
  }

  /**
   * The name of the built-in type whose object `o` is: its type's name, or for an instance of
   * a subclass of list, dict or set, that base's. What the generic operations dispatch on.
   */
  builtinName(o: number): string {
    const subtype = this.#subtype?.subtypeOf(o);
    return subtype === undefined ? this.#table.typeName(o) : (subtype.native?.name ?? subtype.base);
  }

  #subtypeKind(): SubtypeKind {
    this.#subtype ??= this.#table.get(SubtypeKind);
    return this.#subtype;
  }

  /** The native kind, looked up once (a model built from other kinds may lack it). */
  #nativeKind(): NativeKind {
    this.#native ??= this.#table.get(NativeKind);
    return this.#native;
  }

  // --------------------------------------------------------------- ints, floats, strings

  /** An int: the cached object for −5..256, a new one otherwise (any size, as Python's). */
  newInt(value: number | bigint): number {
    return this.#int.create(value);
  }

  /** An int of a safe integer in `PyLong_FromSsize_t`'s form (see `IntKind.createExact`). */
  newIntExact(value: number): number {
    return this.#int.createExact(value);
  }

  newBool(value: boolean): number {
    return value ? this.true : this.false;
  }

  /** A float, from the free list when it has one. */
  newFloat(value: number): number {
    return this.#float.create(value);
  }

  /** A str: the empty and one-character latin-1 strings are singletons. */
  newStr(value: string): number {
    return this.#str.create(value);
  }

  /** A new str, not a cached one-character singleton (see `StrKind.createNew`). */
  newStrUncached(value: string): number {
    return this.#str.createNew(value);
  }

  /**
   * `sys.intern(s)`: the interned string of that value, interning `s` if none is. The table's
   * references are not counted (CPython 3.11's mortal interning): the string dies as usual and
   * leaves the table.
   */
  intern(s: number): number {
    return this.#str.intern(s);
  }

  /** A statically allocated, interned str of `value` (see `StrKind.makeStatic`; borrowed). */
  makeStaticStr(value: string): number {
    return this.#str.makeStatic(value);
  }

  /** The statically allocated str of `value`, or undefined. */
  staticStr(value: string): number | undefined {
    return this.#str.staticOf(value);
  }

  isInterned(s: number): boolean {
    return this.#str.isInterned(s);
  }

  /** The value of an int: a number when it is exact as one, a bigint otherwise. */
  intValue(o: number): number | bigint {
    return this.#int.value(o);
  }

  floatValue(o: number): number {
    return this.#float.value(o);
  }

  strValue(o: number): string {
    return this.#str.value(o);
  }

  /** `a + b` for two strs (a new reference). */
  strConcat(a: number, b: number): number {
    return this.#str.concat(a, b);
  }

  /**
   * `PyUnicode_Append(&left, right)` for two strs: takes over a reference to `left`, returns a
   * reference to the result, which is `left` resized in place when nothing else holds it (see
   * `StrKind.append`). Only for a strategy whose counts are exact (a count of 1 must mean one
   * holder).
   */
  strAppend(left: number, right: number): number {
    return this.#str.append(left, right);
  }

  /** Objects resized in place so far (see `KindTable.resize`). */
  get resized(): number {
    return this.#table.resized;
  }

  // --------------------------------------------------------------- tuples

  /** `(a, b, …)`: a new tuple holding new references to `items` (tracked). */
  newTuple(items: readonly number[]): number {
    return this.#tuple.create(items);
  }

  tupleItems(t: number): number[] {
    return this.#tuple.items(t);
  }

  // --------------------------------------------------------------- lists

  /**
   * `[a, b, …]`: a new list of exactly `items.length` slots (BUILD_LIST), tracked; `fresh`
   * skips the free list (`list()`).
   */
  newList(items: readonly number[], fresh = false): number {
    return this.#list.create(items, fresh);
  }

  listLength(l: number): number {
    return this.#list.length(l);
  }

  listItems(l: number): number[] {
    return this.#list.items(l);
  }

  /** `l.append(v)`, with CPython's over-allocation. */
  listAppend(l: number, value: number): void {
    this.#list.append(l, value);
  }

  /** `l.extend(items)` from a list's or tuple's items (borrowed). */
  listExtend(l: number, items: readonly number[]): void {
    this.#list.extend(l, items);
  }

  /** `list_extend`'s room for `hint` more items before it runs an iterator. */
  listReserve(l: number, hint: number): void {
    this.#list.reserve(l, hint);
  }

  /** `list_extend`'s cut back to the length after the iterator. */
  listTrim(l: number): void {
    this.#list.trim(l);
  }

  /** `l.insert(i, v)`. */
  listInsert(l: number, index: number, value: number): void {
    this.#list.insert(l, index, value);
  }

  /** Rewrites a list's items in a new order (the same references). */
  listPermute(l: number, items: readonly number[]): void {
    this.#list.permute(l, items);
  }

  /** `list.sort`'s start: the list looks empty while the sorter holds its items. */
  listDetach(l: number): DetachedItems {
    return this.#list.detach(l);
  }

  /** `list.sort`'s end: the items back; whether the list was changed meanwhile. */
  listReattach(l: number, detached: DetachedItems): boolean {
    return this.#list.reattach(l, detached);
  }

  /** `l.pop()`: returns the last item (a reference the caller now owns). */
  listPop(l: number): number {
    return this.#list.pop(l);
  }

  /** `l[i]` (borrowed). */
  listGet(l: number, index: number): number {
    return this.#list.get(l, index);
  }

  /** `l[i] = v`. */
  listSet(l: number, index: number, value: number): void {
    this.#list.set(l, index, value);
  }

  /** `del l[i]`. */
  listDelete(l: number, index: number): void {
    this.#list.delete(l, index);
  }

  /** `del l[start:stop]` for 0 <= start <= stop <= len(l). */
  listDeleteSlice(l: number, start: number, stop: number): void {
    this.#list.deleteSlice(l, start, stop);
  }

  /** `l[start:stop] = items` for 0 <= start <= stop <= len(l) (items borrowed). */
  listReplaceSlice(l: number, start: number, stop: number, items: readonly number[]): void {
    this.#list.replaceSlice(l, start, stop, items);
  }

  /** `l.clear()`: drops the items from the last to the first and frees the array. */
  listClear(l: number): void {
    this.#list.clear(l);
  }

  // --------------------------------------------------------------- dicts

  /**
   * `{}`: an empty dict sharing the empty key table; created untracked, as in 3.11; `fresh`
   * skips the free list (`dict()`).
   */
  newDict(fresh = false): number {
    return this.#dict.create(fresh);
  }

  dictLength(d: number): number {
    return this.#dict.length(d);
  }

  /** The live (key, value) pairs in insertion order (borrowed). */
  dictEntries(d: number): Array<[number, number]> {
    return this.#dict.entries(d);
  }

  /**
   * `_PyDict_Next`: the position of the first live entry at or after `pos`, or -1; read it with
   * {@link ObjectModel.dictKeyAt} and {@link ObjectModel.dictValueAt}.
   */
  dictNext(d: number, pos: number): number {
    return this.#dict.next(d, pos);
  }

  /** Where a reverse iteration of `d` starts (see {@link DictKind.reverseStart}). */
  dictReverseStart(d: number): number {
    return this.#dict.reverseStart(d);
  }

  /** The last live position at or before `pos`, or -1 (reversed iteration). */
  dictPrev(d: number, pos: number): number {
    return this.#dict.prev(d, pos);
  }

  /** The key at a live position of {@link ObjectModel.dictNext} (borrowed). */
  dictKeyAt(d: number, pos: number): number {
    return this.#dict.keyAt(d, pos);
  }

  /** The value at a live position of {@link ObjectModel.dictNext} (borrowed). */
  dictValueAt(d: number, pos: number): number {
    return this.#dict.valueAt(d, pos);
  }

  /**
   * `d[key]` (borrowed), or 0 when the key is missing.
   * @throws PythonError TypeError for an unhashable key, or what the key protocol throws
   */
  dictGet(d: number, key: number): number {
    return this.#dict.get(d, key);
  }

  /**
   * `d[key] = value` (any hashable key); tracks the dict when the key or the value may be part
   * of a cycle. A table of str keys becomes a general one (24-byte entries) at its first other
   * key. @throws as {@link ObjectModel.dictGet}, the dict unchanged
   */
  dictSet(d: number, key: number, value: number): void {
    this.#dict.set(d, key, value);
  }

  /**
   * `del d[key]`: the entry becomes a hole; the key and then the value are released.
   * @throws PythonError KeyError when the key is missing, or as {@link ObjectModel.dictGet}
   */
  dictDelete(d: number, key: number): void {
    this.#dict.delete(d, key);
  }

  /** `d.pop(key)`: the value (owned by the caller now), or 0 when the key is missing. */
  dictPop(d: number, key: number): number {
    return this.#dict.pop(d, key);
  }

  /** `d.popitem()`: a new `(key, value)` tuple of the last entry. @throws PythonError KeyError */
  dictPopItem(d: number): number {
    return this.#dict.popItem(d);
  }

  /** `d.setdefault(key, default)`: the value now at `key` (borrowed). */
  dictSetDefault(d: number, key: number, fallback: number): number {
    return this.#dict.setDefault(d, key, fallback);
  }

  /** `d.copy()`: a new dict. */
  dictCopy(d: number): number {
    return this.#dict.copy(d);
  }

  /** `d.update(other)` for a dict `other`. @throws PythonError RuntimeError, or as {@link ObjectModel.dictGet} */
  dictUpdate(d: number, other: number): void {
    this.#dict.update(d, other);
  }

  /** `d.clear()`: back to the shared empty table; the entries are released first to last. */
  dictClear(d: number): void {
    this.#dict.clear(d);
  }

  // --------------------------------------------------------------- sets

  /**
   * `set(source)` or `frozenset(source)`: a new set, tracked as every set is in 3.11, filled
   * from another set, a dict's keys or objects one by one (`set_update_internal`).
   */
  newSet(frozen: boolean, source?: SetSource): number {
    return this.#set.create(frozen, source);
  }

  /** Whether `o` is a set or a frozenset. */
  isAnySet(o: number): boolean {
    return this.#set.is(o);
  }

  /** Whether `o` is a frozenset. */
  isFrozenSet(o: number): boolean {
    return this.#set.isFrozen(o);
  }

  setLength(s: number): number {
    return this.#set.length(s);
  }

  /** The first active slot at or after `pos` (iteration order), or -1. */
  setNext(s: number, pos: number): number {
    return this.#set.next(s, pos);
  }

  /** The key in active slot `pos` (borrowed). */
  setKeyAt(s: number, pos: number): number {
    return this.#set.keyAt(s, pos);
  }

  /** The keys in iteration order (borrowed). */
  setItems(s: number): number[] {
    return this.#set.items(s);
  }

  /** `key in s`. @throws PythonError TypeError for an unhashable key (a set is looked up as a frozenset) */
  setContains(s: number, key: number): boolean {
    return this.#set.contains(s, key);
  }

  /** `s.add(key)`. @throws PythonError TypeError for an unhashable key */
  setAdd(s: number, key: number): void {
    this.#set.add(s, key);
  }

  /** `s.discard(key)`: whether it was there. */
  setDiscard(s: number, key: number): boolean {
    return this.#set.discard(s, key);
  }

  /** `s.remove(key)`. @throws PythonError KeyError when missing */
  setRemove(s: number, key: number): void {
    this.#set.remove(s, key);
  }

  /** `s.pop()`: a key the caller now owns. @throws PythonError KeyError when empty */
  setPop(s: number): number {
    return this.#set.pop(s);
  }

  /** `s.clear()`. */
  setClear(s: number): void {
    this.#set.clear(s);
  }

  /** `s.update(source)`. */
  setUpdate(s: number, source: SetSource): void {
    this.#set.update(s, source);
  }

  /** `s.copy()`: a new set (a frozenset's copy is itself, a new reference). */
  setCopy(s: number): number {
    return this.#set.copy(s);
  }

  /** `a | b`: a new set of `a`'s type. */
  setUnion(a: number, b: number): number {
    return this.#set.union(a, b);
  }

  /** `a & b`: a new set of `a`'s type. */
  setIntersection(a: number, b: number): number {
    return this.#set.intersection(a, b);
  }

  /** `a - b`: a new set of `a`'s type. */
  setDifference(a: number, b: number): number {
    return this.#set.difference(a, b);
  }

  /** `a ^ b`: a new set of `a`'s type. */
  setSymmetricDifference(a: number, b: number): number {
    return this.#set.symmetricDifference(a, b);
  }

  // --------------------------------------------------------------- hashing

  /**
   * `hash(o)` as CPython 3.11 computes it (str hashes with `PYTHONHASHSEED=0`'s key).
   * @throws PythonError TypeError for an unhashable object, or what the key protocol throws
   */
  hash(o: number): bigint {
    const h = newHash();
    this.#dict.ops.hash(o, h);
    return hashToBigInt(h);
  }

  /** `a == b` as dict and set keys compare (identity, then value, then the key protocol). */
  keysEqual(a: number, b: number): boolean {
    return this.#dict.ops.equals(a, b);
  }

  /** Installs the front end's hashing and equality of its objects (undefined: identity). */
  setKeyProtocol(protocol: KeyProtocol | undefined): void {
    this.#dict.ops.setProtocol(protocol);
  }

  /** `_PyObject_GC_MAY_BE_TRACKED`: a container, and for a tuple only if it is tracked. */
  mayBeTracked(object: number): boolean {
    return this.#table.mayBeTracked(object);
  }

  /** `repr(o)`, as CPython writes it for the kinds that define one (for KeyError messages). */
  repr(o: number): string {
    return this.#table.repr(o);
  }

  // --------------------------------------------------------------- instance attributes

  /** `o.name` (borrowed), or 0 when it has no such attribute. */
  getAttr(o: number, name: string): number {
    return this.#instance.getAttr(o, name);
  }

  /** `o.name = value`; a new name joins the end of the class's key table. */
  setAttr(o: number, name: string, value: number): void {
    this.#instance.setAttr(o, name, value);
  }

  /**
   * `del o.name`. As in 3.11, deleting a name the class has never seen still enters it in the
   * key table (which fixes the order later attributes are released in), then raises.
   */
  delAttr(o: number, name: string): void {
    this.#instance.delAttr(o, name);
  }

  /** The attributes of an instance in the order `__dict__` lists them: [name, value] (borrowed). */
  attributes(o: number): Array<[string, number]> {
    return this.#instance.attributes(o);
  }

  /**
   * `o.__dict__` of an instance (a new reference): made from its values on the first read, as
   * CPython 3.11 materialises it, and the same dict on every later read.
   */
  instanceDict(o: number): number {
    return this.#instance.dict(o);
  }

  // --------------------------------------------------------------- resources

  /** A resource that needs closing; `onClose` runs once, at `close()` or at death. */
  newResource(onClose: () => void): number {
    return this.#resource.create(onClose);
  }

  isClosed(o: number): boolean {
    return this.#resource.isClosed(o);
  }

  /** `r.close()`: idempotent, as file objects' is. */
  close(o: number): void {
    this.#resource.close(o);
  }

  // --------------------------------------------------------------- introspection

  /** `type(o).__name__`. */
  typeName(o: number): string {
    return this.#table.typeName(o);
  }

  /** `sys.getsizeof(o)`: `__sizeof__` (the type's `sizeOf`) plus the pre-header. */
  sizeOf(o: number): number {
    const space = this.host.space;
    const type = space.types.get(space.memory.u32[(o + OB_TYPE) >>> 2]!);
    return type.preHeaderSize + space.sizeOf(o);
  }

  /** The bytes before `o` that {@link ObjectModel.sizeOf} counts (GC head, managed dict). */
  preHeaderSize(o: number): number {
    const space = this.host.space;
    return space.types.get(space.memory.u32[(o + OB_TYPE) >>> 2]!).preHeaderSize;
  }

  /** The objects `o` refers to, in its traversal order (`gc.get_referents`). */
  referents(o: number): number[] {
    const type = this.host.space.types.get(this.host.space.memory.u32[(o + OB_TYPE) >>> 2]!);
    const out: number[] = [];
    if (type.traverse === undefined) return out;
    const outer = this.#referents;
    this.#referents = out;
    try {
      type.traverse(o, this.#collect, 0);
    } finally {
      this.#referents = outer;
    }
    return out;
  }

  // --------------------------------------------------------------- lifecycle

  /**
   * tp_free, with CPython's free lists: the object's kind frees the blocks it still owns (item
   * array, key table, values: dealloc has not run when a tracing collector sweeps without
   * reference counts) and parks the object if its free list has room, else releases it.
   */
  free(o: number): void {
    this.#table.free(o);
  }

  /**
   * {@link free} as one function, for the strategy's free hook, which calls it once per death:
   * the kind table's, bound, without the method look-ups in between.
   */
  freeFunction(): (o: number) => void {
    return this.#table.freeFunction();
  }
}

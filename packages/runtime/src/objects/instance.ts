// Instances of user classes: CPython 3.11's plain object with a managed dict, whose attribute
// values live in a values block indexed by the class's shared key table. Every class is a type
// of its own in the registry; all of them are this one kind. A class's key table is shared and
// bounded as CPython's (SHARED_KEYS_MAX_SIZE): an instance that needs a name the full table cannot
// take gets a real dict, which is a container of its own.

import { OB_TYPE, type TypeDescriptor, TypeFlags, type Visit } from "@mm/heap";
import { raise } from "../errors.js";
import { DictKind } from "./dict.js";
import { SHARED_KEYS_MAX_SIZE, type SharedKeyTables } from "./dict-keys.js";
import type { KindTable, ObjectKind } from "./kind.js";
import { StrKind } from "./str.js";

/**
 * An instance of a class without `__slots__`: the object head and the `__weakref__` slot, with
 * 3.11's managed-dict pre-header (the dict pointer and the values pointer) in the 16 bytes
 * before the GC head. The attribute values are in a separate values block of the mem domain
 * (dict-keys.ts, `SplitValues`): one 8-byte slot per name the class's key table has or can
 * still take when the instance is made, after a prefix holding their insertion order.
 *
 * ```
 *   op - 32  +------------------------+
 *            | dict pointer           |  8   the instance's own dict, once it has one (then
 *            |                        |      the values pointer is 0)
 *   op - 24  | values     capacity    |  8 ─▶ +-----------------+ values - prefix
 *   op - 16  +------------------------+      | order, count    |  round8(cap + 2)
 *            | gc_next      gc_gen    |  8   | slot[0]         |  8   values + 0: the value of
 *   op - 8   | gc_prev      gc_refs   |  8   | ...             |      keys[i], or 0 (unset)
 *   op + 0   +------------------------+      | slot[cap - 1]   |
 *            | ob_refcnt    ob_flags  |  8   +-----------------+
 *   op + 8   | ob_type      weaklist  |  8
 *   op + 16  | __weakref__            |  8   (the list head is kept in ob_weaklist)
 *   op + 24  +------------------------+
 *   sys.getsizeof = 16 (pre-header) + 16 (GC head) + 24 = 56, whatever its attributes
 * ```
 *
 * The class's key table is CPython's cached keys (`ht_cached_keys`): at most 30 names
 * (`SHARED_KEYS_MAX_SIZE`), and its room (`dk_usable`) shrinks by one at every instance made
 * while more than one is left (`init_inline_values`), so that later instances get smaller
 * values arrays. Reading `__dict__`, or a name the table has no room for, gives the instance
 * its own dict (`make_dict_from_instance_attributes`): a split dict that takes the values block
 * over and reads its keys from the class's table; the instance keeps it (the dict pointer set,
 * the values pointer 0), and from then on its attributes are that dict's items. A name the
 * split dict cannot take either makes it combined (dict.ts).
 */
export const Instance = {
  basicSize: 24,
  extraPreHeader: 16,
  /** The values block's address, in the managed-dict pre-header. */
  values: -24,
  /**
   * The values block's capacity (u32), in the upper half of the values pointer's 8 bytes
   * (addresses here are 32-bit): what the collector's pointer map counts the slots by.
   */
  capacity: -20,
  /** The instance's own dict, once its class's key table had no room for a name. */
  dict: -32,
} as const;

export { SHARED_KEYS_MAX_SIZE };

/**
 * The values block of an instance: its capacity, then the slots, by key-table index (then
 * their insertion order: dict-keys.ts, `SplitValues`).
 */
export const Values = { slots: 0 } as const;

// biome-ignore lint/suspicious/noConstEnum: local to this module, so every compiler inlines it.
const enum At {
  Dict = -32,
  Values = -24,
  Capacity = -20,
  Slots = 0,
}

/** A user class: its `__del__`, and whether it has a legacy (`tp_del`) finalizer. */
export interface ClassSpec {
  readonly name: string;
  /** `__del__(self)`; runs once per object (PEP 442). */
  readonly del?: (self: number) => void;
  /** A legacy finalizer: in a cycle, the instance goes to `gc.garbage` and is never freed. */
  readonly legacyDel?: (self: number) => void;
  /**
   * The class's type object in the heap, when the class is one (a front end's heap type):
   * every instance holds a reference to it, taken when the instance is made and dropped after
   * its memory is freed, and traversals visit it after the attributes (`subtype_traverse`).
   * @defaultValue `0` (no type object: instances refer to nothing but their attributes)
   */
  readonly typeObject?: number;
  /**
   * Reference fields after the `__weakref__` slot, at {@link Instance.basicSize} + 8 × i: the
   * `__slots__` of slotted bases of a class that itself gives its instances a dict (`class
   * B(A)` with `A.__slots__ = ("a",)` is 64 bytes in 3.11, not 56). They are visited and
   * released before the dict or the values, as `subtype_traverse` and `subtype_dealloc` do.
   * @defaultValue `0`
   */
  readonly fields?: number;
}

/** A registered user class. */
export interface PythonClass {
  readonly name: string;
  readonly type: TypeDescriptor;
  /** Attribute names in first-set order: the class's shared keys. */
  readonly keys: string[];
  /** Its reference fields ({@link ClassSpec.fields}), at {@link Instance.basicSize} + 8 × i. */
  readonly fields: number;
}

/** The kind of every user class's instances. */
export class InstanceKind implements ObjectKind {
  readonly name = "instance";
  readonly #table: KindTable;
  /** Classes by type id. */
  readonly #classes: Array<PythonClass | undefined> = [];
  /** The hooks every class shares (one set of functions, not one per class). */
  readonly #traverse: (o: number, visit: Visit, arg: number) => number;
  readonly #clear: (o: number) => void;
  readonly #dicts: DictKind;
  /** The classes' key tables (`ht_cached_keys`) and the values blocks they index. */
  readonly #shared: SharedKeyTables;
  readonly #strs: StrKind;
  /** The values that clears have taken out of their slots and not yet released (a stack). */
  readonly #held: number[] = [];
  /** The top of {@link #held}: the values at and above it are released already. */
  #heldTop = 0;
  /** By type id: the class's type object ({@link ClassSpec.typeObject}), or 0/absent. */
  readonly #typeObjects: number[] = [];
  /** By type id: the class's fields ({@link ClassSpec.fields}), or 0/absent. */
  readonly #fields: number[] = [];
  /** By type id: the strs of names outside the class's table, made once (held for its life). */
  readonly #names: Array<Map<string, number> | undefined> = [];

  constructor(table: KindTable) {
    this.#table = table;
    this.#dicts = table.get(DictKind);
    this.#shared = this.#dicts.shared;
    this.#strs = table.get(StrKind);
    const memory = table.memory;
    // subtype_traverse over the values: slot order, which is the key table's; then the class,
    // when it is a heap object (a heap type, which each instance holds a reference to).
    const typeObjects = this.#typeObjects;
    const fieldCounts = this.#fields;
    this.#traverse = (o, visit, arg) => {
      const u32 = memory.u32;
      // traverse_slots: the slotted bases' fields come first.
      const fields = fieldCounts[u32[(o + OB_TYPE) >>> 2]!];
      if (fields !== undefined) {
        for (let i = 0; i < fields; i++) {
          const v = u32[(o + Instance.basicSize + 8 * i) >>> 2]!;
          if (v !== 0 && visit(v, arg) !== 0) return 1;
        }
      }
      // subtype_traverse visits the instance's dict when it has one, its values otherwise.
      const dict = u32[(o + At.Dict) >>> 2]!;
      if (dict !== 0 && visit(dict, arg) !== 0) return 1;
      const values = u32[(o + At.Values) >>> 2]!;
      if (values !== 0) {
        const capacity = u32[(o + At.Capacity) >>> 2]!;
        for (let i = 0; i < capacity; i++) {
          const value = u32[(values + At.Slots + 8 * i) >>> 2]!;
          if (value !== 0 && visit(value, arg) !== 0) return 1;
        }
      }
      const typeObject = typeObjects[u32[(o + OB_TYPE) >>> 2]!];
      if (typeObject !== undefined && typeObject !== 0 && visit(typeObject, arg) !== 0) return 1;
      return 0;
    };
    this.#clear = (o) => this.#clearAttributes(o);
  }

  /** Registers a user class; its instances are 56 bytes as `sys.getsizeof` reports in 3.11. */
  define(spec: ClassSpec): PythonClass {
    const table = this.#table;
    const types = table.host.space.types;
    const del = spec.del;
    const legacy = spec.legacyDel;
    let registered = spec.name;
    for (let n = 2; types.byName(registered); n++) registered = `${spec.name}#${n}`;
    const clear = this.#clear;
    const fields = spec.fields ?? 0;
    const fieldOffsets = Array.from({ length: fields }, (_, i) => Instance.basicSize + 8 * i);
    const type = table.register(
      {
        name: registered,
        basicSize: Instance.basicSize + 8 * fields,
        extraPreHeaderSize: Instance.extraPreHeader,
        flags:
          TypeFlags.Gc |
          TypeFlags.Weakrefable |
          (del ? TypeFlags.HasFinalizer : 0) |
          (legacy ? TypeFlags.LegacyFinalizer : 0),
        // The dict (when the instance has one), then the values block's slots, by key-table
        // index; its capacity is in the block. At most one of the two is there.
        pointers: {
          fields: [...fieldOffsets, Instance.dict],
          items: {
            block: Instance.values,
            count: Instance.capacity,
            first: Values.slots,
          },
        },
        traverse: this.#traverse,
        ...(spec.typeObject ? { typeObject: spec.typeObject } : {}),
        clear,
        // subtype_dealloc drops the dict, or else the values in slot order (the pointer map's
        // order), and frees the values block after them (`free`): reference counting may
        // release an instance in place, unless a finalizer has to run first.
        ...(del || legacy ? {} : { release: "pointers" as const }),
        dealloc: legacy
          ? (o) => {
              try {
                legacy(o);
              } catch (error) {
                table.host.unraisable(error, `<function ${table.typeName(o)}.__del__>`);
              }
              clear(o);
            }
          : clear,
        ...(del
          ? {
              finalize: (o: number) => {
                try {
                  del(o);
                } catch (error) {
                  table.host.unraisable(error, `<function ${spec.name}.__del__>`);
                }
              },
            }
          : {}),
      },
      this,
      // `free`, as data: the values block (its order before it), the capacity and dict fields.
      { block: At.Values, blockPrefixed: true, zero: [At.Capacity, At.Dict] },
    );
    this.#typeObjects[type.id] = type.typeObject;
    if (fields > 0) this.#fields[type.id] = fields;
    const cls: PythonClass = { name: spec.name, type, keys: [], fields };
    this.#classes[type.id] = cls;
    this.#shared.define(type.id, cls.keys);
    return cls;
  }

  /** The class of an instance, or undefined for other kinds. */
  classOf(o: number): PythonClass | undefined {
    return this.#classes[this.#table.memory.u32[(o + OB_TYPE) >>> 2]!];
  }

  typeName(o: number): string {
    return this.classOf(o)!.name;
  }

  /** `Cls()`: a new instance with no attributes (tracked, counted). */
  create(cls: PythonClass): number {
    const id = cls.type.id;
    const o = this.#table.alloc(id, 0);
    // init_inline_values: each instance takes one from the key table's room while more than
    // one is left, so that a class with many instances gives each a smaller values array, and
    // gets its values block at once, with a slot for every name the table has or can still
    // take (shared_keys_usable_size). The table's names plus its room only shrink from then on,
    // so every name the table takes later has a slot in this block.
    this.#shared.takeInstance(id);
    this.#grow(o, 0, this.#shared.usableSize(id));
    this.#table.host.track(o);
    return o;
  }

  /**
   * The class's key table: its names in first-set order and the room left (`dk_usable`); a
   * name it has no room for gives an instance its own dict.
   */
  keyTable(cls: PythonClass): { readonly names: readonly string[]; readonly usable: number } {
    return { names: [...cls.keys], usable: this.#shared.usable(cls.type.id) };
  }

  /** The instance's own dict (borrowed), or 0 while its attributes are in the key table. */
  dictOf(o: number): number {
    return this.#table.memory.u32[(o + At.Dict) >>> 2]!;
  }

  /** `o.name` (borrowed), or 0 when it has no such attribute. */
  getAttr(o: number, name: string): number {
    const cls = this.#require(o, name);
    const u32 = this.#table.memory.u32;
    const dict = u32[(o + At.Dict) >>> 2]!;
    if (dict !== 0) return this.#dictGet(dict, cls, name);
    const index = cls.keys.indexOf(name);
    const values = u32[(o + At.Values) >>> 2]!;
    if (index < 0 || values === 0 || index >= u32[(o + At.Capacity) >>> 2]!) return 0;
    return u32[(values + At.Slots + 8 * index) >>> 2]!;
  }

  /** `o.name = value`; a new name joins the end of the class's key table. */
  setAttr(o: number, name: string, value: number): void {
    const cls = this.#require(o, name);
    const table = this.#table;
    const dict = table.memory.u32[(o + At.Dict) >>> 2]!;
    if (dict !== 0) {
      this.#dictSet(dict, cls, name, value);
      return;
    }
    const index = this.#shared.insert(cls.type.id, name);
    if (index < 0) {
      // The key table is full: the instance gets its own dict, then the name goes there.
      this.#dictSet(this.#materialize(o, cls), cls, name, value);
      return;
    }
    let values = table.memory.u32[(o + At.Values) >>> 2]!;
    if (values === 0 || index >= table.memory.u32[(o + At.Capacity) >>> 2]!) {
      values = this.#grow(o, values, Math.max(cls.keys.length, 4));
    }
    const slot = (values + At.Slots + 8 * index) >>> 2;
    const old = table.memory.u32[slot]!;
    table.host.incref(value);
    table.memory.u32[slot] = value;
    // _PyDictValues_AddToInsertionOrder: a new attribute is the last in `__dict__`'s order.
    if (old === 0) this.#shared.addToOrder(values, index);
    else table.host.decref(old);
  }

  /**
   * The index of `name` in the class's key table, or -1 while the table lacks it. A table only
   * grows at its end, so an index stays its name's for the class's life: a front end can keep
   * it (an attribute access's inline cache, as CPython 3.11's LOAD_ATTR_INSTANCE_VALUE keeps
   * the index) and use it with {@link InstanceKind.getAt} and {@link InstanceKind.setAt}.
   */
  keyIndex(cls: PythonClass, name: string): number {
    return cls.keys.indexOf(name);
  }

  /** How many names the class's key table has: a name it lacks stays absent while this holds. */
  keyCount(cls: PythonClass): number {
    return cls.keys.length;
  }

  /**
   * The value of key `index` of an instance of a class with a key table (borrowed): 0 when it
   * has none there (or `index` is -1), -1 when the instance keeps its attributes in a dict of
   * its own, which only the lookup by name reads.
   */
  getAt(o: number, index: number): number {
    const u32 = this.#table.memory.u32;
    if (u32[(o + At.Dict) >>> 2] !== 0) return -1;
    const values = u32[(o + At.Values) >>> 2]!;
    if (index < 0 || values === 0 || index >= u32[(o + At.Capacity) >>> 2]!) return 0;
    return u32[(values + At.Slots + 8 * index) >>> 2]!;
  }

  /**
   * `o.name = value` for the name at `index` of the class's key table, as
   * {@link InstanceKind.setAttr} stores it, taking the caller's reference to `value` (as
   * STORE_ATTR_INSTANCE_VALUE does): false, having done nothing (the reference still the
   * caller's), when the instance keeps its attributes in a dict of its own or its values block
   * has no slot `index` (the store by name then grows the block or makes the dict).
   */
  setAt(o: number, index: number, value: number): boolean {
    const table = this.#table;
    const u32 = table.memory.u32;
    if (u32[(o + At.Dict) >>> 2] !== 0) return false;
    const values = u32[(o + At.Values) >>> 2]!;
    if (values === 0 || index >= u32[(o + At.Capacity) >>> 2]!) return false;
    const slot = (values + At.Slots + 8 * index) >>> 2;
    const old = u32[slot]!;
    u32[slot] = value;
    if (old === 0) this.#shared.addToOrder(values, index);
    else table.host.decref(old);
    return true;
  }

  /**
   * `del o.name`. As in 3.11, deleting a name the class has never seen still enters it in the
   * key table (which fixes the order later attributes are released in), then raises.
   */
  delAttr(o: number, name: string): void {
    const cls = this.#require(o, name);
    const missing = (): never =>
      raise("AttributeError", `'${cls.name}' object has no attribute '${name}'`);
    const dict = this.dictOf(o);
    if (dict !== 0) {
      if (this.#dictGet(dict, cls, name) === 0) missing();
      this.#dictDelete(dict, cls, name);
      return;
    }
    // A full table takes no new name: as for a store, the instance gets its own dict first,
    // and then the name is not in it.
    const index = this.#shared.insert(cls.type.id, name);
    if (index < 0) {
      this.#materialize(o, cls);
      missing();
    }
    const old = this.getAttr(o, name);
    if (old === 0) missing();
    const u32 = this.#table.memory.u32;
    const values = u32[(o + At.Values) >>> 2]!;
    u32[(values + At.Slots + 8 * index) >>> 2] = 0;
    this.#shared.deleteFromOrder(values, index);
    this.#table.host.decref(old);
  }

  /**
   * `o.__dict__` (`PyObject_GenericGetDict`): the instance's dict, a new reference. The first
   * read makes it from the values block (`make_dict_from_instance_attributes`: a split dict
   * over the class's key table that takes the block over), and the instance keeps it, so that
   * every later read gives the same dict.
   */
  dict(o: number): number {
    const cls = this.#require(o, "__dict__");
    let dict = this.dictOf(o);
    if (dict === 0) dict = this.#materialize(o, cls);
    this.#table.host.incref(dict);
    return dict;
  }

  /** The attributes in the order they were set, as `__dict__` lists them: [name, value] (borrowed). */
  attributes(o: number): Array<[string, number]> {
    const cls = this.classOf(o);
    const u32 = this.#table.memory.u32;
    const dict = cls ? u32[(o + At.Dict) >>> 2]! : 0;
    if (dict !== 0) {
      return this.#dicts.entries(dict).map(([key, value]) => [this.#strs.value(key), value]);
    }
    const values = u32[(o + At.Values) >>> 2]!;
    if (!cls || values === 0) return [];
    const out: Array<[string, number]> = [];
    for (const index of this.#shared.order(values)) {
      // A slot tp_clear emptied stays in the order (as in CPython); it is no attribute.
      const value = u32[(values + At.Slots + 8 * index) >>> 2]!;
      if (value !== 0) out.push([cls.keys[index]!, value]);
    }
    return out;
  }

  /**
   * subtype_dealloc's end: frees the values block if dealloc did not (an in-place release, which
   * leaves the emptied block for here, or a tracing sweep). The free plan given at registration
   * says the same, for the table to run without this call.
   */
  free(o: number): void {
    const table = this.#table;
    const u32 = table.memory.u32;
    const values = u32[(o + At.Values) >>> 2]!;
    u32[(o + At.Values) >>> 2] = 0;
    u32[(o + At.Capacity) >>> 2] = 0;
    // A dict left here was swept beside the instance (no counts): it is not this one's to free.
    u32[(o + At.Dict) >>> 2] = 0;
    if (values !== 0) this.#shared.freeValues(values);
    table.release(o);
  }

  /**
   * tp_clear (subtype_clear): releases the attributes in key-table order (3.11 keeps the values
   * inline), or drops the instance's dict when it has one (`Py_CLEAR`).
   */
  #clearAttributes(o: number): void {
    const table = this.#table;
    // clear_slots first: the slotted bases' fields, each emptied before its decref.
    const fields = this.#fields[table.memory.u32[(o + OB_TYPE) >>> 2]!];
    if (fields !== undefined) {
      for (let i = 0; i < fields; i++) {
        const at = (o + Instance.basicSize + 8 * i) >>> 2;
        const v = table.memory.u32[at]!;
        if (v === 0) continue;
        table.memory.u32[at] = 0;
        table.host.decref(v);
      }
    }
    const dict = table.memory.u32[(o + At.Dict) >>> 2]!;
    if (dict !== 0) {
      table.memory.u32[(o + At.Dict) >>> 2] = 0;
      table.host.decref(dict);
    }
    const values = table.memory.u32[(o + At.Values) >>> 2]!;
    if (values === 0) return;
    const u32 = table.memory.u32;
    const capacity = u32[(o + At.Capacity) >>> 2]!;
    // Every slot is emptied before the first decref, so a finalizer sees no half-cleared object.
    // The values wait on one stack that every clear shares (a clear that a decref below starts
    // pushes above this one's and is done, its part popped, before the next decref here), so a
    // death makes no array of its own.
    // The stack's top is kept apart from the array's length, which is never shortened (a write
    // to `length` is a call into the engine): entries above the top are stale.
    const held = this.#held;
    const base = this.#heldTop;
    let top = base;
    for (let index = 0; index < capacity; index++) {
      const at = (values + At.Slots + 8 * index) >>> 2;
      const value = u32[at]!;
      if (value !== 0) {
        held[top++] = value;
        u32[at] = 0;
      }
    }
    if (top === base) return;
    this.#heldTop = top;
    const host = table.host;
    try {
      for (let k = base; k < top; k++) host.decref(held[k]!);
    } finally {
      this.#heldTop = base;
    }
  }

  #require(o: number, name: string): PythonClass {
    const cls = this.classOf(o);
    if (!cls) {
      raise("AttributeError", `'${this.#table.typeName(o)}' object has no attribute '${name}'`);
    }
    return cls;
  }

  /**
   * The str of a name as a key of the instance's dict (borrowed): the class's table's str for
   * one of its names; for another, a str made once per class and held for its life (CPython's
   * attribute names are the code's interned strs, which live as long).
   */
  #key(cls: PythonClass, name: string): number {
    const id = cls.type.id;
    const index = this.#shared.indexOf(id, name);
    if (index >= 0) return this.#shared.keyStr(id, index);
    let names = this.#names[id];
    if (names === undefined) {
      names = new Map();
      this.#names[id] = names;
    }
    let s = names.get(name);
    if (s === undefined) {
      s = this.#strs.create(name);
      names.set(name, s);
    }
    return s;
  }

  /** `dict[name]` of the instance's dict (borrowed), or 0. */
  #dictGet(dict: number, cls: PythonClass, name: string): number {
    return this.#dicts.get(dict, this.#key(cls, name));
  }

  /** `dict[name] = value` into the instance's dict (split while the class's table has room). */
  #dictSet(dict: number, cls: PythonClass, name: string, value: number): void {
    this.#dicts.set(dict, this.#key(cls, name), value);
  }

  /** `del dict[name]` of the instance's dict, which has it. */
  #dictDelete(dict: number, cls: PythonClass, name: string): void {
    this.#dicts.delete(dict, this.#key(cls, name));
  }

  /**
   * make_dict_from_instance_attributes: the instance's own dict, a split dict that takes its
   * values block over (one is made, empty, for an instance that has had no attribute yet);
   * the instance keeps the dict from then on and has no values block any more.
   */
  #materialize(o: number, cls: PythonClass): number {
    const table = this.#table;
    let values = table.memory.u32[(o + At.Values) >>> 2]!;
    if (values === 0) values = this.#grow(o, 0, Math.max(cls.keys.length, 4));
    const capacity = table.memory.u32[(o + At.Capacity) >>> 2]!;
    const dict = this.#dicts.fromValues(values, capacity, cls.type.id);
    // Read after the dict's allocation, which may have grown the heap.
    const u32 = table.memory.u32;
    u32[(o + At.Values) >>> 2] = 0;
    u32[(o + At.Capacity) >>> 2] = 0;
    u32[(o + At.Dict) >>> 2] = dict;
    return dict;
  }

  /**
   * The instance's values block with room for `capacity` slots (a new one when `values` is 0),
   * its capacity kept in the pre-header: the block itself has no room for it.
   */
  #grow(o: number, values: number, capacity: number): number {
    let grown: number;
    let slots = capacity;
    if (values === 0) grown = this.#shared.newValues(capacity);
    else {
      const old = this.#table.memory.u32[(o + At.Capacity) >>> 2]!;
      slots = Math.max(capacity, old);
      grown = this.#shared.growValues(values, old, slots);
    }
    const u32 = this.#table.memory.u32;
    u32[(o + At.Values) >>> 2] = grown;
    u32[(o + At.Capacity) >>> 2] = slots;
    return grown;
  }
}

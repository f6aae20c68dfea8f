// Instances of classes that derive from a built-in type (list, dict, set, int, float, str,
// tuple, weakref.ref): the built-in object, laid out as its base lays it out, with what
// `type_new` adds after the base's basic size (the `__slots__` fields, the `__weakref__` slot
// when the base has none and may have one) and, when the class gives its instances a
// `__dict__`, 3.11's managed-dict pre-header before the GC head, or for a variable-size base
// (int, tuple) a dict slot after the items (`tp_dictoffset` -8). Every such class is a type of
// its own in the registry; all of them are this one kind, which hands the built-in part to the
// base's kind.

import { OB_SIZE, OB_TYPE, type TypeDescriptor, TypeFlags, type Visit } from "@mm/heap";
import { DictKind } from "./dict.js";
import { FloatKind } from "./float.js";
import { digitsOf, IntKind, writeInt } from "./int.js";
import type { KindTable, ObjectKind } from "./kind.js";
import { ListKind } from "./list.js";
import { NativeKind, type NativeTypeInfo } from "./native.js";
import { SetKind } from "./set.js";
import { Str, StrKind } from "./str.js";
import { TupleKind } from "./tuple.js";
import { WeakrefKind } from "./weakref.js";

/** The built-in types a class may derive from here. */
export type SubtypeBase =
  | "list"
  | "dict"
  | "set"
  | "frozenset"
  | "bytes"
  | "int"
  | "float"
  | "str"
  | "tuple"
  | "weakref"
  | "native";

/** The bases whose objects vary in size (`tp_itemsize` ≠ 0): int, tuple and bytes. */
const VAR_SIZED: ReadonlySet<SubtypeBase> = new Set(["int", "tuple", "bytes"]);

/**
 * `bytes`' `tp_basicsize` (PyBytesObject_SIZE: the header, the length, the cached hash and the
 * NUL); its native type is the embedder's (named "bytes"), whose basic size leaves the NUL to
 * the items.
 */
const BYTES_BASIC_SIZE = 33;

/**
 * What a new instance of a subclass holds (`base.__new__(cls, value)`): an int's value, a
 * float's, a str's, a tuple's items (borrowed; the instance takes its own references). list,
 * dict and set instances start empty.
 */
export type SubtypeValue = number | bigint | string | readonly number[];

/**
 * A class deriving from a built-in type. Its instances are the base's object, then `fields`
 * 8-byte reference slots (`__slots__`), then the `__weakref__` slot when {@link weakref} asks
 * for one and the base has none (set has its own), and, with {@link dict}, the managed-dict
 * pre-header: `class L(list): pass` is 16 + 16 + 40 + 8 = 80 bytes, as `sys.getsizeof(L())`.
 *
 * ```
 *   op - 32  | dict pointer           |  8   (with `dict`) the instance's dict, made on first use
 *   op - 24  | values (unused)        |  8   a built-in base's tp_new makes no inline values
 *   op - 16  | PyGC_Head              | 16
 *   op + 0   | the base's object      |  base.basicSize
 *            | __slots__ fields       |  8 × fields
 *            | __weakref__            |  8   (unless the base has a weak reference list)
 * ```
 *
 * int and tuple vary in size, and CPython gives their subclasses neither a `__weakref__` slot
 * nor `__slots__` fields; the dict pointer follows the items, at `_PyObject_VAR_SIZE(type,
 * |ob_size|) - 8`, and every instance is allocated with one item more than it holds
 * (`PyType_GenericAlloc`'s sentinel): `class I(int): pass` is 24 + 8 bytes, `I(5)` a block of
 * 40 after its GC head. A str subclass's instance is a 80-byte `PyUnicodeObject` whose
 * characters are in a block of their own (not compact).
 */
export interface SubtypeSpec {
  /** `__name__` (two classes may share it). */
  readonly name: string;
  readonly base: SubtypeBase;
  /**
   * For base `"native"`: the front end's native type (a bytearray, an array) the class derives
   * from. Its instances are that type's object (its fields, its `onFree`, its `__sizeof__`),
   * then what `type_new` adds; a subclass is a container even when its base is not
   * (`Py_TPFLAGS_HAVE_GC`, as every heap type with a dict or slots).
   */
  readonly native?: NativeTypeInfo;
  /** How many `__slots__` fields the class (and its bases between it and the built-in) adds. */
  readonly fields: number;
  /** Whether instances have a `__dict__` (no `__slots__`, or `__dict__` among them). */
  readonly dict: boolean;
  /** Whether instances take weak references (no `__slots__`, or `__weakref__` among them). */
  readonly weakref: boolean;
  /** `__del__(self)`; runs once per object (PEP 442). */
  readonly del?: (self: number) => void;
  /**
   * The class's type object in the heap: every instance holds a reference to it, and
   * traversals visit it after the fields and the dict, before the base's references
   * (`subtype_traverse`).
   */
  readonly typeObject: number;
  /**
   * Whether the class keeps its base's hashing and equality (it overrides neither `__hash__`
   * nor `__eq__`), so that dict and set keys hash and compare by value, as the base's do. For
   * int, float, str and tuple; otherwise keys of the class go through the key protocol.
   * @defaultValue `true`
   */
  readonly keys?: boolean;
}

/** A registered subclass of a built-in type. */
export interface Subtype {
  readonly name: string;
  readonly base: SubtypeBase;
  /** The native base type, for base `"native"`. */
  readonly native?: NativeTypeInfo;
  readonly type: TypeDescriptor;
  /** Byte offset of the first `__slots__` field (the base's basic size). */
  readonly fieldsAt: number;
  readonly fields: number;
  readonly dict: boolean;
  /** Where an instance keeps its dict pointer (meaningful when {@link dict}). */
  readonly dictAt: (o: number) => number;
}

/** Byte offset of the managed dict pointer, in the pre-header (as an instance's). */
const DICT = -32;

/** The kind of every instance of a subclass of a built-in type. */
export class SubtypeKind implements ObjectKind {
  readonly name = "subtype";
  readonly #table: KindTable;
  readonly #list: ListKind;
  readonly #dict: DictKind;
  readonly #set: SetKind;
  readonly #int: IntKind;
  readonly #float: FloatKind;
  readonly #str: StrKind;
  readonly #tuple: TupleKind;
  /** Subclasses by type id. */
  readonly #subtypes: Array<Subtype | undefined> = [];

  constructor(table: KindTable) {
    this.#table = table;
    this.#list = table.get(ListKind);
    this.#dict = table.get(DictKind);
    this.#set = table.get(SetKind);
    this.#int = table.get(IntKind);
    this.#float = table.get(FloatKind);
    this.#str = table.get(StrKind);
    this.#tuple = table.get(TupleKind);
  }

  #baseType(base: SubtypeBase, native?: NativeTypeInfo): TypeDescriptor {
    switch (base) {
      case "native":
        if (native === undefined || !this.#table.get(NativeKind).owns(native))
          throw new TypeError("defineSubtype: a 'native' base needs a native type of this runtime");
        return native.type;
      case "list":
        return this.#list.type;
      case "dict":
        return this.#dict.type;
      case "set":
        return this.#set.type;
      case "frozenset":
        return this.#set.frozenType;
      case "int":
        return this.#int.type;
      case "float":
        return this.#float.type;
      case "str":
        return this.#str.type;
      case "tuple":
        return this.#tuple.type;
      case "weakref":
        return this.#table.get(WeakrefKind).type;
      case "bytes": {
        // The embedder's native bytes type (defineType({ name: "bytes", … })).
        const bytes = this.#table.host.space.types.byName("bytes");
        if (bytes === undefined) throw new TypeError("defineSubtype: no 'bytes' type is defined");
        return bytes;
      }
      default:
        throw new TypeError(`defineSubtype: cannot subclass '${String(base)}'`);
    }
  }

  /**
   * Registers a subclass of a built-in type.
   * @throws TypeError for an unknown base, or `__slots__` fields on int or tuple (CPython's
   *   "nonempty __slots__ not supported for subtype of 'int'")
   */
  define(spec: SubtypeSpec): Subtype {
    const table = this.#table;
    const types = table.host.space.types;
    const base = this.#baseType(spec.base, spec.native);
    const varSized = VAR_SIZED.has(spec.base);
    if (varSized && spec.fields > 0)
      throw new TypeError(`nonempty __slots__ not supported for subtype of '${spec.base}'`);
    // set has its own weak reference list (in its basic size); int and tuple may have none
    // (type_new's may_add_weak); list, dict, float, str and weakref get the slot.
    const setLike = spec.base === "set" || spec.base === "frozenset";
    // A native base that takes weak references has its own list (tp_weaklistoffset), as set.
    const ownWeaklist =
      setLike || (spec.base === "native" && (base.flags & TypeFlags.Weakrefable) !== 0);
    const addWeakref = spec.weakref && !ownWeaklist && !varSized;
    // A str subclass's object is a PyUnicodeObject, not the compact header.
    const fieldsAt =
      spec.base === "str"
        ? Str.legacySize
        : spec.base === "bytes"
          ? BYTES_BASIC_SIZE
          : base.basicSize;
    const basicSize =
      fieldsAt + 8 * spec.fields + (addWeakref ? 8 : 0) + (varSized && spec.dict ? 8 : 0);
    const itemSize = spec.base === "str" ? 0 : base.itemSize;
    let registered = spec.name;
    for (let n = 2; types.byName(registered); n++) registered = `${spec.name}#${n}`;
    const memory = table.memory;
    const host = table.host;
    const typeObject = spec.typeObject;
    const { fields, dict } = spec;
    const baseTraverse = base.traverse ?? (() => 0);
    // A native base that releases its fields in place (no dealloc of its own) has them
    // released here, in order, as its clear would.
    const nativeRefs = spec.native && !base.clear ? spec.native.refs : [];
    const clearNativeRefs = (o: number) => {
      const u32 = memory.u32;
      for (const offset of nativeRefs) {
        const at = (o + offset) >>> 2;
        const v = u32[at]!;
        if (v === 0) continue;
        u32[at] = 0;
        host.decref(v);
      }
    };
    const baseClear = base.clear ?? (nativeRefs.length > 0 ? clearNativeRefs : () => {});
    const baseName = spec.base;
    const str = this.#str;
    const baseDealloc =
      baseName === "str"
        ? (o: number) => str.freeLegacyData(o)
        : (base.dealloc ?? (nativeRefs.length > 0 ? clearNativeRefs : () => {}));
    const baseSizeOf = base.sizeOf;
    // The dict pointer: in the pre-header, or after a variable-size object's items.
    const dictAt = varSized
      ? (o: number) => {
          const n = Math.abs(memory.i32[(o + OB_SIZE) >>> 2]!);
          return o + ((basicSize + n * itemSize + 7) & ~7) - 8;
        }
      : (o: number) => o + DICT;
    // subtype_traverse: the slots, the dict, the class, then the base's tp_traverse.
    const traverse = (o: number, visit: Visit, arg: number): number => {
      const u32 = memory.u32;
      for (let i = 0; i < fields; i++) {
        const v = u32[(o + fieldsAt + 8 * i) >>> 2]!;
        if (v !== 0 && visit(v, arg) !== 0) return 1;
      }
      if (dict) {
        const d = u32[dictAt(o) >>> 2]!;
        if (d !== 0 && visit(d, arg) !== 0) return 1;
      }
      if (visit(typeObject, arg) !== 0) return 1;
      return baseTraverse(o, visit, arg);
    };
    // subtype_clear and subtype_dealloc: the slots, then the dict, then the base's own.
    const dropOwn = (o: number) => {
      const u32 = memory.u32;
      for (let i = 0; i < fields; i++) {
        const at = (o + fieldsAt + 8 * i) >>> 2;
        const v = u32[at]!;
        if (v === 0) continue;
        u32[at] = 0;
        host.decref(v);
      }
      if (dict) {
        const at = dictAt(o) >>> 2;
        const d = u32[at]!;
        if (d !== 0) {
          u32[at] = 0;
          host.decref(d);
        }
      }
    };
    const del = spec.del;
    const type = table.register(
      {
        name: registered,
        basicSize,
        itemSize,
        extraPreHeaderSize: dict && !varSized ? 16 : 0,
        flags:
          TypeFlags.Gc |
          (addWeakref || ownWeaklist ? TypeFlags.Weakrefable : 0) |
          (del ? TypeFlags.HasFinalizer : 0),
        traverse,
        typeObject,
        clear: (o) => {
          dropOwn(o);
          baseClear(o);
        },
        dealloc: (o) => {
          dropOwn(o);
          baseDealloc(o);
        },
        sizeOf: (o) => {
          switch (baseName) {
            // int_sizeof and unicode_sizeof count the base's struct, not the class's.
            case "int":
              return baseSizeOf!(o);
            case "str":
              return str.legacySize(o);
            // tuple___sizeof__ and bytes___sizeof__: the class's basic size and the items.
            case "tuple":
            case "bytes":
              return basicSize + itemSize * memory.u32[(o + OB_SIZE) >>> 2]!;
            // object.__sizeof__: the class's basic size.
            case "float":
              return basicSize;
            // The base's `__sizeof__` (a list's item array, a set's table) and the added slots.
            default:
              return (baseSizeOf ? baseSizeOf(o) : base.basicSize) + (basicSize - base.basicSize);
          }
        },
        ...(del
          ? {
              finalize: (o: number) => {
                try {
                  del(o);
                } catch (error) {
                  host.unraisable(error, `<function ${spec.name}.__del__>`);
                }
              },
            }
          : {}),
      },
      this,
    );
    // Keys of a class that overrides `__hash__` or `__eq__` go through the key protocol.
    const keys = spec.keys !== false;
    if (setLike) this.#set.adoptSubtype(type.id, keys, spec.base === "frozenset");
    else if (spec.base === "dict") {
      if (keys) this.#dict.ops.registerUnhashable(type.id);
    } else if (spec.base !== "list" && spec.base !== "native" && keys)
      this.#dict.ops.registerLike(type.id, base.id);
    const subtype: Subtype = {
      name: spec.name,
      base: spec.base,
      ...(spec.native ? { native: spec.native } : {}),
      type,
      fieldsAt,
      fields,
      dict,
      dictAt,
    };
    this.#subtypes[type.id] = subtype;
    return subtype;
  }

  /** The subclass of an object, or undefined for other kinds. */
  subtypeOf(o: number): Subtype | undefined {
    return this.#subtypes[this.#table.memory.u32[(o + OB_TYPE) >>> 2]!];
  }

  /** The subclass registered under a type id, or undefined. */
  byTypeId(typeId: number): Subtype | undefined {
    return this.#subtypes[typeId];
  }

  /**
   * A new instance (`list.__new__(L)`, `int.__new__(I, 5)`, `tuple.__new__(T, items)`…): the
   * base's empty object, or for int, float, str and tuple one holding `value`, tracked, as
   * `PyType_GenericAlloc` leaves every subclass instance (dict_new untracks exact dicts only).
   * int and tuple instances get one item more than they hold (the sentinel). An instance of a
   * subclass of weakref refers to nothing until reference counting links it to its referent.
   * @throws TypeError when `value` is not what the base holds
   */
  create(subtype: Subtype, value?: SubtypeValue): number {
    const table = this.#table;
    const id = subtype.type.id;
    const expect = (ok: boolean, what: string) => {
      if (!ok) throw new TypeError(`a '${subtype.base}' subclass instance needs ${what}`);
    };
    let o: number;
    switch (subtype.base) {
      case "int": {
        expect(typeof value === "number" || typeof value === "bigint", "an integer");
        const v = value as number | bigint;
        if (typeof v === "number" && !Number.isSafeInteger(v))
          throw new TypeError("a 'int' subclass instance needs an integer");
        // long_subtype_new: at least one digit, even for 0.
        const n = Math.max(1, digitsOf(BigInt(v)).length);
        o = table.alloc(id, n + 1);
        writeInt(table, o, v);
        break;
      }
      case "float":
        expect(typeof value === "number", "a number");
        o = table.alloc(id, 0);
        table.memory.f64[(o + 16) >>> 3] = value as number;
        break;
      case "str":
        expect(typeof value === "string", "a string");
        o = table.alloc(id, 0);
        try {
          this.#str.initializeLegacy(o, value as string);
        } catch (error) {
          table.host.release(o);
          throw error;
        }
        break;
      case "tuple": {
        const items = value ?? [];
        expect(Array.isArray(items), "an array of items");
        const refs = items as readonly number[];
        o = table.alloc(id, refs.length + 1);
        const u32 = table.memory.u32;
        u32[(o + OB_SIZE) >>> 2] = refs.length;
        for (let i = 0; i < refs.length; i++) {
          table.host.incref(refs[i]!);
          u32[(o + 24 + 8 * i) >>> 2] = refs[i]!;
        }
        break;
      }
      case "bytes": {
        // bytes_subtype_new: the length, the hash not computed yet (-1), the bytes and a NUL,
        // which is the item PyType_GenericAlloc adds.
        const data = value ?? [];
        expect(Array.isArray(data), "an array of byte values");
        const bytes = data as readonly number[];
        o = table.alloc(id, bytes.length + 1);
        const memory = table.memory;
        memory.u32[(o + OB_SIZE) >>> 2] = bytes.length;
        memory.u32[(o + 24) >>> 2] = 0xffffffff;
        memory.u32[(o + 28) >>> 2] = 0xffffffff;
        memory.u8.set(bytes, o + 32);
        memory.u8[o + 32 + bytes.length] = 0;
        break;
      }
      case "frozenset": {
        // frozenset_new for a subclass: an empty set filled from the items.
        const items = value ?? [];
        expect(Array.isArray(items), "an array of items");
        o = table.alloc(id, 0);
        this.#set.initialize(o);
        try {
          for (const item of items as readonly number[]) this.#set.add(o, item);
        } catch (error) {
          table.host.release(o);
          throw error;
        }
        break;
      }
      default:
        expect(value === undefined, "no value");
        o = table.alloc(id, 0);
        if (subtype.base === "dict") this.#dict.initialize(o);
        else if (subtype.base === "set") this.#set.initialize(o);
    }
    // PyType_GenericAlloc zeroes the whole rounded-up object; the allocation here zeroes its
    // exact size, and a variable-size object's dict pointer may sit in the rounding after it.
    if (subtype.dict) table.memory.u32[subtype.dictAt(o) >>> 2] = 0;
    table.host.track(o);
    return o;
  }

  /**
   * The instance's `__dict__`, borrowed: made empty on first use (`_PyObject_GetDictPtr`'s
   * lazily made dict) unless `create` is false. 0 when the class gives its instances none (or
   * it has none yet and `create` is false).
   */
  dict(o: number, create = true): number {
    const subtype = this.subtypeOf(o);
    if (subtype === undefined || !subtype.dict) return 0;
    const at = subtype.dictAt(o) >>> 2;
    let d = this.#table.memory.u32[at]!;
    if (d === 0 && create) {
      d = this.#dict.create();
      this.#table.memory.u32[at] = d;
    }
    return d;
  }

  typeName(o: number): string {
    return this.subtypeOf(o)!.name;
  }

  /**
   * `tp_free` after the base's dealloc: the base's blocks go (a list's item array, a dict's key
   * table, a set's table) and the object is released; the base kinds park exact instances only
   * (tuple and float, whose free lists would take a subclass's block, are not asked).
   */
  free(o: number): void {
    const subtype = this.subtypeOf(o)!;
    if (subtype.base === "list") this.#list.free(o);
    else if (subtype.base === "dict") this.#dict.free(o);
    else if (subtype.base === "set" || subtype.base === "frozenset") this.#set.free(o);
    else if (subtype.base === "weakref") this.#table.get(WeakrefKind).free(o);
    else if (subtype.native?.onFree !== undefined) {
      // The native base's tp_free hook (a bytearray's buffer goes back), then the memory.
      try {
        subtype.native.onFree(o);
      } catch (error) {
        this.#table.host.unraisable(
          error,
          `<onFree of ${subtype.name} object at 0x${o.toString(16)}>`,
        );
      }
      this.#table.release(o);
    } else this.#table.release(o);
  }
}

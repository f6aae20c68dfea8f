// Instances of classes that derive from list, dict, set or weakref.ref: the built-in object, laid out as its
// base lays it out, with what `type_new` adds after the base's basic size (the `__slots__`
// fields, the `__weakref__` slot when the base has none) and, when the class gives its
// instances a `__dict__`, 3.11's managed-dict pre-header before the GC head. Every such class
// is a type of its own in the registry; all of them are this one kind, which hands the
// built-in part to the base's kind.

import { OB_TYPE, type TypeDescriptor, TypeFlags, type Visit } from "@mm/heap";
import { DictKind } from "./dict.js";
import type { KindTable, ObjectKind } from "./kind.js";
import { ListKind } from "./list.js";
import { SetKind } from "./set.js";
import { WeakrefKind } from "./weakref.js";

/** The built-in types a class may derive from here. */
export type SubtypeBase = "list" | "dict" | "set" | "weakref";

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
 */
export interface SubtypeSpec {
  /** `__name__` (two classes may share it). */
  readonly name: string;
  readonly base: SubtypeBase;
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
}

/** A registered subclass of a built-in type. */
export interface Subtype {
  readonly name: string;
  readonly base: SubtypeBase;
  readonly type: TypeDescriptor;
  /** Byte offset of the first `__slots__` field (the base's basic size). */
  readonly fieldsAt: number;
  readonly fields: number;
  readonly dict: boolean;
}

/** Byte offset of the managed dict pointer, in the pre-header (as an instance's). */
const DICT = -32;

/** The kind of every instance of a subclass of list, dict or set. */
export class SubtypeKind implements ObjectKind {
  readonly name = "subtype";
  readonly #table: KindTable;
  readonly #list: ListKind;
  readonly #dict: DictKind;
  readonly #set: SetKind;
  /** Subclasses by type id. */
  readonly #subtypes: Array<Subtype | undefined> = [];

  constructor(table: KindTable) {
    this.#table = table;
    this.#list = table.get(ListKind);
    this.#dict = table.get(DictKind);
    this.#set = table.get(SetKind);
  }

  /** Registers a subclass of a built-in type. */
  define(spec: SubtypeSpec): Subtype {
    const table = this.#table;
    const types = table.host.space.types;
    const baseKind =
      spec.base === "list"
        ? this.#list
        : spec.base === "dict"
          ? this.#dict
          : spec.base === "set"
            ? this.#set
            : table.get(WeakrefKind);
    const base = baseKind.type;
    // set has its own weak reference list (in its basic size); list, dict and weakref get the
    // slot.
    const addWeakref = spec.weakref && spec.base !== "set";
    const fieldsAt = base.basicSize;
    const basicSize = fieldsAt + 8 * spec.fields + (addWeakref ? 8 : 0);
    let registered = spec.name;
    for (let n = 2; types.byName(registered); n++) registered = `${spec.name}#${n}`;
    const memory = table.memory;
    const host = table.host;
    const typeObject = spec.typeObject;
    const { fields, dict } = spec;
    const baseTraverse = base.traverse!;
    const baseClear = base.clear!;
    const baseDealloc = base.dealloc!;
    const baseSizeOf = base.sizeOf;
    // subtype_traverse: the slots, the dict, the class, then the base's tp_traverse.
    const traverse = (o: number, visit: Visit, arg: number): number => {
      const u32 = memory.u32;
      for (let i = 0; i < fields; i++) {
        const v = u32[(o + fieldsAt + 8 * i) >>> 2]!;
        if (v !== 0 && visit(v, arg) !== 0) return 1;
      }
      if (dict) {
        const d = u32[(o + DICT) >>> 2]!;
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
        const d = u32[(o + DICT) >>> 2]!;
        if (d !== 0) {
          u32[(o + DICT) >>> 2] = 0;
          host.decref(d);
        }
      }
    };
    const del = spec.del;
    const type = table.register(
      {
        name: registered,
        basicSize,
        extraPreHeaderSize: dict ? 16 : 0,
        flags:
          TypeFlags.Gc |
          (spec.weakref || spec.base === "set" ? TypeFlags.Weakrefable : 0) |
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
        // The base's `__sizeof__` (a list's item array, a set's table) and the added slots.
        sizeOf: (o) => (baseSizeOf ? baseSizeOf(o) : base.basicSize) + (basicSize - base.basicSize),
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
    if (spec.base === "set") this.#set.adoptSubtype(type.id);
    else if (spec.base === "dict") this.#dict.ops.registerUnhashable(type.id);
    const subtype: Subtype = { name: spec.name, base: spec.base, type, fieldsAt, fields, dict };
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
   * A new, empty instance (`list.__new__(L)`, `dict.__new__(D)`, `set.__new__(S)`): the base's
   * empty object, tracked, as `PyType_GenericAlloc` leaves every subclass instance (dict_new
   * untracks exact dicts only). An instance of a subclass of weakref refers to nothing until
   * reference counting links it to its referent.
   */
  create(subtype: Subtype): number {
    const table = this.#table;
    const o = table.alloc(subtype.type.id, 0);
    if (subtype.base === "dict") this.#dict.initialize(o);
    else if (subtype.base === "set") this.#set.initialize(o);
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
    const u32 = this.#table.memory.u32;
    let d = u32[(o + DICT) >>> 2]!;
    if (d === 0 && create) {
      d = this.#dict.create();
      u32[(o + DICT) >>> 2] = d;
    }
    return d;
  }

  typeName(o: number): string {
    return this.subtypeOf(o)!.name;
  }

  /**
   * `tp_free` after the base's dealloc: the base's blocks go (a list's item array, a dict's key
   * table, a set's table) and the object is released; the base kinds park exact instances only.
   */
  free(o: number): void {
    const subtype = this.subtypeOf(o)!;
    if (subtype.base === "list") this.#list.free(o);
    else if (subtype.base === "dict") this.#dict.free(o);
    else if (subtype.base === "set") this.#set.free(o);
    else this.#table.get(WeakrefKind).free(o);
  }
}

// The interpreter's view of Python types: one `PyType` per type a program can meet, found from
// an object's header with one array read. Built-in types keep their methods in JavaScript;
// classes a program defines keep theirs in a namespace dict in the heap, as CPython's heap
// types do.

import type { ClassRef, NativeType, Ref, SubtypeRef } from "@mm/runtime";

/** A method or function written in the interpreter: arguments borrowed, result a new reference. */
export type BuiltinFn = (args: readonly Ref[], kwargs: ReadonlyMap<string, Ref> | null) => Ref;

/** What kind of object a type's instances are, for the evaluator's fast paths. */
export type TypeKind =
  | "none"
  | "bool"
  | "int"
  | "float"
  | "complex"
  | "str"
  | "bytes"
  | "tuple"
  | "list"
  | "dict"
  | "set"
  | "frozenset"
  | "function"
  | "builtin"
  | "method"
  | "cell"
  | "code"
  | "type"
  | "module"
  | "range"
  | "iterator"
  | "exception"
  | "traceback"
  | "frame"
  | "slice"
  | "generator"
  | "instance"
  | "weakref"
  | "object"
  | "super"
  | "property"
  | "staticmethod"
  | "classmethod"
  | "other";

/**
 * One remembered lookup of a name along a type's MRO (CPython's type attribute cache, which
 * type version tags keep right): what it found (borrowed, or 0), and for each class it looked
 * in, first to last, the namespace dict and that dict's version tag, or for a built-in class
 * (no dict) how many methods it had. It holds while each of those is as it was.
 */
export interface TypeLookup {
  readonly value: Ref;
  readonly classes: readonly PyType[];
  readonly dicts: readonly Ref[];
  /** Dict version tags, or method counts for classes without a dict. */
  readonly stamps: readonly number[];
}

/** A Python type as the interpreter sees it. */
export class PyType {
  readonly name: string;
  readonly kind: TypeKind;
  /** The single base (`object` has none). */
  readonly base: PyType | null;
  /** The method resolution order: this type, then its bases' (single inheritance). */
  readonly mro: PyType[];
  /** Built-in methods by name (`list.append`). */
  readonly methods = new Map<string, BuiltinFn>();
  /** The method descriptors made for {@link PyType.methods} so far (kept alive), by name. */
  readonly descriptors = new Map<string, Ref>();
  /** What lookups of names along the MRO found, with what they depended on, by name. */
  readonly lookups = new Map<string, TypeLookup>();
  /** The type object in the heap (immortal for built-in types). */
  object: Ref = 0;
  /** A class statement's namespace dict (heap types only). */
  dict: Ref = 0;
  /** The runtime class of its instances, for classes whose instances are plain objects. */
  cls: ClassRef | undefined;
  /** The native type of its instances, for built-in kinds and exception classes. */
  native: NativeType | undefined;
  /**
   * For a class deriving from list, dict or set: the runtime's view of it (its instances are
   * the built-in object with the class's extra parts), and {@link PyType.kind} is the base's.
   */
  subtype: SubtypeRef | undefined;
  /** Whether the type was made by a class statement. */
  readonly heap: boolean;
  /** `__slots__` names, when the class declares them (its instances have fixed fields). */
  slots: readonly string[] | undefined;
  /**
   * For a class whose instances have a dict as well as `__slots__` members (slots of a slotted
   * base, or its own beside a base's dict): the members' names, held in the instance's fields.
   */
  fields: readonly string[] | undefined;
  /**
   * For a subclass of an exception with `__slots__`: the byte offset in the instance of each
   * name of {@link PyType.slots}, and the instance size without the GC head.
   */
  slotOffsets: readonly number[] | undefined;
  basicSize = 0;
  /** Whether a class with `__slots__` listed `__weakref__` (its instances take weak references). */
  weakrefSlot = false;
  /** Replaces attribute lookup on its instances (CPython's tp_getattro), when set. */
  getattro: ((o: Ref, name: string) => Ref) | undefined;
  /** Replaces attribute assignment on its instances (tp_setattro), when set. */
  setattro: ((o: Ref, name: string, value: Ref) => void) | undefined;
  /** `__qualname__`: the dotted path of a class statement inside functions and classes. */
  qualname: string;
  /** The module a class statement ran in (`__module__`; heap types only). */
  module = "__main__";
  /** The interpreter's number for the type (its index in the table). */
  id = -1;

  constructor(name: string, kind: TypeKind, base: PyType | null, heap = false) {
    this.name = name;
    this.qualname = name;
    this.kind = kind;
    this.base = base;
    this.mro = base ? [this, ...base.mro] : [this];
    this.heap = heap;
  }

  /** Whether this type is `other` or derives from it. */
  isSubtype(other: PyType): boolean {
    for (const t of this.mro) if (t === other) return true;
    return false;
  }
}

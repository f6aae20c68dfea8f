// The interpreter's view of Python types: one `PyType` per type a program can meet, found from
// an object's header with one array read. Built-in types keep their methods in JavaScript;
// classes a program defines keep theirs in a namespace dict in the heap, as CPython's heap
// types do.

import type { ClassRef, NativeType, Ref, SubtypeRef } from "@mm/runtime";
import type { BinaryOp, CompareOp } from "../compile/opcodes.js";

/** What CPython's type object says of its instances' layout. */
export interface TypeLayout {
  /** `tp_basicsize`: the instance size without the GC head. */
  readonly size: number;
  /** `tp_itemsize`: the size of each item of a variable-size object (int, tuple, bytes). */
  readonly item: number;
  /** `tp_weaklistoffset`: where the weak reference list is, 0 without one. */
  readonly weak: number;
  /** Whether the instances have a `__dict__` (`tp_dictoffset` != 0). */
  readonly dict: boolean;
}

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

/**
 * The C slots of a built-in type a module defines in the interpreter (`collections.deque`):
 * what the protocols call directly instead of looking a dunder method up and calling it, as
 * CPython calls `sq_length`, `tp_iternext`, `tp_repr` and getset descriptors.
 */
export interface NativeSlots {
  /** `len(o)`. */
  readonly len?: (o: Ref) => number;
  /** `next(it)`: a new reference, or 0 when the iterator is exhausted (no StopIteration made). */
  readonly next?: (it: Ref) => Ref;
  /** `repr(o)`. */
  readonly repr?: (o: Ref) => string;
  /** `l op r` with either operand of the type: the result, or undefined when they do not compare. */
  readonly compare?: (l: Ref, r: Ref, op: CompareOp) => boolean | undefined;
  /**
   * `l op r` (`l op= r` with `inplace`) with either operand of the type: a new reference, or 0
   * when the type does not handle them (the usual rules follow).
   */
  readonly binary?: (op: BinaryOp, l: Ref, r: Ref, inplace: boolean) => Ref;
  /** Whether instances are unhashable (`tp_hash` is `PyObject_HashNotImplemented`). */
  readonly unhashable?: boolean;
  /**
   * Whether a class statement may derive from the type (Py_TPFLAGS_BASETYPE): its subclasses'
   * instances are its object with what `type_new` adds (a dict, `__weakref__`, `__slots__`),
   * and they share these slots.
   */
  readonly subclassable?: boolean;
  /**
   * Whether the object holds its own `__dict__` (classmethod's and staticmethod's `cm_dict`,
   * `tp_dictoffset` set): a subclass adds none, and its instances' attributes go there.
   */
  readonly ownDict?: boolean;
  /**
   * The type's `tp_new` for a subclass, when it fills the object from the constructor's
   * arguments (array_new): makes the object with `make` (a new, empty instance of the
   * subclass), then fills it. Without it a subclass's instance starts empty and `__init__`
   * fills it (bytearray_init).
   */
  readonly newSubclass?: (
    make: () => Ref,
    args: readonly Ref[],
    kwargs: ReadonlyMap<string, Ref> | null,
  ) => Ref;
  /**
   * For a hashable instance that hashes as the bytes it shows (a read-only memoryview): those
   * bytes, or CPython's error.
   */
  readonly hashData?: (o: Ref) => Uint8Array;
  /** A data attribute of the type's instances (a new reference), or 0 when it has none by that name. */
  readonly getattr?: (o: Ref, name: string) => Ref;
}

/** A Python type as the interpreter sees it. */
export class PyType {
  /** `__name__` (a class statement's may be assigned later). */
  name: string;
  readonly kind: TypeKind;
  /**
   * The base whose layout its instances extend (`__base__`, CPython's tp_base: of several
   * bases, the best base); `object` has none.
   */
  readonly base: PyType | null;
  /** The bases a class statement named (`__bases__`), or the single base. */
  readonly bases: readonly PyType[];
  /** The method resolution order: this type, then the C3 merge of its bases' MROs. */
  readonly mro: PyType[];
  /** What CPython's type object says of its instances' layout, to tell which bases combine. */
  layout: TypeLayout = { size: 16, item: 0, weak: 0, dict: false };
  /** The nearest class of its base chain that its instances are laid out as (solid_base). */
  solid: PyType = this;
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
  /**
   * For a class deriving from a built-in type a module defines (bytearray, array.array): that
   * type, whose native layout its instances extend and whose {@link PyType.slotHooks} it shares.
   */
  nativeRoot: PyType | undefined;
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
  /** The C slots of a built-in type a module defines ({@link NativeSlots}). */
  slotHooks: NativeSlots | undefined;

  /**
   * @param bases the bases a class statement named, when more than `base`
   * @param mroTail its MRO after itself, when more than `base`'s
   */
  constructor(
    name: string,
    kind: TypeKind,
    base: PyType | null,
    heap = false,
    bases?: readonly PyType[],
    mroTail?: readonly PyType[],
  ) {
    this.name = name;
    this.qualname = name;
    this.kind = kind;
    this.base = base;
    this.bases = bases ?? (base ? [base] : []);
    this.mro = mroTail ? [this, ...mroTail] : base ? [this, ...base.mro] : [this];
    this.heap = heap;
  }

  /** Whether this type is `other` or derives from it. */
  isSubtype(other: PyType): boolean {
    for (const t of this.mro) if (t === other) return true;
    return false;
  }
}

/** The tuple and the dict (0 for none) a call without vectorcall packs its arguments in. */
export interface PackedCall {
  readonly tuple: Ref;
  readonly dict: Ref;
}

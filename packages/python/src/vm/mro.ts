// How a class statement with several bases is put together, as CPython 3.11's type_new does
// it: the "solid base" of each base (the nearest class that adds fields to its instances),
// the best base whose layout the new class extends (best_base), and the method resolution
// order by C3 linearization (mro_implementation, pmerge). The layouts here are CPython's own
// numbers (tp_basicsize, tp_itemsize, tp_weaklistoffset, a dict), which decide which bases
// can be combined; the interpreter's own instance layouts are kept elsewhere.

import { familyBasicSize, familyOf } from "./exceptions.js";
import type { PyType, TypeLayout } from "./types.js";

/** The layouts of the built-in types a class may derive from, by name (CPython 3.11, 64-bit). */
const BUILTIN_LAYOUTS: Readonly<Record<string, TypeLayout>> = {
  object: { size: 16, item: 0, weak: 0, dict: false },
  int: { size: 24, item: 4, weak: 0, dict: false },
  float: { size: 24, item: 0, weak: 0, dict: false },
  str: { size: 80, item: 0, weak: 0, dict: false },
  bytes: { size: 33, item: 1, weak: 0, dict: false },
  tuple: { size: 24, item: 8, weak: 0, dict: false },
  list: { size: 40, item: 0, weak: 0, dict: false },
  dict: { size: 48, item: 0, weak: 0, dict: false },
  set: { size: 200, item: 0, weak: 192, dict: false },
  frozenset: { size: 200, item: 0, weak: 192, dict: false },
  "weakref.ReferenceType": { size: 64, item: 0, weak: 0, dict: false },
  // sizeof(PyHeapTypeObject), tp_itemsize sizeof(PyMemberDef), tp_weaklistoffset,
  // tp_dictoffset: a metaclass's instances are laid out as type's.
  type: { size: 904, item: 40, weak: 368, dict: true },
};

/**
 * The layout of built-in type `t` (its base's already set): the table's, an exception family's
 * struct (with BaseException's `__dict__`), or its base's for the rest, which no class can
 * derive from anyway.
 */
export function builtinLayout(t: PyType): TypeLayout {
  const known = BUILTIN_LAYOUTS[t.name];
  if (known) return known;
  if (t.kind === "exception")
    return { size: familyBasicSize(familyOf(t)), item: 0, weak: 0, dict: true };
  return t.base ? t.base.layout : BUILTIN_LAYOUTS.object!;
}

/**
 * The layout type_new_descriptors gives a class deriving from `base` with `__slots__` `slots`
 * (undefined without `__slots__`): the members after the base's fields, then a dict pointer
 * for a variable-size base (other classes keep the dict before the object), then a weak
 * reference list unless the base has one or is variable-size.
 */
export function heapLayout(base: TypeLayout, slots: readonly string[] | undefined): TypeLayout {
  const members = slots ? slots.filter((s) => s !== "__dict__" && s !== "__weakref__").length : 0;
  const addDict = !base.dict && (!slots || slots.includes("__dict__"));
  const addWeak = base.weak === 0 && base.item === 0 && (!slots || slots.includes("__weakref__"));
  let size = base.size + 8 * members;
  if (addDict && base.item !== 0) size += 8;
  let weak = base.weak;
  if (addWeak) {
    weak = size;
    size += 8;
  }
  return { size, item: base.item, weak, dict: base.dict || addDict };
}

/**
 * extra_ivars: whether `t`'s instances have fields that `base`'s have not. A weak reference
 * list a class statement added last does not count.
 */
function extraIvars(t: PyType, base: PyType): boolean {
  const tl = t.layout;
  const bl = base.layout;
  if (tl.item !== 0 || bl.item !== 0) return tl.size !== bl.size || tl.item !== bl.item;
  let size = tl.size;
  if (t.heap && tl.weak !== 0 && bl.weak === 0 && tl.weak + 8 === size) size -= 8;
  return size !== bl.size;
}

/** solid_base: the nearest class of `t`'s base chain whose instances `t`'s are laid out as. */
export function solidBase(t: PyType): PyType {
  if (!t.base) return t;
  const base = t.base.solid;
  return extraIvars(t, base) ? t : base;
}

/** A class's `__name__`. */
function className(t: PyType): string {
  return t.name.replace(/^weakref\./, "");
}

/** Raises a Python TypeError with `message` (never returns). */
export type RaiseTypeError = (message: string) => never;

/**
 * best_base: the base whose layout the new class extends, the one whose solid base derives
 * from every other base's; `check` runs first on each base in turn (whether it may be a base).
 * @throws TypeError "multiple bases have instance lay-out conflict" when two solid bases are
 * unrelated
 */
export function bestBase(
  bases: readonly PyType[],
  check: (base: PyType) => void,
  raise: RaiseTypeError,
): PyType {
  let base: PyType | undefined;
  let winner: PyType | undefined;
  for (const b of bases) {
    check(b);
    const candidate = b.solid;
    if (winner === undefined || (!winner.isSubtype(candidate) && candidate.isSubtype(winner))) {
      winner = candidate;
      base = b;
    } else if (!winner.isSubtype(candidate)) {
      raise("multiple bases have instance lay-out conflict");
    }
  }
  return base!;
}

/**
 * mro_implementation: the new class's MRO after itself. One base: its MRO. Several: no base
 * twice, then the C3 merge of the bases' MROs and the bases themselves (pmerge), each step
 * taking the first head of a list that is in no list's tail.
 * @throws TypeError "duplicate base class A", or that no consistent order exists with the
 * heads left when the merge got stuck, as CPython words it
 */
export function mroTail(bases: readonly PyType[], raise: RaiseTypeError): PyType[] {
  if (bases.length === 1) return [...bases[0]!.mro];
  for (let i = 0; i < bases.length; i++)
    for (let j = i + 1; j < bases.length; j++)
      if (bases[i] === bases[j]) raise(`duplicate base class ${className(bases[i]!)}`);
  const lists: (readonly PyType[])[] = [...bases.map((b) => b.mro), bases];
  const remain = lists.map(() => 0);
  const out: PyType[] = [];
  const inTail = (candidate: PyType) => {
    for (let j = 0; j < lists.length; j++) {
      const l = lists[j]!;
      for (let k = remain[j]! + 1; k < l.length; k++) if (l[k] === candidate) return true;
    }
    return false;
  };
  for (;;) {
    let empty = 0;
    let taken = false;
    for (let i = 0; i < lists.length; i++) {
      const l = lists[i]!;
      if (remain[i]! >= l.length) {
        empty++;
        continue;
      }
      const candidate = l[remain[i]!]!;
      if (inTail(candidate)) continue;
      out.push(candidate);
      for (let j = 0; j < lists.length; j++) {
        const lj = lists[j]!;
        if (remain[j]! < lj.length && lj[remain[j]!] === candidate) remain[j] = remain[j]! + 1;
      }
      taken = true;
      break;
    }
    if (taken) continue;
    if (empty === lists.length) return out;
    // set_mro_error: the distinct heads left, in the order of the lists.
    const heads: PyType[] = [];
    for (let i = 0; i < lists.length; i++) {
      const l = lists[i]!;
      if (remain[i]! < l.length && !heads.includes(l[remain[i]!]!)) heads.push(l[remain[i]!]!);
    }
    return raise(
      `Cannot create a consistent method resolution\norder (MRO) for bases ${heads
        .map(className)
        .join(", ")}`,
    );
  }
}

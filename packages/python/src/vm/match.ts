// The `match` statement's instructions (PEP 634) as CPython 3.11's ceval.c runs them:
// MATCH_SEQUENCE and MATCH_MAPPING test the subject's type (Py_TPFLAGS_SEQUENCE, _MAPPING),
// MATCH_KEYS looks keys up with the subject's `get` and a fresh `object()` as the default, and
// MATCH_CLASS gathers a class pattern's attributes in a list turned into a tuple, through
// `__match_args__`; the sets, lists and tuples CPython allocates on the way are allocated here.

import type { Ref } from "@mm/runtime";
import { Raised } from "./errors.js";
import { isInstance } from "./functions.js";
import type { Host } from "./host.js";
import type { PyType } from "./types.js";

/** Built-in types whose instances a sequence pattern matches (CPython flags them). */
const SEQUENCE_TYPES = new Set(["list", "tuple", "range", "memoryview", "deque", "array"]);

/** Built-in types that take one positional sub-pattern matching the subject itself. */
const MATCH_SELF = new Set([
  "bool",
  "bytearray",
  "bytes",
  "dict",
  "float",
  "frozenset",
  "int",
  "list",
  "set",
  "str",
  "tuple",
]);

/**
 * Whether a class was registered with, or derives from, a `collections.abc` ABC whose
 * `register` sets a collection flag (only classes a program defines get it).
 */
function abcFlag(vm: Host, o: Ref, t: PyType, abc: "Sequence" | "Mapping"): boolean {
  if (t.dict === 0) return false;
  const py = vm.py;
  const mod = py.dictGet(vm.builtins.sysModules(), py.constant("collections.abc"));
  if (!mod) return false;
  const cls = vm.builtins.getAttr(mod, abc);
  try {
    return isInstance(vm.builtins, o, cls);
  } finally {
    py.decref(cls);
  }
}

/** Whether `o`'s type is a sequence for `match` (Py_TPFLAGS_SEQUENCE). */
export function matchSequence(vm: Host, o: Ref): boolean {
  const t = vm.typeOf(o);
  for (const s of t.mro) {
    if (s.dict !== 0) continue;
    if (SEQUENCE_TYPES.has(s.name)) return true;
    if (s.name === "dict" || s.name === "str" || s.name === "bytes" || s.name === "bytearray")
      return false;
  }
  return abcFlag(vm, o, t, "Sequence") && !abcFlag(vm, o, t, "Mapping");
}

/** Whether `o`'s type is a mapping for `match` (Py_TPFLAGS_MAPPING). */
export function matchMapping(vm: Host, o: Ref): boolean {
  const t = vm.typeOf(o);
  for (const s of t.mro) {
    if (s.dict !== 0) continue;
    if (s.name === "dict") return true;
    if (SEQUENCE_TYPES.has(s.name)) return false;
  }
  return abcFlag(vm, o, t, "Mapping");
}

/**
 * MATCH_KEYS (match_keys): a new tuple of the values of `keys` (a tuple) in `map`, or None
 * (a new reference) when one is missing; a key given twice is a ValueError.
 */
export function matchKeys(vm: Host, map: Ref, keys: Ref): Ref {
  const py = vm.py;
  const b = vm.builtins;
  const ks = py.items(keys);
  if (ks.length === 0) return py.tuple([]);
  let get = b.lookupMethod(map, "get");
  const unbound = get !== 0;
  if (!unbound) get = b.getAttr(map, "get");
  let seen = 0;
  let dummy = 0;
  const values: Ref[] = [];
  try {
    seen = py.set();
    dummy = vm.call(vm.types.object!.object, []);
    for (const key of ks) {
      if (py.setContains(seen, key))
        vm.raise("ValueError", `mapping pattern checks duplicate key (${b.reprOf(key)})`);
      py.setAdd(seen, key);
      const value = vm.call(get, unbound ? [map, key, dummy] : [key, dummy]);
      if (value === dummy) {
        py.decref(value);
        for (const v of values) py.decref(v);
        values.length = 0;
        return py.newRef(py.none);
      }
      values.push(value);
    }
    const t = py.tuple(values);
    for (const v of values) py.decref(v);
    values.length = 0;
    return t;
  } finally {
    for (const v of values) py.decref(v);
    py.decref(get);
    if (seen) py.decref(seen);
    if (dummy) py.decref(dummy);
  }
}

/** `o.name`, or 0 when that is an AttributeError (cleared). */
function getAttrOrZero(vm: Host, o: Ref, name: string): Ref {
  try {
    return vm.builtins.getAttr(o, name);
  } catch (error) {
    if (!(error instanceof Raised) || !vm.typeOf(error.exc).isSubtype(vm.types.AttributeError!))
      throw error;
    vm.py.decref(error.exc);
    return 0;
  }
}

/** match_class_attr: `subject.name` (0 when it has none), refusing a name given twice. */
function classAttr(vm: Host, subject: Ref, type: PyType, name: Ref, seen: Ref): Ref {
  const py = vm.py;
  if (py.setContains(seen, name))
    vm.raise(
      "TypeError",
      `${type.name}() got multiple sub-patterns for attribute ${vm.builtins.reprOf(name)}`,
    );
  py.setAdd(seen, name);
  return getAttrOrZero(vm, subject, py.strValue(name));
}

/**
 * MATCH_CLASS (match_class): a new tuple of the `nargs` positional attributes (through
 * `__match_args__`) and the named ones, or 0 when the subject is not an instance of `cls` or
 * lacks one of them.
 */
export function matchClass(vm: Host, subject: Ref, cls: Ref, nargs: number, names: Ref): Ref {
  const py = vm.py;
  const b = vm.builtins;
  if (!b.isType(cls)) vm.raise("TypeError", "called match pattern must be a type");
  if (!isInstance(b, subject, cls)) return 0;
  const type = b.typeFromObject(cls);
  const seen = py.set();
  const attrs = py.list([]);
  let matchArgs = 0;
  try {
    if (nargs > 0) {
      let matchSelf = false;
      matchArgs = getAttrOrZero(vm, cls, "__match_args__");
      if (matchArgs) {
        if (vm.typeOf(matchArgs) !== vm.types.tuple)
          vm.raise(
            "TypeError",
            `${type.name}.__match_args__ must be a tuple (got ${vm.typeOf(matchArgs).name})`,
          );
      } else {
        matchArgs = py.tuple([]);
        matchSelf = type.mro.some((s) => s.dict === 0 && MATCH_SELF.has(s.name));
      }
      const allowed = matchSelf ? 1 : py.items(matchArgs).length;
      if (allowed < nargs)
        vm.raise(
          "TypeError",
          `${type.name}() accepts ${allowed} positional sub-pattern${allowed === 1 ? "" : "s"} (${nargs} given)`,
        );
      if (matchSelf) py.append(attrs, subject);
      else {
        for (let i = 0; i < nargs; i++) {
          const name = py.items(matchArgs)[i]!;
          if (vm.typeOf(name) !== vm.types.str)
            vm.raise(
              "TypeError",
              `__match_args__ elements must be strings (got ${vm.typeOf(name).name})`,
            );
          const attr = classAttr(vm, subject, type, name, seen);
          if (!attr) return 0;
          py.append(attrs, attr);
          py.decref(attr);
        }
      }
      py.decref(matchArgs);
      matchArgs = 0;
    }
    for (const name of py.items(names)) {
      const attr = classAttr(vm, subject, type, name, seen);
      if (!attr) return 0;
      py.append(attrs, attr);
      py.decref(attr);
    }
    return py.tuple(py.items(attrs));
  } finally {
    if (matchArgs) py.decref(matchArgs);
    py.decref(attrs);
    py.decref(seen);
  }
}

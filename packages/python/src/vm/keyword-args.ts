// Keyword arguments of the built-in methods and functions, as CPython 3.11's argument parser
// (`_PyArg_UnpackKeywords`, `_PyArg_NoKwnames`) takes them: a method of positional-only
// parameters refuses every keyword; one with named parameters takes each by name, and the
// keyword moves to its position here (the skipped ones getting their defaults), so the
// method's own code reads positional arguments only.

import type { Ref } from "@mm/runtime";
import type { Host } from "./host.js";
import type { KeywordSpec } from "./method-keywords.js";
import type { BuiltinFn } from "./types.js";

/**
 * `fn` with `spec`'s keyword rules applied before it runs. `self` is 1 for a method (its first
 * argument is the object, which CPython's messages do not count), 0 for a function.
 */
export function withKeywords(vm: Host, spec: KeywordSpec, fn: BuiltinFn, self: 0 | 1): BuiltinFn {
  if ("none" in spec) {
    const message = spec.none;
    return (args, kw) => {
      if (kw !== null && kw.size > 0) vm.raise("TypeError", message);
      return fn(args, kw);
    };
  }
  const { fname, names, defaults, kwonly, posonly, varargs } = spec;
  const maxpos = posonly + names.length;
  const maxargs = maxpos + kwonly.length;
  let required = 0;
  while (required < names.length && defaults[required] === "<required>") required++;
  return (args, kw) => {
    if (kw === null || kw.size === 0) return fn(args, kw);
    const py = vm.py;
    const nargs = args.length - self;
    const total = nargs + kw.size;
    if (!varargs && total > maxargs)
      vm.raise(
        "TypeError",
        `${fname} takes at most ${maxargs} ${nargs === 0 ? "keyword " : ""}argument${maxargs === 1 ? "" : "s"} (${total} given)`,
      );
    // Too many positional arguments: the method's own count check says so.
    if (nargs > maxpos && !varargs) return fn(args, kw);
    if (nargs < posonly)
      vm.raise(
        "TypeError",
        `${fname} takes ${required === names.length ? "exactly" : "at least"} ${posonly} positional argument${posonly === 1 ? "" : "s"} (${nargs} given)`,
      );
    // The last named parameter given by keyword: the ones before it get their defaults.
    let last = -1;
    for (let i = Math.max(nargs - posonly, 0); i < names.length; i++)
      if (kw.has(names[i]!)) last = i;
    for (let i = Math.max(nargs - posonly, 0); i < required; i++)
      if (!kw.has(names[i]!))
        vm.raise(
          "TypeError",
          `${fname} missing required argument '${names[i]}' (pos ${posonly + i + 1})`,
        );
    let used = 0;
    for (const k of kw.keys()) {
      const i = names.indexOf(k);
      if (i >= 0 && posonly + i >= nargs) used++;
      else if (!kwonly.includes(k)) {
        // CPython looks for a name given by position too before calling it unknown.
        for (let j = 0; posonly + j < nargs && j < names.length; j++)
          if (kw.has(names[j]!))
            vm.raise(
              "TypeError",
              `argument for ${fname} given by name ('${names[j]}') and position (${posonly + j + 1})`,
            );
        vm.raise("TypeError", spec.invalid.replace("{k}", k));
      }
    }
    if (last < 0) return fn(args, kw);
    // A skipped parameter whose default the method makes itself: leave the call to it.
    for (let i = Math.max(nargs - posonly, 0); i <= last; i++)
      if (defaults[i] === "<none>" && !kw.has(names[i]!)) return fn(args, kw);
    const out = args.slice();
    const made: Ref[] = [];
    for (let i = nargs - posonly; i <= last; i++) {
      const given = kw.get(names[i]!);
      if (given !== undefined) {
        out.push(given);
        continue;
      }
      const d = defaults[i];
      const r =
        d === null
          ? py.none
          : typeof d === "boolean"
            ? py.bool(d)
            : typeof d === "number"
              ? py.int(d)
              : py.str(d as string);
      if (d !== null) made.push(r);
      out.push(r);
    }
    let rest: Map<string, Ref> | null = null;
    if (used < kw.size) {
      rest = new Map();
      for (const [k, v] of kw) if (kwonly.includes(k)) rest.set(k, v);
    }
    try {
      return fn(out, rest);
    } finally {
      for (const r of made) py.decref(r);
    }
  };
}

/** A built-in type's call: its positional-only count and the names it takes (null: none). */
type TypeKeywords = readonly [posonly: number, names: readonly string[]] | null;

/** The keywords each built-in type's call takes in CPython 3.11 (its `tp_new`/`tp_init`). */
const TYPE_KEYWORDS: Readonly<Record<string, TypeKeywords>> = {
  bool: null,
  bytearray: [0, ["source", "encoding", "errors"]],
  bytes: [0, ["source", "encoding", "errors"]],
  classmethod: null,
  complex: [0, ["real", "imag"]],
  enumerate: [0, ["iterable", "start"]],
  filter: null,
  float: null,
  frozenset: null,
  int: [1, ["base"]],
  list: null,
  map: null,
  range: null,
  reversed: null,
  set: null,
  slice: null,
  staticmethod: null,
  str: [0, ["object", "encoding", "errors"]],
  super: null,
  tuple: null,
};

/**
 * Raises CPython's TypeError for a keyword the built-in type `name` does not take when called
 * (`float(x=1)`: "float() takes no keyword arguments"; `int(x=1)`: "'x' is an invalid keyword
 * argument for int()"), or for one given by position too. Types not listed check nothing.
 */
export function checkTypeKeywords(
  vm: Host,
  name: string,
  nargs: number,
  kw: ReadonlyMap<string, Ref>,
): void {
  const spec = TYPE_KEYWORDS[name];
  if (spec === undefined) return;
  if (spec === null) vm.raise("TypeError", `${name}() takes no keyword arguments`);
  const [posonly, names] = spec;
  const max = posonly + names.length;
  if (nargs + kw.size > max)
    vm.raise(
      "TypeError",
      `${name}() takes at most ${max} argument${max === 1 ? "" : "s"} (${nargs + kw.size} given)`,
    );
  for (const k of kw.keys()) {
    const i = names.indexOf(k);
    if (i < 0) vm.raise("TypeError", `'${k}' is an invalid keyword argument for ${name}()`);
    if (posonly + i < nargs)
      vm.raise(
        "TypeError",
        `argument for ${name}() given by name ('${k}') and position (${posonly + i + 1})`,
      );
  }
}

/**
 * The arguments of a call by position, each named parameter taken from `kw` when it was not
 * given by position (undefined: given neither way). `names` follow `posonly` positional-only ones.
 */
export function namedArguments(
  args: readonly Ref[],
  kw: ReadonlyMap<string, Ref> | null,
  posonly: number,
  names: readonly string[],
): (Ref | undefined)[] {
  const out: (Ref | undefined)[] = args.slice();
  if (kw === null || kw.size === 0) return out;
  for (let i = 0; i < names.length; i++) {
    const v = kw.get(names[i]!);
    if (v !== undefined && posonly + i >= args.length) out[posonly + i] = v;
  }
  return out;
}

// PEP 654's exception groups as CPython 3.11's Objects/exceptions.c has them:
// BaseExceptionGroup_new's argument checks (and its choice of ExceptionGroup when every member
// is an Exception), `__str__`, `derive`, `split` and `subgroup` (exceptiongroup_split_recursive,
// which copies the traceback, cause, context and notes onto each part), and the projection
// `_PyExc_PrepReraiseStar` makes of a group for the end of a `try: … except*` statement.

import type { Ref } from "@mm/runtime";
import { Raised } from "./errors.js";
import { familyOf, memberOffset } from "./exceptions.js";
import type { Protocols } from "./host.js";
import { Exc } from "./layouts.js";
import type { PyType } from "./types.js";

/** The kinds PySequence_Check accepts without a class-level `__getitem__` of a class statement. */
const SEQUENCE_KINDS = new Set([
  "list",
  "tuple",
  "str",
  "bytes",
  "bytearray",
  "range",
  "memoryview",
]);

/** Whether `o` is an instance of BaseExceptionGroup (`_PyBaseExceptionGroup_Check`). */
export function isGroup(b: Protocols, o: Ref): boolean {
  const group = b.vm.types.BaseExceptionGroup;
  return group !== undefined && b.vm.typeOf(o).isSubtype(group);
}

/** A group's `exceptions` tuple (borrowed). */
export function groupMembers(b: Protocols, eg: Ref): Ref {
  return b.vm.py.getRef(eg, memberOffset(familyOf(b.vm.typeOf(eg)), "exceptions"));
}

/** A group's `message` (borrowed). */
export function groupMessage(b: Protocols, eg: Ref): Ref {
  return b.vm.py.getRef(eg, memberOffset(familyOf(b.vm.typeOf(eg)), "message"));
}

function isSequence(b: Protocols, o: Ref): boolean {
  const t = b.vm.typeOf(o);
  if (t.mro.some((c) => !c.heap && SEQUENCE_KINDS.has(c.name))) return true;
  if (t.isSubtype(b.vm.types.dict!)) return false;
  return t.heap && b.lookupType(t, "__getitem__") !== 0;
}

/**
 * BaseExceptionGroup_new's checks of `(message, exceptions)`: the class the instance gets and
 * the members as a new tuple (the caller stores it, with the message, in the new instance).
 * @throws TypeError or ValueError with CPython's messages
 */
export function groupNew(
  b: Protocols,
  t: PyType,
  args: readonly Ref[],
): { readonly cls: PyType; readonly excs: Ref } {
  const vm = b.vm;
  const py = vm.py;
  if (args.length !== 2)
    vm.raise(
      "TypeError",
      `BaseExceptionGroup.__new__() takes exactly 2 arguments (${args.length} given)`,
    );
  const [message, exceptions] = args as [Ref, Ref];
  if (vm.kindOf(message) !== "str")
    vm.raise(
      "TypeError",
      `BaseExceptionGroup.__new__() argument 1 must be str, not ${vm.typeOf(message).name}`,
    );
  if (!isSequence(b, exceptions))
    vm.raise("TypeError", "second argument (exceptions) must be a sequence");
  const items = b.collect(exceptions);
  const excs = py.tuple(items);
  for (const i of items) py.decref(i);
  try {
    if (items.length === 0)
      vm.raise("ValueError", "second argument (exceptions) must be a non-empty sequence");
    let nestedBase = false;
    py.items(excs).forEach((e, i) => {
      const et = vm.typeOf(e);
      if (!et.isSubtype(vm.types.BaseException!))
        vm.raise("ValueError", `Item ${i} of second argument (exceptions) is not an exception`);
      if (!et.isSubtype(vm.types.Exception!)) nestedBase = true;
    });
    let cls = t;
    if (t === vm.types.ExceptionGroup) {
      if (nestedBase) vm.raise("TypeError", "Cannot nest BaseExceptions in an ExceptionGroup");
    } else if (t === vm.types.BaseExceptionGroup) {
      if (!nestedBase) cls = vm.types.ExceptionGroup!;
    } else if (nestedBase && t.isSubtype(vm.types.Exception!)) {
      vm.raise("TypeError", `Cannot nest BaseExceptions in '${t.name}'`);
    }
    return { cls, excs };
  } catch (error) {
    py.decref(excs);
    throw error;
  }
}

/** Stores the message and the members (`excs` is taken) in a new group. */
export function fillGroup(b: Protocols, eg: Ref, message: Ref, excs: Ref): void {
  const py = b.vm.py;
  const family = familyOf(b.vm.typeOf(eg));
  py.setRef(eg, memberOffset(family, "message"), message);
  py.takeRef(eg, memberOffset(family, "exceptions"), excs);
}

/** How split's matcher tells a match (get_matcher_type). */
type Matcher =
  | { readonly kind: "type"; readonly value: Ref }
  | { readonly kind: "predicate"; readonly value: Ref }
  | { readonly kind: "ids"; readonly value: ReadonlySet<Ref> };

function matcherOf(b: Protocols, value: Ref): Matcher {
  const vm = b.vm;
  if (vm.kindOf(value) === "function") return { kind: "predicate", value };
  const isExcClass = (c: Ref) =>
    b.isType(c) && b.typeFromObject(c).isSubtype(vm.types.BaseException!);
  if (isExcClass(value)) return { kind: "type", value };
  if (vm.kindOf(value) === "tuple" && !vm.typeOf(value).heap) {
    if (vm.py.items(value).every(isExcClass)) return { kind: "type", value };
  }
  return vm.raise("TypeError", "expected a function, exception type or tuple of exception types");
}

function matches(b: Protocols, exc: Ref, m: Matcher): boolean {
  switch (m.kind) {
    case "type":
      return b.exceptionMatches(exc, m.value);
    case "predicate": {
      const r = b.vm.call(m.value, [exc]);
      try {
        return b.truth(r);
      } finally {
        b.vm.py.decref(r);
      }
    }
    case "ids":
      return !isGroup(b, exc) && m.value.has(exc);
  }
}

/**
 * exceptiongroup_subset: `orig.derive(excs)` with orig's traceback, context, cause and a copy
 * of its notes, or 0 when `excs` is empty (a new reference).
 */
function subset(b: Protocols, orig: Ref, excs: readonly Ref[]): Ref {
  if (excs.length === 0) return 0;
  const vm = b.vm;
  const py = vm.py;
  const list = py.list(excs);
  let eg: Ref;
  try {
    const derive = b.getAttr(orig, "derive");
    try {
      eg = vm.call(derive, [list]);
    } finally {
      py.decref(derive);
    }
  } finally {
    py.decref(list);
  }
  try {
    if (!isGroup(b, eg))
      vm.raise("TypeError", "derive must return an instance of BaseExceptionGroup");
    const tb = py.getRef(orig, Exc.traceback);
    if (tb) py.setRef(eg, Exc.traceback, tb);
    py.setRef(eg, Exc.context, py.getRef(orig, Exc.context));
    // PyException_SetCause also sets __suppress_context__.
    py.setRef(eg, Exc.cause, py.getRef(orig, Exc.cause));
    py.memory.u8[eg + Exc.suppressContext] = 1;
    let notes: Ref = 0;
    try {
      notes = b.getAttr(orig, "__notes__");
    } catch (error) {
      if (!(error instanceof Raised)) throw error;
      if (!b.exceptionMatches(error.exc, vm.types.AttributeError!.object)) throw error;
      py.decref(error.exc);
    }
    if (notes) {
      try {
        if (isSequence(b, notes)) {
          const items = b.collect(notes);
          const copy = py.list(items);
          for (const i of items) py.decref(i);
          try {
            b.setAttr(eg, "__notes__", copy);
          } finally {
            py.decref(copy);
          }
        }
      } finally {
        py.decref(notes);
      }
    }
    return eg;
  } catch (error) {
    py.decref(eg);
    throw error;
  }
}

/** exceptiongroup_split_recursive: the matching part and (when asked) the rest, new refs or 0. */
function splitRecursive(
  b: Protocols,
  exc: Ref,
  m: Matcher,
  rest: boolean,
): { match: Ref; rest: Ref } {
  const py = b.vm.py;
  if (matches(b, exc, m)) return { match: py.newRef(exc), rest: 0 };
  if (!isGroup(b, exc)) return { match: 0, rest: rest ? py.newRef(exc) : 0 };
  const matched: Ref[] = [];
  const others: Ref[] = [];
  try {
    for (const e of py.items(groupMembers(b, exc))) {
      const r = splitRecursive(b, e, m, rest);
      if (r.match) matched.push(r.match);
      if (r.rest) others.push(r.rest);
    }
    const match = subset(b, exc, matched);
    let restPart = 0;
    if (rest) {
      try {
        restPart = subset(b, exc, others);
      } catch (error) {
        if (match) py.decref(match);
        throw error;
      }
    }
    return { match, rest: restPart };
  } finally {
    for (const r of matched) py.decref(r);
    for (const r of others) py.decref(r);
  }
}

/** Collects the leaves (the members that are not groups) of `exc`, recursively. */
function leaves(b: Protocols, exc: Ref, into: Set<Ref>): void {
  if (exc === b.vm.py.none) return;
  if (!isGroup(b, exc)) {
    into.add(exc);
    return;
  }
  for (const e of b.vm.py.items(groupMembers(b, exc))) leaves(b, e, into);
}

/** Whether two exceptions share notes, traceback, cause and context (is_same_exception_metadata). */
function sameMetadata(b: Protocols, e1: Ref, e2: Ref): boolean {
  const py = b.vm.py;
  const notesOf = (e: Ref) => {
    const d = py.getRef(e, Exc.dict);
    return d ? py.dictGet(d, py.constant("__notes__")) : 0;
  };
  return (
    notesOf(e1) === notesOf(e2) &&
    py.getRef(e1, Exc.traceback) === py.getRef(e2, Exc.traceback) &&
    py.getRef(e1, Exc.cause) === py.getRef(e2, Exc.cause) &&
    py.getRef(e1, Exc.context) === py.getRef(e2, Exc.context)
  );
}

/**
 * `_PyExc_PrepReraiseStar(orig, excs)`: what a `try: … except*` statement raises at its end,
 * given the exception it caught and those its clauses raised or re-raised (None for a clause
 * that finished), or None (a new reference).
 */
export function prepReraiseStar(b: Protocols, orig: Ref, excs: readonly Ref[]): Ref {
  const vm = b.vm;
  const py = vm.py;
  if (excs.length === 0) return py.newRef(py.none);
  if (!isGroup(b, orig)) return py.newRef(excs[0]!);
  const raised: Ref[] = [];
  const reraised: Ref[] = [];
  for (const e of excs) {
    if (e === py.none) continue;
    (sameMetadata(b, e, orig) ? reraised : raised).push(e);
  }
  const ids = new Set<Ref>();
  for (const e of reraised) leaves(b, e, ids);
  const projected = splitRecursive(b, orig, { kind: "ids", value: ids }, false).match;
  if (raised.length === 0) return projected || py.newRef(py.none);
  const parts = projected ? [...raised, projected] : raised;
  try {
    if (parts.length === 1) return py.newRef(parts[0]!);
    const list = py.list(parts);
    const message = py.str("");
    try {
      return b.callType(vm.types.BaseExceptionGroup!, [message, list], null);
    } finally {
      py.decref(message);
      py.decref(list);
    }
  } finally {
    if (projected) py.decref(projected);
  }
}

/**
 * CHECK_EG_MATCH's check of an `except*` clause's type (check_except_star_type_valid): an
 * exception class or a tuple of them, none of them a group.
 * @throws TypeError with CPython's messages
 */
export function checkExceptStarType(b: Protocols, type: Ref): void {
  const vm = b.vm;
  const items = vm.kindOf(type) === "tuple" ? vm.py.items(type) : [type];
  for (const c of items)
    if (!b.isType(c) || !b.typeFromObject(c).isSubtype(vm.types.BaseException!))
      vm.raise(
        "TypeError",
        "catching classes that do not inherit from BaseException is not allowed",
      );
  for (const c of items)
    if (b.typeFromObject(c).isSubtype(vm.types.BaseExceptionGroup!))
      vm.raise(
        "TypeError",
        "catching ExceptionGroup with except* is not allowed. Use except instead.",
      );
}

/**
 * The `exception_group_match` CHECK_EG_MATCH makes of the exception `exc` and an `except*`
 * clause's type: `[match, rest]` as new references, `match` None when nothing matches. A naked
 * exception that matches is wrapped in a group with an empty message; a group that matches in part is split by its `split` method.
 */
export function exceptionGroupMatch(b: Protocols, exc: Ref, type: Ref): [Ref, Ref] {
  const vm = b.vm;
  const py = vm.py;
  if (exc === py.none) return [py.newRef(py.none), py.newRef(py.none)];
  if (b.exceptionMatches(exc, type)) {
    if (isGroup(b, exc)) return [py.newRef(exc), py.newRef(py.none)];
    const list = py.tuple([exc]);
    const message = py.str("");
    let wrapped: Ref;
    try {
      wrapped = b.callType(vm.types.BaseExceptionGroup!, [message, list], null);
    } finally {
      py.decref(message);
      py.decref(list);
    }
    // 3.11 gives the wrapper a traceback of the frame only when the frame has its object
    // already; it starts with none here, and gains entries as it leaves frames if re-raised.
    return [wrapped, py.newRef(py.none)];
  }
  if (isGroup(b, exc)) {
    const split = b.getAttr(exc, "split");
    let pair: Ref;
    try {
      pair = vm.call(split, [type]);
    } finally {
      py.decref(split);
    }
    try {
      if (vm.kindOf(pair) !== "tuple" || vm.typeOf(pair).heap || py.items(pair).length !== 2)
        vm.raise(
          "TypeError",
          `${vm.typeOf(exc).name}.split must return a tuple, not ${vm.typeOf(pair).name}`,
        );
      const [m, r] = py.items(pair) as [Ref, Ref];
      return [py.newRef(m), py.newRef(r)];
    } finally {
      py.decref(pair);
    }
  }
  return [py.newRef(py.none), py.newRef(py.none)];
}

/** Installs BaseExceptionGroup's `__str__`, `derive`, `split` and `subgroup`. */
export function installExceptionGroups(b: Protocols): void {
  const vm = b.vm;
  const py = vm.py;
  const group = vm.types.BaseExceptionGroup!;
  // split and subgroup parse `(matcher_value)` as "O:split" does, derive as "O" does.
  const one = (name: string, args: readonly Ref[], kwargs: ReadonlyMap<string, Ref> | null) => {
    if (kwargs && kwargs.size > 0) vm.raise("TypeError", `${name}() takes no keyword arguments`);
    const n = args.length - 1;
    if (n === 1) return;
    vm.raise(
      "TypeError",
      name === "derive"
        ? `function takes exactly 1 argument (${n} given)`
        : `${name} expected 1 argument, got ${n}`,
    );
  };
  group.methods.set("__str__", (a) => {
    const n = py.items(groupMembers(b, a[0]!)).length;
    return py.str(`${b.strOf(groupMessage(b, a[0]!))} (${n} sub-exception${n > 1 ? "s" : ""})`);
  });
  group.methods.set("derive", (a, kw) => {
    one("derive", a, kw);
    return b.callType(group, [groupMessage(b, a[0]!), a[1]!], null);
  });
  group.methods.set("split", (a, kw) => {
    one("split", a, kw);
    const r = splitRecursive(b, a[0]!, matcherOf(b, a[1]!), true);
    const t = py.tuple([r.match || py.none, r.rest || py.none]);
    if (r.match) py.decref(r.match);
    if (r.rest) py.decref(r.rest);
    return t;
  });
  group.methods.set("subgroup", (a, kw) => {
    one("subgroup", a, kw);
    const r = splitRecursive(b, a[0]!, matcherOf(b, a[1]!), false);
    return r.match || py.newRef(py.none);
  });
}

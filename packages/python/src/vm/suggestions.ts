// "Did you mean" after a NameError's or an AttributeError's message, as CPython 3.11's printer
// of uncaught exceptions offers it (Python/suggestions.c; 3.11's traceback module offers none):
// for exceptions of exactly those two types, the nearest of the candidate names by a
// Levenshtein distance over their UTF-8 bytes in which a change of case costs 1 and any other
// edit 2, at most a third of the bytes involved.

import type { Ref } from "@mm/runtime";
import { familyOf, memberOffset } from "./exceptions.js";
import type { Host, Protocols } from "./host.js";
import { Exc, Fn, FrameObj, Traceback } from "./layouts.js";

/** Lists of more candidates than this are not searched. */
const MAX_CANDIDATE_ITEMS = 750;
/** Names longer than this many UTF-8 bytes match nothing. */
const MAX_STRING_SIZE = 40;
/** The cost of inserting, deleting or replacing a character. */
const MOVE_COST = 2;
/** The cost of replacing a letter by itself in the other case. */
const CASE_COST = 1;

const utf8 = new TextEncoder();

/** The cost of putting `b` where `a` is: 0, the case cost for the same ASCII letter, else 2. */
function substitutionCost(a: number, b: number): number {
  if (a === b) return 0;
  const lowA = a >= 0x41 && a <= 0x5a ? a + 0x20 : a;
  const lowB = b >= 0x41 && b <= 0x5a ? b + 0x20 : b;
  return lowA === lowB ? CASE_COST : MOVE_COST;
}

/** The UTF-8 bytes of `s`, which the distance compares. */
function unitsOf(s: string): number[] {
  return [...utf8.encode(s)];
}

/**
 * The edit distance between `a` and `b`, or `maxCost + 1` as soon as it is known to be larger
 * (`levenshtein_distance`: common prefix and suffix trimmed, one row of the table kept).
 */
export function levenshtein(a: readonly number[], b: readonly number[], maxCost: number): number {
  let aStart = 0;
  let bStart = 0;
  let aEnd = a.length;
  let bEnd = b.length;
  while (aStart < aEnd && bStart < bEnd && a[aStart] === b[bStart]) {
    aStart++;
    bStart++;
  }
  while (aStart < aEnd && bStart < bEnd && a[aEnd - 1] === b[bEnd - 1]) {
    aEnd--;
    bEnd--;
  }
  let x = a.slice(aStart, aEnd);
  let y = b.slice(bStart, bEnd);
  if (x.length === 0 || y.length === 0) return (x.length + y.length) * MOVE_COST;
  if (x.length > MAX_STRING_SIZE || y.length > MAX_STRING_SIZE) return maxCost + 1;
  if (y.length < x.length) [x, y] = [y, x];
  if ((y.length - x.length) * MOVE_COST > maxCost) return maxCost + 1;
  const row: number[] = [];
  for (let i = 0; i < x.length; i++) row.push((i + 1) * MOVE_COST);
  let result = 0;
  for (let bi = 0; bi < y.length; bi++) {
    const code = y[bi]!;
    let distance = bi * MOVE_COST;
    result = distance;
    let minimum = Number.POSITIVE_INFINITY;
    for (let i = 0; i < x.length; i++) {
      const substitute = distance + substitutionCost(code, x[i]!);
      distance = row[i]!;
      const insertDelete = Math.min(result, distance) + MOVE_COST;
      result = Math.min(insertDelete, substitute);
      row[i] = result;
      if (result < minimum) minimum = result;
    }
    if (minimum > maxCost) return maxCost + 1;
  }
  return result;
}

/**
 * The nearest of `candidates` to `name` (not `name` itself), or undefined: the first of the
 * nearest in the candidates' order, within a third of the characters involved.
 */
export function nearestName(name: string, candidates: readonly string[]): string | undefined {
  if (candidates.length >= MAX_CANDIDATE_ITEMS) return undefined;
  const wrong = unitsOf(name);
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    if (candidate === name) continue;
    const units = unitsOf(candidate);
    let maxDistance = Math.floor(((wrong.length + units.length + 3) * MOVE_COST) / 6);
    maxDistance = Math.min(maxDistance, bestDistance - 1);
    const distance = levenshtein(wrong, units, maxDistance);
    if (distance > maxDistance) continue;
    if (best === undefined || distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * The name CPython's printer suggests for `exc` (`_Py_Offer_Suggestions`), or undefined: for an
 * AttributeError the names of `dir(exc.obj)`; for a NameError the variables of the code where
 * it was raised, then its globals, then its builtins, the first list with a near name.
 */
export function suggestion(b: Protocols, exc: Ref): string | undefined {
  const vm: Host = b.vm;
  const py = vm.py;
  const t = vm.typeOf(exc);
  const types = vm.types;
  // Exactly these types (Py_IS_TYPE): not UnboundLocalError, not a subclass.
  const attribute = t === types.AttributeError;
  const nameError = t === types.NameError;
  if (!attribute && !nameError) return undefined;
  const family = familyOf(t);
  const nameAt = memberOffset(family, "name");
  if (nameAt < 0) return undefined;
  const name = py.getRef(exc, nameAt);
  if (!name || vm.kindOf(name) !== "str" || vm.typeOf(name).subtype) return undefined;
  const wrong = py.strValue(name);
  const strings = (list: readonly Ref[]): string[] =>
    list.filter((k) => vm.kindOf(k) === "str").map((k) => py.strValue(k));
  if (attribute) {
    const objAt = memberOffset(family, "obj");
    const obj = objAt < 0 ? 0 : py.getRef(exc, objAt);
    if (!obj) return undefined;
    let names: string[];
    try {
      const dir = b.dir(obj);
      try {
        names = strings(py.items(dir));
      } finally {
        py.decref(dir);
      }
    } catch {
      // A dir() that raises offers nothing (its error is cleared).
      return undefined;
    }
    return nearestName(wrong, names);
  }
  let tb = py.getRef(exc, Exc.traceback);
  if (!tb) return undefined;
  for (let next = py.getRef(tb, Traceback.next); next; next = py.getRef(tb, Traceback.next))
    tb = next;
  const frame = py.getRef(tb, Traceback.frame);
  const held = py.getRef(frame, FrameObj.globals);
  const fromFunction = vm.kindOf(held) === "function";
  const globals = fromFunction ? py.getRef(held, Fn.globals) : held;
  const builtins = fromFunction ? py.getRef(held, Fn.builtins) : b.dict;
  const unit = vm.codes.get(py.getRef(frame, FrameObj.code))?.unit;
  const locals = unit ? [...unit.varnames] : [];
  const globalNames = strings(py.dictKeys(globals));
  const builtinNames = strings(py.dictKeys(builtins));
  return (
    nearestName(wrong, locals) ??
    nearestName(wrong, globalNames) ??
    nearestName(wrong, builtinNames)
  );
}

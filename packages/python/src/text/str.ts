// Python's str semantics as pure functions over JS strings. A Python str is a sequence of code
// points; a JS string is UTF-16, so every length, index, width and slice here counts code points
// (a surrogate pair is one character, as the astral character it encodes is in Python).

import { raise } from "./errors.js";
import {
  foldOf,
  isAlnum,
  isAlpha,
  isCased,
  isCaseIgnorable,
  isDecimal,
  isDigit,
  isLower,
  isNumeric,
  isPrintable,
  isSpace,
  isTitle,
  isUpper,
  isXidContinue,
  isXidStart,
  lowerOf,
  titleOf,
  upperOf,
} from "./unicode.js";

// ------------------------------------------------------------------ code points

const SURROGATE = /[\uD800-\uDFFF]/;

/** The code points of `s`. */
function codePoints(s: string): number[] {
  const out: number[] = [];
  for (const ch of s) out.push(ch.codePointAt(0)!);
  return out;
}

/** `len(s)`: the number of code points. */
export function strLen(s: string): number {
  if (!SURROGATE.test(s)) return s.length;
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** The UTF-16 offset of code point index `i` (0 ≤ i ≤ len). */
function unitOffset(s: string, i: number): number {
  if (!SURROGATE.test(s)) return i;
  let unit = 0;
  for (let k = 0; k < i && unit < s.length; k++) {
    const c = s.charCodeAt(unit);
    unit +=
      c >= 0xd800 && c <= 0xdbff && unit + 1 < s.length && isLow(s.charCodeAt(unit + 1)) ? 2 : 1;
  }
  return unit;
}

function isLow(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** The code point index of UTF-16 offset `unit`. */
function pointIndex(s: string, unit: number): number {
  if (!SURROGATE.test(s)) return unit;
  return strLen(s.slice(0, unit));
}

/** `s[start:end]` by code point indices already within 0..len. */
function sub(s: string, start: number, end: number): string {
  if (!SURROGATE.test(s)) return s.slice(start, end);
  const a = unitOffset(s, start);
  return s.slice(a, a + unitOffset(s.slice(a), Math.max(0, end - start)));
}

// ------------------------------------------------------------------ slices and indices

/** A slice bound as the evaluator has it: None, an int (any size), or a JS number. */
export type SliceBound = bigint | number | null | undefined;

/** Slice indices after PySlice_AdjustIndices, and the number of elements they select. */
export interface SliceIndices {
  readonly start: number;
  readonly stop: number;
  readonly step: number;
  readonly length: number;
}

const SSIZE_MAX = Number.MAX_SAFE_INTEGER;

const SSIZE_LIMIT = 1n << 63n;

/**
 * An int argument that CPython converts to a C ssize_t (a width, a count): ints beyond 64 bits
 * raise OverflowError; within them, JS numbers are exact for any length a str can have.
 */
function ssize(v: bigint | number): number {
  if (typeof v === "bigint" && (v >= SSIZE_LIMIT || v < -SSIZE_LIMIT)) {
    raise("OverflowError", "Python int too large to convert to C ssize_t");
  }
  return clampIndex(v);
}

/** An int used as an index (`s[i]`, `s * n`): beyond 64 bits it cannot be one. */
function indexSized(v: bigint | number, error: "IndexError" | "OverflowError"): number {
  if (typeof v === "bigint" && (v >= SSIZE_LIMIT || v < -SSIZE_LIMIT)) {
    raise(error, "cannot fit 'int' into an index-sized integer");
  }
  return clampIndex(v);
}

/** Clamps an int to the index range, as slicing clamps out-of-range ints. */
function clampIndex(v: bigint | number): number {
  if (typeof v === "number") return Math.max(-SSIZE_MAX, Math.min(SSIZE_MAX, v));
  if (v > BigInt(SSIZE_MAX)) return SSIZE_MAX;
  if (v < -BigInt(SSIZE_MAX)) return -SSIZE_MAX;
  return Number(v);
}

/**
 * `slice(start, stop, step).indices(length)` with the slice's length: CPython's
 * PySlice_Unpack then PySlice_AdjustIndices, for lists, tuples and strs alike.
 */
export function sliceIndices(
  length: number,
  start?: SliceBound,
  stop?: SliceBound,
  step?: SliceBound,
): SliceIndices {
  const st = step === null || step === undefined ? 1 : clampIndex(step);
  if (st === 0) raise("ValueError", "slice step cannot be zero");
  let a = start === null || start === undefined ? (st < 0 ? SSIZE_MAX : 0) : clampIndex(start);
  let b =
    stop === null || stop === undefined ? (st < 0 ? -SSIZE_MAX : SSIZE_MAX) : clampIndex(stop);
  if (a < 0) {
    a += length;
    if (a < 0) a = st < 0 ? -1 : 0;
  } else if (a >= length) a = st < 0 ? length - 1 : length;
  if (b < 0) {
    b += length;
    if (b < 0) b = st < 0 ? -1 : 0;
  } else if (b >= length) b = st < 0 ? length - 1 : length;
  let n = 0;
  if (st < 0) {
    if (b < a) n = Math.floor((a - b - 1) / -st) + 1;
  } else if (a < b) n = Math.floor((b - a - 1) / st) + 1;
  return { start: a, stop: b, step: st, length: n };
}

/** `s[start:stop:step]`. */
export function strSlice(
  s: string,
  start?: SliceBound,
  stop?: SliceBound,
  step?: SliceBound,
): string {
  const len = strLen(s);
  const { start: a, step: st, length } = sliceIndices(len, start, stop, step);
  if (st === 1) return sub(s, a, a + length);
  const points = Array.from(s);
  let out = "";
  for (let k = 0, i = a; k < length; k++, i += st) out += points[i]!;
  return out;
}

/** `s[i]`: the code point at index i (negative counts from the end). */
export function strIndex(s: string, i: bigint | number): string {
  const len = strLen(s);
  let k = indexSized(i, "IndexError");
  if (k < 0) k += len;
  if (k < 0 || k >= len) raise("IndexError", "string index out of range");
  return sub(s, k, k + 1);
}

/** `s * n` (and `n * s`): n ≤ 0 gives the empty string. */
export function strRepeat(s: string, n: bigint | number): string {
  const count = indexSized(n, "OverflowError");
  if (count <= 0 || s === "") return "";
  if (s.length * count > 2 ** 29) raise("MemoryError", "");
  return s.repeat(count);
}

/** `sub in s`. */
export function strContains(s: string, needle: string): boolean {
  return s.includes(needle);
}

/** Start/end arguments of find, count, startswith…: None or an int, adjusted to 0..len. */
function adjust(len: number, start: SliceBound, end: SliceBound): [number, number] {
  let a = start === null || start === undefined ? 0 : clampIndex(start);
  let b = end === null || end === undefined ? SSIZE_MAX : clampIndex(end);
  if (b > len) b = len;
  else if (b < 0) {
    b += len;
    if (b < 0) b = 0;
  }
  if (a < 0) {
    a += len;
    if (a < 0) a = 0;
  }
  return [a, b];
}

// ------------------------------------------------------------------ repr

function hex(cp: number, width: number): string {
  return cp.toString(16).padStart(width, "0");
}

function escapeInto(cp: number, quote: number, asciiOnly: boolean): string {
  if (cp === quote || cp === 0x5c) return `\\${String.fromCharCode(cp)}`;
  if (cp === 0x09) return "\\t";
  if (cp === 0x0a) return "\\n";
  if (cp === 0x0d) return "\\r";
  if (cp < 0x20 || cp === 0x7f) return `\\x${hex(cp, 2)}`;
  if (cp < 0x7f) return String.fromCharCode(cp);
  if (!asciiOnly && isPrintable(cp)) return String.fromCodePoint(cp);
  if (cp <= 0xff) return `\\x${hex(cp, 2)}`;
  if (cp <= 0xffff) return `\\u${hex(cp, 4)}`;
  return `\\U${hex(cp, 8)}`;
}

function quoted(s: string, asciiOnly: boolean): string {
  // Single quotes, unless the text has a single quote and no double quote.
  const quote = s.includes("'") && !s.includes('"') ? 0x22 : 0x27;
  let out = String.fromCharCode(quote);
  for (const ch of s) out += escapeInto(ch.codePointAt(0)!, quote, asciiOnly);
  return out + String.fromCharCode(quote);
}

/**
 * `repr(s)`: quoted with ' (or " when only ' occurs), with \\, the quote, \t, \n, \r escaped,
 * other non-printable characters as \xhh, \uhhhh or \Uhhhhhhhh, printable ones as they are.
 */
export function strRepr(s: string): string {
  return quoted(s, false);
}

/**
 * `ascii(x)` from `repr(x)`: every non-ASCII character escaped as \xhh, \uhhhh or
 * \Uhhhhhhhh (what `ascii` does to any object's repr).
 */
export function asciiFromRepr(repr: string): string {
  let out = "";
  for (const ch of repr) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) out += ch;
    else if (cp <= 0xff) out += `\\x${hex(cp, 2)}`;
    else if (cp <= 0xffff) out += `\\u${hex(cp, 4)}`;
    else out += `\\U${hex(cp, 8)}`;
  }
  return out;
}

/** `ascii(s)`: like repr, with every non-ASCII character escaped. */
export function strAscii(s: string): string {
  return quoted(s, true);
}

// ------------------------------------------------------------------ searching

/** `s.find(sub, start, end)`: the lowest code point index of sub in s[start:end], or -1. */
export function strFind(s: string, needle: string, start?: SliceBound, end?: SliceBound): number {
  const [a, b] = adjust(strLen(s), start, end);
  const n = strLen(needle);
  if (b - a < n) return -1;
  if (n === 0) return a;
  const at = sub(s, a, b).indexOf(needle);
  return at < 0 ? -1 : a + pointIndex(sub(s, a, b), at);
}

/** `s.rfind(sub, start, end)`: the highest index, or -1. */
export function strRFind(s: string, needle: string, start?: SliceBound, end?: SliceBound): number {
  const [a, b] = adjust(strLen(s), start, end);
  const n = strLen(needle);
  if (b - a < n) return -1;
  if (n === 0) return b;
  const window = sub(s, a, b);
  const at = window.lastIndexOf(needle);
  return at < 0 ? -1 : a + pointIndex(window, at);
}

/** `s.index(sub, start, end)`: like find, but ValueError when absent. */
export function strIndexOf(
  s: string,
  needle: string,
  start?: SliceBound,
  end?: SliceBound,
): number {
  const i = strFind(s, needle, start, end);
  if (i < 0) raise("ValueError", "substring not found");
  return i;
}

/** `s.rindex(sub, start, end)`: like rfind, but ValueError when absent. */
export function strRIndexOf(
  s: string,
  needle: string,
  start?: SliceBound,
  end?: SliceBound,
): number {
  const i = strRFind(s, needle, start, end);
  if (i < 0) raise("ValueError", "substring not found");
  return i;
}

/** `s.count(sub, start, end)`: non-overlapping occurrences in s[start:end]. */
export function strCount(s: string, needle: string, start?: SliceBound, end?: SliceBound): number {
  const [a, b] = adjust(strLen(s), start, end);
  const n = strLen(needle);
  if (b - a < n) return 0;
  if (n === 0) return b - a + 1;
  const window = sub(s, a, b);
  let count = 0;
  for (let at = window.indexOf(needle); at >= 0; at = window.indexOf(needle, at + needle.length)) {
    count++;
  }
  return count;
}

/** `s.startswith(prefix, start, end)` for one prefix (the caller loops over a tuple). */
export function strStartsWith(
  s: string,
  prefix: string,
  start?: SliceBound,
  end?: SliceBound,
): boolean {
  const [a, b] = adjust(strLen(s), start, end);
  const n = strLen(prefix);
  if (b - n < a) return false;
  return n === 0 || sub(s, a, a + n) === prefix;
}

/** `s.endswith(suffix, start, end)` for one suffix. */
export function strEndsWith(
  s: string,
  suffix: string,
  start?: SliceBound,
  end?: SliceBound,
): boolean {
  const [a, b] = adjust(strLen(s), start, end);
  const n = strLen(suffix);
  if (b - n < a) return false;
  return n === 0 || sub(s, b - n, b) === suffix;
}

// ------------------------------------------------------------------ splitting and joining

function noEmpty(sep: string): void {
  if (sep === "") raise("ValueError", "empty separator");
}

/** Counts a Python maxsplit: negative means no limit. */
function splitLimit(maxsplit: bigint | number | undefined): number {
  if (maxsplit === undefined) return SSIZE_MAX;
  const n = ssize(maxsplit);
  return n < 0 ? SSIZE_MAX : n;
}

/**
 * `s.split(sep, maxsplit)`: on runs of whitespace (str.isspace's set) when sep is null, ignoring
 * leading and trailing whitespace; else on each occurrence of sep.
 */
export function strSplit(s: string, sep?: string | null, maxsplit?: bigint | number): string[] {
  let limit = splitLimit(maxsplit);
  const out: string[] = [];
  if (sep === null || sep === undefined) {
    const n = s.length;
    let i = 0;
    while (true) {
      while (i < n && isSpace(s.charCodeAt(i))) i++;
      if (i === n) break;
      if (limit-- === 0) {
        // The rest, without its leading whitespace, is the last piece.
        out.push(s.slice(i, n));
        break;
      }
      const j = i;
      while (i < n && !isSpace(s.charCodeAt(i))) i++;
      out.push(s.slice(j, i));
    }
    return out;
  }
  noEmpty(sep);
  let i = 0;
  while (limit-- > 0) {
    const at = s.indexOf(sep, i);
    if (at < 0) break;
    out.push(s.slice(i, at));
    i = at + sep.length;
  }
  out.push(s.slice(i));
  return out;
}

/** `s.rsplit(sep, maxsplit)`: like split, but the splits are counted from the right. */
export function strRSplit(s: string, sep?: string | null, maxsplit?: bigint | number): string[] {
  let limit = splitLimit(maxsplit);
  const out: string[] = [];
  if (sep === null || sep === undefined) {
    let i = s.length;
    while (true) {
      while (i > 0 && isSpace(s.charCodeAt(i - 1))) i--;
      if (i === 0) break;
      if (limit-- === 0) {
        out.push(s.slice(0, i));
        break;
      }
      const j = i;
      while (i > 0 && !isSpace(s.charCodeAt(i - 1))) i--;
      out.push(s.slice(i, j));
    }
    return out.reverse();
  }
  noEmpty(sep);
  let end = s.length;
  while (limit-- > 0) {
    const at = end - sep.length < 0 ? -1 : s.lastIndexOf(sep, end - sep.length);
    if (at < 0) break;
    out.push(s.slice(at + sep.length, end));
    end = at;
  }
  out.push(s.slice(0, end));
  return out.reverse();
}

function isLineBreak(c: number): boolean {
  return (
    (c >= 0x0a && c <= 0x0d) ||
    (c >= 0x1c && c <= 0x1e) ||
    c === 0x85 ||
    c === 0x2028 ||
    c === 0x2029
  );
}

/** `s.splitlines(keepends)`: on \n, \r, \r\n, \v, \f, \x1c-\x1e, \x85, U+2028, U+2029. */
export function strSplitLines(s: string, keepends = false): string[] {
  const out: string[] = [];
  let i = 0;
  const n = s.length;
  while (i < n) {
    const start = i;
    while (i < n && !isLineBreak(s.charCodeAt(i))) i++;
    let eol = i;
    if (i < n) {
      i += s.charCodeAt(i) === 0x0d && s.charCodeAt(i + 1) === 0x0a ? 2 : 1;
      if (keepends) eol = i;
    }
    out.push(s.slice(start, eol));
  }
  return out;
}

/** `sep.join(items)` over strs (the caller checks the items are strs). */
export function strJoin(sep: string, items: readonly string[]): string {
  return items.join(sep);
}

/** `s.partition(sep)`: (head, sep, tail) around the first sep, or (s, '', ''). */
export function strPartition(s: string, sep: string): [string, string, string] {
  noEmpty(sep);
  const at = s.indexOf(sep);
  if (at < 0) return [s, "", ""];
  return [s.slice(0, at), sep, s.slice(at + sep.length)];
}

/** `s.rpartition(sep)`: around the last sep, or ('', '', s). */
export function strRPartition(s: string, sep: string): [string, string, string] {
  noEmpty(sep);
  const at = s.lastIndexOf(sep);
  if (at < 0) return ["", "", s];
  return [s.slice(0, at), sep, s.slice(at + sep.length)];
}

/** `s.replace(old, new, count)`: count < 0 replaces all; an empty old inserts between characters. */
export function strReplace(
  s: string,
  old: string,
  replacement: string,
  count: bigint | number = -1,
): string {
  let limit = splitLimit(count);
  if (old === "") {
    const points = Array.from(s);
    let out = "";
    for (const ch of points) {
      if (limit-- > 0) out += replacement;
      out += ch;
    }
    return limit > 0 ? out + replacement : out;
  }
  let out = "";
  let i = 0;
  while (limit-- > 0) {
    const at = s.indexOf(old, i);
    if (at < 0) break;
    out += s.slice(i, at) + replacement;
    i = at + old.length;
  }
  return out + s.slice(i);
}

// ------------------------------------------------------------------ stripping and padding

function stripper(chars: string | null | undefined): (cp: number) => boolean {
  if (chars === null || chars === undefined) return isSpace;
  const set = new Set(codePoints(chars));
  return (cp) => set.has(cp);
}

function strip(s: string, chars: string | null | undefined, left: boolean, right: boolean): string {
  const strip = stripper(chars);
  const points = Array.from(s);
  let a = 0;
  let b = points.length;
  if (left) while (a < b && strip(points[a]!.codePointAt(0)!)) a++;
  if (right) while (b > a && strip(points[b - 1]!.codePointAt(0)!)) b--;
  return points.slice(a, b).join("");
}

/** `s.strip(chars)`: whitespace when chars is None. */
export function strStrip(s: string, chars?: string | null): string {
  return strip(s, chars, true, true);
}

/** `s.lstrip(chars)`. */
export function strLStrip(s: string, chars?: string | null): string {
  return strip(s, chars, true, false);
}

/** `s.rstrip(chars)`. */
export function strRStrip(s: string, chars?: string | null): string {
  return strip(s, chars, false, true);
}

function fillChar(fill: string): string {
  if (strLen(fill) !== 1)
    raise("TypeError", "The fill character must be exactly one character long");
  return fill;
}

/** `s.center(width, fillchar)`: the extra fill goes right, except where CPython puts it left. */
export function strCenter(s: string, width: bigint | number, fill = " "): string {
  fillChar(fill);
  const w = ssize(width);
  const len = strLen(s);
  if (len >= w) return s;
  const margin = w - len;
  // CPython's rule: half the margin left, plus one when both margin and width are odd.
  const left = Math.floor(margin / 2) + (margin & w & 1);
  return fill.repeat(left) + s + fill.repeat(margin - left);
}

/** `s.ljust(width, fillchar)`. */
export function strLJust(s: string, width: bigint | number, fill = " "): string {
  fillChar(fill);
  const pad = ssize(width) - strLen(s);
  return pad > 0 ? s + fill.repeat(pad) : s;
}

/** `s.rjust(width, fillchar)`. */
export function strRJust(s: string, width: bigint | number, fill = " "): string {
  fillChar(fill);
  const pad = ssize(width) - strLen(s);
  return pad > 0 ? fill.repeat(pad) + s : s;
}

/** `s.zfill(width)`: zeros on the left, after a leading sign. */
export function strZFill(s: string, width: bigint | number): string {
  const pad = ssize(width) - strLen(s);
  if (pad <= 0) return s;
  const sign = s[0] === "+" || s[0] === "-" ? s[0] : "";
  return sign + "0".repeat(pad) + s.slice(sign.length);
}

/** `s.expandtabs(tabsize)`: tabs to spaces up to the next multiple of tabsize; \n and \r reset the column. */
export function strExpandTabs(s: string, tabsize: bigint | number = 8): string {
  if (typeof tabsize === "bigint" && (tabsize >= 1n << 31n || tabsize < -(1n << 31n))) {
    raise("OverflowError", "Python int too large to convert to C int");
  }
  const size = Number(tabsize);
  let out = "";
  let column = 0;
  for (const ch of s) {
    if (ch === "\t") {
      if (size > 0) {
        const incr = size - (column % size);
        column += incr;
        out += " ".repeat(incr);
      }
    } else {
      column++;
      out += ch;
      if (ch === "\n" || ch === "\r") column = 0;
    }
  }
  return out;
}

/** `s.removeprefix(prefix)`. */
export function strRemovePrefix(s: string, prefix: string): string {
  return prefix !== "" && s.startsWith(prefix) ? s.slice(prefix.length) : s;
}

/** `s.removesuffix(suffix)`. */
export function strRemoveSuffix(s: string, suffix: string): string {
  return suffix !== "" && s.endsWith(suffix) ? s.slice(0, s.length - suffix.length) : s;
}

// ------------------------------------------------------------------ case

/** U+03A3's lowercase at index i: final sigma ς when a cased letter precedes and none follows. */
function lowerAt(points: readonly number[], i: number): string {
  const cp = points[i]!;
  if (cp !== 0x3a3) return lowerOf(cp);
  let j = i - 1;
  while (j >= 0 && isCaseIgnorable(points[j]!)) j--;
  let final = j >= 0 && isCased(points[j]!);
  if (final && i + 1 < points.length) {
    j = i + 1;
    while (j < points.length && isCaseIgnorable(points[j]!)) j++;
    final = j === points.length || !isCased(points[j]!);
  }
  return final ? "\u03c2" : "\u03c3";
}

/** Whether every code unit is ASCII (the fast paths of case mapping). */
function isAsciiText(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** `s.upper()`: full mappings (ß → SS). */
export function strUpper(s: string): string {
  if (isAsciiText(s)) return s.toUpperCase();
  return codePoints(s).map(upperOf).join("");
}

/** `s.lower()`: full mappings, with the final-sigma rule. */
export function strLower(s: string): string {
  if (isAsciiText(s)) return s.toLowerCase();
  const points = codePoints(s);
  return points.map((_, i) => lowerAt(points, i)).join("");
}

/** `s.casefold()`: full case folding (ß → ss, ς → σ). */
export function strCasefold(s: string): string {
  if (isAsciiText(s)) return s.toLowerCase();
  return codePoints(s).map(foldOf).join("");
}

/** `s.swapcase()`: upper-case letters lowered (final sigma included), lower-case raised. */
export function strSwapcase(s: string): string {
  const points = codePoints(s);
  return points
    .map((cp, i) =>
      isUpper(cp) ? lowerAt(points, i) : isLower(cp) ? upperOf(cp) : String.fromCodePoint(cp),
    )
    .join("");
}

/** `s.capitalize()`: the first character titlecased, the rest lowered. */
export function strCapitalize(s: string): string {
  const points = codePoints(s);
  return points.map((cp, i) => (i === 0 ? titleOf(cp) : lowerAt(points, i))).join("");
}

/** `s.title()`: a character after a cased one is lowered, any other titlecased. */
export function strTitle(s: string): string {
  const points = codePoints(s);
  let previousCased = false;
  let out = "";
  points.forEach((cp, i) => {
    out += previousCased ? lowerAt(points, i) : titleOf(cp);
    previousCased = isCased(cp);
  });
  return out;
}

// ------------------------------------------------------------------ predicates

function all(s: string, pred: (cp: number) => boolean): boolean {
  if (s === "") return false;
  for (const ch of s) if (!pred(ch.codePointAt(0)!)) return false;
  return true;
}

/** `s.isspace()`. */
export const strIsSpace = (s: string): boolean => all(s, isSpace);
/** `s.isalpha()`. */
export const strIsAlpha = (s: string): boolean => all(s, isAlpha);
/** `s.isalnum()`. */
export const strIsAlnum = (s: string): boolean => all(s, isAlnum);
/** `s.isdecimal()`. */
export const strIsDecimal = (s: string): boolean => all(s, isDecimal);
/** `s.isdigit()`. */
export const strIsDigit = (s: string): boolean => all(s, isDigit);
/** `s.isnumeric()`. */
export const strIsNumeric = (s: string): boolean => all(s, isNumeric);

/** `s.isascii()`: true for the empty string too. */
export function strIsAscii(s: string): boolean {
  return isAsciiText(s);
}

/** `s.isprintable()`: true for the empty string too. */
export function strIsPrintable(s: string): boolean {
  for (const ch of s) if (!isPrintable(ch.codePointAt(0)!)) return false;
  return true;
}

/** `s.isupper()`: some cased character, and none lower or title case. */
export function strIsUpper(s: string): boolean {
  let cased = false;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (isLower(cp) || isTitle(cp)) return false;
    if (isUpper(cp)) cased = true;
  }
  return cased;
}

/** `s.islower()`: some cased character, and none upper or title case. */
export function strIsLower(s: string): boolean {
  let cased = false;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (isUpper(cp) || isTitle(cp)) return false;
    if (isLower(cp)) cased = true;
  }
  return cased;
}

/** `s.istitle()`: upper/titlecase letters only after uncased ones, lower only after cased. */
export function strIsTitle(s: string): boolean {
  let cased = false;
  let previousCased = false;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (isUpper(cp) || isTitle(cp)) {
      if (previousCased) return false;
      previousCased = true;
      cased = true;
    } else if (isLower(cp)) {
      if (!previousCased) return false;
      previousCased = true;
      cased = true;
    } else previousCased = false;
  }
  return cased;
}

/** `s.isidentifier()`: XID_Start or _ first, XID_Continue after. */
export function strIsIdentifier(s: string): boolean {
  const points = codePoints(s);
  if (points.length === 0) return false;
  const first = points[0]!;
  if (first !== 0x5f && !isXidStart(first)) return false;
  return points.every((cp, i) => i === 0 || isXidContinue(cp));
}

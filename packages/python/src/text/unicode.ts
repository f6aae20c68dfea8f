// Character properties of CPython 3.11's str methods, on code points. JavaScript's regular
// expressions know the Unicode properties, but of a newer Unicode version than CPython 3.11's
// 14.0.0: every property is therefore gated on the code point being assigned in 14.0.0, so a
// character added later behaves as CPython sees it (unassigned: no case, not printable, not a
// letter). The few properties JavaScript has no class for (Numeric_Type, titlecase mappings)
// come from tables generated from CPython's unicodedata.

import {
  DIGIT_RANGES,
  FOLD_EXCEPTIONS,
  NUMERIC_RANGES,
  TITLE_EXCEPTIONS,
  UNASSIGNED_RANGES,
} from "./unicode-data.js";

/** Sorted, disjoint inclusive ranges, searched by bisection. */
class RangeSet {
  private readonly starts: Uint32Array;
  private readonly ends: Uint32Array;

  constructor(encoded: string) {
    const pairs = encoded.trim().split(" ");
    this.starts = new Uint32Array(pairs.length);
    this.ends = new Uint32Array(pairs.length);
    let previousEnd = -1;
    pairs.forEach((pair, i) => {
      const [gap, length] = pair.split(".");
      const start = previousEnd + 1 + Number.parseInt(gap ?? "0", 16);
      const end = start + Number.parseInt(length ?? "0", 16);
      this.starts[i] = start;
      this.ends[i] = end;
      previousEnd = end;
    });
  }

  has(cp: number): boolean {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (cp < this.starts[mid]!) hi = mid - 1;
      else if (cp > this.ends[mid]!) lo = mid + 1;
      else return true;
    }
    return false;
  }
}

const unassigned = new RangeSet(UNASSIGNED_RANGES);
const digitOnly = new RangeSet(DIGIT_RANGES);
const numericOnly = new RangeSet(NUMERIC_RANGES);

/** Decodes a `cp:cp,cp …` mapping table. */
function mappingTable(encoded: string): Map<number, string> {
  return new Map(
    encoded
      .trim()
      .split(" ")
      .map((entry): [number, string] => {
        const [from, to] = entry.split(":");
        const mapped = (to ?? "").split(",").map((hex) => Number.parseInt(hex, 16));
        return [Number.parseInt(from ?? "0", 16), String.fromCodePoint(...mapped)];
      }),
  );
}

const titleExceptions = mappingTable(TITLE_EXCEPTIONS);
const foldExceptions = mappingTable(FOLD_EXCEPTIONS);

const LETTER = /^\p{L}$/u;
const DECIMAL = /^\p{Nd}$/u;
const UPPERCASE = /^\p{Uppercase}$/u;
const LOWERCASE = /^\p{Lowercase}$/u;
const TITLECASE = /^\p{Lt}$/u;
const CASED = /^\p{Cased}$/u;
const CASE_IGNORABLE = /^\p{Case_Ignorable}$/u;
const NOT_PRINTABLE = /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Zl}\p{Zp}\p{Zs}]$/u;
const XID_START = /^\p{XID_Start}$/u;
const XID_CONTINUE = /^\p{XID_Continue}$/u;

function has(pattern: RegExp, cp: number): boolean {
  return !unassigned.has(cp) && pattern.test(String.fromCodePoint(cp));
}

/** Whether `cp` is assigned in Unicode 14.0.0 (its category is not Cn). */
export function isAssigned(cp: number): boolean {
  return !unassigned.has(cp);
}

/**
 * `str.isspace` for one code point: bidirectional class WS, B or S, or category Zs. This is
 * wider than JavaScript's `\s` (it has U+001C..U+001F and U+0085) and narrower (not U+FEFF).
 */
export function isSpace(cp: number): boolean {
  if (cp < 0x80) return (cp >= 0x09 && cp <= 0x0d) || (cp >= 0x1c && cp <= 0x20);
  return (
    cp === 0x85 ||
    cp === 0xa0 ||
    cp === 0x1680 ||
    (cp >= 0x2000 && cp <= 0x200a) ||
    cp === 0x2028 ||
    cp === 0x2029 ||
    cp === 0x202f ||
    cp === 0x205f ||
    cp === 0x3000
  );
}

/** `str.isalpha` for one code point: categories Lu, Ll, Lt, Lm, Lo. */
export function isAlpha(cp: number): boolean {
  return has(LETTER, cp);
}

/** `str.isdecimal` for one code point: category Nd. */
export function isDecimal(cp: number): boolean {
  return has(DECIMAL, cp);
}

/** `str.isdigit` for one code point: Numeric_Type Decimal or Digit. */
export function isDigit(cp: number): boolean {
  return isDecimal(cp) || digitOnly.has(cp);
}

/** `str.isnumeric` for one code point: any Numeric_Type. */
export function isNumeric(cp: number): boolean {
  return isDigit(cp) || numericOnly.has(cp);
}

/** `str.isalnum` for one code point. */
export function isAlnum(cp: number): boolean {
  return isAlpha(cp) || isNumeric(cp);
}

/** The Uppercase property (Lu and Other_Uppercase), what `str.isupper` tests. */
export function isUpper(cp: number): boolean {
  return has(UPPERCASE, cp);
}

// Where later Unicode versions changed the case properties of characters 14.0.0 already had:
// modifier letters made Other_Lowercase (15.0), U+0295 made Lo (16.0), and small letters given
// a capital (16.0) that 14.0.0 leaves without an uppercase mapping.
const LOWERCASE_SINCE_15 = new Set([0x10fc, 0xa7f2, 0xa7f3, 0xa7f4, 0xab69]);
const LOWERCASE_UNTIL_16 = 0x295;
const UPPERCASE_MAPPING_SINCE_16 = new Set([0x19b, 0x264, 0xa7d3, 0xa7d5]);

/** The Lowercase property (Ll and Other_Lowercase), what `str.islower` tests. */
export function isLower(cp: number): boolean {
  if (cp === LOWERCASE_UNTIL_16) return true;
  return has(LOWERCASE, cp) && !LOWERCASE_SINCE_15.has(cp);
}

/** Category Lt, what `str.istitle` calls titlecase. */
export function isTitle(cp: number): boolean {
  return has(TITLECASE, cp);
}

/** The Cased property: uppercase, lowercase or titlecase. */
export function isCased(cp: number): boolean {
  if (cp === LOWERCASE_UNTIL_16) return true;
  return has(CASED, cp) && !LOWERCASE_SINCE_15.has(cp);
}

// U+1171E AHOM CONSONANT SIGN MEDIAL RA: a nonspacing mark (so case-ignorable) in 14.0.0, a
// spacing one since.
const CASE_IGNORABLE_UNTIL_16 = 0x1171e;

/** The Case_Ignorable property (what the final-sigma rule skips over). */
export function isCaseIgnorable(cp: number): boolean {
  return cp === CASE_IGNORABLE_UNTIL_16 || has(CASE_IGNORABLE, cp);
}

/**
 * `str.isprintable` for one code point: not in categories Cc, Cf, Cs, Co, Cn, Zl, Zp, Zs,
 * except the ASCII space.
 */
export function isPrintable(cp: number): boolean {
  if (cp === 0x20) return true;
  return !unassigned.has(cp) && !NOT_PRINTABLE.test(String.fromCodePoint(cp));
}

/** XID_Start: what may begin an identifier (with `_`). */
export function isXidStart(cp: number): boolean {
  return has(XID_START, cp);
}

// Joiners and katakana middle dots, XID_Continue only since Unicode 15.1.
const XID_CONTINUE_SINCE_15_1 = new Set([0x200c, 0x200d, 0x30fb, 0xff65]);

/** XID_Continue: what may follow in an identifier. */
export function isXidContinue(cp: number): boolean {
  return has(XID_CONTINUE, cp) && !XID_CONTINUE_SINCE_15_1.has(cp);
}

/**
 * The value of a decimal digit (category Nd), or -1. Unicode allocates decimal digits in
 * contiguous runs from 0 to 9, so the value is the distance from the run's start, modulo 10
 * (some runs, like the mathematical digits, are several sets back to back).
 */
export function decimalValue(cp: number): number {
  if (cp >= 0x30 && cp <= 0x39) return cp - 0x30;
  if (!isDecimal(cp)) return -1;
  let start = cp;
  while (isDecimal(start - 1)) start--;
  return (cp - start) % 10;
}

/** The full uppercase mapping of one code point (may be several, like ß → SS). */
export function upperOf(cp: number): string {
  const ch = String.fromCodePoint(cp);
  return unassigned.has(cp) || UPPERCASE_MAPPING_SINCE_16.has(cp) ? ch : ch.toUpperCase();
}

/** The full lowercase mapping of one code point, without the final-sigma rule. */
export function lowerOf(cp: number): string {
  const ch = String.fromCodePoint(cp);
  return unassigned.has(cp) ? ch : ch.toLowerCase();
}

/** The full titlecase mapping of one code point (ǆ → ǅ, ß → Ss, ﬁ → Fi). */
export function titleOf(cp: number): string {
  return titleExceptions.get(cp) ?? upperOf(cp);
}

/** The full case folding of one code point (ß → ss, ς → σ, Cherokee small → capital). */
export function foldOf(cp: number): string {
  return foldExceptions.get(cp) ?? lowerOf(cp);
}

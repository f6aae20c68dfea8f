// Python's float semantics as pure functions over JS numbers (both are IEEE 754 binary64):
// repr and the digit generation every float format uses, the floor-division family with
// Python's sign rules, `**`, `round`, conversion to int, and `float(str)`.
//
// Digits come from the exact decimal expansion of the double (a binary64 is m·2^e, so its
// decimal expansion is finite and a bigint holds it), rounded half-even: what CPython's
// correctly rounded dtoa gives, without its big-number machinery's speed but with its answers.

import { raise } from "./errors.js";
import { correctlyRoundedPow } from "./pow.js";
import { strRepr } from "./str.js";
import { decimalValue, isSpace } from "./unicode.js";

/** A double's magnitude as decimal digits: value = 0.digits × 10^decpt (dtoa's convention). */
export interface Digits {
  /** The significant digits, without trailing zeros ("" when the value rounded to zero). */
  readonly digits: string;
  /** The decimal point's position relative to the digits' start. */
  readonly decpt: number;
}

const bitsView = new DataView(new ArrayBuffer(8));

/**
 * Splits a finite double into an integer mantissa and a power of two, |x| = m·2^e, with the
 * mantissa as a number (exact: it has at most 53 bits).
 */
function split(x: number): { m: number; e: number } {
  bitsView.setFloat64(0, x);
  const hi = bitsView.getUint32(0);
  const lo = bitsView.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  const fraction = (hi & 0xfffff) * 2 ** 32 + lo;
  if (biased === 0) return { m: fraction, e: -1074 };
  return { m: fraction + 2 ** 52, e: biased - 1075 };
}

/** `split` with the mantissa as a bigint, for exact arithmetic. */
function decompose(x: number): { m: bigint; e: number } {
  const { m, e } = split(x);
  return { m: BigInt(m), e };
}

function stripZeros(digits: string): string {
  let end = digits.length;
  while (end > 0 && digits.charCodeAt(end - 1) === 48) end--;
  return digits.slice(0, end);
}

/** The exact decimal expansion of a finite, non-zero double's magnitude. */
export function exactDigits(x: number): Digits {
  const { m, e } = decompose(x);
  if (e >= 0) {
    const s = (m << BigInt(e)).toString();
    return { digits: stripZeros(s), decpt: s.length };
  }
  // m·2^e = m·5^-e / 10^-e: the digits of m·5^-e, with the point moved left by -e places.
  const s = (m * 5n ** BigInt(-e)).toString();
  return { digits: stripZeros(s), decpt: s.length + e };
}

/**
 * Rounds a digit string to its first `keep` digits, half to even on the exact tail; returns the
 * kept digits (trailing zeros stripped) and the decimal point's shift (1 when 9…9 carried).
 */
function roundAt(digits: string, keep: number): { digits: string; carry: number } {
  if (keep >= digits.length) return { digits, carry: 0 };
  const head = digits.slice(0, keep);
  const first = digits.charCodeAt(keep) - 48;
  let up: boolean;
  if (first !== 5) up = first > 5;
  else if (/[1-9]/.test(digits.slice(keep + 1))) up = true;
  else up = keep > 0 && (head.charCodeAt(keep - 1) - 48) % 2 === 1;
  if (!up) return { digits: stripZeros(head), carry: 0 };
  // Increment the kept digits as a decimal number: trailing 9s become 0s.
  let i = keep - 1;
  while (i >= 0 && head[i] === "9") i--;
  if (i < 0) return { digits: "1", carry: 1 };
  return { digits: stripZeros(head.slice(0, i) + String(head.charCodeAt(i) - 47)), carry: 0 };
}

/**
 * The digits dtoa produces for |x| (finite): mode 0 the shortest digits that round-trip, mode 2
 * `ndigits` significant digits (at least 1), mode 3 `ndigits` digits past the decimal point.
 * Zero gives "0" with decpt 1; a value that rounds to zero in mode 3 gives "" at -ndigits.
 */
export function dtoa(x: number, mode: 0 | 2 | 3, ndigits: number): Digits {
  if (x === 0) return { digits: "0", decpt: 1 };
  const magnitude = Math.abs(x);
  if (mode === 0) {
    // ECMAScript's shortest round-trip digits, nearest to x among the shortest: dtoa mode 0's.
    const [mantissa = "", exponent = "0"] = magnitude.toExponential().split("e");
    return { digits: mantissa.replace(".", ""), decpt: Number(exponent) + 1 };
  }
  // JavaScript's toFixed and toExponential round the exact value correctly too, but send ties
  // away from zero where dtoa sends them to even. A tie needs the exact expansion to end one
  // digit past the rounding position, so where it provably does not, they give dtoa's digits.
  const { m, e } = split(magnitude);
  const tz = trailingZeroBits(m);
  const fractionDigits = Math.max(0, -(e + tz)); // the exact expansion's digits after the point
  if (mode === 3 && ndigits <= 100 && magnitude < 1e21 && fractionDigits !== ndigits + 1) {
    return digitsOfText(magnitude.toFixed(ndigits));
  }
  const n = Math.max(ndigits, 1);
  if (mode === 2 && n <= 101 && !mayTieAt(magnitude, m / 2 ** tz, fractionDigits, n)) {
    return digitsOfText(magnitude.toExponential(n - 1));
  }
  return exactDtoa(magnitude, mode, ndigits);
}

/** The number of trailing zero bits of a positive integer below 2^53. */
function trailingZeroBits(m: number): number {
  const lo = m % 2 ** 32;
  if (lo !== 0) return 31 - Math.clz32(lo & -lo);
  const hi = Math.floor(m / 2 ** 32);
  return 32 + 31 - Math.clz32(hi & -hi);
}

/**
 * Whether rounding |x| to n significant digits may meet a tie: the exact expansion would have
 * to have exactly n+1 significant digits, the last a 5. `odd` is the odd part of the mantissa.
 */
function mayTieAt(magnitude: number, odd: number, fractionDigits: number, n: number): boolean {
  if (fractionDigits === 0) {
    // An integer: below 1e21 JavaScript prints all its digits.
    if (magnitude >= 1e21) return true;
    const significant = String(magnitude).replace(/0+$/, "");
    return significant.length === n + 1 && significant.endsWith("5");
  }
  // odd·5^k / 10^k has as many significant digits as odd·5^k; estimate them, allowing for
  // the estimate's error at a power of ten.
  const estimate = Math.floor(Math.log10(odd) + fractionDigits * Math.log10(5)) + 1;
  return Math.abs(estimate - (n + 1)) <= 1;
}

/** Digits of a JavaScript fixed or exponential rendering: "12.340" → 1234 with the point at 2. */
function digitsOfText(text: string): Digits {
  const [mantissa = "", exponent = "0"] = text.split("e");
  const dot = mantissa.indexOf(".");
  const all = mantissa.replace(".", "");
  let k = 0;
  while (k < all.length && all[k] === "0") k++;
  const decpt = (dot < 0 ? mantissa.length : dot) + Number(exponent) - k;
  return { digits: stripZeros(all.slice(k)), decpt };
}

/**
 * dtoa's modes 2 and 3 from the exact decimal expansion, rounded half to even: the reference
 * the fast paths of `dtoa` agree with, and the answer where they cannot be used.
 */
export function exactDtoa(magnitude: number, mode: 2 | 3, ndigits: number): Digits {
  if (magnitude === 0) return { digits: "0", decpt: 1 };
  const exact = exactDigits(Math.abs(magnitude));
  const keep = mode === 2 ? Math.max(ndigits, 1) : exact.decpt + ndigits;
  if (keep < 0) return { digits: "", decpt: -ndigits };
  const rounded = roundAt(exact.digits, keep);
  if (rounded.digits === "") return { digits: "", decpt: -ndigits };
  return { digits: rounded.digits, decpt: exact.decpt + rounded.carry };
}

/** Flags of `formatDouble`, named after CPython's Py_DTSF_* flags. */
export interface DoubleFlags {
  /** Py_DTSF_ALT: keep the decimal point and (for g) trailing zeros. */
  readonly alt?: boolean;
  /** Py_DTSF_ADD_DOT_0: an integral value without exponent gets ".0". */
  readonly addDot0?: boolean;
  /** Py_DTSF_SIGN: "+" on non-negative values. */
  readonly sign?: boolean;
  /** Py_DTSF_NO_NEG_0: a value that rounds to zero loses its minus sign. */
  readonly noNeg0?: boolean;
}

/**
 * CPython's PyOS_double_to_string: `x` in format `code` (e, E, f, F, g, G, or r for repr) with
 * `precision`, under `flags`. Infinities and NaN are "inf", "-inf" and "nan" (upper case for the
 * upper-case codes; NaN never has a sign).
 */
export function formatDouble(
  x: number,
  code: "e" | "E" | "f" | "F" | "g" | "G" | "r",
  precision: number,
  flags: DoubleFlags = {},
): string {
  const upper = code === "E" || code === "F" || code === "G";
  const lower = code.toLowerCase() as "e" | "f" | "g" | "r";
  let sign = x < 0 || Object.is(x, -0) ? "-" : flags.sign ? "+" : "";
  if (Number.isNaN(x)) return `${flags.sign ? "+" : ""}${upper ? "NAN" : "nan"}`;
  if (!Number.isFinite(x)) return `${sign}${upper ? "INF" : "inf"}`;

  let mode: 0 | 2 | 3 = 0;
  if (lower === "e") {
    mode = 2;
    precision++;
  } else if (lower === "f") mode = 3;
  else if (lower === "g") {
    mode = 2;
    if (precision === 0) precision = 1;
  }
  const { digits, decpt: point } = dtoa(x, mode, precision);
  let decpt = point;
  if (flags.noNeg0 && sign === "-" && /^0*$/.test(digits)) sign = flags.sign ? "+" : "";
  const alt = flags.alt === true;
  const addDot0 = flags.addDot0 === true;

  // Which slice of the digits, padded with zeros on both sides without end, to print; where
  // the point goes; whether an exponent is used (format_float_short's "virtual digits").
  let useExp = false;
  let vdigitsEnd = digits.length;
  if (lower === "e") {
    useExp = true;
    vdigitsEnd = precision;
  } else if (lower === "f") vdigitsEnd = decpt + precision;
  else if (lower === "g") {
    if (decpt <= -4 || decpt > (addDot0 ? precision - 1 : precision)) useExp = true;
    if (alt) vdigitsEnd = precision;
  } else if (decpt <= -4 || decpt > 16) useExp = true;

  let exp = 0;
  if (useExp) {
    exp = decpt - 1;
    decpt = 1;
  }
  const vdigitsStart = decpt <= 0 ? decpt - 1 : 0;
  if (!useExp && addDot0) vdigitsEnd = Math.max(vdigitsEnd, decpt + 1);
  else vdigitsEnd = Math.max(vdigitsEnd, decpt);

  let out = "";
  if (decpt <= 0) out += `${"0".repeat(decpt - vdigitsStart)}.${"0".repeat(-decpt)}`;
  else out += "0".repeat(-vdigitsStart);
  if (decpt > 0 && decpt <= digits.length)
    out += `${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
  else out += digits;
  if (digits.length < decpt) {
    out += `${"0".repeat(decpt - digits.length)}.${"0".repeat(vdigitsEnd - decpt)}`;
  } else out += "0".repeat(Math.max(0, vdigitsEnd - digits.length));
  if (out.endsWith(".") && !alt) out = out.slice(0, -1);
  if (useExp) {
    const magnitude = String(Math.abs(exp)).padStart(2, "0");
    out += `${upper ? "E" : "e"}${exp < 0 ? "-" : "+"}${magnitude}`;
  }
  return sign + out;
}

/** `repr(x)` and `str(x)` of a float: the shortest digits that read back as `x`. */
export function floatRepr(x: number): string {
  return formatDouble(x, "r", 0, { addDot0: true });
}

/** `int(x)` of a float: truncation toward zero, exact for any magnitude. */
export function floatToInt(x: number): bigint {
  if (Number.isNaN(x)) raise("ValueError", "cannot convert float NaN to integer");
  if (!Number.isFinite(x)) raise("OverflowError", "cannot convert float infinity to integer");
  return BigInt(Math.trunc(x));
}

/** `float.is_integer()`. */
export function floatIsInteger(x: number): boolean {
  return Number.isFinite(x) && Math.trunc(x) === x;
}

/** `x / y` of floats. */
export function floatTrueDiv(x: number, y: number): number {
  if (y === 0) raise("ZeroDivisionError", "float division by zero");
  return x / y;
}

/**
 * Python's float divmod (CPython's _float_div_mod): the modulo takes the divisor's sign, and
 * the quotient is the floor of the exact quotient, nudged where fmod's exactness shows the
 * naive floor would be one off.
 */
function divmodCore(vx: number, wx: number): [number, number] {
  let mod = vx % wx; // C's fmod: exact, with the dividend's sign.
  let div = (vx - mod) / wx;
  // C's truth tests: NaN is true (from an infinite dividend or a NaN operand).
  if (mod !== 0) {
    if (wx < 0 !== mod < 0) {
      mod += wx;
      div -= 1;
    }
  } else {
    mod = wx < 0 ? -0 : 0;
  }
  let floordiv: number;
  if (div !== 0) {
    floordiv = Math.floor(div);
    if (div - floordiv > 0.5) floordiv += 1;
  } else {
    const q = vx / wx;
    floordiv = q < 0 || Object.is(q, -0) ? -0 : 0;
  }
  return [floordiv, mod];
}

/** `x // y` of floats. */
export function floatFloorDiv(x: number, y: number): number {
  if (y === 0) raise("ZeroDivisionError", "float floor division by zero");
  return divmodCore(x, y)[0];
}

/** `x % y` of floats: the result has the divisor's sign. */
export function floatMod(x: number, y: number): number {
  if (y === 0) raise("ZeroDivisionError", "float modulo");
  return divmodCore(x, y)[1];
}

/** `divmod(x, y)` of floats. */
export function floatDivmod(x: number, y: number): [number, number] {
  if (y === 0) raise("ZeroDivisionError", "float divmod()");
  return divmodCore(x, y);
}

function isOddInteger(x: number): boolean {
  return Number.isFinite(x) && Math.trunc(x) === x && Math.abs(x % 2) === 1;
}

/**
 * `x ** y` of floats, with CPython's float_pow special cases (C99 Annex F, plus Python's
 * errors), correctly rounded. CPython's C library pow is correctly rounded but for results
 * very close to a tie between two doubles (about one random power in a thousand), where the
 * two can differ in the last bit. A negative base to a non-integral power is a complex number
 * in Python: the evaluator hands that case to complex_pow before calling this, which raises
 * ValueError for it.
 */
export function floatPow(x: number, y: number): number {
  if (y === 0) return 1;
  if (Number.isNaN(x)) return x;
  if (Number.isNaN(y)) return x === 1 ? 1 : y;
  if (!Number.isFinite(y)) {
    const ax = Math.abs(x);
    if (ax === 1) return 1;
    return y > 0 === ax > 1 ? Math.abs(y) : 0;
  }
  if (!Number.isFinite(x)) {
    const odd = isOddInteger(y);
    if (y > 0) return odd ? x : Math.abs(x);
    return odd ? (x < 0 ? -0 : 0) : 0;
  }
  if (x === 0) {
    if (y < 0) raise("ZeroDivisionError", "0.0 cannot be raised to a negative power");
    return isOddInteger(y) ? x : 0;
  }
  let negate = false;
  if (x < 0) {
    if (Math.floor(y) !== y) {
      // Python answers with a complex number (the evaluator's complex_pow, which callers
      // reach first); a float result cannot be had: the error Python 2 raised.
      raise("ValueError", "negative number cannot be raised to a fractional power");
    }
    x = -x;
    negate = isOddInteger(y);
  }
  if (x === 1) return negate ? -1 : 1;
  const r = Number.isInteger(y) && Math.abs(y) <= 1100 ? exactPow(x, y) : correctlyRoundedPow(x, y);
  if (!Number.isFinite(r)) raise("OverflowError", "(34, 'Numerical result out of range')");
  return negate ? -r : r;
}

/**
 * The double nearest num/den (positive bigints), ties to even; subnormal results are rounded
 * once, at their own precision; Infinity when the result overflows.
 */
export function ratioToDouble(num: bigint, den: bigint): number {
  const bits = (n: bigint) => n.toString(2).length;
  // The quotient's binary exponent: 2^e ≤ num/den < 2^(e+1).
  let e = bits(num) - bits(den);
  if (e >= 0 ? num < den << BigInt(e) : num << BigInt(-e) < den) e--;
  if (e > 1023) return Infinity;
  // The weight of the result's last bit: 53 significant bits, fewer once subnormal.
  const ulp = Math.max(e - 52, -1074);
  if (ulp >= 0) den <<= BigInt(ulp);
  else num <<= BigInt(-ulp);
  let q = num / den;
  const twice = 2n * (num - q * den);
  if (twice > den || (twice === den && (q & 1n) === 1n)) q += 1n;
  // q ≤ 2^53 is exact in a double, and scaling by a power of two is exact until it overflows.
  return Number(q) * 2 ** ulp;
}

/**
 * x ** n for a positive double and an integer n, correctly rounded (the platform pow CPython
 * calls is; JavaScript's ** is not always), from the exact power m^n·2^(e·n).
 */
function exactPow(x: number, n: number): number {
  const { m, e } = decompose(x);
  const k = BigInt(Math.abs(n));
  const mantissa = m ** k;
  const exponent = BigInt(e) * k;
  let num = mantissa;
  let den = 1n;
  if (exponent >= 0n) num <<= exponent;
  else den <<= -exponent;
  return n > 0 ? ratioToDouble(num, den) : ratioToDouble(den, num);
}

/** `round(x)` of a float: the nearest int, ties to even. */
export function floatRoundToInt(x: number): bigint {
  if (Number.isNaN(x)) raise("ValueError", "cannot convert float NaN to integer");
  if (!Number.isFinite(x)) raise("OverflowError", "cannot convert float infinity to integer");
  let r = Math.round(x);
  // Math.round sends ties up; Python sends them to the even neighbour.
  if (r - x === 0.5 && r % 2 !== 0) r -= 1;
  return BigInt(r);
}

/**
 * `round(x, ndigits)` of a float: the double nearest to x rounded (half to even, on x's exact
 * value) to `ndigits` decimal places; negative ndigits round to tens, hundreds, …
 */
export function roundFloat(x: number, ndigits: bigint): number {
  if (!Number.isFinite(x) || x === 0) return x;
  // Beyond these bounds the answer is x itself, or a zero of x's sign (CPython's NDIGITS_MAX
  // and NDIGITS_MIN, from the range of a double's decimal exponents).
  if (ndigits > 323n) return x;
  if (ndigits < -308n) return x < 0 ? -0 : 0;
  const nd = Number(ndigits);
  const { m, e } = decompose(Math.abs(x));
  // The exact quotient |x|·10^nd as num/den, rounded half-even to an integer q.
  let num = m;
  let den = 1n;
  if (e >= 0) num <<= BigInt(e);
  else den <<= BigInt(-e);
  if (nd >= 0) num *= 10n ** BigInt(nd);
  else den *= 10n ** BigInt(-nd);
  let q = num / den;
  const twice = 2n * (num - q * den);
  if (twice > den || (twice === den && q % 2n === 1n)) q += 1n;
  const r = Number(`${q}e${-nd}`);
  if (!Number.isFinite(r)) raise("OverflowError", "rounded value too large to represent");
  return x < 0 ? -r : r;
}

const FLOAT_SYNTAX = /^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf|infinity|nan)$/i;

/**
 * Replaces Unicode decimal digits by ASCII ones and Unicode whitespace by spaces, as CPython's
 * _PyUnicode_TransformDecimalAndSpaceToASCII does before parsing a number; any other non-ASCII
 * code point makes the string invalid (undefined).
 */
export function asciiNumberText(s: string): string | undefined {
  let out = "";
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) out += ch;
    else if (isSpace(cp)) out += " ";
    else {
      const digit = decimalValue(cp);
      if (digit < 0) return undefined;
      out += String(digit);
    }
  }
  return out;
}

/**
 * C's isspace in the C locale: what number parsing strips once non-ASCII whitespace became
 * spaces (so U+001C..U+001F, which str.isspace accepts, are not whitespace to float or int).
 */
export function isAsciiSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

function stripSpace(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && isAsciiSpace(s.charCodeAt(start))) start++;
  while (end > start && isAsciiSpace(s.charCodeAt(end - 1))) end--;
  return s.slice(start, end);
}

/**
 * Removes underscores that sit between two digits, or returns undefined if any underscore does
 * not (CPython's _Py_string_to_number_with_underscores).
 */
function dropUnderscores(s: string): string | undefined {
  if (!s.includes("_")) return s;
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === "_") {
      const before = s.charCodeAt(i - 1);
      const after = s.charCodeAt(i + 1);
      const digit = (c: number) => c >= 48 && c <= 57;
      if (!digit(before) || !digit(after)) return undefined;
    } else out += ch;
  }
  return out;
}

/** `float(s)` of a str: Python's float literal syntax, whitespace, underscores, inf and nan. */
export function floatFromStr(s: string): number {
  const ascii = asciiNumberText(s);
  const text = ascii === undefined ? undefined : dropUnderscores(stripSpace(ascii));
  if (text === undefined || !FLOAT_SYNTAX.test(text)) {
    raise("ValueError", `could not convert string to float: ${strRepr(s)}`);
  }
  const lower = text.toLowerCase();
  const negative = lower.startsWith("-");
  const body = lower.replace(/^[+-]/, "");
  if (body === "nan") return Number.NaN;
  if (body === "inf" || body === "infinity") return negative ? -Infinity : Infinity;
  // JavaScript's Number() rounds decimal text correctly, as CPython's strtod does.
  return Number(text);
}

/**
 * `float.hex()`: the double as `[-]0x1.<13 hex digits>p<exponent>` (a subnormal as
 * `0x0.…p-1022`), `inf`, `-inf`, `nan`, and `0x0.0p+0` for zero, as float_hex writes it.
 */
export function floatHex(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const sign = bits >> 63n ? "-" : "";
  const biased = Number((bits >> 52n) & 0x7ffn);
  const mantissa = bits & 0xfffffffffffffn;
  if (biased === 0 && mantissa === 0n) return `${sign}0x0.0p+0`;
  const digits = mantissa.toString(16).padStart(13, "0");
  const exponent = biased === 0 ? -1022 : biased - 1023;
  return `${sign}0x${biased === 0 ? 0 : 1}.${digits}p${exponent < 0 ? "" : "+"}${exponent}`;
}

/** Why {@link floatFromHex} refused its text: CPython's ValueError or OverflowError. */
export type FromHexError = "invalid" | "overflow";

/**
 * `float.fromhex(text)`: `[sign][0x]hexdigits[.hexdigits][p[sign]digits]` between optional
 * whitespace (or `inf`/`infinity`/`nan`), rounded half to even to the nearest double, as
 * float_fromhex reads it; the reason as a string when it cannot.
 */
export function floatFromHex(text: string): number | FromHexError {
  const s = text.trim();
  const special = /^([+-]?)(inf|infinity|nan)$/i.exec(s);
  if (special) {
    const v = special[2]!.toLowerCase() === "nan" ? Number.NaN : Number.POSITIVE_INFINITY;
    return special[1] === "-" ? -v : v;
  }
  const m = /^([+-]?)(?:0x)?([0-9a-f]*)(?:\.([0-9a-f]*))?(?:p([+-]?[0-9]+))?$/i.exec(s);
  if (!m) return "invalid";
  const whole = m[2] ?? "";
  const fraction = m[3] ?? "";
  if (whole.length + fraction.length === 0) return "invalid";
  const negative = m[1] === "-";
  const digits = BigInt(`0x${whole}${fraction}0`) >> 4n;
  let k = BigInt(m[4] ?? "0") - 4n * BigInt(fraction.length);
  if (digits === 0n) return negative ? -0 : 0;
  const top = BigInt(digits.toString(2).length - 1) + k;
  if (top > 1024n) return "overflow";
  if (top < -1100n) return negative ? -0 : 0;
  // The lowest bit kept: 53 bits for a normal double, none below 2**-1074.
  const lsb = top - 52n < -1074n ? -1074n : top - 52n;
  let q: bigint;
  const shift = lsb - k;
  if (shift > 0n) {
    q = digits >> shift;
    const rest = digits - (q << shift);
    const half = 1n << (shift - 1n);
    if (rest > half || (rest === half && (q & 1n) === 1n)) q += 1n;
  } else q = digits << -shift;
  k = lsb;
  const value = Number(q) * 2 ** Number(k);
  if (!Number.isFinite(value)) return "overflow";
  return negative ? -value : value;
}

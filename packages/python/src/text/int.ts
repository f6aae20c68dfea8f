// Python's int semantics as pure functions over bigints: floor division and modulo with
// Python's signs, `**`, shifts, `int(str, base)`, the int↔str digit limit, `bin`/`oct`/`hex`,
// exact int/float comparison, correctly rounded true division, and `round(int, ndigits)`.

import { raise } from "./errors.js";
import { asciiNumberText, floatPow, isAsciiSpace, ratioToDouble } from "./float.js";
import { strRepr } from "./str.js";

/** CPython 3.11's default `sys.get_int_max_str_digits()`. */
export const INT_MAX_STR_DIGITS = 4300;

/** Below this many digits CPython does not even look at the limit (_PY_LONG_MAX_STR_DIGITS_THRESHOLD). */
const LIMIT_THRESHOLD = 640;

/** `a // b`: the floor of the exact quotient. */
export function intFloorDiv(a: bigint, b: bigint): bigint {
  if (b === 0n) raise("ZeroDivisionError", "integer division or modulo by zero");
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/** `a % b`: the remainder of floor division; it has the divisor's sign. */
export function intMod(a: bigint, b: bigint): bigint {
  if (b === 0n) raise("ZeroDivisionError", "integer modulo by zero");
  const r = a % b;
  return r !== 0n && r < 0n !== b < 0n ? r + b : r;
}

/** `divmod(a, b)` of ints. */
export function intDivmod(a: bigint, b: bigint): [bigint, bigint] {
  if (b === 0n) raise("ZeroDivisionError", "integer division or modulo by zero");
  const q = intFloorDiv(a, b);
  return [q, a - q * b];
}

/** `float(n)`: the nearest double, ties to even. */
export function intToFloat(n: bigint): number {
  // BigInt → Number rounds to nearest, ties to even, as CPython's PyLong_AsDouble does.
  const x = Number(n);
  if (!Number.isFinite(x)) raise("OverflowError", "int too large to convert to float");
  return x;
}

/**
 * `a ** b` of ints: an int for b ≥ 0; for b < 0 both operands become floats and the float
 * power answers (2 ** -1 == 0.5), as CPython's long_pow does.
 */
export function intPow(a: bigint, b: bigint): bigint | number {
  if (b < 0n) return floatPow(intToFloat(a), intToFloat(b));
  if (a === 0n || a === 1n) return b === 0n ? 1n : a;
  if (a === -1n) return b % 2n === 0n ? 1n : -1n;
  try {
    return a ** b;
  } catch (e) {
    if (e instanceof RangeError) raise("OverflowError", "too many digits in integer");
    throw e;
  }
}

/** `pow(a, b, m)` of ints: modular exponentiation, with the modulus's sign like `%`. */
export function intPowMod(a: bigint, b: bigint, m: bigint): bigint {
  if (m === 0n) raise("ValueError", "pow() 3rd argument cannot be 0");
  let base = intMod(a, m);
  if (b < 0n) {
    base = modInverse(base, m);
    b = -b;
  }
  let result = intMod(1n, m);
  while (b > 0n) {
    if (b & 1n) result = intMod(result * base, m);
    base = intMod(base * base, m);
    b >>= 1n;
  }
  return result;
}

/** The inverse of a modulo m, or Python's ValueError when there is none. */
function modInverse(a: bigint, m: bigint): bigint {
  const mod = m < 0n ? -m : m;
  let [oldR, r] = [intMod(a, mod), mod];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  if (oldR !== 1n) raise("ValueError", "base is not invertible for the given modulus");
  return intMod(oldS, m);
}

/** `a << n`. */
export function intLShift(a: bigint, n: bigint): bigint {
  if (n < 0n) raise("ValueError", "negative shift count");
  if (a === 0n) return 0n;
  try {
    return a << n;
  } catch (e) {
    if (e instanceof RangeError) raise("OverflowError", "too many digits in integer");
    throw e;
  }
}

/** `a >> n`: an arithmetic shift, so negative values round toward minus infinity. */
export function intRShift(a: bigint, n: bigint): bigint {
  if (n < 0n) raise("ValueError", "negative shift count");
  // Past the value's width the answer is its sign; this also keeps huge counts cheap.
  if (n > BigInt(a.toString(2).length)) return a < 0n ? -1n : 0n;
  return a >> n;
}

function digitValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 122) return code - 87;
  if (code >= 65 && code <= 90) return code - 55;
  return 99;
}

function limitError(digits: number): never {
  raise(
    "ValueError",
    `Exceeds the limit (${INT_MAX_STR_DIGITS} digits) for integer string conversion: value has ${digits} digits; use sys.set_int_max_str_digits() to increase the limit`,
  );
}

/** The repr of `s` cut to 200 code points, as CPython's `%.200R` does. */
function truncatedRepr(s: string): string {
  return Array.from(strRepr(s)).slice(0, 200).join("");
}

/**
 * `int(s, base)` of a str: Python's rules for signs, whitespace (Unicode's too), base
 * prefixes, single underscores between digits, Unicode decimal digits, base 0's literal
 * syntax, and the 4300-digit limit for bases that are not powers of two.
 */
export function intFromStr(s: string, base = 10n): bigint {
  if (base !== 0n && (base < 2n || base > 36n)) {
    raise("ValueError", "int() base must be >= 2 and <= 36, or 0");
  }
  const invalid = (): never =>
    raise("ValueError", `invalid literal for int() with base ${base}: ${truncatedRepr(s)}`);
  const text = asciiNumberText(s);
  if (text === undefined) return invalid();
  let b = Number(base);
  let i = 0;
  while (i < text.length && isAsciiSpace(text.charCodeAt(i))) i++;
  let negative = false;
  if (text[i] === "+" || text[i] === "-") {
    negative = text[i] === "-";
    i++;
  }
  const prefix = (text[i + 1] ?? "").toLowerCase();
  let zeroOnly = false;
  if (b === 0) {
    if (text[i] !== "0") b = 10;
    else if (prefix === "x") b = 16;
    else if (prefix === "o") b = 8;
    else if (prefix === "b") b = 2;
    else {
      // A C-style octal literal ("010") is invalid, but zeros ("00", "0_0") are fine.
      zeroOnly = true;
      b = 10;
    }
  }
  if (
    text[i] === "0" &&
    ((b === 16 && prefix === "x") || (b === 8 && prefix === "o") || (b === 2 && prefix === "b"))
  ) {
    i += 2;
    if (text[i] === "_") i++; // one underscore may follow the prefix
  }
  if (text[i] === "_") return invalid();
  let digits = "";
  let previous = "";
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === "_") {
      if (previous === "_") return invalid();
    } else if (digitValue(ch.charCodeAt(0)) < b) digits += ch;
    else break;
    previous = ch;
    i++;
  }
  if (previous === "_" || digits === "") return invalid();
  // Powers of two convert in linear time; other bases are limited (CVE-2020-10735).
  if (
    (b & (b - 1)) !== 0 &&
    digits.length > LIMIT_THRESHOLD &&
    digits.length > INT_MAX_STR_DIGITS
  ) {
    limitError(digits.length);
  }
  while (i < text.length && isAsciiSpace(text.charCodeAt(i))) i++;
  if (i < text.length) return invalid();
  let value = 0n;
  if (b === 10) value = BigInt(digits);
  else if (b === 16) value = BigInt(`0x${digits}`);
  else if (b === 8) value = BigInt(`0o${digits}`);
  else if (b === 2) value = BigInt(`0b${digits}`);
  else {
    // Horner's rule over chunks of digits small enough to stay exact in a double.
    const chunk = Math.floor(Math.log(2 ** 50) / Math.log(b));
    for (let k = 0; k < digits.length; k += chunk) {
      const piece = digits.slice(k, k + chunk);
      let n = 0;
      for (const c of piece) n = n * b + digitValue(c.charCodeAt(0));
      value = value * BigInt(b) ** BigInt(piece.length) + BigInt(n);
    }
  }
  if (zeroOnly && value !== 0n) return invalid();
  return negative ? -value : value;
}

/** `str(n)` / `repr(n)` of an int, under the 4300-digit limit. */
export function intToDecimal(n: bigint): string {
  const s = n.toString();
  const digits = n < 0n ? s.length - 1 : s.length;
  if (digits > INT_MAX_STR_DIGITS) {
    raise(
      "ValueError",
      `Exceeds the limit (${INT_MAX_STR_DIGITS} digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit`,
    );
  }
  return s;
}

/**
 * `n` in base 2, 8, 10 or 16, as `bin`, `oct`, `str` and `hex` write it: a sign, then the
 * prefix (0b, 0o, 0x; none for base 10), then lower-case digits.
 */
export function intToStr(n: bigint, base: 2 | 8 | 10 | 16): string {
  if (base === 10) return intToDecimal(n);
  const prefix = base === 2 ? "0b" : base === 8 ? "0o" : "0x";
  return n < 0n ? `-${prefix}${(-n).toString(base)}` : `${prefix}${n.toString(base)}`;
}

/**
 * Compares an int with a float exactly (no rounding of the int): -1, 0 or 1, or undefined when
 * the float is NaN (every comparison with NaN is false but `!=`).
 */
export function compareIntFloat(i: bigint, f: number): -1 | 0 | 1 | undefined {
  if (Number.isNaN(f)) return undefined;
  if (f === Infinity) return -1;
  if (f === -Infinity) return 1;
  const floor = Math.floor(f);
  const big = BigInt(floor);
  if (i < big) return -1;
  if (i > big) return 1;
  // i equals floor(f): equal when f is integral, else below it.
  return floor === f ? 0 : -1;
}

/**
 * `a / b` of ints: the double nearest the exact quotient (ties to even), even where the
 * operands do not fit a double; subnormal results are rounded once, at their own precision.
 */
export function intTrueDiv(a: bigint, b: bigint): number {
  if (b === 0n) raise("ZeroDivisionError", "division by zero");
  const negative = a < 0n !== b < 0n;
  const x = a < 0n ? -a : a;
  const y = b < 0n ? -b : b;
  if (x === 0n) return negative ? -0 : 0;
  const limit = 1n << 53n;
  if (x <= limit && y <= limit) return Number(a) / Number(b); // both exact: IEEE rounds once
  const result = ratioToDouble(x, y);
  if (!Number.isFinite(result)) {
    raise("OverflowError", "integer division result too large for a float");
  }
  return negative ? -result : result;
}

/** `round(n, ndigits)` of an int: unchanged for ndigits ≥ 0, else to a multiple of 10^-ndigits, ties to even. */
export function roundInt(n: bigint, ndigits: bigint): bigint {
  if (ndigits >= 0n) return n;
  // |n| < 10^k ≤ half of 10^-ndigits: zero, without computing a power of ten that large.
  if (-ndigits > BigInt(n.toString().length)) return 0n;
  const unit = 10n ** -ndigits;
  const q = intFloorDiv(n, unit);
  const r = n - q * unit;
  const twice = 2n * r;
  const up = twice > unit || (twice === unit && (q & 1n) === 1n);
  return (up ? q + 1n : q) * unit;
}

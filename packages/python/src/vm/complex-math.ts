// CPython 3.11's complex arithmetic on pairs of doubles (Objects/complexobject.c), with no heap
// objects: what the evaluator's `complex` type and the compiler's constant folding share. Each
// operation is the C function's own sequence of double operations, so results agree bit for
// bit: `hypot`, `pow`, `atan2`, `exp`, `log`, `cos` and `sin` are correctly rounded here (the
// math module's), as glibc's are on all but rare near-ties.

import { hashDouble } from "@mm/runtime";
import { raise } from "../text/errors.js";
import { floatPow, floatRepr, formatDouble } from "../text/float.js";
import { formatFloat, parseFormatSpec } from "../text/format.js";
import { atan2, hypot, trig } from "../text/math.js";
import { correctlyRoundedExp, correctlyRoundedLog } from "../text/pow.js";
import { strLen } from "../text/str.js";

/** A complex value: its real and imaginary parts. */
export interface Complex {
  readonly real: number;
  readonly imag: number;
}

/** What {@link complexPow} and {@link complexQuot} report instead of a value. */
export type ComplexError = "EDOM" | "ERANGE";

/** `_Py_c_sum`. */
export function complexSum(a: Complex, b: Complex): Complex {
  return { real: a.real + b.real, imag: a.imag + b.imag };
}

/** `_Py_c_diff`. */
export function complexDiff(a: Complex, b: Complex): Complex {
  return { real: a.real - b.real, imag: a.imag - b.imag };
}

/** `_Py_c_neg`. */
export function complexNeg(a: Complex): Complex {
  return { real: -a.real, imag: -a.imag };
}

/** `_Py_c_prod`. */
export function complexProd(a: Complex, b: Complex): Complex {
  return { real: a.real * b.real - a.imag * b.imag, imag: a.real * b.imag + a.imag * b.real };
}

/**
 * `_Py_c_quot`: Smith's method, dividing through by the larger part of `b`; "EDOM" for a zero
 * divisor (CPython's "complex division by zero"), both parts NaN when `b` has a NaN.
 */
export function complexQuot(a: Complex, b: Complex): Complex | "EDOM" {
  const absReal = b.real < 0 ? -b.real : b.real;
  const absImag = b.imag < 0 ? -b.imag : b.imag;
  if (absReal >= absImag) {
    if (absReal === 0) return "EDOM";
    const ratio = b.imag / b.real;
    const denom = b.real + b.imag * ratio;
    return { real: (a.real + a.imag * ratio) / denom, imag: (a.imag - a.real * ratio) / denom };
  }
  if (absImag >= absReal) {
    const ratio = b.real / b.imag;
    const denom = b.real * ratio + b.imag;
    return { real: (a.real * ratio + a.imag) / denom, imag: (a.imag * ratio - a.real) / denom };
  }
  return { real: Number.NaN, imag: Number.NaN };
}

const ONE: Complex = { real: 1, imag: 0 };

/** `c_powu`: `x ** n` for n ≥ 1 by repeated squaring. */
function powu(x: Complex, n: number): Complex {
  let r = ONE;
  let p = x;
  for (let mask = 1; mask > 0 && n >= mask; mask *= 2) {
    if (Math.floor(n / mask) % 2 === 1) r = complexProd(r, p);
    p = complexProd(p, p);
  }
  return r;
}

/** C's `pow` of a magnitude (x ≥ 0), correctly rounded; Infinity when it overflows. */
function cPowReal(x: number, y: number): number {
  try {
    return floatPow(x, y);
  } catch {
    return Infinity; // the overflow CPython reports as "complex exponentiation"
  }
}

/** `_Py_c_pow`: through the polar form. */
function cPow(a: Complex, b: Complex): Complex | "EDOM" {
  if (b.real === 0 && b.imag === 0) return ONE;
  if (a.real === 0 && a.imag === 0) {
    if (b.imag !== 0 || b.real < 0) return "EDOM";
    return { real: 0, imag: 0 };
  }
  const vabs = hypot([a.real, a.imag]);
  let len = cPowReal(vabs, b.real);
  const at = atan2(a.imag, a.real);
  let phase = at * b.real;
  if (b.imag !== 0) {
    len /= correctlyRoundedExp(at * b.imag);
    phase +=
      b.imag * (vabs > 0 && vabs < Infinity ? correctlyRoundedLog(vabs, "e") : Math.log(vabs));
  }
  return { real: len * trig("cos", phase), imag: len * trig("sin", phase) };
}

/**
 * `complex_pow` without a modulus: a small integral exponent (|n| ≤ 100) by repeated
 * multiplication (`c_powi`), any other through the polar form; "EDOM" is CPython's
 * ZeroDivisionError ("0.0 to a negative or complex power"), "ERANGE" its OverflowError
 * ("complex exponentiation"), raised when a part of the result is infinite.
 */
export function complexPow(a: Complex, b: Complex): Complex | ComplexError {
  let p: Complex | "EDOM";
  if (b.imag === 0 && b.real === Math.floor(b.real) && Math.abs(b.real) <= 100) {
    const n = b.real;
    p = n > 0 ? powu(a, n) : complexQuot(ONE, powu(a, -n));
  } else {
    p = cPow(a, b);
  }
  if (p === "EDOM") return p;
  if (Math.abs(p.real) === Infinity || Math.abs(p.imag) === Infinity) return "ERANGE";
  return p;
}

/**
 * `_Py_c_abs`: an infinite part makes the result infinite (even beside a NaN), a NaN part
 * NaN; "ERANGE" when the magnitude overflows (CPython's "absolute value too large").
 */
export function complexAbs(z: Complex): number | "ERANGE" {
  if (!Number.isFinite(z.real) || !Number.isFinite(z.imag)) {
    if (Math.abs(z.real) === Infinity) return Math.abs(z.real);
    if (Math.abs(z.imag) === Infinity) return Math.abs(z.imag);
    return Number.NaN;
  }
  const result = hypot([z.real, z.imag]);
  return Number.isFinite(result) ? result : "ERANGE";
}

/** A part as `PyOS_double_to_string(x, 'r', 0, flags)` writes it: no `.0` added. */
function partRepr(x: number, sign: boolean): string {
  let s = floatRepr(x);
  if (s.endsWith(".0")) s = s.slice(0, -2);
  if (sign && !s.startsWith("-")) s = `+${s}`;
  return s;
}

/** `complex_repr`: `1j`, `-0j`, `(1+2j)`, `(-0-1j)`, `(nan+infj)`. */
export function complexRepr(z: Complex): string {
  if (z.real === 0 && !Object.is(z.real, -0)) return `${partRepr(z.imag, false)}j`;
  return `(${partRepr(z.real, false)}${partRepr(z.imag, true)}j)`;
}

const U64 = (1n << 64n) - 1n;

/**
 * `complex_hash`: the parts' hashes combined as `real + 1000003 * imag` in unsigned 64-bit
 * arithmetic, -1 made -2. A NaN part hashes as `nanHash` (the object's identity in 3.11).
 */
export function complexHash(z: Complex, nanHash: bigint): bigint {
  const part = (x: number) => (Number.isNaN(x) ? nanHash : hashDouble(x));
  const combined =
    (BigInt.asUintN(64, part(z.real)) + 1000003n * BigInt.asUintN(64, part(z.imag))) & U64;
  const signed = BigInt.asIntN(64, combined);
  return signed === -1n ? -2n : signed;
}

/** The body of a float in `complex()`'s grammar (`_Py_string_to_number_with_underscores`). */
const FLOAT_BODY =
  /^(?:(?:\d(?:_?\d)*)?\.?\d(?:_?\d)*(?:[eE][+-]?\d(?:_?\d)*)?|\d(?:_?\d)*\.(?:[eE][+-]?\d(?:_?\d)*)?|inf(?:inity)?|nan)$/i;

/** A signed float of `complex()`'s grammar, or undefined. */
function parseFloatPart(text: string): number | undefined {
  const sign = text[0] === "-" ? -1 : 1;
  const body = text[0] === "+" || text[0] === "-" ? text.slice(1) : text;
  if (!FLOAT_BODY.test(body)) return undefined;
  const lower = body.toLowerCase();
  if (lower.startsWith("inf")) return sign * Infinity;
  if (lower === "nan") return Number.NaN;
  return sign * Number(body.replaceAll("_", ""));
}

/**
 * `complex(s)` of a str (`complex_subtype_from_string`): surrounding whitespace, optional
 * parentheses with whitespace inside, then `x`, `yj`, `x±yj` or `±j`. Undefined when the text
 * is malformed (CPython's "complex() arg is a malformed string").
 */
export function parseComplex(s: string): Complex | undefined {
  let t = s.trim();
  if (t.startsWith("(") && t.endsWith(")")) t = t.slice(1, -1).trim();
  if (t === "" || /\s/.test(t)) return undefined;
  const last = t[t.length - 1];
  if (last !== "j" && last !== "J") {
    const real = parseFloatPart(t);
    return real === undefined ? undefined : { real, imag: 0 };
  }
  const body = t.slice(0, -1);
  // The sign that starts the imaginary part: the last + or - not after an exponent's e.
  let split = -1;
  for (let i = body.length - 1; i > 0; i--) {
    const c = body[i];
    if ((c === "+" || c === "-") && body[i - 1] !== "e" && body[i - 1] !== "E") {
      split = i;
      break;
    }
  }
  const realText = split > 0 ? body.slice(0, split) : "";
  const imagText = split > 0 ? body.slice(split) : body;
  const real = realText === "" ? 0 : parseFloatPart(realText);
  const imag =
    imagText === "" || imagText === "+" ? 1 : imagText === "-" ? -1 : parseFloatPart(imagText);
  if (real === undefined || imag === undefined) return undefined;
  return { real, imag };
}

/** A key telling complex constants apart as `_PyCode_ConstantKey` does: -0.0 differs from 0.0. */
export function complexKey([real, imag]: readonly [number, number]): string {
  const part = (x: number) => (Object.is(x, -0) ? "-0" : String(x));
  return `${part(real)},${part(imag)}`;
}

/**
 * `format(z, spec)` (format_complex_internal): each part formatted as a float with the spec's
 * type, precision, sign and options, the imaginary part always signed unless the real part is
 * left out; no type is str()'s form (the real part omitted when it is +0, else parentheses);
 * the width and alignment apply to the whole. No zero padding, no '=' alignment.
 */
export function formatComplex(z: Complex, specText: string): string {
  if (specText === "") return complexRepr(z);
  const spec = parseFormatSpec(specText, "complex", "", ">");
  if (!["", "e", "E", "f", "F", "g", "G", "n"].includes(spec.type))
    raise("ValueError", `Unknown format code '${spec.type}' for object of type 'complex'`);
  if (spec.fill === "0")
    raise("ValueError", "Zero padding is not allowed in complex format specifier");
  if (spec.align === "=")
    raise("ValueError", "'=' alignment flag is not allowed in complex format specifier");
  let type = spec.type === "n" ? "g" : spec.type;
  let precision = spec.precision;
  let skipReal = false;
  let parens = false;
  if (type === "") {
    type = "r";
    if (precision < 0) precision = 0;
    if (z.real === 0 && !Object.is(z.real, -0)) skipReal = true;
    else parens = true;
  }
  if (precision < 0) precision = 6;
  else if (type === "r" && spec.precision >= 0) type = "g";
  const part = (x: number, sign: "+" | "-" | " " | undefined): string => {
    if (type === "r") {
      const text = formatDouble(x, "r", 0, { alt: spec.alternate, noNeg0: spec.noNeg0 });
      return text.startsWith("-") || sign === undefined || sign === "-" ? text : sign + text;
    }
    const options = `${sign ?? ""}${spec.noNeg0 ? "z" : ""}${spec.alternate ? "#" : ""}${spec.grouping?.separator ?? ""}`;
    return formatFloat(x, `${options}.${precision}${type}`, "complex");
  };
  const re = skipReal ? "" : part(z.real, spec.sign);
  const im = part(z.imag, skipReal ? spec.sign : "+");
  const body = `${parens ? "(" : ""}${re}${im}j${parens ? ")" : ""}`;
  const len = strLen(body);
  if (spec.width <= len) return body;
  const total = spec.width - len;
  const align = spec.align ?? ">";
  const left = align === ">" ? total : align === "^" ? Math.floor(total / 2) : 0;
  return spec.fill.repeat(left) + body + spec.fill.repeat(total - left);
}

// The arithmetic behind the `math` module as pure functions over doubles and bigints: the
// pieces JavaScript's Math has no equivalent of (frexp, ldexp, nextafter, IEEE remainder,
// correctly rounded sums and norms) and the integer functions (isqrt, comb, perm, factorial).
// Errors are thrown as the Python exceptions CPython raises.

import { raise } from "./errors.js";
import { ratioToDouble } from "./float.js";
import { add, type DD, dd, div, mul, mulNumber, twoProd, twoSum } from "./pow.js";

const view = new DataView(new ArrayBuffer(8));

/** `math.frexp(x)`: [m, e] with x = m·2^e and 0.5 ≤ |m| < 1 (x itself and 0 for 0, ±inf, nan). */
export function frexp(x: number): [number, number] {
  if (x === 0 || !Number.isFinite(x)) return [x, 0];
  view.setFloat64(0, x);
  let biased = (view.getUint32(0) >>> 20) & 0x7ff;
  let extra = 0;
  if (biased === 0) {
    // Subnormal: scale into the normal range first (exact).
    x *= 2 ** 54;
    extra = -54;
    view.setFloat64(0, x);
    biased = (view.getUint32(0) >>> 20) & 0x7ff;
  }
  const e = biased - 1022;
  // Replace the exponent with -1's (biased 1022): the mantissa in [0.5, 1).
  const hi = view.getUint32(0);
  view.setUint32(0, (hi & 0x800fffff) | (1022 << 20));
  return [view.getFloat64(0), e + extra];
}

/** `math.ldexp(x, i)`: x·2^i, exact until it overflows to ±inf or underflows (rounded once). */
export function ldexp(x: number, i: bigint): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  // Past these exponents every finite double overflows or underflows to zero.
  if (i > 2200n) return x > 0 ? Infinity : -Infinity;
  if (i < -2200n) return x > 0 ? 0 : -0;
  let n = Number(i);
  // Scale in steps that stay exact, so a subnormal result is rounded once.
  const [m, e] = frexp(x);
  n += e;
  if (n > 1024) return m > 0 ? Infinity : -Infinity;
  // 2^1024 is not a double: scale m up by one first.
  if (n >= -1021) return m * 2 * 2 ** (n - 1);
  // A subnormal result: one rounding, ties to even, by the hardware's multiplication.
  return m * 2 ** (n + 1074) * 2 ** -1074;
}

/** The double next to `x` in the direction of `y` (`nextafter`). */
export function nextafter(x: number, y: number): number {
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.NaN;
  if (x === y) return y;
  if (x === 0) return y > 0 ? 2 ** -1074 : -(2 ** -1074);
  view.setFloat64(0, x);
  let bits = view.getBigUint64(0);
  // Away from zero when moving outwards, towards zero otherwise.
  if (y > x === x > 0) bits += 1n;
  else bits -= 1n;
  view.setBigUint64(0, bits);
  return view.getFloat64(0);
}

/** `math.ulp(x)`: the value of the least significant bit of |x|. */
export function ulp(x: number): number {
  if (Number.isNaN(x)) return x;
  x = Math.abs(x);
  if (x === Infinity) return x;
  const up = nextafter(x, Infinity);
  if (up === Infinity) return x - nextafter(x, -Infinity);
  return up - x;
}

/** `math.remainder(x, y)`: x − n·y for the integer n nearest x/y, ties to even (IEEE 754). */
export function remainder(x: number, y: number): number {
  if (Number.isFinite(x) && Number.isFinite(y)) {
    if (y === 0) return Number.NaN;
    const ax = Math.abs(x);
    const ay = Math.abs(y);
    const m = ax % ay;
    const c = ay - m;
    let r: number;
    if (m < c) r = m;
    else if (m > c) r = -c;
    // Exactly halfway: pick the even multiple.
    else r = m - 2 * ((0.5 * (ax - m)) % ay);
    return (x < 0 || Object.is(x, -0) ? -1 : 1) * r;
  }
  if (Number.isNaN(x)) return x;
  if (Number.isNaN(y)) return y;
  if (!Number.isFinite(x)) return Number.NaN;
  return x;
}

/**
 * `math.fsum(values)`: the correctly rounded sum, by exact partial sums (Shewchuk's algorithm,
 * as CPython runs it, so a partial that overflows is an error even when the exact sum is not).
 */
export function fsum(values: Iterable<number>): number {
  const partials: number[] = [];
  let special = 0;
  let infinities = 0;
  for (const value of values) {
    let x = value;
    let i = 0;
    for (let j = 0; j < partials.length; j++) {
      let y = partials[j]!;
      if (Math.abs(x) < Math.abs(y)) {
        const t = x;
        x = y;
        y = t;
      }
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) partials[i++] = lo;
      x = hi;
    }
    partials.length = i;
    if (x !== 0) {
      if (!Number.isFinite(x)) {
        if (Number.isFinite(value)) raise("OverflowError", "intermediate overflow in fsum");
        if (!Number.isNaN(value)) infinities += value;
        special += value;
        partials.length = 0;
      } else partials.push(x);
    }
  }
  if (special !== 0) {
    if (Number.isNaN(infinities)) raise("ValueError", "-inf + inf in fsum");
    return special;
  }
  let n = partials.length;
  if (n === 0) return 0;
  let hi = partials[--n]!;
  let lo = 0;
  while (n > 0) {
    const x = hi;
    const y = partials[--n]!;
    hi = x + y;
    lo = y - (hi - x);
    if (lo !== 0) break;
  }
  // Half-even rounding across partials: the next partial breaks a tie in lo's direction.
  if (n > 0 && ((lo < 0 && partials[n - 1]! < 0) || (lo > 0 && partials[n - 1]! > 0))) {
    const y = lo * 2;
    const x = hi + y;
    if (y === x - hi) hi = x;
  }
  return hi;
}

/** A finite double as m·2^e with an integer m (exact). */
function exact(x: number): { m: bigint; e: number } {
  const [f, e] = frexp(Math.abs(x));
  return { m: BigInt(f * 2 ** 53), e: e - 53 };
}

/**
 * The Euclidean norm of a vector of doubles (`math.hypot`), correctly rounded: the sum of
 * squares is exact in bigints and its square root is rounded once. An infinite coordinate
 * makes it inf even beside a nan; otherwise a nan makes it nan.
 */
export function hypot(coords: readonly number[]): number {
  let nan = false;
  for (const c of coords) {
    if (c === Infinity || c === -Infinity) return Infinity;
    if (Number.isNaN(c)) nan = true;
  }
  if (nan) return Number.NaN;
  const parts = coords.filter((c) => c !== 0).map(exact);
  if (parts.length === 0) return 0;
  if (parts.length === 1) return Math.abs(coords.find((c) => c !== 0)!);
  // Σ m²·2^(2e) over the smallest exponent: N·2^(2·low).
  const low = Math.min(...parts.map((p) => p.e));
  let n = 0n;
  for (const p of parts) n += (p.m * p.m) << BigInt(2 * (p.e - low));
  // sqrt(N)·2^low: take ⌊sqrt(N·4^k)⌋ with k extra bits, plus a sticky bit for the rest.
  const k = 60;
  const scaled = n << BigInt(2 * k);
  const root = isqrt(scaled);
  const sticky = root * root === scaled ? 0n : 1n;
  const num = (root << 1n) | sticky;
  const shift = low - k - 1;
  return shift >= 0
    ? ratioToDouble(num << BigInt(shift), 1n)
    : ratioToDouble(num, 1n << BigInt(-shift));
}

/** ⌊√n⌋ of a non-negative bigint (Newton's method from a power-of-two start above the root). */
export function isqrt(n: bigint): bigint {
  if (n < 0n) raise("ValueError", "isqrt() argument must be nonnegative");
  if (n < 2n) return n;
  let x = 1n << BigInt(Math.ceil(n.toString(2).length / 2));
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/** n! by a product tree (balanced halves keep the multiplications' operands alike in size). */
export function factorial(n: bigint): bigint {
  if (n < 0n) raise("ValueError", "factorial() not defined for negative values");
  return product(1n, n);
}

/** The product lo·(lo+1)·…·hi (1 when hi < lo). */
function product(lo: bigint, hi: bigint): bigint {
  if (hi < lo) return 1n;
  if (hi - lo < 8n) {
    let p = lo;
    for (let i = lo + 1n; i <= hi; i++) p *= i;
    return p;
  }
  const mid = (lo + hi) >> 1n;
  return product(lo, mid) * product(mid + 1n, hi);
}

/** `math.perm(n, k)`: n!/(n−k)!, 0 when k > n. */
export function perm(n: bigint, k: bigint): bigint {
  if (n < 0n) raise("ValueError", "n must be a non-negative integer");
  if (k < 0n) raise("ValueError", "k must be a non-negative integer");
  if (k > n) return 0n;
  return product(n - k + 1n, n);
}

/** `math.comb(n, k)`: n!/(k!(n−k)!), 0 when k > n. */
export function comb(n: bigint, k: bigint): bigint {
  if (n < 0n) raise("ValueError", "n must be a non-negative integer");
  if (k < 0n) raise("ValueError", "k must be a non-negative integer");
  if (k > n) return 0n;
  if (n - k < k) k = n - k;
  return product(n - k + 1n, n) / product(1n, k);
}

/** gcd of two bigints, non-negative. */
export function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/** π/2 as three doubles whose sum carries about 160 bits. */
const HALF_PI = [1.5707963267948966, 6.123233995736766e-17, -1.4973849048591698e-33] as const;

/** 1/n! for n = 0 … 33, for the sine and cosine series. */
const INVERSE_FACTORIALS: DD[] = (() => {
  const out: DD[] = [dd(1)];
  for (let n = 1; n <= 33; n++) out.push(div(out[n - 1]!, dd(n)));
  return out;
})();

/** Past this magnitude the reduction below loses bits: the engine's functions answer there. */
const TRIG_LIMIT = 2 ** 20;

/**
 * sin and cos of x to about 106 bits: x = n·π/2 + r with |r| ≤ π/4 (r exact to 106 bits
 * from a 160-bit π/2), then the Taylor series of r, arranged by n's quadrant.
 */
function sinCosDD(x: number): { sin: DD; cos: DD } {
  const n = Math.round(x / HALF_PI[0]);
  let r = add(dd(x), mulDD(twoProd(n, HALF_PI[0]), -1));
  r = add(r, mulDD(twoProd(n, HALF_PI[1]), -1));
  r = add(r, dd(-n * HALF_PI[2]));
  const r2 = mul(r, r);
  // sin r = r·Σ (−r²)^k/(2k+1)!, cos r = Σ (−r²)^k/(2k)!, summed from the smallest term.
  let s = INVERSE_FACTORIALS[33]!;
  let c = INVERSE_FACTORIALS[32]!;
  for (let k = 15; k >= 0; k--) {
    s = add(INVERSE_FACTORIALS[2 * k + 1]!, mulDD(mul(s, r2), -1));
    c = add(INVERSE_FACTORIALS[2 * k]!, mulDD(mul(c, r2), -1));
  }
  s = mul(s, r);
  const quadrant = ((n % 4) + 4) % 4;
  const neg = (v: DD) => mulDD(v, -1);
  if (quadrant === 0) return { sin: s, cos: c };
  if (quadrant === 1) return { sin: c, cos: neg(s) };
  if (quadrant === 2) return { sin: neg(s), cos: neg(c) };
  return { sin: neg(c), cos: s };
}

function mulDD(a: DD, k: number): DD {
  return dd(a.hi * k, a.lo * k);
}

/**
 * `math.sin`, `math.cos`, `math.tan`, correctly rounded but for results within 2^-100 of a tie
 * (as glibc's are in nearly every case; JavaScript's Math.sin is allowed an ulp), for
 * |x| < 2^20; the engine's functions beyond, and nan for ±inf.
 */
export function trig(kind: "sin" | "cos" | "tan", x: number): number {
  if (!Number.isFinite(x)) return Number.NaN;
  if (Math.abs(x) >= TRIG_LIMIT)
    return kind === "sin" ? Math.sin(x) : kind === "cos" ? Math.cos(x) : Math.tan(x);
  // Tiny arguments: sin x and tan x round to x itself, cos x to 1 (and keep -0's sign).
  if (Math.abs(x) < 2 ** -27) return kind === "cos" ? 1 : x;
  const { sin, cos } = sinCosDD(x);
  if (kind === "sin") return sin.hi;
  if (kind === "cos") return cos.hi;
  return div(sin, cos).hi;
}

/**
 * The engine's estimate θ0 of an angle refined by one Newton step on f(θ), with f evaluated
 * to about 106 bits from sin θ0 and cos θ0: the estimate's error of an ulp or so becomes one
 * of about 2^-100 of θ, so the double nearest the step is the correctly rounded angle but near
 * ties. `f` gets (sin θ0, cos θ0) and returns [f(θ0), f′(θ0)].
 */
function refineAngle(theta: number, f: (sin: DD, cos: DD) => [DD, number]): number {
  if (!Number.isFinite(theta) || theta === 0 || Math.abs(theta) >= TRIG_LIMIT) return theta;
  const { sin, cos } = sinCosDD(theta);
  const [value, slope] = f(sin, cos);
  if (slope === 0 || !Number.isFinite(slope)) return theta;
  const step = (value.hi + value.lo) / slope;
  return twoSum(theta, -step).hi;
}

/** `math.atan2(y, x)`, correctly rounded but near ties (the engine's for special values). */
export function atan2(y: number, x: number): number {
  const theta = Math.atan2(y, x);
  if (!Number.isFinite(x) || !Number.isFinite(y) || x === 0 || y === 0) return theta;
  // Tiny angles are not refined (a double-double cannot carry them); huge and tiny
  // coordinates are scaled (exactly) so the products below neither overflow nor lose bits.
  if (Math.abs(theta) < 2 ** -900) return theta;
  const largest = Math.max(Math.abs(x), Math.abs(y));
  const scale = largest > 2 ** 900 ? 2 ** -600 : largest < 2 ** -900 ? 2 ** 600 : 1;
  x *= scale;
  y *= scale;
  // The angle where x·sin θ − y·cos θ vanishes.
  return refineAngle(theta, (s, c) => [
    add(mulNumber(s, x), mulNumber(c, -y)),
    x * c.hi + y * s.hi,
  ]);
}

/** `math.atan(x)`. */
export function atan(x: number): number {
  return atan2(x, 1);
}

/** `math.asin(x)` (nan outside [−1, 1]). */
export function asin(x: number): number {
  const theta = Math.asin(x);
  if (Number.isNaN(theta) || Math.abs(x) === 1) return theta;
  return refineAngle(theta, (s, c) => [add(s, dd(-x)), c.hi]);
}

/** `math.acos(x)` (nan outside [−1, 1]). */
export function acos(x: number): number {
  const theta = Math.acos(x);
  if (Number.isNaN(theta) || Math.abs(x) === 1) return theta;
  return refineAngle(theta, (s, c) => [add(c, dd(-x)), -s.hi]);
}

// Correctly rounded powers, logarithms and exponentials of doubles. CPython's float power and
// its math module call the C library, whose pow, exp and log glibc rounds correctly; the
// JavaScript engine's `**`, Math.exp and Math.log are allowed an error of an ulp or so, and
// about one random power in ten differs from CPython's in the last bit. Here the results are
// computed in double-double arithmetic (a pair of doubles whose sum carries about 106 bits),
// whose error is far below half an ulp, so the double nearest the pair is the correctly
// rounded result but for inputs whose result lies within 2^-100 of a tie between two doubles.

/** A double-double: the unevaluated sum hi + lo, with |lo| ≤ half an ulp of hi. */
export interface DD {
  hi: number;
  lo: number;
}

/** 2^27 + 1: Dekker's split of a double into two 26-bit halves. */
const SPLITTER = 134217729;

/** The pair hi + lo. */
export function dd(hi: number, lo = 0): DD {
  return { hi, lo };
}

/** a + b exactly, as a normalized pair. */
export function twoSum(a: number, b: number): DD {
  const s = a + b;
  const bb = s - a;
  return { hi: s, lo: a - (s - bb) + (b - bb) };
}

/** a · b exactly (Dekker's product; no fused multiply-add in JavaScript). */
export function twoProd(a: number, b: number): DD {
  const p = a * b;
  let c = SPLITTER * a;
  const ah = c - (c - a);
  const al = a - ah;
  c = SPLITTER * b;
  const bh = c - (c - b);
  const bl = b - bh;
  return { hi: p, lo: ah * bh - p + ah * bl + al * bh + al * bl };
}

/** a + b to about 106 bits. */
export function add(a: DD, b: DD): DD {
  const s = twoSum(a.hi, b.hi);
  const t = twoSum(a.lo, b.lo);
  let lo = s.lo + t.hi;
  const u = twoSum(s.hi, lo);
  lo = t.lo + u.lo;
  return twoSum(u.hi, lo);
}

/** a · b to about 106 bits. */
export function mul(a: DD, b: DD): DD {
  const p = twoProd(a.hi, b.hi);
  return twoSum(p.hi, p.lo + (a.hi * b.lo + a.lo * b.hi));
}

/** a · b for a double b, to about 106 bits. */
export function mulNumber(a: DD, b: number): DD {
  const p = twoProd(a.hi, b);
  return twoSum(p.hi, p.lo + a.lo * b);
}

/** a / b to about 106 bits. */
export function div(a: DD, b: DD): DD {
  const q1 = a.hi / b.hi;
  // r = a − q1·b, then a correction q2 = r / b.
  const r = add(a, mulNumber(b, -q1));
  const q2 = r.hi / b.hi;
  const r2 = add(r, mulNumber(b, -q2));
  const q3 = r2.hi / b.hi;
  return add(twoSum(q1, q2), dd(q3));
}

/** ln 2 to 106 bits. */
const LN2 = dd(Math.LN2, 2.3190468138462996e-17);

/** 1/(2k+1) for the atanh series of the logarithm, k = 0 … LOG_TERMS − 1. */
const LOG_TERMS = 24;
const ODD_RECIPROCALS: DD[] = Array.from({ length: LOG_TERMS }, (_, k) =>
  div(dd(1), dd(2 * k + 1)),
);

/** 1/n! for the exponential's Taylor series, n = 0 … EXP_TERMS − 1. */
const EXP_TERMS = 14;
const FACTORIAL_RECIPROCALS: DD[] = (() => {
  const out: DD[] = [dd(1)];
  for (let n = 1; n < EXP_TERMS; n++) out.push(div(out[n - 1]!, dd(n)));
  return out;
})();

/** How many times the exponential's argument is halved before its series, then squared back. */
const EXP_HALVINGS = 8;

/** ln x of a positive, finite double, to about 106 bits. */
function logDD(x: number): DD {
  // x = m · 2^e with m in [√½, √2): ln x = e·ln 2 + ln m, and ln m = 2·atanh(s) with
  // s = (m − 1)/(m + 1), |s| < 0.172, whose odd series converges by a factor s² < 0.03.
  let e = Math.floor(Math.log2(x));
  // Math.log2 may be off by one at a power of two; the scaling below is exact either way.
  let m = x * 2 ** -Math.max(e, -1022);
  if (e < -1022) m *= 2 ** (-1022 - e);
  while (m >= Math.SQRT2) {
    m /= 2;
    e++;
  }
  while (m < Math.SQRT1_2) {
    m *= 2;
    e--;
  }
  const s = div(dd(m - 1), twoSum(m, 1));
  const s2 = mul(s, s);
  let p = ODD_RECIPROCALS[LOG_TERMS - 1]!;
  for (let k = LOG_TERMS - 2; k >= 0; k--) p = add(mul(p, s2), ODD_RECIPROCALS[k]!);
  const lnM = mulNumber(mul(s, p), 2);
  return add(mulNumber(LN2, e), lnM);
}

/**
 * e^t as m · 2^k, m ≈ 1, for |t| below 746: t = k·ln 2 + r, |r| ≤ ½ln 2, then e^r from
 * the series of e^(r/2^8) − 1, squared back eight times in the form (1 + u)² = 1 + (2u + u²)
 * so that no bits are lost to the leading one.
 */
function expDD(t: DD): { m: DD; k: number } {
  const k = Math.round(t.hi / LN2.hi);
  const r = add(t, mulNumber(LN2, -k));
  const x = dd(r.hi / 2 ** EXP_HALVINGS, r.lo / 2 ** EXP_HALVINGS);
  // u = e^x − 1 = x·(1 + x/2! + x²/3! + …)
  let p = FACTORIAL_RECIPROCALS[EXP_TERMS - 1]!;
  for (let n = EXP_TERMS - 2; n >= 1; n--) p = add(mul(p, x), FACTORIAL_RECIPROCALS[n]!);
  let u = mul(p, x);
  for (let i = 0; i < EXP_HALVINGS; i++) u = add(mulNumber(u, 2), mul(u, u));
  return { m: add(dd(1), u), k };
}

/**
 * x ** y, correctly rounded, for a positive finite x and a finite y; the platform's power
 * where the result leaves the normal range (an overflow to infinity, or an underflow into the
 * subnormals, which the caller's checks then see as the platform gives them).
 */
export function correctlyRoundedPow(x: number, y: number): number {
  const t = mulNumber(logDD(x), y);
  // Outside about 2^±1020 the result may overflow or be subnormal: there a double-double's
  // two halves do not round as one number would.
  if (!(Math.abs(t.hi) < 707)) return x ** y;
  const { m, k } = expDD(t);
  // m.hi is m rounded to nearest (the pair is normalized), and scaling by 2^k is exact here.
  return m.hi * 2 ** k;
}

/** ln 10 to 106 bits. */
const LN10 = dd(Math.LN10, -2.1707562233822494e-16);

/**
 * The logarithm of a positive, finite double, correctly rounded but for results within
 * 2^-100 of a tie (glibc's `log`, `log2` and `log10` are; JavaScript's Math.log is allowed an
 * ulp): natural, base 2 or base 10.
 */
export function correctlyRoundedLog(x: number, base: "e" | 2 | 10): number {
  if (x === 1) return 0;
  const ln = logDD(x);
  if (base === "e") return ln.hi;
  if (base === 2) {
    // A power of two's logarithm is its exponent, exactly.
    const e = Math.round(Math.log2(x));
    if (2 ** e === x) return e;
    return div(ln, LN2).hi;
  }
  return div(ln, LN10).hi;
}

/**
 * e^x, correctly rounded but for results within 2^-100 of a tie (as glibc's `exp`), for
 * results in the normal range; the platform's Math.exp where the result overflows or is
 * subnormal.
 */
export function correctlyRoundedExp(x: number): number {
  if (!(Math.abs(x) < 707)) return Math.exp(x);
  if (x === 0) return 1;
  const { m, k } = expDD(dd(x));
  return m.hi * 2 ** k;
}

// CPython 3.11's hash functions, bit-exact on a 64-bit build: `long_hash` and `_Py_HashDouble`
// (Python/pyhash.c) over the Mersenne prime 2**61 - 1, `_Py_HashPointer`, SipHash-1-3 over a
// str's canonical bytes (the default `PYTHONHASHSEED=0` key: an all-zero secret), the
// xxHash-based `tuplehash` and `frozenset_hash`'s shuffle. Hashes are 64-bit: they travel as two
// 32-bit halves in a `Hash64` the caller owns, so the common paths (small ints, cached str
// hashes) allocate nothing and need no BigInt.

/**
 * A 64-bit hash as two unsigned 32-bit halves; as a signed number it is Python's `hash()`.
 * Functions write their result into one the caller passes, to allocate nothing.
 */
export interface Hash64 {
  /** Bits 0..31, unsigned. */
  lo: number;
  /** Bits 32..63, unsigned. */
  hi: number;
}

/** A fresh zero hash to write results into. */
export function newHash(): Hash64 {
  return { lo: 0, hi: 0 };
}

/** `sys.hash_info.modulus`: the Mersenne prime 2**61 - 1 numeric hashes reduce by. */
export const HASH_MODULUS = (1n << 61n) - 1n;
/** `sys.hash_info.inf`: the hash of `float('inf')` (negated for `-inf`). */
export const HASH_INF = 314159;

const TWO_32 = 4294967296;

/** Writes a signed integer of at most 53 bits (a safe JS integer) as a 64-bit hash. */
function setSafe(value: number, out: Hash64): void {
  out.lo = value >>> 0;
  out.hi = Math.floor(value / TWO_32) >>> 0;
}

/** Writes `value` modulo 2**64 as a hash. */
export function setHashBigInt(value: bigint, out: Hash64): void {
  const u = BigInt.asUintN(64, value);
  out.lo = Number(u & 0xffffffffn);
  out.hi = Number(u >> 32n);
}

/** The hash as Python's signed `hash()` value. */
export function hashToBigInt(h: Hash64): bigint {
  return BigInt.asIntN(64, (BigInt(h.hi) << 32n) | BigInt(h.lo));
}

/** Whether two hashes are equal. */
export function hashEquals(a: Hash64, b: Hash64): boolean {
  return a.lo === b.lo && a.hi === b.hi;
}

/** A hash of -1 is CPython's error value: a hash function turns it into -2. */
function fixMinusOne(out: Hash64): void {
  if (out.lo === 0xffffffff && out.hi === 0xffffffff) out.lo = 0xfffffffe;
}

/**
 * `long_hash`: the sign times |value| mod 2**61 - 1, with -1 made -2. Every safe JS integer is
 * below the modulus, so it hashes to itself without BigInt.
 */
export function hashInt(value: number | bigint, out: Hash64): void {
  if (typeof value === "number") {
    setSafe(value === -1 ? -2 : value, out);
    return;
  }
  const magnitude = (value < 0n ? -value : value) % HASH_MODULUS;
  let h = value < 0n ? -magnitude : magnitude;
  if (h === -1n) h = -2n;
  setHashBigInt(h, out);
}

const doubleView = new DataView(new ArrayBuffer(8));

/**
 * `_Py_HashDouble`: an integral float hashes as the int of its value; any finite float is the
 * rational m × 2**e reduced modulo 2**61 - 1 (where 2**61 is 1, so the exponent reduces modulo
 * 61); ±inf are ±314159; a nan hashes by identity in 3.11 (`_Py_HashPointer(address)`).
 */
export function hashFloat(value: number, address: number, out: Hash64): void {
  if (Number.isSafeInteger(value)) {
    setSafe(value === -1 ? -2 : value, out);
    return;
  }
  if (Number.isNaN(value)) {
    hashPointer(address, out);
    return;
  }
  if (!Number.isFinite(value)) {
    setSafe(value > 0 ? HASH_INF : -HASH_INF, out);
    return;
  }
  setHashBigInt(hashDouble(value), out);
}

/**
 * `_Py_HashDouble` of a double that is not NaN, as a signed 64-bit value: the exact rational
 * m × 2**e reduced modulo 2**61 - 1, ±inf ±314159, -1 made -2 (what `hash(x)` of a float
 * gives, and what a complex number's hash combines).
 */
export function hashDouble(value: number): bigint {
  if (!Number.isFinite(value)) return value > 0 ? BigInt(HASH_INF) : -BigInt(HASH_INF);
  // The exact value as mantissa × 2**exponent, from the IEEE 754 fields.
  doubleView.setFloat64(0, value);
  const high = doubleView.getUint32(0);
  const low = doubleView.getUint32(4);
  const biased = (high >>> 20) & 0x7ff;
  let mantissa = (BigInt(high & 0xfffff) << 32n) | BigInt(low);
  let exponent = -1074;
  if (biased !== 0) {
    mantissa |= 1n << 52n;
    exponent = biased - 1075;
  }
  const shift = BigInt(((exponent % 61) + 61) % 61);
  const reduced = (mantissa * (1n << shift)) % HASH_MODULUS;
  const h = value < 0 ? -reduced : reduced;
  return h === -1n ? -2n : h;
}

/**
 * `_Py_HashPointer`: the address rotated right by 4 bits (objects are 16-byte aligned, so the
 * low bits carry nothing), as a 64-bit value. Addresses here are 32-bit, so the rotated-out
 * bits land at the top of the high half.
 */
export function hashPointer(address: number, out: Hash64): void {
  out.lo = address >>> 4;
  out.hi = ((address & 0xf) << 28) >>> 0;
  fixMinusOne(out);
}

// ---------------------------------------------------------------- SipHash-1-3

/** A little-endian 32-bit word of `bytes` at `at`. */
function word(bytes: Uint8Array, at: number): number {
  return (
    (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0
  );
}

/**
 * SipHash-1-3 of `length` bytes of `bytes` from `start`, keyed with k0 = k1 = 0 (CPython's key
 * under `PYTHONHASHSEED=0`), with CPython's final xor of all four state words.
 *
 * The four 64-bit state words are eight 32-bit locals, and every round (one per 8-byte block,
 * one for the tail, three to finish) is the same loop body: state kept in locals stays in
 * registers, where module-level variables would box each value past 2**30 on every write.
 */
export function siphash13(bytes: Uint8Array, start: number, length: number, out: Hash64): void {
  // k0 ^ "somepseudorandomlygeneratedbytes", k1 = k0 = 0.
  let v0h = 0x736f6d65;
  let v0l = 0x70736575;
  let v1h = 0x646f7261;
  let v1l = 0x6e646f6d;
  let v2h = 0x6c796765;
  let v2l = 0x6e657261;
  let v3h = 0x74656462;
  let v3l = 0x79746573;
  const blocks = length >>> 3;
  let at = start;
  for (let round = 0; round < blocks + 4; round++) {
    // Rounds 0..blocks-1 take an 8-byte block; round `blocks` takes the tail bytes with the
    // length in the top byte; the three after it finish, v2 ^ 0xff first.
    let ml = 0;
    let mh = 0;
    if (round < blocks) {
      ml = word(bytes, at);
      mh = word(bytes, at + 4);
      at += 8;
    } else if (round === blocks) {
      mh = (length & 0xff) << 24;
      const end = start + length;
      for (let k = 0; at + k < end; k++) {
        const byte = bytes[at + k]!;
        if (k < 4) ml |= byte << (8 * k);
        else mh |= byte << (8 * (k - 4));
      }
      ml >>>= 0;
      mh >>>= 0;
    } else if (round === blocks + 1) {
      v2l = (v2l ^ 0xff) >>> 0;
    }
    v3l = (v3l ^ ml) >>> 0;
    v3h = (v3h ^ mh) >>> 0;
    // One SipRound (CPython's SINGLE_ROUND: two HALF_ROUNDs).
    // HALF_ROUND(v0, v1, v2, v3, 13, 16)
    let lo = (v0l + v1l) >>> 0;
    v0h = (v0h + v1h + (lo < v0l ? 1 : 0)) >>> 0;
    v0l = lo;
    lo = (v2l + v3l) >>> 0;
    v2h = (v2h + v3h + (lo < v2l ? 1 : 0)) >>> 0;
    v2l = lo;
    // v1 = rotl(v1, 13) ^ v0
    let h = ((v1h << 13) | (v1l >>> 19)) >>> 0;
    let l = ((v1l << 13) | (v1h >>> 19)) >>> 0;
    v1h = (h ^ v0h) >>> 0;
    v1l = (l ^ v0l) >>> 0;
    // v3 = rotl(v3, 16) ^ v2
    h = ((v3h << 16) | (v3l >>> 16)) >>> 0;
    l = ((v3l << 16) | (v3h >>> 16)) >>> 0;
    v3h = (h ^ v2h) >>> 0;
    v3l = (l ^ v2l) >>> 0;
    // v0 = rotl(v0, 32)
    h = v0h;
    v0h = v0l;
    v0l = h;
    // HALF_ROUND(v2, v1, v0, v3, 17, 21)
    lo = (v2l + v1l) >>> 0;
    v2h = (v2h + v1h + (lo < v2l ? 1 : 0)) >>> 0;
    v2l = lo;
    lo = (v0l + v3l) >>> 0;
    v0h = (v0h + v3h + (lo < v0l ? 1 : 0)) >>> 0;
    v0l = lo;
    // v1 = rotl(v1, 17) ^ v2
    h = ((v1h << 17) | (v1l >>> 15)) >>> 0;
    l = ((v1l << 17) | (v1h >>> 15)) >>> 0;
    v1h = (h ^ v2h) >>> 0;
    v1l = (l ^ v2l) >>> 0;
    // v3 = rotl(v3, 21) ^ v0
    h = ((v3h << 21) | (v3l >>> 11)) >>> 0;
    l = ((v3l << 21) | (v3h >>> 11)) >>> 0;
    v3h = (h ^ v0h) >>> 0;
    v3l = (l ^ v0l) >>> 0;
    // v2 = rotl(v2, 32)
    h = v2h;
    v2h = v2l;
    v2l = h;
    v0l = (v0l ^ ml) >>> 0;
    v0h = (v0h ^ mh) >>> 0;
  }
  out.lo = (v0l ^ v1l ^ v2l ^ v3l) >>> 0;
  out.hi = (v0h ^ v1h ^ v2h ^ v3h) >>> 0;
}

/**
 * `_Py_HashBytes`: 0 for no bytes, else SipHash-1-3 with -1 made -2. A str hashes its
 * canonical representation: 1, 2 or 4 bytes per code point (PEP 393), little-endian.
 */
export function hashBytes(bytes: Uint8Array, start: number, length: number, out: Hash64): void {
  if (length === 0) {
    out.lo = 0;
    out.hi = 0;
    return;
  }
  siphash13(bytes, start, length, out);
  fixMinusOne(out);
}

// ---------------------------------------------------------------- 64-bit arithmetic

/** a × b mod 2**64 on 32-bit halves, into `out`. */
function mul64(ah: number, al: number, bh: number, bl: number, out: Hash64): void {
  const a0 = al & 0xffff;
  const a1 = al >>> 16;
  const b0 = bl & 0xffff;
  const b1 = bl >>> 16;
  const mid = a0 * b1 + a1 * b0;
  const low = a0 * b0 + (mid % 65536) * 65536;
  const carry = Math.floor(low / TWO_32);
  const high = a1 * b1 + Math.floor(mid / 65536) + carry;
  out.lo = low >>> 0;
  out.hi = (high + Math.imul(ah, bl) + Math.imul(al, bh)) >>> 0;
}

/** a + b mod 2**64 into `out` (a and out may be the same). */
function add64(ah: number, al: number, bh: number, bl: number, out: Hash64): void {
  const lo = (al + bl) >>> 0;
  out.hi = (ah + bh + (lo < al ? 1 : 0)) >>> 0;
  out.lo = lo;
}

// ---------------------------------------------------------------- tuple hash

// xxHash's 64-bit primes, as CPython's _PyHASH_XXPRIME_1, _2 and _5 (hi, lo).
const P1H = 0x9e3779b1;
const P1L = 0x85ebca87;
const P2H = 0xc2b2ae3d;
const P2L = 0x27d4eb4f;
const P5H = 0x27d4eb2f;
const P5L = 0x165667c5;
const lane: Hash64 = newHash();

/** `tuplehash`'s accumulator at its start (`_PyHASH_XXPRIME_5`), written into `acc`. */
export function tupleHashStart(acc: Hash64): void {
  acc.hi = P5H;
  acc.lo = P5L;
}

/** One item of `tuplehash`: acc += item × PRIME_2; acc = rotl(acc, 31); acc ×= PRIME_1. */
export function tupleHashAdd(acc: Hash64, item: Hash64): void {
  mul64(item.hi, item.lo, P2H, P2L, lane);
  add64(acc.hi, acc.lo, lane.hi, lane.lo, acc);
  const h = ((acc.hi << 31) | (acc.lo >>> 1)) >>> 0;
  const l = ((acc.lo << 31) | (acc.hi >>> 1)) >>> 0;
  mul64(h, l, P1H, P1L, acc);
}

/**
 * `tuplehash`'s end: adds the length mangled so that `hash(())` keeps its historical value,
 * and turns -1 into 1546275796.
 */
export function tupleHashFinish(acc: Hash64, length: number): void {
  // len ^ (PRIME_5 ^ 3527539), the length being far below 2**32.
  add64(acc.hi, acc.lo, P5H, (P5L ^ 3527539 ^ length) >>> 0, acc);
  if (acc.lo === 0xffffffff && acc.hi === 0xffffffff) {
    acc.lo = 1546275796;
    acc.hi = 0;
  }
}

// ---------------------------------------------------------------- frozenset hash

const shuffled: Hash64 = newHash();

/** `_shuffle_bits`: ((h ^ 89869747) ^ (h << 16)) × 3644798167, mod 2**64. */
function shuffleBits(h: Hash64, out: Hash64): void {
  const xh = (h.hi ^ ((h.hi << 16) | (h.lo >>> 16))) >>> 0;
  const xl = (h.lo ^ 89869747 ^ (h.lo << 16)) >>> 0;
  mul64(xh, xl, 0, 3644798167, out);
}

/** Xors the shuffled bits of one entry's hash into a frozenset hash's accumulator. */
export function frozensetHashAdd(acc: Hash64, entry: Hash64): void {
  shuffleBits(entry, shuffled);
  acc.lo = (acc.lo ^ shuffled.lo) >>> 0;
  acc.hi = (acc.hi ^ shuffled.hi) >>> 0;
}

/**
 * `frozenset_hash`'s end, once every active entry's shuffled hash is xored into `acc` (CPython
 * xors every slot, then removes the empty and dummy slots' share; the result is the same):
 * the size, the dispersion of nested frozensets' patterns, and -1 made 590923713.
 */
export function frozensetHashFinish(acc: Hash64, size: number): void {
  mul64(0, size + 1, 0, 1927868237, shuffled);
  let hi = (acc.hi ^ shuffled.hi) >>> 0;
  let lo = (acc.lo ^ shuffled.lo) >>> 0;
  // hash ^= (hash >> 11) ^ (hash >> 25)
  const s11l = ((lo >>> 11) | (hi << 21)) >>> 0;
  const s11h = hi >>> 11;
  const s25l = ((lo >>> 25) | (hi << 7)) >>> 0;
  const s25h = hi >>> 25;
  lo = (lo ^ s11l ^ s25l) >>> 0;
  hi = (hi ^ s11h ^ s25h) >>> 0;
  // hash = hash × 69069 + 907133923
  mul64(hi, lo, 0, 69069, acc);
  add64(acc.hi, acc.lo, 0, 907133923, acc);
  if (acc.lo === 0xffffffff && acc.hi === 0xffffffff) {
    acc.lo = 590923713;
    acc.hi = 0;
  }
}

/**
 * What `__hash__` returned, as CPython's `slot_tp_hash` takes it: an int in the 64-bit range
 * as it is (-1 made -2), a larger one hashed as an int.
 */
export function hashFromPython(value: number | bigint, out: Hash64): void {
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value))
      throw new TypeError(`a hash must be an integer, not ${value}`);
    setSafe(value === -1 ? -2 : value, out);
    return;
  }
  if (value >= -(1n << 63n) && value < 1n << 63n) {
    setHashBigInt(value === -1n ? -2n : value, out);
    return;
  }
  hashInt(value, out);
}

// int: CPython 3.11's `PyLongObject`, arbitrary precision in 30-bit digits, with the small-int
// cache (−5..256, immortal here as PEP 683 makes them in 3.12).

import { OB_SIZE } from "@mm/heap";
import { raise } from "../errors.js";
import type { KindTable, ObjectKind } from "./kind.js";

/**
 * `PyLongObject` (not a container: no GC head). `ob_size` is the signed digit count (negative
 * for a negative value, 0 for zero); the digits follow, least significant first, 4 bytes each.
 *
 * ```
 *   op + 0   +------------------------+
 *            | ob_refcnt    ob_flags  |  8
 *   op + 8   | ob_type      weaklist  |  8
 *   op + 16  | ob_size (signed)       |  8   Int.size
 *   op + 24  | ob_digit[0]            |  4   Int.digits, 30 bits used
 *   op + 28  | ob_digit[1]  ...       |  4 × |ob_size|
 *            +------------------------+
 *   sys.getsizeof = 24 + 4 × max(1, |ob_size|): 0 is 28, 2**30 is 32
 * ```
 */
export const Int = {
  basicSize: 24,
  digitSize: 4,
  size: OB_SIZE,
  digits: 24,
  /** Digits are 30 bits, as CPython's `PyLong_SHIFT`. */
  shift: 30,
} as const;

const MASK_30 = 0x3fff_ffff;
const SMALL_INT_MIN = -5;
const SMALL_INT_MAX = 256;

/** The 30-bit digits of |value|, least significant first; none for 0 (ob_size 0). */
export function digitsOf(value: bigint): number[] {
  let v = value < 0n ? -value : value;
  const digits: number[] = [];
  while (v > 0n) {
    digits.push(Number(v & BigInt(MASK_30)));
    v >>= BigInt(Int.shift);
  }
  return digits;
}

/** Writes ob_size (signed digit count) and the 30-bit digits of `value` at `o`. */
export function writeInt(table: KindTable, o: number, value: number | bigint): void {
  const memory = table.memory;
  if (typeof value === "number" && Number.isSafeInteger(value)) {
    // Up to 2 digits without a bigint: |value| < 2**53 < 2**60.
    const m = Math.abs(value);
    const sign = value < 0 ? -1 : 1;
    const u32 = memory.u32;
    if (m < 0x4000_0000) {
      // One digit (none for 0) without a floating-point remainder: most ints are this small.
      memory.i32[(o + Int.size) >>> 2] = m === 0 ? 0 : sign;
      if (m !== 0) u32[(o + Int.digits) >>> 2] = m;
      return;
    }
    const lo = m % 0x4000_0000;
    memory.i32[(o + Int.size) >>> 2] = sign * 2;
    u32[(o + Int.digits) >>> 2] = lo;
    u32[(o + Int.digits + 4) >>> 2] = (m - lo) / 0x4000_0000;
    return;
  }
  const big = BigInt(value);
  const digits = digitsOf(big);
  memory.i32[(o + Int.size) >>> 2] = big < 0n ? -digits.length : digits.length;
  const u32 = memory.u32;
  for (let d = 0; d < digits.length; d++) u32[(o + Int.digits + 4 * d) >>> 2] = digits[d]!;
}

/** The value of an int-like object (an int or a bool): exact as a number, else a bigint. */
export function readInt(table: KindTable, o: number): number | bigint {
  const memory = table.memory;
  const size = memory.i32[(o + Int.size) >>> 2]!;
  // One or two digits are exact as a number (|value| < 2**60 may not be: check).
  if (size === 0) return 0;
  if (size === 1) return memory.u32[(o + Int.digits) >>> 2]!;
  if (size === -1) return -memory.u32[(o + Int.digits) >>> 2]!;
  if (size === 2 || size === -2) {
    const m =
      memory.u32[(o + Int.digits + 4) >>> 2]! * 0x4000_0000 + memory.u32[(o + Int.digits) >>> 2]!;
    if (m <= Number.MAX_SAFE_INTEGER) return size < 0 ? -m : m;
  }
  let value = 0n;
  for (let d = Math.abs(size) - 1; d >= 0; d--) {
    value = (value << BigInt(Int.shift)) + BigInt(memory.u32[(o + Int.digits + 4 * d) >>> 2]!);
  }
  if (size < 0) value = -value;
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(value)
    : value;
}

/** The `int` kind. */
export class IntKind implements ObjectKind {
  readonly name = "int";
  readonly type;
  readonly #table: KindTable;
  readonly #small: number[] = [];

  constructor(table: KindTable) {
    this.#table = table;
    this.type = table.register(
      {
        name: "int",
        basicSize: Int.basicSize,
        itemSize: Int.digitSize,
        // int_sizeof: at least one digit, even for 0 (ob_size 0).
        sizeOf: (o) =>
          Int.basicSize +
          Int.digitSize * Math.max(1, Math.abs(table.memory.i32[(o + Int.size) >>> 2]!)),
      },
      this,
    );
  }

  /** Makes the small-int cache (immortal, outside any strategy). */
  start(): void {
    for (let v = SMALL_INT_MIN; v <= SMALL_INT_MAX; v++) {
      const o = this.#table.raw(this.type.id, 1);
      writeInt(this.#table, o, v);
      this.#table.makeImmortal(o);
      this.#small.push(o);
    }
  }

  /** An int: the cached object for −5..256, a new one otherwise (any size, as Python's). */
  create(value: number | bigint): number {
    if (typeof value === "number" && Number.isSafeInteger(value)) {
      if (value >= SMALL_INT_MIN && value <= SMALL_INT_MAX)
        return this.#small[value - SMALL_INT_MIN]!;
      // One digit or two, the block is sizeof(PyLongObject), 32 bytes, as tracemalloc sees it:
      // CPython 3.11 makes an int of one digit from a C integer (PyLong_FromLong, the
      // arithmetic fast paths' _PyLong_FromSTwoDigits) with _PyLong_FromMedium, which allocates
      // the whole struct (24 bytes of header, a digit, padding), where _PyLong_New(1) would ask
      // for 28. ob_size still says one digit, so sys.getsizeof is 28.
      const o = this.#table.alloc(this.type.id, 2);
      writeInt(this.#table, o, value);
      return o;
    }
    const big = BigInt(value);
    if (big >= BigInt(SMALL_INT_MIN) && big <= BigInt(SMALL_INT_MAX))
      return this.#small[Number(big) - SMALL_INT_MIN]!;
    const o = this.#table.alloc(this.type.id, Math.max(1, digitsOf(big).length));
    writeInt(this.#table, o, big);
    return o;
  }

  /**
   * An int of a safe integer's value made as CPython 3.11's `PyLong_FromSsize_t` (and
   * `PyLong_FromSize_t`, `PyLong_FromUnsignedLong(Long)`, `PyLong_FromVoidPtr`) makes it: the
   * cached object for −5..256, otherwise `_PyLong_New(ndigits)` of exactly the digits the value
   * needs, 28 bytes to tracemalloc for one digit (where {@link create}'s `_PyLong_FromMedium`
   * asks for 32) and 32 for two. The pymalloc block is 32 bytes either way.
   */
  createExact(value: number): number {
    if (value >= SMALL_INT_MIN && value <= SMALL_INT_MAX)
      return this.#small[value - SMALL_INT_MIN]!;
    const o = this.#table.alloc(this.type.id, value < 0x4000_0000 && value > -0x4000_0000 ? 1 : 2);
    writeInt(this.#table, o, value);
    return o;
  }

  /**
   * {@link create} of a safe integer for a caller that has made sure that the strategy's
   * allocation of an int is the object space's and that nobody observes it (see the embedding's
   * direct path): the same block, header, digits and counts, without the layers in between.
   * `items` is the digits allocated: 2 for {@link create}'s form, the value's own count for
   * {@link createExact}'s.
   * @throws PythonError MemoryError when the heap is exhausted
   */
  createDirect(value: number, items: number): number {
    if (value >= SMALL_INT_MIN && value <= SMALL_INT_MAX)
      return this.#small[value - SMALL_INT_MIN]!;
    const table = this.#table;
    const o = table.host.space.allocate(this.type.id, items);
    if (o === 0) raise("MemoryError", "");
    table.countAllocated();
    writeInt(table, o, value);
    return o;
  }

  /**
   * The death of an int whose count the caller has just set to 0, when freeing it is the
   * object space's `freeAs` and nobody observes it (see {@link createDirect}): what `free`
   * and the strategy's release do for an int, in one step.
   */
  releaseDirect(o: number): void {
    this.#table.countFreed();
    this.#table.host.space.freeAs(o, this.type);
  }

  /** The value: a number when it is exact as one, a bigint otherwise. */
  value(o: number): number | bigint {
    return readInt(this.#table, o);
  }

  free(o: number): void {
    this.#table.host.release(o);
  }

  repr(o: number): string {
    return String(this.value(o));
  }
}

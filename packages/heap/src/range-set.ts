// A sorted set of disjoint half-open ranges: the free (or unmapped) ranges of a page source,
// a frame allocator, anything that hands out runs of addresses and takes them back.

import { hex, invalidArgument } from "./errors.js";

/** A half-open range of addresses, `[start, end)`. */
export interface AddressRange {
  readonly start: number;
  readonly end: number;
}

/**
 * A set of half-open ranges `[start, end)`, kept sorted by address and coalesced: no two ranges
 * overlap or touch. Adding a range merges it with the ones it touches; removing a piece of a
 * range keeps what is left on either side. Lookups are binary searches; additions and removals
 * move array elements, which suits the cold paths it serves (arena- and page-sized runs).
 *
 * ```ts
 * const holes = new RangeSet();
 * holes.add(0x1000, 0x3000);
 * holes.add(0x3000, 0x4000);     // touches the first: one range [0x1000, 0x4000)
 * holes.remove(0x2000, 0x3000);  // leaves [0x1000, 0x2000) and [0x3000, 0x4000)
 * holes.indexOf(0x3800);         // 1
 * ```
 */
export class RangeSet {
  readonly #starts: number[] = [];
  readonly #ends: number[] = [];

  /** The number of ranges. */
  get size(): number {
    return this.#starts.length;
  }

  /** The start of range `i` (0 is the lowest). */
  start(i: number): number {
    return this.#starts[i]!;
  }

  /** The end (exclusive) of range `i`. */
  end(i: number): number {
    return this.#ends[i]!;
  }

  /** The index of the range that contains `address`, or -1. */
  indexOf(address: number): number {
    const i = firstAbove(this.#ends, address);
    return i < this.#starts.length && this.#starts[i]! <= address ? i : -1;
  }

  /** Whether any range shares an address with `[start, end)` (an empty range shares none). */
  overlaps(start: number, end: number): boolean {
    if (!(start < end)) return false;
    const i = firstAbove(this.#ends, start);
    return i < this.#starts.length && this.#starts[i]! < end;
  }

  /**
   * Adds `[start, end)`, merging it with the ranges it touches.
   * @throws InvalidArgumentError when the range is empty or overlaps one already in the set;
   *   the set is unchanged.
   */
  add(start: number, end: number): void {
    checkRange(start, end);
    if (this.overlaps(start, end)) {
      invalidArgument(`[${hex(start)}, ${hex(end)}) overlaps a range already in the set`);
    }
    const starts = this.#starts;
    const ends = this.#ends;
    let i = firstAbove(ends, start);
    if (i > 0 && ends[i - 1] === start) {
      i--;
      start = starts[i]!;
      starts.splice(i, 1);
      ends.splice(i, 1);
    }
    if (i < starts.length && starts[i] === end) {
      end = ends[i]!;
      starts.splice(i, 1);
      ends.splice(i, 1);
    }
    starts.splice(i, 0, start);
    ends.splice(i, 0, end);
  }

  /**
   * Removes `[start, end)`, which must lie inside one range; what is left of that range on
   * either side stays in the set.
   * @throws InvalidArgumentError when the range is empty or not inside one range of the set;
   *   the set is unchanged.
   */
  remove(start: number, end: number): void {
    checkRange(start, end);
    const i = this.indexOf(start);
    if (i < 0 || end > this.#ends[i]!) {
      invalidArgument(`[${hex(start)}, ${hex(end)}) is not inside one range of the set`);
    }
    const rangeStart = this.#starts[i]!;
    const rangeEnd = this.#ends[i]!;
    const starts: number[] = [];
    const ends: number[] = [];
    if (rangeStart < start) {
      starts.push(rangeStart);
      ends.push(start);
    }
    if (end < rangeEnd) {
      starts.push(end);
      ends.push(rangeEnd);
    }
    this.#starts.splice(i, 1, ...starts);
    this.#ends.splice(i, 1, ...ends);
  }

  /** The ranges, lowest first. */
  toArray(): AddressRange[] {
    return this.#starts.map((start, i) => ({ start, end: this.#ends[i]! }));
  }
}

function checkRange(start: number, end: number): void {
  if (!(Number.isSafeInteger(start) && Number.isSafeInteger(end) && start < end)) {
    invalidArgument(`a range needs integers start < end, got [${start}, ${end})`);
  }
}

/** The first index whose value is `> key` in an ascending array. */
function firstAbove(sorted: readonly number[], key: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

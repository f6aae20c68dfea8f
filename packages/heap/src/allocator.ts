// The Allocator contract that every allocator of @mm implements, so that they can be wrapped
// (debug hooks), swapped (pymalloc or malloc) and checked (verify) the same way.

import type { Memory } from "./memory.js";

/** A snapshot of an allocator's state. Freeing every block returns it to where it started. */
export interface AllocatorStats {
  /** Blocks handed out and not yet freed. */
  readonly liveBlocks: number;
  /** The sum of `usableSize` over the live blocks. */
  readonly liveBytes: number;
  /** Bytes the allocator holds from the level below it (its page source or inner allocator). */
  readonly footprintBytes: number;
  /** Bytes inside the footprint that are ready to be handed out without mapping more. */
  readonly freeBytes: number;
}

/**
 * The allocator contract every `@mm` allocator implements, the shape of C's `malloc` family.
 *
 * Exhaustion is a return value (0), never an exception. Misuse (a double free, an address the
 * allocator does not own, a misaligned or interior address) throws a typed error from
 * `errors.ts` and leaves the allocator unchanged, so `verify()` still passes afterwards.
 */
export interface Allocator {
  /** The memory that the returned addresses index. */
  readonly memory: Memory;
  /** A short name for tables and messages, e.g. `"free-store"`, `"pymalloc"`. */
  readonly name: string;
  /**
   * Allocates at least `size` bytes, 16-byte aligned. `malloc(0)` returns a unique address.
   * @returns the address, or 0 when memory is exhausted.
   * @throws InvalidArgumentError when `size` is not a non-negative integer.
   */
  malloc(size: number): number;
  /**
   * Allocates `count * size` zeroed bytes.
   * @returns the address, or 0 when memory is exhausted or the product overflows 32 bits.
   */
  calloc(count: number, size: number): number;
  /**
   * Resizes the block at `address`, keeping its first `min(old, size)` bytes; it may move.
   * `realloc(0, size)` is `malloc(size)`.
   * @returns the (possibly new) address, or 0 with the old block intact when memory is exhausted.
   * @throws InvalidAddressError when `address` is not a live block of this allocator.
   */
  realloc(address: number, size: number): number;
  /**
   * Frees the block at `address`. `free(0)` does nothing, as in C.
   * @throws DoubleFreeError, InvalidAddressError
   */
  free(address: number): void;
  /** The bytes that may be used at `address` (at least what was asked for). */
  usableSize(address: number): number;
  /** Whether `address` lies in memory that this allocator manages (live or not). O(1). */
  owns(address: number): boolean;
  /** The current figures. */
  stats(): AllocatorStats;
  /**
   * Walks every internal structure and checks its invariants.
   * @throws HeapCorruptionError naming the structure and address of the first broken one.
   */
  verify(): void;
}

// `gc.garbage`: the list a collector hands its uncollectable objects to (and, under
// DEBUG_SAVEALL, all the trash it found).

import { InvalidArgumentError, type ObjectSpace } from "@mm/heap";
import type { RefCounter } from "@mm/refcount";

/** What a {@link GarbageList} does with the objects it holds. */
export interface GarbageListOptions {
  /**
   * Called for each object appended, before it is stored: takes the list's hold on it (the
   * generational collector adds a reference). Throws for an address that is not a live object,
   * and the list is then unchanged.
   */
  readonly hold: (object: number) => void;
  /** Called for each object that {@link GarbageList.clear} removes, last first. */
  readonly release: (object: number) => void;
}

/** Entries a new list has room for before it first grows. */
const INITIAL_CAPACITY = 16;

/**
 * `gc.garbage`: objects a collector could not free, or (under DEBUG_SAVEALL) all the trash it
 * found, in the order it found them. Like the Python list it stands for, it holds each entry
 * (the generational collector's list owns one reference per entry), can be read by index and
 * iterated, and `clear()` lets every entry go, last first, as `del gc.garbage[:]` does.
 *
 * The entries sit in a Uint32Array that keeps its capacity when the list is cleared: a program
 * that saves and clears its trash again and again reuses the same memory, where a JavaScript
 * array (or CPython's list) would allocate a fresh item array each time.
 *
 * @example
 * ```ts
 * gc.setDebug(DebugFlags.SaveAll);
 * gc.collect();                  // the trash is saved, not freed
 * gc.garbage.length;             // how many objects were found
 * gc.garbage.clear();            // drops the list's references: now they are freed
 * ```
 */
export class GarbageList implements Iterable<number> {
  #items = new Uint32Array(INITIAL_CAPACITY);
  #length = 0;
  readonly #hold: (object: number) => void;
  readonly #release: (object: number) => void;

  constructor(options: GarbageListOptions) {
    this.#hold = options.hold;
    this.#release = options.release;
  }

  /** A list that holds each entry by a reference of `rc` (CPython's list, the generational collector's). */
  static counting(rc: RefCounter): GarbageList {
    return new GarbageList({
      hold: (object) => rc.incref(object),
      release: (object) => rc.decref(object),
    });
  }

  /**
   * A list for a heap without counts: holding is being listed (an entry must be a live object of
   * `space`), and letting go is nothing. A tracing collector marks from it as a root.
   */
  static listing(space: ObjectSpace): GarbageList {
    return new GarbageList({ hold: (object) => space.check(object), release: () => {} });
  }

  /** The number of entries (`len(gc.garbage)`). */
  get length(): number {
    return this.#length;
  }

  /**
   * The entry at `index` (negative counts from the end), or undefined outside the list.
   * @throws InvalidArgumentError when `index` is not an integer.
   */
  at(index: number): number | undefined {
    if (!Number.isInteger(index)) {
      throw new InvalidArgumentError(`index must be an integer, got ${String(index)}`);
    }
    const i = index < 0 ? this.#length + index : index;
    return i >= 0 && i < this.#length ? this.#items[i] : undefined;
  }

  /** The position of the first entry equal to `object`, or -1. */
  indexOf(object: number): number {
    const items = this.#items;
    for (let i = 0; i < this.#length; i++) if (items[i] === object) return i;
    return -1;
  }

  /** Whether `object` is in the list (`object in gc.garbage`). */
  includes(object: number): boolean {
    return this.indexOf(object) >= 0;
  }

  /** A copy of the entries, in order. */
  toArray(): number[] {
    return Array.from(this.#items.subarray(0, this.#length));
  }

  /** The entries in order. Entries appended while iterating are visited too. */
  *[Symbol.iterator](): IterableIterator<number> {
    for (let i = 0; i < this.#length; i++) yield this.#items[i]!;
  }

  /**
   * Appends `object`, which the list then holds (`gc.garbage.append`).
   * @throws InvalidArgumentError when `object` is not an unsigned 32-bit address, or what the
   *   hold throws for it; the list is then unchanged and holds nothing new.
   */
  append(object: number): void {
    if (object >>> 0 !== object) {
      throw new InvalidArgumentError(`${String(object)} is not an unsigned 32-bit address`);
    }
    // Room first: if growing fails, nothing has been held yet.
    if (this.#length === this.#items.length) this.#grow(this.#length + 1);
    this.#hold(object);
    this.#items[this.#length++] = object;
  }

  /**
   * Makes room for `count` more entries at once, so that a collector appending a whole
   * collection's trash grows the list (at most) once.
   */
  reserve(count: number): void {
    if (!Number.isInteger(count) || count < 0) {
      throw new InvalidArgumentError(`count must be a non-negative integer, got ${String(count)}`);
    }
    if (this.#length + count > this.#items.length) this.#grow(this.#length + count);
  }

  /**
   * Removes every entry and lets each go, last first (`del gc.garbage[:]`): the generational
   * collector drops the references, which frees whatever nothing else holds. The list is empty
   * before the first release runs, so code run by a release sees it empty and may append to it.
   * The capacity is kept for the next time, unless a release appended (the list then keeps the
   * new entries in a new array).
   * @throws the first error a release threw, after every entry has been released.
   */
  clear(): void {
    const items = this.#items;
    const length = this.#length;
    if (length === 0) return;
    this.#items = new Uint32Array(INITIAL_CAPACITY);
    this.#length = 0;
    let failure: { error: unknown } | undefined;
    for (let i = length - 1; i >= 0; i--) {
      try {
        this.#release(items[i]!);
      } catch (error) {
        failure ??= { error };
      }
    }
    // Nothing was appended while the entries were released: take the big array back.
    if (this.#length === 0) this.#items = items;
    if (failure) throw failure.error;
  }

  #grow(needed: number): void {
    let capacity = this.#items.length;
    while (capacity < needed) capacity *= 2;
    const items = new Uint32Array(capacity);
    items.set(this.#items.subarray(0, this.#length));
    this.#items = items;
  }
}

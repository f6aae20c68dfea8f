// Page sources: where allocators get large, page-aligned chunks (pymalloc's arenas, the free
// store's regions), as a C allocator gets them from mmap. The default maps inside a Memory.

import { checkSize, hex, InvalidAddressError, invalidArgument } from "./errors.js";
import type { Memory } from "./memory.js";
import { RangeSet } from "./range-set.js";

/**
 * The contract between an allocator and whatever provides its chunks. Mapped pages read as
 * zero, as anonymous `mmap` pages do.
 *
 * Allocators may treat two chunks whose addresses continue each other (one starts where the
 * other ends) as one span: `FreeStore` merges such regions and lets blocks straddle the seam.
 * A source whose chunks stand for something beyond offsets into `memory` (a process's virtual
 * addresses, say) must therefore only hand out a chunk that continues another when the two are
 * neighbours in that other space too.
 */
export interface PageSource {
  /** The memory that mapped addresses index. */
  readonly memory: Memory;
  /** The granularity of `map` and `unmap`, a power of two. */
  readonly pageSize: number;
  /** Bytes currently mapped through this source. */
  readonly mappedBytes: number;
  /**
   * Maps `bytes` (rounded up to whole pages) of zeroed memory.
   * @param alignment - a power of two, at least `pageSize`; the default is `pageSize`.
   * @returns the address of the first byte, or 0 when the memory is exhausted.
   */
  map(bytes: number, alignment?: number): number;
  /**
   * Returns `bytes` (rounded up to whole pages) starting at `address` to the source. Any
   * page-aligned part of a mapping may be unmapped, as with `munmap`.
   * @throws InvalidAddressError when the range is misaligned or not wholly mapped.
   */
  unmap(address: number, bytes: number): void;
}

/** Options of {@link MemoryPageSource}. */
export interface MemoryPageSourceOptions {
  /**
   * The page size, a power of two of at least 16 bytes.
   * @defaultValue `4096`
   */
  readonly pageSize?: number;
  /**
   * The lowest address the source maps: a multiple of the page size, at least one page. The
   * bytes below it are never handed out, so that the first page stays NULL's and a user of
   * the memory may keep data of its own above that page, outside every allocator and every
   * allocator's statistics (as a process keeps its initialised data below its heap).
   * @defaultValue the page size
   */
  readonly base?: number;
}

/**
 * The default page source: it carves pages out of a {@link Memory}, lowest address first,
 * and grows the memory when no unmapped range fits. The first page (everything below
 * {@link MemoryPageSourceOptions.base}) is never mapped, so that NULL and small offsets from it
 * are never valid addresses.
 *
 * Unmapped ranges are kept address-ordered and coalesced; `map` takes the first that fits.
 * Both are cold paths (arena- and region-sized requests), so a sorted array is the right tool.
 *
 * Pages are zeroed when they are mapped again, not when they are unmapped, as a kernel zeroes
 * an anonymous page when it is next faulted in: `unmap` costs nothing per byte, and memory
 * that is never mapped again is never written. Memory above the highest address ever mapped
 * has never been handed out and is still zero from the growth that made it.
 */
export class MemoryPageSource implements PageSource {
  readonly memory: Memory;
  readonly pageSize: number;
  #mappedBytes = 0;
  /** End of the highest mapping; everything in [base, top) not in a hole is mapped. */
  #top: number;
  /** Unmapped ranges below `top`; the last never ends at `top`. */
  readonly #holes = new RangeSet();
  /** The highest end of any mapping so far: below it, unmapped pages may hold old bytes. */
  #highWater: number;
  readonly #base: number;

  constructor(memory: Memory, options: MemoryPageSourceOptions = {}) {
    const pageSize = options.pageSize ?? 4096;
    if (!Number.isInteger(pageSize) || pageSize < 16 || (pageSize & (pageSize - 1)) !== 0) {
      invalidArgument(`pageSize must be a power of two of at least 16, got ${String(pageSize)}`);
    }
    const base = options.base ?? pageSize;
    if (
      !Number.isInteger(base) ||
      base < pageSize ||
      base % pageSize !== 0 ||
      base > memory.maximumBytes
    ) {
      invalidArgument(
        `base must be a multiple of the page size (${pageSize}) from ${pageSize} to the memory's maximum (${memory.maximumBytes}), got ${String(base)}`,
      );
    }
    this.memory = memory;
    this.pageSize = pageSize;
    this.#base = base;
    this.#top = base;
    this.#highWater = base;
  }

  get mappedBytes(): number {
    return this.#mappedBytes;
  }

  /** The lowest address this source ever maps. */
  get base(): number {
    return this.#base;
  }

  map(bytes: number, alignment: number = this.pageSize): number {
    checkSize("map size", bytes);
    if (alignment < this.pageSize || (alignment & (alignment - 1)) !== 0) {
      invalidArgument(
        `alignment must be a power of two of at least ${this.pageSize}, got ${alignment}`,
      );
    }
    const size = this.#roundUp(Math.max(bytes, 1));
    const holes = this.#holes;
    for (let i = 0; i < holes.size; i++) {
      const start = alignUp(holes.start(i), alignment);
      if (start + size <= holes.end(i)) {
        holes.remove(start, start + size);
        return this.#mapped(start, size);
      }
    }
    const start = alignUp(this.#top, alignment);
    const end = start + size;
    if (end > this.memory.maximumBytes || !this.memory.grow(end)) return 0;
    if (start > this.#top) holes.add(this.#top, start);
    this.#top = end;
    return this.#mapped(start, size);
  }

  unmap(address: number, bytes: number): void {
    checkSize("unmap size", bytes);
    if (address % this.pageSize !== 0) {
      throw new InvalidAddressError(
        "unmap",
        address,
        "misaligned",
        `page size is ${this.pageSize}`,
      );
    }
    const size = this.#roundUp(bytes);
    const end = address + size;
    if (size === 0) return;
    if (address < this.base || end > this.#top || this.#holes.overlaps(address, end)) {
      throw new InvalidAddressError(
        "unmap",
        address,
        "unmapped",
        `the range [${hex(address)}, ${hex(end)}) is not wholly mapped`,
      );
    }
    this.#mappedBytes -= size;
    if (end === this.#top) {
      // The top comes down, past the hole below the range if there is one.
      const holes = this.#holes;
      const last = holes.size - 1;
      this.#top = last >= 0 && holes.end(last) === address ? holes.start(last) : address;
      if (this.#top < address) holes.remove(this.#top, address);
    } else {
      this.#holes.add(address, end);
    }
  }

  /** The mapped ranges, in address order (for views and tests). */
  mappings(): Array<{ start: number; end: number }> {
    const out: Array<{ start: number; end: number }> = [];
    let cursor = this.base;
    for (const hole of this.#holes.toArray()) {
      if (hole.start > cursor) out.push({ start: cursor, end: hole.start });
      cursor = hole.end;
    }
    if (this.#top > cursor) out.push({ start: cursor, end: this.#top });
    return out;
  }

  #mapped(start: number, size: number): number {
    const dirtyEnd = Math.min(start + size, this.#highWater);
    if (dirtyEnd > start) this.memory.u8.fill(0, start, dirtyEnd);
    this.#highWater = Math.max(this.#highWater, start + size);
    this.#mappedBytes += size;
    return start;
  }

  #roundUp(bytes: number): number {
    return Math.ceil(bytes / this.pageSize) * this.pageSize;
  }
}

function alignUp(value: number, alignment: number): number {
  return Math.ceil(value / alignment) * alignment;
}

// The free store: a general-purpose allocator for blocks of any size (CPython's raw domain,
// "malloc"), built on Two-Level Segregated Fit (Masmano et al., 2004).
//
// Why TLSF: malloc and free are O(1) in the worst case, not just on average. Free blocks sit in
// one of FL x SL segregated lists: the first level splits sizes by powers of two, the second
// splits each power of two into 32 equal ranges. Two bitmaps say which lists are non-empty, so
// finding a list that is guaranteed to hold a big-enough block is a couple of bit scans, never a
// walk. The price is bounded internal fragmentation: a request is rounded up to the next
// second-level boundary before the search, so at most 1/32 (about 3 %) is lost for sizes of
// 512 bytes and more, and nothing below (those lists are exact, in 16-byte steps).
//
// Block layout (addresses grow to the right; B ≡ 8 mod 16, so payloads are 16-byte aligned):
//
//   B          B+4          B+8                                   B+S        B+S+4
//   | prevPhys | size|flags | payload ............................| prevPhys'| size'|flags'
//                           | next free | prev free | (free only) |
//
// `size` is the distance S to the next block. `prevPhys` is valid only when the block before is
// free (flag PREV_FREE), so a used block may use the next block's prevPhys word: its usable size
// is S - 4. A region mapped from the page source holds blocks from R+8 to a zero-sized sentinel
// at R+L-8. Neighbouring free blocks are always merged at once, so no two are ever adjacent.

import type { Allocator, AllocatorStats } from "./allocator.js";
import {
  checkSize,
  DoubleFreeError,
  HeapCorruptionError,
  InvalidAddressError,
  invalidArgument,
} from "./errors.js";
import { AddressBitmap } from "./internal/address-bitmap.js";
import { MAX_MEMORY_BYTES, type Memory } from "./memory.js";
import type { PageSource } from "./page-source.js";

/**
 * The free store's numbers, as a `const enum` so that every compiler writes them in place: in
 * V8 a module constant is a context load and a check on every use, and malloc and free use
 * several per call.
 */
// biome-ignore lint/suspicious/noConstEnum: local to this module, so every compiler inlines it.
const enum Tlsf {
  /** Header flag: the block is free. */
  Free = 1,
  /** Header flag: the block before this one is free (its footer holds its size). */
  PrevFree = 2,
  /** The header's flag bits. */
  FlagMask = 15,
  MinBlock = 16,
  Header = 8,
  /** log2 of the number of second-level lists per first-level class. */
  SlLog = 5,
  SlCount = 32,
  /** Sizes below this use exact lists in 16-byte steps. */
  Small = 512,
  /** First levels: sizes up to 2^32 need floor(log2) up to 31, i.e. fl = 31 - 8. */
  FlCount = 24,
}
if (Tlsf.SlCount !== 1 << Tlsf.SlLog || Tlsf.Small !== Tlsf.SlCount << 4) {
  throw new Error("the free store was built with an inconsistent list geometry");
}

/** The largest request: what fits in the largest memory after headers and rounding. */
const MAX_REQUEST = MAX_MEMORY_BYTES - 65536;

/** Options of {@link FreeStore}. */
export interface FreeStoreOptions {
  /**
   * The least that is mapped from the page source at a time; larger requests map more.
   * @defaultValue `262144` (256 KiB)
   */
  readonly regionBytes?: number;
  /**
   * A free block of at least this many bytes at the end of a region is handed back to the page
   * source, like glibc's `M_TRIM_THRESHOLD`. A region that becomes wholly free is always
   * handed back.
   * @defaultValue `131072` (128 KiB)
   */
  readonly trimThreshold?: number;
}

/**
 * A TLSF allocator over a {@link PageSource}: O(1) `malloc` and `free`, 16-byte alignment,
 * immediate coalescing, and trailing free space returned to the page source.
 *
 * @example
 * ```ts
 * const memory = new Memory({ maximumBytes: 64 << 20 });
 * const store = new FreeStore(new MemoryPageSource(memory));
 * const p = store.malloc(100);
 * memory.u8.fill(7, p, p + 100);
 * store.free(p);
 * ```
 */
export class FreeStore implements Allocator {
  readonly memory: Memory;
  readonly name = "free-store";
  readonly source: PageSource;
  readonly regionBytes: number;
  readonly trimThreshold: number;

  /** Bit fl set when some list of first level fl is non-empty. */
  #flBitmap = 0;
  /** Per first level: bit sl set when list (fl, sl) is non-empty. */
  readonly #slBitmap = new Uint32Array(Tlsf.FlCount);
  /** Heads of the free lists, by fl * SlCount + sl; 0 is the empty list. */
  readonly #heads = new Uint32Array(Tlsf.FlCount * Tlsf.SlCount);
  /** A bit per 16 bytes: set at the payload address of every used block. */
  readonly #liveStarts: AddressBitmap;
  /** A bit per page: set for pages of this store's regions. */
  readonly #ownedPages: AddressBitmap;
  /** Regions, sorted by start: [start, end) as mapped from the page source. */
  readonly #regionStart: number[] = [];
  readonly #regionEnd: number[] = [];

  #liveBlocks = 0;
  #liveBytes = 0;
  #freeBytes = 0;
  #footprint = 0;

  constructor(source: PageSource, options: FreeStoreOptions = {}) {
    const regionBytes = options.regionBytes ?? 256 * 1024;
    const trimThreshold = options.trimThreshold ?? 128 * 1024;
    checkSize("regionBytes", regionBytes);
    checkSize("trimThreshold", trimThreshold);
    if (regionBytes < source.pageSize) {
      invalidArgument(`regionBytes (${regionBytes}) must be at least the page size`);
    }
    this.source = source;
    this.memory = source.memory;
    this.regionBytes = regionBytes;
    this.trimThreshold = Math.max(trimThreshold, source.pageSize);
    this.#liveStarts = new AddressBitmap(this.memory, 4);
    this.#ownedPages = new AddressBitmap(this.memory, Math.log2(source.pageSize));
  }

  malloc(size: number): number {
    // A bigint or a string must not reach Math.floor, which would throw a raw TypeError.
    if (!(typeof size === "number" && size >= 0 && size <= MAX_REQUEST && Number.isInteger(size))) {
      checkSize("malloc size", size, Number.MAX_SAFE_INTEGER);
      return 0;
    }
    const need = blockSizeFor(size);
    let block = this.#takeFree(need);
    if (block === 0) {
      if (!this.#addRegion(need)) return 0;
      block = this.#takeFree(need);
      if (block === 0) return 0;
    }
    this.#useBlock(this.memory.u32, block, need);
    return block + Tlsf.Header;
  }

  calloc(count: number, size: number): number {
    checkSize("calloc count", count, Number.MAX_SAFE_INTEGER);
    checkSize("calloc size", size, Number.MAX_SAFE_INTEGER);
    const total = count * size;
    if (total > MAX_REQUEST) return 0;
    const address = this.malloc(total);
    if (address !== 0) this.memory.u8.fill(0, address, address + total);
    return address;
  }

  realloc(address: number, size: number): number {
    if (address === 0) return this.malloc(size);
    checkSize("realloc size", size, Number.MAX_SAFE_INTEGER);
    const block = this.#checkLive("realloc", address);
    const u32 = this.memory.u32;
    const have = (u32[(block + 4) >>> 2]! & ~Tlsf.FlagMask) >>> 0;
    if (size > MAX_REQUEST) return 0;
    const need = blockSizeFor(size);
    if (need <= have) {
      this.#shrink(u32, block, have, need);
      return address;
    }
    const next = block + have;
    const nextWord = u32[(next + 4) >>> 2]!;
    const nextSize = (nextWord & ~Tlsf.FlagMask) >>> 0;
    if (nextWord & Tlsf.Free && have + nextSize >= need) {
      this.#removeFree(next, nextSize);
      this.#freeBytes -= nextSize;
      this.#liveBytes -= have - 4;
      const merged = have + nextSize;
      u32[(block + 4) >>> 2] = merged | (u32[(block + 4) >>> 2]! & Tlsf.PrevFree);
      u32[(block + merged + 4) >>> 2]! &= ~Tlsf.PrevFree;
      this.#liveBytes += merged - 4;
      this.#shrink(u32, block, merged, need);
      return address;
    }
    const moved = this.malloc(size);
    if (moved === 0) return 0;
    const u8 = this.memory.u8;
    u8.copyWithin(moved, address, address + Math.min(have - 4, size));
    this.free(address);
    return moved;
  }

  free(address: number): void {
    if (address === 0) return;
    const block = this.#checkLive("free", address);
    const u32 = this.memory.u32;
    const size = (u32[(block + 4) >>> 2]! & ~Tlsf.FlagMask) >>> 0;
    this.#liveStarts.clear(address);
    this.#liveBlocks--;
    this.#liveBytes -= size - 4;
    this.#release(u32, block, size);
  }

  usableSize(address: number): number {
    const block = this.#checkLive("usableSize", address);
    return ((this.memory.u32[(block + 4) >>> 2]! & ~Tlsf.FlagMask) >>> 0) - 4;
  }

  owns(address: number): boolean {
    // Past the end of memory the bitmap has no word: the read is undefined, the bit 0. Only
    // unsigned 32-bit integers are addresses: `>>>` would wrap any other number onto a page.
    return address >>> 0 === address && address > 0 && this.#ownedPages.get(address);
  }

  stats(): AllocatorStats {
    return {
      liveBlocks: this.#liveBlocks,
      liveBytes: this.#liveBytes,
      footprintBytes: this.#footprint,
      freeBytes: this.#freeBytes,
    };
  }

  /** The regions currently mapped, in address order. */
  regions(): Array<{ start: number; end: number }> {
    return this.#regionStart.map((start, i) => ({ start, end: this.#regionEnd[i]! }));
  }

  verify(): void {
    const u32 = this.memory.u32;
    const fail = (structure: string, at: number, message: string): never => {
      throw new HeapCorruptionError(`free store ${structure}`, at, message);
    };
    let live = 0;
    let liveBytes = 0;
    let freeBlocks = 0;
    let freeBytes = 0;
    let footprint = 0;
    for (let r = 0; r < this.#regionStart.length; r++) {
      const start = this.#regionStart[r]!;
      const end = this.#regionEnd[r]!;
      footprint += end - start;
      if (r > 0 && start < this.#regionEnd[r - 1]!) fail("region table", start, "regions overlap");
      if (this.#ownedPages.count(start, end) !== (end - start) / this.source.pageSize) {
        fail("page map", start, "a page of the region is not marked as owned");
      }
      let block = start + Tlsf.Header;
      let prevBlock = 0;
      let prevFree = false;
      let regionLive = 0;
      for (;;) {
        const word = u32[(block + 4) >>> 2]!;
        const size = (word & ~Tlsf.FlagMask) >>> 0;
        if (((word & Tlsf.PrevFree) !== 0) !== prevFree) {
          fail(
            "block header",
            block,
            `PREV_FREE flag is ${!prevFree} but the block before is ${prevFree ? "free" : "used"}`,
          );
        }
        if (prevFree && u32[block >>> 2] !== prevBlock) {
          fail("block header", block, "prevPhys does not point at the free block before");
        }
        if (size === 0) {
          if (block !== end - Tlsf.Header)
            fail("block header", block, "a zero-sized block before the region's end");
          if (word & Tlsf.Free) fail("sentinel", block, "the region's sentinel is marked free");
          break;
        }
        if (size < Tlsf.MinBlock || size % 16 !== 0 || block + size > end - Tlsf.Header) {
          fail("block header", block, `size ${size} is not a multiple of 16 inside the region`);
        }
        if (this.#liveStarts.get(block + Tlsf.Header) !== ((word & Tlsf.Free) === 0)) {
          fail(
            "live-block map",
            block + Tlsf.Header,
            `the map disagrees with the block's FREE flag`,
          );
        }
        if (word & Tlsf.Free) {
          if (prevFree) fail("coalescing", block, "two free blocks are adjacent");
          freeBlocks++;
          freeBytes += size;
          prevFree = true;
        } else {
          live++;
          regionLive++;
          liveBytes += size - 4;
          prevFree = false;
        }
        prevBlock = block;
        block += size;
      }
      if (this.#liveStarts.count(start, end) !== regionLive) {
        fail("live-block map", start, "the map marks an address that starts no used block");
      }
    }
    let listed = 0;
    for (let fl = 0; fl < Tlsf.FlCount; fl++) {
      const slMap = this.#slBitmap[fl]!;
      if (((this.#flBitmap >>> fl) & 1) !== (slMap !== 0 ? 1 : 0)) {
        fail("first-level bitmap", fl, `bit ${fl} disagrees with its second-level bitmap`);
      }
      for (let sl = 0; sl < Tlsf.SlCount; sl++) {
        const head = this.#heads[fl * Tlsf.SlCount + sl]!;
        if (((slMap >>> sl) & 1) !== (head !== 0 ? 1 : 0)) {
          fail("second-level bitmap", head, `list (${fl}, ${sl}) disagrees with its bit`);
        }
        let prev = 0;
        for (let block = head; block !== 0; block = u32[(block + 8) >>> 2]!) {
          if (++listed > freeBlocks)
            fail("free list", block, "more listed blocks than free blocks (a cycle?)");
          const word = u32[(block + 4) >>> 2]!;
          if (!this.owns(block) || !(word & Tlsf.Free))
            fail("free list", block, "a listed block is not free");
          if (listIndex((word & ~Tlsf.FlagMask) >>> 0) !== fl * Tlsf.SlCount + sl)
            fail(
              "free list",
              block,
              `block of size ${(word & ~Tlsf.FlagMask) >>> 0} is in list (${fl}, ${sl})`,
            );
          if (u32[(block + 12) >>> 2] !== prev) fail("free list", block, "back link is wrong");
          prev = block;
        }
      }
    }
    if (listed !== freeBlocks)
      fail("free list", 0, `${freeBlocks} free blocks but ${listed} listed`);
    if (live !== this.#liveBlocks || liveBytes !== this.#liveBytes) {
      fail(
        "statistics",
        0,
        `counted ${live} live blocks of ${liveBytes} bytes, recorded ${this.#liveBlocks} of ${this.#liveBytes}`,
      );
    }
    if (freeBytes !== this.#freeBytes || footprint !== this.#footprint) {
      fail("statistics", 0, "free or footprint bytes disagree with the regions");
    }
  }

  /** Validates a caller's address and returns its block; throws without changing anything. */
  #checkLive(operation: "free" | "realloc" | "usableSize", address: number): number {
    if (address === 0) throw new InvalidAddressError(operation, address, "null");
    if (address >>> 0 !== address || !this.owns(address)) {
      throw new InvalidAddressError(operation, address, "not-owned");
    }
    if ((address & 15) !== 0) throw new InvalidAddressError(operation, address, "misaligned");
    const block = address - Tlsf.Header;
    if (!this.#liveStarts.get(address)) {
      // Not a used block. A header that still says FREE means the block was freed (it may
      // since have merged with a neighbour); anything else is a pointer into a block.
      if (this.memory.u32[(block + 4) >>> 2]! & Tlsf.Free) {
        if (operation === "free") throw new DoubleFreeError(address);
        throw new InvalidAddressError(operation, address, "freed");
      }
      throw new InvalidAddressError(operation, address, "interior");
    }
    return block;
  }

  /** Marks a free block (already off its list) as used, splitting off the excess. */
  #useBlock(u32: Uint32Array, block: number, need: number): void {
    const word = u32[(block + 4) >>> 2]!;
    const size = (word & ~Tlsf.FlagMask) >>> 0;
    this.#freeBytes -= size;
    let used = size;
    if (size - need >= Tlsf.MinBlock) {
      used = need;
      const rest = block + need;
      const restSize = size - need;
      u32[(rest + 4) >>> 2] = restSize | Tlsf.Free;
      u32[(rest + restSize) >>> 2] = rest;
      this.#insertFree(rest, restSize);
      this.#freeBytes += restSize;
    } else {
      u32[(block + size + 4) >>> 2]! &= ~Tlsf.PrevFree;
    }
    u32[(block + 4) >>> 2] = used | (word & Tlsf.PrevFree);
    this.#liveStarts.set(block + Tlsf.Header);
    this.#liveBlocks++;
    this.#liveBytes += used - 4;
  }

  /** Shrinks a used block of `size` bytes to `need`, freeing the tail when it is big enough. */
  #shrink(u32: Uint32Array, block: number, size: number, need: number): void {
    if (size - need < Tlsf.MinBlock) return;
    u32[(block + 4) >>> 2] = need | (u32[(block + 4) >>> 2]! & Tlsf.PrevFree);
    this.#liveBytes -= size - need;
    const tail = block + need;
    u32[(tail + 4) >>> 2] = size - need;
    this.#release(u32, tail, size - need);
  }

  /** Turns a used block into a free one: coalesces, trims (unless told not to), and lists it. */
  #release(u32: Uint32Array, block: number, size: number, trim = true): void {
    const word = u32[(block + 4) >>> 2]!;
    if (word & Tlsf.PrevFree) {
      const prev = u32[block >>> 2]!;
      const prevSize = (u32[(prev + 4) >>> 2]! & ~Tlsf.FlagMask) >>> 0;
      this.#removeFree(prev, prevSize);
      this.#freeBytes -= prevSize;
      block = prev;
      size += prevSize;
    }
    const after = block + size;
    const afterWord = u32[(after + 4) >>> 2]!;
    if (afterWord & Tlsf.Free) {
      const afterSize = (afterWord & ~Tlsf.FlagMask) >>> 0;
      this.#removeFree(after, afterSize);
      this.#freeBytes -= afterSize;
      size += afterSize;
    }
    const next = block + size;
    u32[(block + 4) >>> 2] = size | Tlsf.Free;
    u32[next >>> 2] = block;
    u32[(next + 4) >>> 2]! |= Tlsf.PrevFree;
    if (
      trim &&
      (u32[(next + 4) >>> 2]! & ~Tlsf.FlagMask) === 0 &&
      (size >= this.trimThreshold || this.#regionStart.includes(block - Tlsf.Header))
    ) {
      this.#trim(u32, block, size);
      return;
    }
    this.#insertFree(block, size);
    this.#freeBytes += size;
  }

  /** Hands the free tail block [block, block + size) of a region back to the page source. */
  #trim(u32: Uint32Array, block: number, size: number): void {
    const end = block + size + Tlsf.Header;
    const r = this.#regionEnd.indexOf(end);
    const start = this.#regionStart[r]!;
    const pageSize = this.source.pageSize;
    if (block === start + Tlsf.Header) {
      this.#regionStart.splice(r, 1);
      this.#regionEnd.splice(r, 1);
      this.#unmapRange(start, end);
      return;
    }
    // Keep half the threshold as a pad, so that a heap hovering around its top does not map
    // and unmap the same pages over and over.
    const newEnd =
      Math.ceil((block + Tlsf.Header + (this.trimThreshold >>> 1)) / pageSize) * pageSize;
    if (newEnd >= end) {
      this.#insertFree(block, size);
      this.#freeBytes += size;
      return;
    }
    const sentinel = newEnd - Tlsf.Header;
    if (sentinel === block) {
      u32[(block + 4) >>> 2] = 0;
    } else {
      const rest = sentinel - block;
      u32[(block + 4) >>> 2] = rest | Tlsf.Free;
      u32[sentinel >>> 2] = block;
      u32[(sentinel + 4) >>> 2] = Tlsf.PrevFree;
      this.#insertFree(block, rest);
      this.#freeBytes += rest;
    }
    this.#regionEnd[r] = newEnd;
    this.#unmapRange(newEnd, end);
  }

  #unmapRange(start: number, end: number): void {
    this.#ownedPages.fill(start, end, false);
    this.source.unmap(start, end - start);
    this.#footprint -= end - start;
  }

  /** Maps a region big enough for a block of `need` bytes; merges it with an adjacent one. */
  #addRegion(need: number): boolean {
    const pageSize = this.source.pageSize;
    const bytes = Math.max(
      this.regionBytes,
      Math.ceil((searchSize(need) + 2 * Tlsf.Header) / pageSize) * pageSize,
    );
    const start = this.source.map(bytes);
    if (start === 0) return false;
    const end = start + bytes;
    this.#footprint += bytes;
    this.#ownedPages.fill(start, end, true);
    const u32 = this.memory.u32;
    const r = this.#regionEnd.indexOf(start);
    let block: number;
    if (r >= 0) {
      // The old sentinel becomes the first block of the new space.
      block = start - Tlsf.Header;
      u32[(block + 4) >>> 2] = bytes | (u32[(block + 4) >>> 2]! & Tlsf.PrevFree);
      this.#regionEnd[r] = end;
    } else {
      block = start + Tlsf.Header;
      u32[(block + 4) >>> 2] = bytes - 2 * Tlsf.Header;
      const at = this.#regionStart.findIndex((s) => s > start);
      const i = at < 0 ? this.#regionStart.length : at;
      this.#regionStart.splice(i, 0, start);
      this.#regionEnd.splice(i, 0, end);
    }
    u32[(end - Tlsf.Header + 4) >>> 2] = 0;
    this.#release(u32, block, (u32[(block + 4) >>> 2]! & ~Tlsf.FlagMask) >>> 0, false);
    return true;
  }

  /** Unlinks and returns a free block of at least `need` bytes, or returns 0. */
  #takeFree(need: number): number {
    let index = listIndex(searchSize(need));
    let fl = index >>> Tlsf.SlLog;
    if (fl >= Tlsf.FlCount) return 0;
    let slMap = this.#slBitmap[fl]! & (~0 << (index & (Tlsf.SlCount - 1)));
    if (slMap === 0) {
      const flMap = this.#flBitmap & (~0 << (fl + 1));
      if (flMap === 0) return 0;
      fl = 31 - Math.clz32(flMap & -flMap);
      slMap = this.#slBitmap[fl]!;
    }
    index = (fl << Tlsf.SlLog) | (31 - Math.clz32(slMap & -slMap));
    const block = this.#heads[index]!;
    const u32 = this.memory.u32;
    const next = u32[(block + 8) >>> 2]!;
    this.#heads[index] = next;
    if (next !== 0) {
      u32[(next + 12) >>> 2] = 0;
    } else {
      this.#clearListBit(index);
    }
    return block;
  }

  #insertFree(block: number, size: number): void {
    const index = listIndex(size);
    const u32 = this.memory.u32;
    const head = this.#heads[index]!;
    u32[(block + 8) >>> 2] = head;
    u32[(block + 12) >>> 2] = 0;
    if (head !== 0) u32[(head + 12) >>> 2] = block;
    this.#heads[index] = block;
    this.#flBitmap |= 1 << (index >>> Tlsf.SlLog);
    this.#slBitmap[index >>> Tlsf.SlLog]! |= 1 << (index & (Tlsf.SlCount - 1));
  }

  #removeFree(block: number, size: number): void {
    const u32 = this.memory.u32;
    const next = u32[(block + 8) >>> 2]!;
    const prev = u32[(block + 12) >>> 2]!;
    if (next !== 0) u32[(next + 12) >>> 2] = prev;
    if (prev !== 0) {
      u32[(prev + 8) >>> 2] = next;
      return;
    }
    const index = listIndex(size);
    this.#heads[index] = next;
    if (next === 0) this.#clearListBit(index);
  }

  #clearListBit(index: number): void {
    const fl = index >>> Tlsf.SlLog;
    const slMap = this.#slBitmap[fl]! & ~(1 << (index & (Tlsf.SlCount - 1)));
    this.#slBitmap[fl] = slMap;
    if (slMap === 0) this.#flBitmap &= ~(1 << fl);
  }
}

/** The block size that serves a request of `size` bytes. */
function blockSizeFor(size: number): number {
  return size <= Tlsf.MinBlock - 4 ? Tlsf.MinBlock : ((size + 19) & ~15) >>> 0;
}

/**
 * The size to look up for a block of `need` bytes: rounded up to the next second-level
 * boundary, so that every block in the list found is big enough (TLSF's good fit).
 */
function searchSize(need: number): number {
  return need < Tlsf.Small ? need : need + (1 << (31 - Math.clz32(need) - Tlsf.SlLog)) - 1;
}

/** The list of free blocks of `size` bytes: `fl << SL_LOG | sl`. */
function listIndex(size: number): number {
  if (size < Tlsf.Small) return size >>> 4;
  const f = 31 - Math.clz32(size);
  return ((f - 8) << Tlsf.SlLog) | ((size >>> (f - Tlsf.SlLog)) ^ Tlsf.SlCount);
}

// pymalloc: CPython 3.11's small-object allocator (Objects/obmalloc.c), over a page source.
//
// Requests of 1..512 bytes are rounded up to one of 32 size classes (16, 32, ..., 512) and
// served from pools: 16 KiB pages that each hold blocks of one class behind a 48-byte header.
// Pools are carved out of 1 MiB arenas mapped from the page source. Everything else goes to an
// inner allocator (CPython's raw domain). The algorithms are obmalloc's, step for step:
//
// - usedpools[c] lists the pools of class c that have a free block; allocation takes the head
//   pool's first free block. A full pool is on no list; when it gets a block back it goes to
//   the front, so allocation keeps filling the pool it touched last.
// - Free blocks are a LIFO list threaded through the blocks' first word. A fresh pool sets up
//   only two blocks; the rest are carved one at a time when the list runs dry, so memory is
//   not touched before it is needed.
// - An empty pool goes to its arena's freepools list and may come back for any class; for the
//   class it last held, re-initialisation is skipped.
// - usable_arenas (arenas with a free pool) is sorted by free pools, ascending, and new pools
//   come from its head: the fullest arenas are filled first, so nearly empty ones get the
//   chance to empty completely and go back to the page source. nfp2lasta[n] (the last arena
//   with n free pools) keeps the list sorted in O(1) when a pool is freed.
// - A wholly free arena is unmapped, except the last usable one (bpo-37257).
//
// Pool header (48 bytes at the pool's address; 8-byte slots hold 32-bit values in their low
// half, as a little-endian 64-bit build leaves them when the high half is zero):
//
//   +0 ref.count  +8 freeblock  +16 nextpool  +24 prevpool
//   +32 arenaindex (u32)  +36 szidx (u32)  +40 nextoffset (u32)  +44 maxnextoffset (u32)
//
// One deviation, on purpose: CPython cannot tell a double or interior free from a good one
// and corrupts its lists. Here a bit per block-aligned address says which blocks are handed
// out, so every bad free is refused in O(1) with a typed error before anything changes.

import {
  AddressBitmap,
  type Allocator,
  type AllocatorStats,
  checkSize,
  DoubleFreeError,
  FreeStore,
  HeapCorruptionError,
  hex,
  InvalidAddressError,
  type InvalidAddressReason,
  invalidArgument,
  type Memory,
  type PageSource,
} from "@mm/heap";
import type {
  ArenaMapStats,
  ArenaStats,
  MallocStats,
  PoolAllocatorOptions,
  PoolGeometry,
  PoolStats,
  SizeClassStats,
} from "./api.js";
import type { FreeLists } from "./free-lists.js";
import { blocksPerPool, resolveGeometry } from "./internal/geometry.js";
import { formatMallocStats } from "./internal/stats-text.js";

/** Up to this many bytes, calloc zeroes a block word by word rather than with `fill`. */
const SMALL_ZEROING = 64;

/**
 * Pool header fields, as indexes of 32-bit words from the pool's address. A `const enum`, so
 * that the compiler writes the numbers in place: the hot paths stay small enough for V8 to
 * inline them all into their caller.
 */
// biome-ignore lint/suspicious/noConstEnum: local to this module, so every compiler inlines it.
const enum Header {
  Count = 0,
  FreeBlock = 2,
  NextPool = 4,
  PrevPool = 6,
  ArenaIndex = 8,
  SizeIndex = 9,
  NextOffset = 10,
  MaxNextOffset = 11,
}
/** `DUMMY_SIZE_IDX`: the class of a pool that was just carved and is not initialised yet. */
const DUMMY_SIZE_IDX = 0xffff;
/** NULL for arena-object links (arena 0 is a real arena object). */
const NONE = -1;

/** The set bits of a whole bitmap; most words are zero, so those cost one test each. */
function setBits(words: Uint32Array): number {
  let n = 0;
  for (let i = 0; i < words.length; i++) {
    let x = words[i]!;
    if (x === 0) continue;
    x -= (x >>> 1) & 0x55555555;
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
    n += Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
  }
  return n;
}

type AddressOperation = "free" | "realloc" | "usableSize";

/**
 * `arena_map_mark_used`. Slot `s` covers the "ideal" arena `[s << shift, (s + 1) << shift)`.
 * An arena that starts at tail `t` inside slot `s` covers the upper part of `s` (tail_hi = t)
 * and the lower part of `s + 1` (tail_lo = t); an ideally aligned one sets tail_hi = -1 and
 * covers all of its slot. `map` holds tail_hi at `2s` and tail_lo at `2s + 1`.
 */
function markArenaSlots(map: Int32Array, base: number, used: boolean, shift: number): void {
  const slot = base >>> shift;
  const tail = base & ((1 << shift) - 1);
  if (tail === 0) {
    map[2 * slot] = used ? -1 : 0;
  } else {
    map[2 * slot] = used ? tail : 0;
    map[2 * (slot + 1) + 1] = used ? tail : 0;
  }
}

/**
 * CPython 3.11's pymalloc over a {@link PageSource}: `malloc`, `calloc`, `realloc` and `free`
 * of the {@link Allocator} contract, with requests of 0 bytes or more than
 * `smallRequestThreshold` handed to an inner allocator.
 *
 * @example
 * ```ts
 * const memory = new Memory({ maximumBytes: 64 << 20 });
 * const pymalloc = new PoolAllocator(new MemoryPageSource(memory));
 * const p = pymalloc.malloc(24);   // a 32-byte block of size class 1
 * pymalloc.free(p);
 * pymalloc.malloc(20) === p;       // LIFO: the block just freed comes back first
 * ```
 */
export class PoolAllocator implements Allocator {
  /** The memory that arenas and blocks live in. */
  readonly memory: Memory;
  /** `"pymalloc"`. */
  readonly name = "pymalloc";
  /** Where arenas come from. */
  readonly source: PageSource;
  /** The allocator of requests of 0 bytes or more than `smallRequestThreshold`. */
  readonly inner: Allocator;
  /** The resolved parameters. */
  readonly geometry: PoolGeometry;
  /** Whether the last usable arena is kept when wholly free. */
  readonly keepLastUsableArena: boolean;

  // Hot-path copies of the geometry. Here and below, initialisers give V8 fields of one type
  // from the start (small integers, one kind of typed array): declared bare, a field would
  // begin undefined and every read on the hot paths would check what it holds.
  readonly #threshold: number = 0;
  readonly #shift: number = 0;
  readonly #alignMask: number = 0;
  readonly #poolSize: number = 0;
  readonly #poolMask: number = 0;
  readonly #overhead: number = 0;
  readonly #arenaSize: number = 0;
  readonly #arenaShift: number = 0;
  readonly #onNewArena: PoolAllocatorOptions["onNewArena"];

  #u32: Uint32Array = new Uint32Array(0);
  #u8: Uint8Array = new Uint8Array(0);
  /** `#poolLive.words`, refreshed when the memory grows (the bitmap replaces its array). */
  #liveWords: Uint32Array = new Uint32Array(0);
  /** Head pool of each class's used-pool list; 0 when the class has no pool with a free block. */
  readonly #usedpools: Uint32Array = new Uint32Array(0);
  /** A bit per `alignment` bytes: set at every pool block that is handed out. */
  readonly #poolLive: AddressBitmap;
  /** A bit per 16 bytes: set at every block handed out by the inner allocator for us. */
  readonly #rawLive: AddressBitmap;
  /**
   * The arena map: `{tail_hi, tail_lo}` per arena-sized slot of the address space, as the
   * leaves of CPython's radix tree (see `markArenaSlots`).
   */
  readonly #arenaMap: Int32Array;

  // The arena objects, `struct arena_object arenas[]`, as one typed array per field.
  #arenaAddress: Uint32Array = new Uint32Array(0);
  #arenaPoolAddress: Uint32Array = new Uint32Array(0);
  #arenaFreePools: Int32Array = new Int32Array(0);
  #arenaTotalPools: Int32Array = new Int32Array(0);
  #arenaFreePoolList: Uint32Array = new Uint32Array(0);
  #arenaNext: Int32Array = new Int32Array(0);
  #arenaPrev: Int32Array = new Int32Array(0);
  #maxArenas = 0;
  #usableArenas = NONE;
  #unusedArenaObjects = NONE;
  /** `nfp2lasta[n]`: the last arena of `usable_arenas` with `n` free pools. */
  readonly #nfp2lasta: Int32Array;
  #arenasCurrent = 0;
  #arenasAllocatedTotal = 0;
  #arenasHighwater = 0;

  /** `raw_allocated_blocks`: live blocks the inner allocator holds for us, and their bytes. */
  #rawBlocks = 0;
  #rawBytes = 0;
  #freeLists: FreeLists | undefined;

  constructor(source: PageSource, options: PoolAllocatorOptions = {}) {
    const memory = source.memory;
    const geometry = resolveGeometry(options, source.pageSize, memory.maximumBytes);
    const inner = options.inner ?? new FreeStore(source);
    if (inner.memory !== memory) {
      invalidArgument("the inner allocator must allocate from the page source's memory");
    }
    this.source = source;
    this.memory = memory;
    this.inner = inner;
    this.geometry = geometry;
    this.keepLastUsableArena = options.keepLastUsableArena ?? true;
    this.#onNewArena = options.onNewArena;
    this.#threshold = geometry.smallRequestThreshold;
    this.#shift = geometry.alignmentShift;
    this.#alignMask = geometry.alignment - 1;
    this.#poolSize = geometry.poolSize;
    this.#poolMask = ~(geometry.poolSize - 1);
    this.#overhead = geometry.poolOverhead;
    this.#arenaSize = geometry.arenaSize;
    this.#arenaShift = Math.log2(geometry.arenaSize);
    this.#usedpools = new Uint32Array(geometry.sizeClasses);
    this.#nfp2lasta = new Int32Array(geometry.maxPoolsInArena + 1).fill(NONE);
    this.#arenaMap = new Int32Array(2 * (Math.ceil(memory.maximumBytes / geometry.arenaSize) + 1));
    this.#poolLive = new AddressBitmap(memory, geometry.alignmentShift);
    this.#rawLive = new AddressBitmap(memory, 4);
    this.#u32 = memory.u32;
    this.#u8 = memory.u8;
    this.#liveWords = this.#poolLive.words;
    // The bitmap's new words are in place before any listener runs (a side table is placed by
    // the memory itself; a plain array's listener was registered first).
    memory.onGrow((grown) => {
      this.#u32 = grown.u32;
      this.#u8 = grown.u8;
      this.#liveWords = this.#poolLive.words;
    });
  }

  // ---------------------------------------------------------------------------------------
  // The Allocator contract

  malloc(size: number): number {
    // Anything but a number (a bigint) goes to the raw allocator, whose check names it.
    if (typeof size === "number" && size > 0 && size <= this.#threshold && (size | 0) === size) {
      const bp = this.#poolAlloc((size - 1) >> this.#shift);
      if (bp !== 0) return bp;
    }
    return this.#rawMalloc(size);
  }

  calloc(count: number, size: number): number {
    checkSize("calloc count", count, Number.MAX_SAFE_INTEGER);
    checkSize("calloc size", size, Number.MAX_SAFE_INTEGER);
    const total = count * size;
    if (total > 0 && total <= this.#threshold) {
      const bp = this.#poolAlloc((total - 1) >> this.#shift);
      if (bp !== 0) {
        if (total <= SMALL_ZEROING) {
          // Most objects are a few words: writing them is a third cheaper than a call of
          // fill, whose fixed cost dominates at this size. The last word may reach up to three
          // bytes past `total`, which are still the block's (blocks are whole size classes).
          const u32 = this.#u32;
          for (let i = bp >>> 2, end = (bp + total + 3) >>> 2; i < end; i++) u32[i] = 0;
        } else {
          this.#u8.fill(0, bp, bp + total);
        }
        return bp;
      }
    }
    const address = this.inner.calloc(count, size);
    if (address !== 0) this.#rawTaken(address);
    return address;
  }

  realloc(address: number, size: number): number {
    if (address === 0) return this.malloc(size);
    checkSize("realloc size", size, Number.MAX_SAFE_INTEGER);
    if (this.#isPoolBlock(address)) {
      const blockSize = this.#blockSizeOf(address);
      let keep = blockSize;
      if (size <= blockSize) {
        // Shrinking by less than a quarter (or not at all) is done in place; copying to a
        // smaller class is worth it only when at least 25% can be shaved off.
        if (4 * size > 3 * blockSize) return address;
        keep = size;
      }
      const moved = this.malloc(size);
      if (moved !== 0) {
        this.#u8.copyWithin(moved, address, address + keep);
        this.free(address);
      }
      return moved;
    }
    if (this.#isRawBlock(address)) {
      // A block of the inner allocator stays there: pymalloc never takes one over.
      const before = this.inner.usableSize(address);
      const moved = this.inner.realloc(address, size);
      if (moved !== 0) {
        this.#rawLive.clear(address);
        this.#rawLive.set(moved);
        this.#rawBytes += this.inner.usableSize(moved) - before;
      }
      return moved;
    }
    return this.#refuse("realloc", address);
  }

  free(address: number): void {
    // The live bit doubles as address_in_range: only a block handed out from a pool has it.
    // An address off the bitmap (negative, too large) reads undefined, which masks to 0; a
    // fractional or misaligned one shares a granule with a block, hence the last two tests.
    // pymalloc_free follows in place: this is the hottest path there is, and one function
    // leaves callers' inlining budgets room for their own work.
    const g = this.#shift;
    const words = this.#liveWords;
    const index = address >>> (g + 5);
    const bit = 1 << ((address >>> g) & 31);
    const word = words[index]!;
    if ((word & bit) === 0 || (address & this.#alignMask) !== 0 || address >>> 0 !== address) {
      this.#freeOther(address);
      return;
    }
    words[index] = word ^ bit;
    const u32 = this.#u32;
    const pool = (address & this.#poolMask) >>> 0;
    const h = pool >>> 2;
    const lastfree = u32[h + Header.FreeBlock]!;
    u32[address >>> 2] = lastfree;
    u32[(address >>> 2) + 1] = 0;
    u32[h + Header.FreeBlock] = address;
    const count = u32[h + Header.Count]! - 1;
    u32[h + Header.Count] = count;
    if (lastfree === 0) this.#relinkFullPool(u32, pool);
    else if (count === 0) this.#insertToFreepool(u32, pool);
  }

  /**
   * The end of a `free` that a module over the memory did itself (a WebAssembly release
   * kernel): it cleared the block's bit at {@link liveBitsAddress}, linked the block to the
   * front of its pool's free list and lowered the pool's count, as `free` does, and calls this
   * when that made the pool change lists: it was full (the block's link word is 0), so it goes
   * to the front of its class's used pools, or it is now empty, so it goes to its arena's free
   * pools (which may unmap the arena). Any other pool is left as it is.
   * @throws InvalidArgumentError when `pool` is not the address of a carved pool in use.
   */
  poolBlockReturned(pool: number): void {
    const u32 = this.#u32;
    if (
      pool >>> 0 !== pool ||
      (pool & (this.#poolSize - 1)) !== 0 ||
      !this.#addressInRange(pool + this.#overhead) ||
      u32[(pool >>> 2) + Header.SizeIndex]! >= this.geometry.sizeClasses
    ) {
      invalidArgument(`poolBlockReturned(${hex(pool)}): not a pool in use`);
    }
    const h = pool >>> 2;
    const block = u32[h + Header.FreeBlock]!;
    if (block === 0) invalidArgument(`poolBlockReturned(${hex(pool)}): the pool has no free block`);
    if (u32[block >>> 2] === 0) this.#relinkFullPool(u32, pool);
    else if (u32[h + Header.Count] === 0) this.#insertToFreepool(u32, pool);
  }

  usableSize(address: number): number {
    if (this.#isPoolBlock(address)) return this.#blockSizeOf(address);
    if (this.#isRawBlock(address)) return this.inner.usableSize(address);
    return this.#refuse("usableSize", address);
  }

  owns(address: number): boolean {
    return (
      address > 0 &&
      address >>> 0 === address &&
      (this.#addressInRange(address) || this.inner.owns(address))
    );
  }

  stats(): AllocatorStats {
    let liveBlocks = this.#rawBlocks;
    let liveBytes = this.#rawBytes;
    let freeBytes = 0;
    const u32 = this.#u32;
    this.#forEachCarvedPool((pool) => {
      const h = pool >>> 2;
      const count = u32[h + Header.Count]!;
      if (count === 0) return;
      const size = (u32[h + Header.SizeIndex]! + 1) << this.#shift;
      liveBlocks += count;
      liveBytes += count * size;
      freeBytes += (blocksPerPool(this.geometry, u32[h + Header.SizeIndex]!) - count) * size;
    });
    for (let a = 0; a < this.#maxArenas; a++) {
      if (this.#arenaAddress[a] !== 0) freeBytes += this.#arenaFreePools[a]! * this.#poolSize;
    }
    return {
      liveBlocks,
      liveBytes,
      footprintBytes: this.#arenasCurrent * this.#arenaSize + this.#rawBytes,
      freeBytes,
    };
  }

  // ---------------------------------------------------------------------------------------
  // pymalloc_alloc and its helpers

  /** `pymalloc_alloc` for class `size`: a block, or 0 when no arena can be mapped. */
  #poolAlloc(size: number): number {
    const pool = this.#usedpools[size]!;
    if (pool === 0) return this.#allocateFromNewPool(size);
    const u32 = this.#u32;
    const h = pool >>> 2;
    u32[h + Header.Count] = u32[h + Header.Count]! + 1;
    const bp = u32[h + Header.FreeBlock]!;
    const next = u32[bp >>> 2]!;
    u32[h + Header.FreeBlock] = next;
    if (next === 0) this.#poolExtend(u32, pool, size);
    const g = this.#shift;
    const words = this.#liveWords;
    words[bp >>> (g + 5)] = words[bp >>> (g + 5)]! | (1 << ((bp >>> g) & 31));
    return bp;
  }

  /** `pymalloc_pool_extend`: carve the next virgin block, or unlink the pool if it is full. */
  #poolExtend(u32: Uint32Array, pool: number, size: number): void {
    const h = pool >>> 2;
    const nextoffset = u32[h + Header.NextOffset]!;
    if (nextoffset <= u32[h + Header.MaxNextOffset]!) {
      const block = pool + nextoffset;
      u32[h + Header.FreeBlock] = block;
      u32[h + Header.NextOffset] = nextoffset + ((size + 1) << this.#shift);
      u32[block >>> 2] = 0;
      u32[(block >>> 2) + 1] = 0;
      return;
    }
    // Full: unlink it from usedpools. Written out rather than calling #unlinkUsedPool, because
    // with a live set of pools that churn this runs on most allocations, and V8 stops
    // inlining before it reaches a call this deep.
    const next = u32[h + Header.NextPool]!;
    const prev = u32[h + Header.PrevPool]!;
    if (prev === 0) this.#usedpools[size] = next;
    else u32[(prev >>> 2) + Header.NextPool] = next;
    if (next !== 0) u32[(next >>> 2) + Header.PrevPool] = prev;
  }

  #unlinkUsedPool(u32: Uint32Array, pool: number, size: number): void {
    const h = pool >>> 2;
    const next = u32[h + Header.NextPool]!;
    const prev = u32[h + Header.PrevPool]!;
    if (prev === 0) this.#usedpools[size] = next;
    else u32[(prev >>> 2) + Header.NextPool] = next;
    if (next !== 0) u32[(next >>> 2) + Header.PrevPool] = prev;
  }

  /** `allocate_from_new_pool`: take a pool from the head of `usable_arenas`. */
  #allocateFromNewPool(size: number): number {
    if (this.#usableArenas === NONE) {
      const arena = this.#newArena();
      if (arena === NONE) return 0;
      this.#usableArenas = arena;
      this.#arenaNext[arena] = NONE;
      this.#arenaPrev[arena] = NONE;
      this.#nfp2lasta[this.#arenaFreePools[arena]!] = arena;
    }
    const u32 = this.#u32;
    const ua = this.#usableArenas;
    const nfp2lasta = this.#nfp2lasta;
    const nf = this.#arenaFreePools[ua]!;
    // This arena already had the fewest free pools, so taking one keeps the list sorted;
    // only nfp2lasta moves, and the arena leaves the list when it has none left.
    if (nfp2lasta[nf] === ua) nfp2lasta[nf] = NONE;
    if (nf > 1) nfp2lasta[nf - 1] = ua;
    let pool = this.#arenaFreePoolList[ua]!;
    if (pool !== 0) {
      this.#arenaFreePoolList[ua] = u32[(pool >>> 2) + Header.NextPool]!;
    } else {
      pool = this.#arenaPoolAddress[ua]!;
      u32[(pool >>> 2) + Header.ArenaIndex] = ua;
      u32[(pool >>> 2) + Header.SizeIndex] = DUMMY_SIZE_IDX;
      this.#arenaPoolAddress[ua] = pool + this.#poolSize;
    }
    this.#arenaFreePools[ua] = nf - 1;
    if (nf === 1) {
      const next = this.#arenaNext[ua]!;
      this.#usableArenas = next;
      if (next !== NONE) this.#arenaPrev[next] = NONE;
    }
    const h = pool >>> 2;
    // The class's list was empty: the pool becomes its only member.
    u32[h + Header.NextPool] = 0;
    u32[h + Header.PrevPool] = 0;
    this.#usedpools[size] = pool;
    u32[h + Header.Count] = 1;
    let bp: number;
    if (u32[h + Header.SizeIndex] === size) {
      // The pool last held this class: its header and free list are still valid.
      bp = u32[h + Header.FreeBlock]!;
      u32[h + Header.FreeBlock] = u32[bp >>> 2]!;
    } else {
      const blockSize = (size + 1) << this.#shift;
      u32[h + Header.SizeIndex] = size;
      bp = pool + this.#overhead;
      u32[h + Header.NextOffset] = this.#overhead + 2 * blockSize;
      u32[h + Header.MaxNextOffset] = this.#poolSize - blockSize;
      const second = bp + blockSize;
      u32[h + Header.FreeBlock] = second;
      u32[second >>> 2] = 0;
      u32[(second >>> 2) + 1] = 0;
    }
    this.#poolLive.set(bp);
    return bp;
  }

  /** `new_arena`: map an arena and take an arena object for it; NONE when out of memory. */
  #newArena(): number {
    this.#onNewArena?.(this);
    if (this.#unusedArenaObjects === NONE) this.#growArenaObjects();
    const arena = this.#unusedArenaObjects;
    this.#unusedArenaObjects = this.#arenaNext[arena]!;
    const address = this.source.map(this.#arenaSize);
    if (address === 0) {
      this.#arenaNext[arena] = this.#unusedArenaObjects;
      this.#unusedArenaObjects = arena;
      return NONE;
    }
    this.#markArena(address, true);
    this.#arenaAddress[arena] = address;
    this.#arenasCurrent++;
    this.#arenasAllocatedTotal++;
    if (this.#arenasCurrent > this.#arenasHighwater) this.#arenasHighwater = this.#arenasCurrent;
    this.#arenaFreePoolList[arena] = 0;
    // Pools start on pool boundaries: an arena that does not loses its first partial pool.
    let freePools = this.geometry.maxPoolsInArena;
    let poolAddress = address;
    const excess = address & (this.#poolSize - 1);
    if (excess !== 0) {
      freePools--;
      poolAddress += this.#poolSize - excess;
    }
    this.#arenaPoolAddress[arena] = poolAddress;
    this.#arenaFreePools[arena] = freePools;
    this.#arenaTotalPools[arena] = freePools;
    return arena;
  }

  /** Doubles `arenas[]` and puts the new arena objects on `unused_arena_objects`. */
  #growArenaObjects(): void {
    const old = this.#maxArenas;
    const count = old === 0 ? this.geometry.initialArenaObjects : old * 2;
    // Addresses go in Uint32Arrays (they reach 2^32), indexes with NONE in Int32Arrays.
    const grow = <A extends Int32Array | Uint32Array>(array: A): A => {
      const grown = new (array.constructor as new (length: number) => A)(count);
      grown.set(array);
      return grown;
    };
    this.#arenaAddress = grow(this.#arenaAddress);
    this.#arenaPoolAddress = grow(this.#arenaPoolAddress);
    this.#arenaFreePools = grow(this.#arenaFreePools);
    this.#arenaTotalPools = grow(this.#arenaTotalPools);
    this.#arenaFreePoolList = grow(this.#arenaFreePoolList);
    this.#arenaNext = grow(this.#arenaNext);
    this.#arenaPrev = grow(this.#arenaPrev);
    for (let a = old; a < count; a++) this.#arenaNext[a] = a < count - 1 ? a + 1 : NONE;
    this.#unusedArenaObjects = old;
    this.#maxArenas = count;
  }

  // ---------------------------------------------------------------------------------------
  // pymalloc_free's helpers (pymalloc_free itself is written out in `free`)

  /**
   * A pool that was full (and on no list) has a free block again: it goes to the front of its
   * class's list, so the next allocation fills the pool that was touched last. Out of line:
   * it runs once per pool, and a small `free` is what callers' inlining budgets can hold.
   */
  #relinkFullPool(u32: Uint32Array, pool: number): void {
    const h = pool >>> 2;
    const size = u32[h + Header.SizeIndex]!;
    const head = this.#usedpools[size]!;
    u32[h + Header.NextPool] = head;
    u32[h + Header.PrevPool] = 0;
    if (head !== 0) u32[(head >>> 2) + Header.PrevPool] = pool;
    this.#usedpools[size] = pool;
  }

  /** `insert_to_freepool`: an empty pool goes to its arena, which may move or be unmapped. */
  #insertToFreepool(u32: Uint32Array, pool: number): void {
    const h = pool >>> 2;
    this.#unlinkUsedPool(u32, pool, u32[h + Header.SizeIndex]!);
    const ao = u32[h + Header.ArenaIndex]!;
    u32[h + Header.NextPool] = this.#arenaFreePoolList[ao]!;
    this.#arenaFreePoolList[ao] = pool;
    const next = this.#arenaNext;
    const prev = this.#arenaPrev;
    const nfp2lasta = this.#nfp2lasta;
    let nf = this.#arenaFreePools[ao]!;
    const lastnf = nfp2lasta[nf]!;
    if (lastnf === ao) {
      const p = prev[ao]!;
      nfp2lasta[nf] = p !== NONE && this.#arenaFreePools[p] === nf ? p : NONE;
    }
    this.#arenaFreePools[ao] = ++nf;

    // Case 1: the arena is wholly free. Unmap it, unless it is the last usable arena: keeping
    // one avoids mapping and unmapping an arena on every iteration of a loop (bpo-37257).
    if (nf === this.#arenaTotalPools[ao] && (next[ao] !== NONE || !this.keepLastUsableArena)) {
      this.#unlinkUsableArena(ao);
      this.#releaseArena(ao);
      return;
    }
    // Case 2: the arena had no free pool, so it was on no list: it goes to the head.
    if (nf === 1) {
      next[ao] = this.#usableArenas;
      prev[ao] = NONE;
      if (this.#usableArenas !== NONE) prev[this.#usableArenas] = ao;
      this.#usableArenas = ao;
      if (nfp2lasta[1] === NONE) nfp2lasta[1] = ao;
      return;
    }
    if (nfp2lasta[nf] === NONE) nfp2lasta[nf] = ao;
    // Case 4: it was the last arena with its old count, so the list is still sorted.
    if (ao === lastnf) return;
    // Case 3: slide it right, after the last arena that had its old count.
    const after = next[ao]!;
    if (prev[ao] !== NONE) next[prev[ao]!] = after;
    else this.#usableArenas = after;
    prev[after] = prev[ao]!;
    prev[ao] = lastnf;
    next[ao] = next[lastnf]!;
    if (next[ao] !== NONE) prev[next[ao]!] = ao;
    next[lastnf] = ao;
  }

  /** Unlinks a wholly free arena from `usable_arenas`, keeping nfp2lasta right. */
  #unlinkUsableArena(ao: number): void {
    const next = this.#arenaNext;
    const prev = this.#arenaPrev;
    const nf = this.#arenaFreePools[ao]!;
    if (this.#nfp2lasta[nf] === ao) {
      const p = prev[ao]!;
      this.#nfp2lasta[nf] = p !== NONE && this.#arenaFreePools[p] === nf ? p : NONE;
    }
    if (prev[ao] === NONE) this.#usableArenas = next[ao]!;
    else next[prev[ao]!] = next[ao]!;
    if (next[ao] !== NONE) prev[next[ao]!] = prev[ao]!;
  }

  /** Unmaps arena `ao` and puts its arena object on `unused_arena_objects`. */
  #releaseArena(ao: number): void {
    const address = this.#arenaAddress[ao]!;
    this.#arenaNext[ao] = this.#unusedArenaObjects;
    this.#unusedArenaObjects = ao;
    this.#markArena(address, false);
    this.source.unmap(address, this.#arenaSize);
    this.#arenaAddress[ao] = 0;
    this.#arenasCurrent--;
  }

  /**
   * Hands every wholly free arena back to the page source, the one CPython keeps included
   * (an addition, like `malloc_trim`). Returns how many were unmapped.
   */
  releaseFreeArenas(): number {
    let released = 0;
    let ao = this.#usableArenas;
    while (ao !== NONE) {
      const next = this.#arenaNext[ao]!;
      if (this.#arenaFreePools[ao] === this.#arenaTotalPools[ao]) {
        this.#unlinkUsableArena(ao);
        this.#releaseArena(ao);
        released++;
      }
      ao = next;
    }
    return released;
  }

  // ---------------------------------------------------------------------------------------
  // The arena map (address_in_range)

  #markArena(base: number, used: boolean): void {
    markArenaSlots(this.#arenaMap, base, used, this.#arenaShift);
  }

  /** `arena_map_is_used`: whether `p` lies in an arena, in O(1). */
  #addressInRange(p: number): boolean {
    const slot = p >>> this.#arenaShift;
    if (2 * slot + 1 >= this.#arenaMap.length) return false;
    const hi = this.#arenaMap[2 * slot]!;
    const lo = this.#arenaMap[2 * slot + 1]!;
    const tail = p & (this.#arenaSize - 1);
    return tail < lo || (tail >= hi && hi !== 0);
  }

  // ---------------------------------------------------------------------------------------
  // Cold paths: the inner allocator and refusals

  #rawMalloc(size: number): number {
    const address = this.inner.malloc(size);
    if (address !== 0) this.#rawTaken(address);
    return address;
  }

  #rawTaken(address: number): void {
    this.#rawLive.set(address);
    this.#rawBlocks++;
    this.#rawBytes += this.inner.usableSize(address);
  }

  #freeOther(address: number): void {
    if (address === 0) return;
    if (this.#isRawBlock(address)) {
      const bytes = this.inner.usableSize(address);
      this.inner.free(address);
      this.#rawLive.clear(address);
      this.#rawBlocks--;
      this.#rawBytes -= bytes;
      return;
    }
    this.#refuse("free", address);
  }

  #isPoolBlock(address: number): boolean {
    return (
      (address & this.#alignMask) === 0 &&
      address >>> 0 === address &&
      address > 0 &&
      this.#poolLive.get(address)
    );
  }

  #isRawBlock(address: number): boolean {
    return (
      address > 0 && address >>> 0 === address && (address & 15) === 0 && this.#rawLive.get(address)
    );
  }

  #blockSizeOf(address: number): number {
    return (this.#u32[((address & this.#poolMask) >>> 2) + Header.SizeIndex]! + 1) << this.#shift;
  }

  /** Throws the typed error for an address that is no live block of ours. Changes nothing. */
  #refuse(operation: AddressOperation, address: number): never {
    if (address === 0) throw new InvalidAddressError(operation, address, "null");
    if (address < 0 || address >>> 0 !== address) {
      throw new InvalidAddressError(operation, address, "not-owned");
    }
    if (this.#addressInRange(address)) {
      const [reason, detail] = this.#diagnosePoolAddress(address);
      if (reason === "freed" && operation === "free") throw new DoubleFreeError(address, detail);
      throw new InvalidAddressError(operation, address, reason, detail);
    }
    if (this.inner.owns(address)) {
      // The inner allocator's memory: let it say what is wrong (a block it freed, a pointer
      // into a block...); a live block of its own was not handed out through this allocator.
      try {
        this.inner.usableSize(address);
      } catch (error) {
        if (!(error instanceof InvalidAddressError)) throw error;
        if (error.reason === "freed" && operation === "free") {
          throw new DoubleFreeError(address, `a block of ${this.inner.name}`);
        }
        throw new InvalidAddressError(operation, address, error.reason, `in ${this.inner.name}`);
      }
      throw new InvalidAddressError(
        operation,
        address,
        "not-owned",
        `a live block of ${this.inner.name} that was not allocated through ${this.name}`,
      );
    }
    throw new InvalidAddressError(operation, address, "not-owned");
  }

  /** Why an address inside an arena is not a live block. */
  #diagnosePoolAddress(address: number): [InvalidAddressReason, string] {
    if ((address & (this.geometry.alignment - 1)) !== 0) {
      return ["misaligned", `blocks are ${this.geometry.alignment}-byte aligned`];
    }
    const pool = (address & this.#poolMask) >>> 0;
    const arena = this.#arenaContaining(address);
    const base = this.#arenaAddress[arena]!;
    const firstPool = ((base + this.#poolSize - 1) & this.#poolMask) >>> 0;
    if (pool < firstPool || pool >= this.#arenaPoolAddress[arena]!) {
      return ["interior", `arena ${hex(base)} has carved no pool there`];
    }
    const u32 = this.#u32;
    const h = pool >>> 2;
    const offset = address - pool;
    if (offset < this.#overhead) return ["interior", `inside the header of pool ${hex(pool)}`];
    const size = (u32[h + Header.SizeIndex]! + 1) << this.#shift;
    if ((offset - this.#overhead) % size !== 0 || offset + size > this.#poolSize) {
      return ["interior", `not at the start of a ${size}-byte block of pool ${hex(pool)}`];
    }
    if (u32[h + Header.Count] === 0) return ["freed", `pool ${hex(pool)} is empty`];
    if (offset >= u32[h + Header.NextOffset]!) {
      return ["interior", `a block of pool ${hex(pool)} that was never handed out`];
    }
    return ["freed", `a free ${size}-byte block of pool ${hex(pool)}`];
  }

  /**
   * The arena object of an address that the arena map says is in an arena, in O(1): the map's
   * tails give the arena's base, and its first pool (every arena has one carved, from the
   * moment it is mapped) names its arena object.
   */
  #arenaContaining(address: number): number {
    const slot = address >>> this.#arenaShift;
    const hi = this.#arenaMap[2 * slot]!;
    const tail = address & (this.#arenaSize - 1);
    const base =
      hi !== 0 && tail >= hi
        ? slot * this.#arenaSize + Math.max(hi, 0)
        : (slot - 1) * this.#arenaSize + this.#arenaMap[2 * slot + 1]!;
    const firstPool = ((base + this.#poolSize - 1) & this.#poolMask) >>> 0;
    return this.#u32[(firstPool >>> 2) + Header.ArenaIndex]!;
  }

  // ---------------------------------------------------------------------------------------
  // Introspection

  /** Calls `visit` for every carved pool of every arena, in arena then address order. */
  #forEachCarvedPool(visit: (pool: number, arena: number) => void): void {
    for (let a = 0; a < this.#maxArenas; a++) {
      const base = this.#arenaAddress[a]!;
      if (base === 0) continue;
      const end = this.#arenaPoolAddress[a]!;
      for (
        let pool = ((base + this.#poolSize - 1) & this.#poolMask) >>> 0;
        pool < end;
        pool += this.#poolSize
      ) {
        visit(pool, a);
      }
    }
  }

  /**
   * `sys.getallocatedblocks()`: pool blocks in use (free-list residents included) plus the
   * live blocks sent to the inner allocator (`raw_allocated_blocks`).
   */
  getAllocatedBlocks(): number {
    let n = this.#rawBlocks;
    const u32 = this.#u32;
    this.#forEachCarvedPool((pool) => {
      n += u32[(pool >>> 2) + Header.Count]!;
    });
    return n;
  }

  /**
   * Where the pool blocks' live bitmap starts in the memory's storage, for a WebAssembly module
   * over the memory: bit `(b >>> s) & 31` of the word at `liveBitsAddress + 4 * (b >>> (s + 5))`,
   * `s` the alignment's log2 (`geometry.alignmentShift`), is set while the pool block `b` is
   * handed out (`address_in_range`). It moves when the memory grows; -1 when the memory keeps
   * no side tables.
   */
  get liveBitsAddress(): number {
    return this.#poolLive.byteOffset;
  }

  /** Live blocks the inner allocator holds for this allocator (`raw_allocated_blocks`). */
  get rawAllocatedBlocks(): number {
    return this.#rawBlocks;
  }

  /** One row per size class, empty classes included. */
  classStats(): SizeClassStats[] {
    const rows = Array.from({ length: this.geometry.sizeClasses }, (_, c) => ({
      sizeClass: c,
      blockSize: (c + 1) << this.#shift,
      blocksPerPool: blocksPerPool(this.geometry, c),
      pools: 0,
      blocksInUse: 0,
      availableBlocks: 0,
    }));
    const u32 = this.#u32;
    this.#forEachCarvedPool((pool) => {
      const count = u32[(pool >>> 2) + Header.Count]!;
      if (count === 0) return;
      const row = rows[u32[(pool >>> 2) + Header.SizeIndex]!]!;
      row.pools++;
      row.blocksInUse += count;
      row.availableBlocks += row.blocksPerPool - count;
    });
    return rows;
  }

  /** Every carved pool, in arena then address order. */
  poolStats(): PoolStats[] {
    const pools: PoolStats[] = [];
    const u32 = this.#u32;
    this.#forEachCarvedPool((pool, arenaIndex) => {
      const h = pool >>> 2;
      const count = u32[h + Header.Count]!;
      const sizeClass = u32[h + Header.SizeIndex]!;
      const size = (sizeClass + 1) << this.#shift;
      let freeListLength = 0;
      for (
        let b = u32[h + Header.FreeBlock]!;
        b !== 0 && freeListLength <= 1 << 20;
        b = u32[b >>> 2]!
      ) {
        freeListLength++;
      }
      pools.push({
        address: pool,
        arenaIndex,
        state:
          count === 0
            ? "empty"
            : count === blocksPerPool(this.geometry, sizeClass)
              ? "full"
              : "used",
        sizeClass,
        blocksInUse: count,
        carvedBlocks: (u32[h + Header.NextOffset]! - this.#overhead) / size,
        freeListLength,
      });
    });
    return pools;
  }

  /** Every allocated arena, in `arenas[]` order. */
  arenaStats(): ArenaStats[] {
    const positions = new Map<number, number>();
    for (const [i, a] of this.usableArenas().entries()) positions.set(a, i);
    const arenas: ArenaStats[] = [];
    for (let a = 0; a < this.#maxArenas; a++) {
      const address = this.#arenaAddress[a]!;
      if (address === 0) continue;
      const firstPool = ((address + this.#poolSize - 1) & this.#poolMask) >>> 0;
      arenas.push({
        index: a,
        address,
        totalPools: this.#arenaTotalPools[a]!,
        freePools: this.#arenaFreePools[a]!,
        carvedPools: (this.#arenaPoolAddress[a]! - firstPool) / this.#poolSize,
        usablePosition: positions.get(a) ?? -1,
      });
    }
    return arenas;
  }

  /** The arena objects of `usable_arenas`, head first. */
  usableArenas(): number[] {
    const order: number[] = [];
    for (let a = this.#usableArenas; a !== NONE && order.length <= this.#maxArenas; ) {
      order.push(a);
      a = this.#arenaNext[a]!;
    }
    return order;
  }

  /** The numbers `_PyObject_DebugMallocStats` prints. */
  mallocStats(): MallocStats {
    const classes = this.classStats();
    const g = this.geometry;
    let allocated = 0;
    let available = 0;
    let headers = 0;
    let quantization = 0;
    for (const c of classes) {
      allocated += c.blocksInUse * c.blockSize;
      available += c.availableBlocks * c.blockSize;
      headers += c.pools * g.poolOverhead;
      quantization += c.pools * ((g.poolSize - g.poolOverhead) % c.blockSize);
    }
    let unusedPools = 0;
    let alignmentLoss = 0;
    for (let a = 0; a < this.#maxArenas; a++) {
      const address = this.#arenaAddress[a]!;
      if (address === 0) continue;
      unusedPools += this.#arenaFreePools[a]!;
      if ((address & (g.poolSize - 1)) !== 0) alignmentLoss += g.poolSize;
    }
    const mapBytes = this.#arenaMap.length * 4;
    const arenaMap: ArenaMapStats = {
      midNodes: 0,
      botNodes: 1,
      rootBytes: 0,
      midBytes: 0,
      botBytes: mapBytes,
      totalBytes: mapBytes,
    };
    return {
      smallRequestThreshold: g.smallRequestThreshold,
      sizeClasses: g.sizeClasses,
      classes,
      arenasAllocatedTotal: this.#arenasAllocatedTotal,
      arenasReclaimed: this.#arenasAllocatedTotal - this.#arenasCurrent,
      arenasHighwater: this.#arenasHighwater,
      arenasAllocatedCurrent: this.#arenasCurrent,
      arenaSize: g.arenaSize,
      poolSize: g.poolSize,
      bytesInAllocatedBlocks: allocated,
      bytesInAvailableBlocks: available,
      unusedPools,
      bytesLostToPoolHeaders: headers,
      bytesLostToQuantization: quantization,
      bytesLostToArenaAlignment: alignmentLoss,
      totalBytes:
        allocated + available + unusedPools * g.poolSize + headers + quantization + alignmentLoss,
      arenaMap,
    };
  }

  /** The free lists whose lines `debugMallocStats()` prints, as CPython's type stats. */
  get freeLists(): FreeLists | undefined {
    return this.#freeLists;
  }

  /** Attaches (or, with `undefined`, detaches) the free lists `debugMallocStats()` reports. */
  attachFreeLists(freeLists: FreeLists | undefined): void {
    this.#freeLists = freeLists;
  }

  /**
   * The text `sys._debugmallocstats()` writes: `_PyObject_DebugMallocStats`, then, when free
   * lists are attached, a blank line and their `K free PyXxxObjects * S bytes each` lines.
   */
  debugMallocStats(): string {
    const text = formatMallocStats(this.mallocStats());
    return this.#freeLists ? `${text}\n${this.#freeLists.debugTypeStats()}` : text;
  }

  // ---------------------------------------------------------------------------------------
  // verify()

  verify(): void {
    const fail = (structure: string, at: number, message: string): never => {
      throw new HeapCorruptionError(`pymalloc ${structure}`, at, message);
    };
    const u32 = this.#u32;
    const g = this.geometry;
    let arenasSeen = 0;
    let poolLiveBits = 0;
    const expectedMap = new Int32Array(this.#arenaMap.length);
    const usedPoolsSeen = new Set<number>();
    // Arenas and their pools.
    for (let a = 0; a < this.#maxArenas; a++) {
      const base = this.#arenaAddress[a]!;
      if (base === 0) continue;
      arenasSeen++;
      const end = base + this.#arenaSize;
      if (!this.#addressInRange(base) || !this.#addressInRange(end - 1)) {
        fail("arena map", base, `arena ${a} is not marked in the arena map`);
      }
      markArenaSlots(expectedMap, base, true, this.#arenaShift);
      const firstPool = ((base + this.#poolSize - 1) & this.#poolMask) >>> 0;
      const total = this.#arenaTotalPools[a]!;
      if (total !== g.maxPoolsInArena - (firstPool !== base ? 1 : 0)) {
        fail("arena object", base, `ntotalpools is ${total}`);
      }
      const carvedEnd = this.#arenaPoolAddress[a]!;
      if (
        carvedEnd < firstPool ||
        carvedEnd > firstPool + total * this.#poolSize ||
        (carvedEnd - firstPool) % this.#poolSize !== 0
      ) {
        fail("arena object", base, `pool_address ${hex(carvedEnd)} is outside the arena's pools`);
      }
      // Empty pools must be exactly the arena's freepools list.
      const freeListed = new Set<number>();
      for (
        let pool = this.#arenaFreePoolList[a]!;
        pool !== 0;
        pool = u32[(pool >>> 2) + Header.NextPool]!
      ) {
        if (freeListed.has(pool) || freeListed.size > total) {
          fail("freepools list", pool, `arena ${a}'s list of empty pools has a cycle`);
        }
        if (pool < firstPool || pool >= carvedEnd || (pool & (this.#poolSize - 1)) !== 0) {
          fail("freepools list", pool, `not a carved pool of arena ${a}`);
        }
        if (u32[(pool >>> 2) + Header.Count] !== 0) {
          fail("freepools list", pool, "a pool on the free-pool list has blocks in use");
        }
        freeListed.add(pool);
      }
      const uncarved = (firstPool + total * this.#poolSize - carvedEnd) / this.#poolSize;
      if (this.#arenaFreePools[a] !== freeListed.size + uncarved) {
        fail(
          "arena object",
          base,
          `nfreepools is ${this.#arenaFreePools[a]} but ${freeListed.size} pools are empty and ${uncarved} uncarved`,
        );
      }
      if (this.#poolLive.count(base, firstPool) + this.#poolLive.count(carvedEnd, end) !== 0) {
        fail("live-block map", base, `arena ${a} has live blocks outside its carved pools`);
      }
      for (let pool = firstPool; pool < carvedEnd; pool += this.#poolSize) {
        const h = pool >>> 2;
        if (u32[h + Header.ArenaIndex] !== a) {
          fail("pool header", pool, `arenaindex is ${u32[h + Header.ArenaIndex]}, not ${a}`);
        }
        const count = u32[h + Header.Count]!;
        const live = this.#poolLive.count(pool, pool + this.#poolSize);
        poolLiveBits += live;
        if (count === 0) {
          if (!freeListed.has(pool)) fail("pool header", pool, "an empty pool is not on freepools");
          if (live !== 0) fail("pool header", pool, "an empty pool has live blocks");
          continue;
        }
        this.#verifyPool(pool, count, live, fail);
        const sizeClass = u32[h + Header.SizeIndex]!;
        if (count < blocksPerPool(g, sizeClass)) usedPoolsSeen.add(pool);
      }
    }
    for (let i = 0; i < expectedMap.length; i++) {
      if (expectedMap[i] !== this.#arenaMap[i]) {
        fail("arena map", (i >> 1) * this.#arenaSize, `slot ${i >> 1} does not match the arenas`);
      }
    }
    if (arenasSeen !== this.#arenasCurrent) {
      fail("arena counters", 0, `${arenasSeen} arenas mapped, ${this.#arenasCurrent} recorded`);
    }
    if (
      this.#arenasHighwater < this.#arenasCurrent ||
      this.#arenasAllocatedTotal < this.#arenasHighwater
    ) {
      fail("arena counters", 0, "highwater or total below the current count");
    }
    const liveTotal = setBits(this.#poolLive.words);
    if (liveTotal !== poolLiveBits) {
      fail("live-block map", 0, `${liveTotal - poolLiveBits} live bits lie outside every pool`);
    }
    // usedpools: exactly the pools that are neither empty nor full, each in its class's list.
    let listed = 0;
    for (let c = 0; c < g.sizeClasses; c++) {
      let prev = 0;
      for (
        let pool = this.#usedpools[c]!;
        pool !== 0;
        pool = u32[(pool >>> 2) + Header.NextPool]!
      ) {
        if (++listed > usedPoolsSeen.size) {
          fail(
            "usedpools list",
            pool,
            `class ${c}'s list has a cycle or a pool that is not in use`,
          );
        }
        if (!usedPoolsSeen.has(pool)) {
          fail(
            "usedpools list",
            pool,
            `class ${c}'s list holds a pool that is empty, full or unmapped`,
          );
        }
        if (u32[(pool >>> 2) + Header.SizeIndex] !== c) {
          fail(
            "usedpools list",
            pool,
            `a pool of class ${u32[(pool >>> 2) + Header.SizeIndex]} is in class ${c}'s list`,
          );
        }
        if (u32[(pool >>> 2) + Header.PrevPool] !== prev)
          fail("usedpools list", pool, "prevpool is wrong");
        prev = pool;
      }
    }
    if (listed !== usedPoolsSeen.size) {
      fail("usedpools list", 0, `${usedPoolsSeen.size - listed} used pools are on no list`);
    }
    this.#verifyArenaLists(fail);
    if (setBits(this.#rawLive.words) !== this.#rawBlocks) {
      fail("raw block map", 0, `the map disagrees with raw_allocated_blocks (${this.#rawBlocks})`);
    }
    this.inner.verify();
  }

  /** A used or full pool: its header, its free list and its live bits agree. */
  #verifyPool(
    pool: number,
    count: number,
    live: number,
    fail: (structure: string, at: number, message: string) => never,
  ): void {
    const u32 = this.#u32;
    const g = this.geometry;
    const h = pool >>> 2;
    const sizeClass = u32[h + Header.SizeIndex]!;
    if (sizeClass >= g.sizeClasses) fail("pool header", pool, `szidx ${sizeClass} is not a class`);
    const size = (sizeClass + 1) << this.#shift;
    const numBlocks = blocksPerPool(g, sizeClass);
    const nextoffset = u32[h + Header.NextOffset]!;
    if (u32[h + Header.MaxNextOffset] !== this.#poolSize - size) {
      fail("pool header", pool, `maxnextoffset is ${u32[h + Header.MaxNextOffset]}`);
    }
    if (
      nextoffset < this.#overhead + 2 * size ||
      nextoffset > this.#poolSize ||
      (nextoffset - this.#overhead) % size !== 0
    ) {
      fail("pool header", pool, `nextoffset ${nextoffset} is not past a carved block`);
    }
    const carved = (nextoffset - this.#overhead) / size;
    if (count > carved)
      fail("pool header", pool, `ref.count ${count} exceeds the ${carved} carved blocks`);
    if (live !== count) {
      fail("pool header", pool, `ref.count is ${count} but ${live} of its blocks are handed out`);
    }
    let free = 0;
    for (let b = u32[h + Header.FreeBlock]!; b !== 0; b = u32[b >>> 2]!) {
      if (++free > carved) fail("free-block list", pool, "the list has a cycle");
      const offset = b - pool;
      if (
        offset < this.#overhead ||
        offset >= nextoffset ||
        (offset - this.#overhead) % size !== 0
      ) {
        fail("free-block list", b, `not a carved block of pool ${hex(pool)}`);
      }
      if (this.#poolLive.get(b)) fail("free-block list", b, "a block is both free and allocated");
    }
    if (free + count !== carved) {
      fail(
        "free-block list",
        pool,
        `${free} free + ${count} in use != ${carved} carved blocks (a block is lost)`,
      );
    }
    if ((u32[h + Header.FreeBlock] === 0) !== (count === numBlocks)) {
      fail("pool header", pool, "freeblock is NULL but the pool is not full, or the reverse");
    }
  }

  /** `usable_arenas` is sorted, consistent with nfp2lasta, and `unused_arena_objects` is clean. */
  #verifyArenaLists(fail: (structure: string, at: number, message: string) => never): void {
    const next = this.#arenaNext;
    const prev = this.#arenaPrev;
    const free = this.#arenaFreePools;
    let withFreePools = 0;
    for (let a = 0; a < this.#maxArenas; a++) {
      if (this.#arenaAddress[a] !== 0 && free[a]! > 0) withFreePools++;
    }
    const lastOf = new Map<number, number>();
    let count = 0;
    let before = NONE;
    for (let a = this.#usableArenas; a !== NONE; a = next[a]!) {
      if (++count > withFreePools) {
        fail(
          "usable_arenas",
          this.#arenaAddress[a]!,
          "the list has a cycle or a full/unused arena",
        );
      }
      if (this.#arenaAddress[a] === 0 || free[a] === 0) {
        fail("usable_arenas", 0, `arena object ${a} is unused or has no free pool`);
      }
      if (prev[a] !== before) fail("usable_arenas", this.#arenaAddress[a]!, "prevarena is wrong");
      if (before !== NONE && free[before]! > free[a]!) {
        fail(
          "usable_arenas",
          this.#arenaAddress[a]!,
          `not sorted: ${free[before]} free pools before ${free[a]}`,
        );
      }
      lastOf.set(free[a]!, a);
      before = a;
    }
    if (count !== withFreePools) {
      fail("usable_arenas", 0, `${withFreePools - count} arenas with free pools are not listed`);
    }
    for (let nf = 0; nf < this.#nfp2lasta.length; nf++) {
      if (this.#nfp2lasta[nf] !== (lastOf.get(nf) ?? NONE)) {
        fail(
          "nfp2lasta",
          nf,
          `nfp2lasta[${nf}] is not the last usable arena with ${nf} free pools`,
        );
      }
    }
    let unused = 0;
    for (let a = this.#unusedArenaObjects; a !== NONE; a = next[a]!) {
      if (++unused > this.#maxArenas - this.#arenasCurrent) {
        fail("unused_arena_objects", 0, "the list has a cycle or an arena in use");
      }
      if (this.#arenaAddress[a] !== 0) {
        fail("unused_arena_objects", this.#arenaAddress[a]!, `arena object ${a} is in use`);
      }
    }
    if (unused !== this.#maxArenas - this.#arenasCurrent) {
      fail("unused_arena_objects", 0, "an unused arena object is on no list");
    }
  }
}

// Every public type of the package: the allocator's options and the shapes of its statistics.
// The defaults are CPython 3.11's on a 64-bit build (Objects/obmalloc.c; docs/cpython.md, the allocator).

import type { Allocator } from "@mm/heap";

/** Options of {@link PoolAllocator}. Each default is CPython 3.11's on 64-bit Linux. */
export interface PoolAllocatorOptions {
  /**
   * Block alignment and size-class step (`ALIGNMENT`), a power of two of at least 8 (a free
   * block holds an 8-byte link). CPython uses 8 on 32-bit builds.
   * @defaultValue `16`
   */
  readonly alignment?: number;
  /**
   * The largest request served from pools (`SMALL_REQUEST_THRESHOLD`), a multiple of
   * `alignment`; there are `smallRequestThreshold / alignment` size classes.
   * @defaultValue `512`
   */
  readonly smallRequestThreshold?: number;
  /**
   * Bytes per pool (`POOL_SIZE`), a power of two that holds at least two blocks of the largest
   * class after the pool header.
   * @defaultValue `16384` (16 KiB, `USE_LARGE_POOLS`)
   */
  readonly poolSize?: number;
  /**
   * Bytes per arena (`ARENA_SIZE`), a power of two, a multiple of `poolSize` and of the page
   * source's page size.
   * @defaultValue `1048576` (1 MiB, `USE_LARGE_ARENAS`)
   */
  readonly arenaSize?: number;
  /**
   * Bytes of `struct pool_header`, at least 48 (its eight fields at their 64-bit offsets).
   * The first block of a pool sits at this size rounded up to `alignment` (`POOL_OVERHEAD`).
   * @defaultValue `48`
   */
  readonly poolHeaderSize?: number;
  /**
   * Arena objects in the first `arenas[]` vector (`INITIAL_ARENA_OBJECTS`); it doubles when
   * full.
   * @defaultValue `16`
   */
  readonly initialArenaObjects?: number;
  /**
   * Keep the last arena of `usable_arenas` even when it is wholly free, so a loop that
   * allocates and frees one block does not map and unmap an arena each time (bpo-37257).
   * `false` shows the thrashing that CPython 3.8 fixed.
   * @defaultValue `true`
   */
  readonly keepLastUsableArena?: boolean;
  /**
   * The allocator for requests of 0 bytes or more than `smallRequestThreshold` (CPython's raw
   * domain, `PyMem_RawMalloc`). Its memory must be the page source's.
   * @defaultValue a `FreeStore` over the same page source
   */
  readonly inner?: Allocator;
  /**
   * Called at the start of every arena allocation, as CPython prints
   * `_PyObject_DebugMallocStats` when `PYTHONMALLOCSTATS` is set; e.g.
   * `(a) => process.stderr.write(a.debugMallocStats())`.
   * @defaultValue none
   */
  readonly onNewArena?: (allocator: MallocStatsSource) => void;
}

/**
 * What {@link PoolAllocatorOptions.onNewArena} is given: the allocator, seen through the one
 * method its hook needs (a `PoolAllocator` is one). Declared here rather than naming the class,
 * so that this module of plain types does not import the implementation back.
 */
export interface MallocStatsSource {
  /** The text of `sys._debugmallocstats()` for the allocator as it is now. */
  debugMallocStats(): string;
}

/** The resolved parameters of a {@link PoolAllocator}. */
export interface PoolGeometry {
  /** `ALIGNMENT`. */
  readonly alignment: number;
  /** `log2(ALIGNMENT)`, `ALIGNMENT_SHIFT`. */
  readonly alignmentShift: number;
  /** `SMALL_REQUEST_THRESHOLD`. */
  readonly smallRequestThreshold: number;
  /** `NB_SMALL_SIZE_CLASSES`. */
  readonly sizeClasses: number;
  /** `POOL_SIZE`. */
  readonly poolSize: number;
  /** `sizeof(struct pool_header)`. */
  readonly poolHeaderSize: number;
  /** `POOL_OVERHEAD`: the offset of a pool's first block. */
  readonly poolOverhead: number;
  /** `ARENA_SIZE`. */
  readonly arenaSize: number;
  /** `MAX_POOLS_IN_ARENA`. */
  readonly maxPoolsInArena: number;
  /** `INITIAL_ARENA_OBJECTS`. */
  readonly initialArenaObjects: number;
}

/** One row of `sys._debugmallocstats()`'s table: a size class. */
export interface SizeClassStats {
  /** The class index, `szidx`. */
  readonly sizeClass: number;
  /** Its block size, `INDEX2SIZE(szidx)`. */
  readonly blockSize: number;
  /** Blocks per pool, `NUMBLOCKS(szidx)`. */
  readonly blocksPerPool: number;
  /** Pools of this class that hold at least one block (used and full pools). */
  readonly pools: number;
  /** Blocks handed out from them. */
  readonly blocksInUse: number;
  /** Blocks of those pools not handed out (`NUMBLOCKS * pools - blocksInUse`). */
  readonly availableBlocks: number;
}

/** The state of one carved pool (CPython's comment on pool states, obmalloc.c). */
export type PoolState = "used" | "full" | "empty";

/** One carved pool. */
export interface PoolStats {
  /** The pool's address (its header). */
  readonly address: number;
  /** The index of its arena object. */
  readonly arenaIndex: number;
  /** `used` (in `usedpools`), `full` (on no list) or `empty` (on its arena's `freepools`). */
  readonly state: PoolState;
  /** Its size class; for an empty pool, the class it last held. */
  readonly sizeClass: number;
  /** Blocks handed out (`ref.count`). */
  readonly blocksInUse: number;
  /** Blocks carved so far (free or not); the rest of the pool has never been touched. */
  readonly carvedBlocks: number;
  /** Blocks on its free list (`freeblock`). */
  readonly freeListLength: number;
}

/** One allocated arena. */
export interface ArenaStats {
  /** The index of its arena object in `arenas[]`. */
  readonly index: number;
  /** The address the page source returned. */
  readonly address: number;
  /** Whole pools in the arena (`ntotalpools`): one less when it does not start on a pool. */
  readonly totalPools: number;
  /** Empty plus never-carved pools (`nfreepools`). */
  readonly freePools: number;
  /** Pools carved from the arena so far. */
  readonly carvedPools: number;
  /** Its position in `usable_arenas` (0 = head), or -1 when it has no free pool. */
  readonly usablePosition: number;
}

/** What `_PyObject_DebugMallocStats` counts, as numbers. */
export interface MallocStats {
  /** `SMALL_REQUEST_THRESHOLD`, the first line's number. */
  readonly smallRequestThreshold: number;
  /** `NB_SMALL_SIZE_CLASSES`. */
  readonly sizeClasses: number;
  /** Every size class, empty ones included (the table prints the non-empty ones). */
  readonly classes: readonly SizeClassStats[];
  /** `ntimes_arena_allocated`. */
  readonly arenasAllocatedTotal: number;
  /** `ntimes_arena_allocated - narenas`. */
  readonly arenasReclaimed: number;
  /** `narenas_highwater`. */
  readonly arenasHighwater: number;
  /** Arenas mapped now. */
  readonly arenasAllocatedCurrent: number;
  /** `ARENA_SIZE`. */
  readonly arenaSize: number;
  /** `POOL_SIZE`. */
  readonly poolSize: number;
  /** Blocks in use times their block size, over all classes. */
  readonly bytesInAllocatedBlocks: number;
  /** Free blocks of used and full pools times their block size. */
  readonly bytesInAvailableBlocks: number;
  /** Empty and never-carved pools of all arenas. */
  readonly unusedPools: number;
  /** `POOL_OVERHEAD` for each used or full pool. */
  readonly bytesLostToPoolHeaders: number;
  /** The tail of each used or full pool that no whole block fits in. */
  readonly bytesLostToQuantization: number;
  /** `POOL_SIZE` for each arena that does not start on a pool boundary. */
  readonly bytesLostToArenaAlignment: number;
  /** The sum of the six lines above; always `arenasAllocatedCurrent * arenaSize`. */
  readonly totalBytes: number;
  /** The arena map's nodes and bytes, in the labels of CPython's radix tree. */
  readonly arenaMap: ArenaMapStats;
}

/**
 * The arena map in the terms of CPython's radix tree. The map is one flat array of
 * `{tail_hi, tail_lo}` leaves, one per arena-sized slot of the address space: a single bottom
 * node, with no root or middle level.
 */
export interface ArenaMapStats {
  /** `# arena map mid nodes`: always 0, the map has no middle level. */
  readonly midNodes: number;
  /** `# arena map bot nodes`: always 1, the flat array. */
  readonly botNodes: number;
  /** `# bytes lost to arena map root`: always 0. */
  readonly rootBytes: number;
  /** `# bytes lost to arena map mid`: always 0. */
  readonly midBytes: number;
  /** `# bytes lost to arena map bot`: the array's bytes, 8 per arena-sized slot. */
  readonly botBytes: number;
  /** The sum of the three lines above. */
  readonly totalBytes: number;
}

/** The objects CPython 3.11 keeps free lists for (`WITH_FREELISTS`, docs/cpython.md fact 45). */
export type FreeListKind = "dict" | "dictKeys" | "float" | "list" | "tuple";

/** Options of {@link FreeLists}: capacities, each CPython 3.11's by default; 0 disables a list. */
export interface FreeListsOptions {
  /**
   * `PyFloat_MAXFREELIST`.
   * @defaultValue `100`
   */
  readonly floatCapacity?: number;
  /**
   * `PyTuple_MAXFREELIST`: parked tuples per length.
   * @defaultValue `2000`
   */
  readonly tupleCapacity?: number;
  /**
   * `PyTuple_MAXSAVESIZE`: tuples of length 1 to this have free lists (the empty tuple is a
   * singleton).
   * @defaultValue `20`
   */
  readonly tupleMaxLength?: number;
  /**
   * `PyList_MAXFREELIST`.
   * @defaultValue `80`
   */
  readonly listCapacity?: number;
  /**
   * `PyDict_MAXFREELIST` for dict objects.
   * @defaultValue `80`
   */
  readonly dictCapacity?: number;
  /**
   * `PyDict_MAXFREELIST` for keys objects; CPython parks only 8-slot unicode-keys tables.
   * @defaultValue `80`
   */
  readonly dictKeysCapacity?: number;
}

/** How many blocks each free list holds. */
export interface FreeListCounts {
  readonly dict: number;
  readonly dictKeys: number;
  readonly float: number;
  readonly list: number;
  /** By length: `tuple[n - 1]` is the count for tuples of length `n`. */
  readonly tuple: readonly number[];
}

// pymalloc's arenas as a picture's model: one cell per pool slot of each arena, in address
// order, with the pool's state and size class, from the allocator's own statistics.

import type { PoolAllocator, SizeClassStats } from "@mm/pool-allocator";

/** What a pool slot holds: a carved pool in one of CPython's three states, or nothing yet. */
export type CellState = "used" | "full" | "empty" | "untouched";

/** One pool slot of an arena. */
export interface PoolCell {
  readonly state: CellState;
  /** The pool's size class (for an empty pool, the class it last held); -1 if untouched. */
  readonly sizeClass: number;
  /** The block size of that class, 0 if untouched. */
  readonly blockSize: number;
  readonly blocksInUse: number;
  /** Blocks a pool of its class holds. */
  readonly blocksPerPool: number;
}

/** One arena and its pool slots. */
export interface ArenaPicture {
  readonly index: number;
  readonly address: number;
  /** Pools the arena holds (one less than 64 when it does not start on a pool boundary). */
  readonly totalPools: number;
  /** Empty plus untouched pools. */
  readonly freePools: number;
  readonly cells: readonly PoolCell[];
}

/** The whole picture: arenas in index order and the size classes that hold blocks. */
export interface ArenaMap {
  readonly arenaSize: number;
  readonly poolSize: number;
  readonly arenas: readonly ArenaPicture[];
  /** Size classes with at least one used or full pool. */
  readonly classes: readonly SizeClassStats[];
  readonly counts: Readonly<Record<CellState, number>>;
  readonly blocksInUse: number;
}

/** Reads the picture of `pymalloc` as it is now. */
export function arenaMap(pymalloc: PoolAllocator): ArenaMap {
  const { poolSize, arenaSize } = pymalloc.geometry;
  const classes = pymalloc.classStats();
  const pools = pymalloc.poolStats();
  const counts: Record<CellState, number> = { used: 0, full: 0, empty: 0, untouched: 0 };
  const arenas = pymalloc.arenaStats().map((arena): ArenaPicture => {
    const firstPool = Math.ceil(arena.address / poolSize) * poolSize;
    const cells: PoolCell[] = Array.from({ length: arena.totalPools }, () => ({
      state: "untouched",
      sizeClass: -1,
      blockSize: 0,
      blocksInUse: 0,
      blocksPerPool: 0,
    }));
    for (const pool of pools) {
      if (pool.arenaIndex !== arena.index) continue;
      const c = classes[pool.sizeClass]!;
      cells[(pool.address - firstPool) / poolSize] = {
        state: pool.state,
        sizeClass: pool.sizeClass,
        blockSize: c.blockSize,
        blocksInUse: pool.blocksInUse,
        blocksPerPool: c.blocksPerPool,
      };
    }
    for (const cell of cells) counts[cell.state]++;
    return {
      index: arena.index,
      address: arena.address,
      totalPools: arena.totalPools,
      freePools: arena.freePools,
      cells,
    };
  });
  return {
    arenaSize,
    poolSize,
    arenas,
    classes: classes.filter((c) => c.pools > 0),
    counts,
    blocksInUse: classes.reduce((n, c) => n + c.blocksInUse, 0),
  };
}

/** One arena in the summary form of the heap map: its pools counted by state. */
export interface ArenaSummary {
  readonly index: number;
  readonly address: number;
  readonly totalPools: number;
  /** Pool slots by state; they add up to `totalPools`. */
  readonly pools: Readonly<Record<CellState, number>>;
  readonly blocksInUse: number;
  /** Blocks the arena's carved pools (used and full) hold in all. */
  readonly blockCapacity: number;
}

/** Every arena of `map`, in its order, its pools counted by state: the summary heap map's data. */
export function arenaSummaries(map: ArenaMap): ArenaSummary[] {
  return map.arenas.map((arena) => {
    const pools: Record<CellState, number> = { used: 0, full: 0, empty: 0, untouched: 0 };
    let blocksInUse = 0;
    let blockCapacity = 0;
    for (const cell of arena.cells) {
      pools[cell.state]++;
      blocksInUse += cell.blocksInUse;
      if (cell.state === "used" || cell.state === "full") blockCapacity += cell.blocksPerPool;
    }
    return {
      index: arena.index,
      address: arena.address,
      totalPools: arena.totalPools,
      pools,
      blocksInUse,
      blockCapacity,
    };
  });
}

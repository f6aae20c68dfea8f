// @mm/pool-allocator: CPython 3.11's pymalloc (arenas, pools, size classes) and its free
// lists, over the page source and allocators of @mm/heap.

export type {
  ArenaMapStats,
  ArenaStats,
  FreeListCounts,
  FreeListKind,
  FreeListsOptions,
  MallocStats,
  MallocStatsSource,
  PoolAllocatorOptions,
  PoolGeometry,
  PoolState,
  PoolStats,
  SizeClassStats,
} from "./api.js";
export { FreeLists } from "./free-lists.js";
export { PoolAllocator } from "./pool-allocator.js";

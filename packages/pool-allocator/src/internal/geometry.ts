// Resolves and checks the allocator's parameters. obmalloc fixes them with #defines and
// #error checks; here they are options, so every combination that obmalloc's code cannot run
// with is refused up front with a message that says which rule it breaks.

import { invalidArgument } from "@mm/heap";
import type { PoolAllocatorOptions, PoolGeometry } from "../api.js";

/** `sizeof(struct pool_header)` on 64-bit: four 8-byte words and four 4-byte words. */
export const POOL_HEADER_FIELDS_SIZE = 48;

function isPowerOfTwo(value: number): boolean {
  return Number.isInteger(value) && value > 0 && (value & (value - 1)) === 0;
}

function powerOfTwo(name: string, value: number, why: string): void {
  if (!isPowerOfTwo(value) || value > 2 ** 30) {
    invalidArgument(`${name} must be a power of two (${why}), got ${String(value)}`);
  }
}

/** Checks `options` against obmalloc's rules and the page source's page size. */
export function resolveGeometry(
  options: PoolAllocatorOptions,
  pageSize: number,
  maximumBytes: number,
): PoolGeometry {
  const alignment = options.alignment ?? 16;
  const threshold = options.smallRequestThreshold ?? 512;
  const poolSize = options.poolSize ?? 16 * 1024;
  const arenaSize = options.arenaSize ?? 1 << 20;
  const poolHeaderSize = options.poolHeaderSize ?? POOL_HEADER_FIELDS_SIZE;
  const initialArenaObjects = options.initialArenaObjects ?? 16;

  powerOfTwo("alignment", alignment, "size classes are multiples of it");
  if (alignment < 8) {
    invalidArgument(
      `alignment must be at least 8 (a free block holds an 8-byte link), got ${alignment}`,
    );
  }
  if (!Number.isInteger(threshold) || threshold < alignment || threshold % alignment !== 0) {
    invalidArgument(
      `smallRequestThreshold must be a positive multiple of alignment (${alignment}), got ${String(threshold)}`,
    );
  }
  if (!Number.isInteger(poolHeaderSize) || poolHeaderSize < POOL_HEADER_FIELDS_SIZE) {
    invalidArgument(
      `poolHeaderSize must be an integer of at least ${POOL_HEADER_FIELDS_SIZE} (the fields of struct pool_header), got ${String(poolHeaderSize)}`,
    );
  }
  powerOfTwo("poolSize", poolSize, "a block finds its pool by masking its address");
  const poolOverhead = Math.ceil(poolHeaderSize / alignment) * alignment;
  const largestFits = Math.floor((poolSize - poolOverhead) / threshold);
  if (largestFits < 2) {
    invalidArgument(
      `a ${poolSize}-byte pool holds ${Math.max(largestFits, 0)} block(s) of the largest class (${threshold} bytes) after its ${poolOverhead}-byte header; a fresh pool sets up two blocks, so it needs room for at least 2 (raise poolSize or lower smallRequestThreshold)`,
    );
  }
  powerOfTwo(
    "arenaSize",
    arenaSize,
    "the arena map indexes arena-sized slots of the address space",
  );
  if (arenaSize < poolSize) {
    invalidArgument(`arenaSize (${arenaSize}) must be at least poolSize (${poolSize})`);
  }
  if (arenaSize < pageSize) {
    invalidArgument(
      `arenaSize (${arenaSize}) must be at least the page source's page size (${pageSize})`,
    );
  }
  if (pageSize < poolSize && arenaSize < 2 * poolSize) {
    invalidArgument(
      `arenaSize (${arenaSize}) must hold at least two pools when pages (${pageSize} bytes) are smaller than pools (${poolSize} bytes): an arena that does not start on a pool boundary loses its first partial pool`,
    );
  }
  if (arenaSize > maximumBytes) {
    invalidArgument(
      `arenaSize (${arenaSize}) exceeds the memory's maximum (${maximumBytes} bytes): no arena could ever be mapped`,
    );
  }
  if (!Number.isInteger(initialArenaObjects) || initialArenaObjects < 1) {
    invalidArgument(
      `initialArenaObjects must be a positive integer, got ${String(initialArenaObjects)}`,
    );
  }
  return {
    alignment,
    alignmentShift: Math.log2(alignment),
    smallRequestThreshold: threshold,
    sizeClasses: threshold / alignment,
    poolSize,
    poolHeaderSize,
    poolOverhead,
    arenaSize,
    maxPoolsInArena: arenaSize / poolSize,
    initialArenaObjects,
  };
}

/** `NUMBLOCKS(szidx)`: blocks of class `sizeClass` in one pool. */
export function blocksPerPool(geometry: PoolGeometry, sizeClass: number): number {
  return Math.floor(
    (geometry.poolSize - geometry.poolOverhead) / ((sizeClass + 1) << geometry.alignmentShift),
  );
}

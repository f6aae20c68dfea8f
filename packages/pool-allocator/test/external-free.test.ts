// A free done outside the allocator, over the memory, as the runtime's WebAssembly release
// kernel does it (the block's live bit at `liveBitsAddress`, the block to the front of its
// pool's free list, the pool's count), ending in `poolBlockReturned` when the pool changes
// lists: the same random mallocs and frees, one allocator freeing by `free` and the other
// from outside, must leave the same heap, the same statistics and the same pool lists.

import { InvalidArgumentError } from "@mm/heap";
import { fcRuns } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { PoolAllocator } from "../src/index.js";
import { checkPoolInvariants, pymalloc } from "./support.js";

/** pymalloc_free as a module over the memory writes it; the list moves are the allocator's. */
function freeFromOutside(a: PoolAllocator, block: number): void {
  const memory = a.memory;
  const shift = a.geometry.alignmentShift;
  const words = new Uint32Array(memory.buffer, a.liveBitsAddress);
  const index = block >>> (shift + 5);
  const bit = 1 << ((block >>> shift) & 31);
  expect(words[index]! & bit).not.toBe(0);
  words[index] = words[index]! ^ bit;
  const u32 = memory.u32;
  const pool = block & ~(a.geometry.poolSize - 1);
  const lastfree = u32[(pool + 8) >>> 2]!;
  u32[block >>> 2] = lastfree;
  u32[(block >>> 2) + 1] = 0;
  u32[(pool + 8) >>> 2] = block;
  const count = u32[pool >>> 2]! - 1;
  u32[pool >>> 2] = count;
  if (lastfree === 0 || count === 0) a.poolBlockReturned(pool);
}

type Op = { malloc: number } | { free: number };

const ops = fc.array(
  fc.oneof(
    { weight: 3, arbitrary: fc.record({ malloc: fc.integer({ min: 1, max: 512 }) }) },
    { weight: 2, arbitrary: fc.record({ free: fc.nat() }) },
  ),
  { maxLength: 400 },
);

function run(list: readonly Op[], outside: boolean): { a: PoolAllocator; order: number[] } {
  // Small pools and arenas: pools fill, empty and arenas go back within a few hundred blocks.
  const a = pymalloc({ poolSize: 4096, arenaSize: 16384 });
  const live: number[] = [];
  const order: number[] = [];
  for (const op of list) {
    if ("malloc" in op) {
      const block = a.malloc(op.malloc);
      order.push(block);
      if (block !== 0) live.push(block);
    } else if (live.length > 0) {
      const [block] = live.splice(op.free % live.length, 1);
      if (outside) freeFromOutside(a, block!);
      else a.free(block!);
    }
  }
  return { a, order };
}

describe("a free done outside the allocator", () => {
  it("leaves what free leaves: the heap, the statistics, the pool lists", () => {
    fc.assert(
      fc.property(ops, (list) => {
        const inside = run(list, false);
        const outside = run(list, true);
        expect(outside.order).toEqual(inside.order);
        outside.a.verify();
        checkPoolInvariants(outside.a);
        expect(outside.a.stats()).toEqual(inside.a.stats());
        expect(outside.a.debugMallocStats()).toBe(inside.a.debugMallocStats());
        const mine = outside.a.memory;
        const theirs = inside.a.memory;
        expect(mine.byteLength).toBe(theirs.byteLength);
        expect(Buffer.compare(mine.u8, theirs.u8)).toBe(0);
      }),
      { numRuns: fcRuns(100) },
    );
  });

  it("refuses an address that is not a pool in use", () => {
    const a = pymalloc();
    const block = a.malloc(32);
    expect(() => a.poolBlockReturned(block)).toThrow(InvalidArgumentError);
    expect(() => a.poolBlockReturned(-16384)).toThrow(InvalidArgumentError);
    expect(() => a.poolBlockReturned(1 << 30)).toThrow(/not a pool in use/);
    a.verify();
  });
});

// The layout obmalloc gives pools and arenas, derived from the parameters rather than
// hard-coded, for CPython's 64-bit geometry and for others.

import { FreeStore, Memory, MemoryPageSource } from "@mm/heap";
import { fcRuns } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PoolAllocator, type PoolAllocatorOptions, type PoolGeometry } from "../src/index.js";
import { blocksPerPool } from "../src/internal/geometry.js";
import { checkPoolInvariants, pymalloc } from "./support.js";

const blockSize = (g: PoolGeometry, c: number) => (c + 1) * g.alignment;
const poolOf = (a: PoolAllocator, address: number) => address - (address % a.geometry.poolSize);

/** Geometries to run the layout tests on: CPython's builds and two odd ones. */
const geometries: Array<[string, PoolAllocatorOptions, number]> = [
  ["64-bit CPython 3.11 (radix tree: 16 KiB pools, 1 MiB arenas)", {}, 4096],
  ["64-bit CPython without the radix tree (4 KiB pools)", { poolSize: 4096 }, 4096],
  [
    "32-bit CPython (8-byte alignment, 64 classes, 4 KiB pools, 256 KiB arenas)",
    { alignment: 8, poolSize: 4096, arenaSize: 256 << 10 },
    4096,
  ],
  [
    "32-byte alignment and a 100-byte header",
    { alignment: 32, smallRequestThreshold: 1024, poolHeaderSize: 100, poolSize: 8192 },
    4096,
  ],
];

describe("pool geometry", () => {
  it("has CPython 3.11's 64-bit parameters by default", () => {
    const g = pymalloc().geometry;
    expect(g).toEqual({
      alignment: 16,
      alignmentShift: 4,
      smallRequestThreshold: 512,
      sizeClasses: 32,
      poolSize: 16384,
      poolHeaderSize: 48,
      poolOverhead: 48,
      arenaSize: 1 << 20,
      maxPoolsInArena: 64,
      initialArenaObjects: 16,
    });
  });

  for (const [name, options, pageSize] of geometries) {
    describe(name, () => {
      it("fills a pool of every class with NUMBLOCKS = (POOL_SIZE - POOL_OVERHEAD) / size blocks, the first at POOL_OVERHEAD, each next one a block further", () => {
        const a = pymalloc(options, { pageSize });
        const g = a.geometry;
        for (let c = 0; c < g.sizeClasses; c++) {
          const size = blockSize(g, c);
          const first = a.malloc(size);
          const pool = poolOf(a, first);
          expect(first - pool).toBe(g.poolOverhead);
          let count = 1;
          let last = first;
          for (;;) {
            const p = a.malloc(size - (c === 0 ? 0 : g.alignment - 1));
            if (poolOf(a, p) !== pool) break;
            expect(p).toBe(last + size);
            last = p;
            count++;
          }
          expect(count).toBe(Math.floor((g.poolSize - g.poolOverhead) / size));
          expect(count).toBe(blocksPerPool(g, c));
          expect(last + size).toBeLessThanOrEqual(pool + g.poolSize);
        }
        a.verify();
      });

      it("maps arenas of ARENA_SIZE / POOL_SIZE pools, one less when the arena does not start on a pool", () => {
        const a = pymalloc(options, { pageSize });
        const g = a.geometry;
        a.malloc(1);
        const [arena] = a.arenaStats();
        const aligned = arena!.address % g.poolSize === 0;
        expect(arena!.totalPools).toBe(g.arenaSize / g.poolSize - (aligned ? 0 : 1));
        expect(a.mallocStats().bytesLostToArenaAlignment).toBe(aligned ? 0 : g.poolSize);
      });
    });
  }

  it("carves a fresh pool lazily: two blocks set up, then one more each time the free list runs dry, the rest untouched", () => {
    const a = pymalloc();
    const size = 64;
    const first = a.malloc(size);
    const pool = poolOf(a, first);
    const stats = () => a.poolStats().find((p) => p.address === pool)!;
    expect(stats()).toMatchObject({ carvedBlocks: 2, blocksInUse: 1, freeListLength: 1 });
    a.malloc(size);
    expect(stats()).toMatchObject({ carvedBlocks: 3, blocksInUse: 2, freeListLength: 1 });
    for (let i = 0; i < 10; i++) a.malloc(size);
    expect(stats()).toMatchObject({ carvedBlocks: 13, blocksInUse: 12, freeListLength: 1 });
    const carvedEnd = pool + 48 + 13 * size;
    const untouched = a.memory.u8.subarray(carvedEnd, pool + a.geometry.poolSize);
    expect(untouched.every((byte) => byte === 0)).toBe(true);
  });

  it("threads free blocks through their first word: an 8-byte link to the next free block, LIFO", () => {
    const a = pymalloc();
    const [x, y, z] = [a.malloc(32), a.malloc(32), a.malloc(32)];
    a.memory.u8.fill(0xab, x!, x! + 32);
    a.free(x!);
    a.free(z!);
    // z's link points at x, x's at the next carved block; bytes 4..7 of a link are zero.
    expect(a.memory.u32[z! >>> 2]).toBe(x);
    expect(a.memory.u32[(z! + 4) >>> 2]).toBe(0);
    expect(a.memory.u8[x! + 8]).toBe(0xab);
    expect(a.malloc(32)).toBe(z);
    expect(a.malloc(17)).toBe(x);
    expect(a.malloc(32)).toBe(z! + 32);
    a.verify();
    void y;
  });

  it("hands a freed block out again by the very next allocation of its class, whatever the state (EXP-g)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 512 }), { minLength: 1, maxLength: 300 }),
        fc.nat(),
        (sizes, pick) => {
          const a = pymalloc();
          const blocks = sizes.map((s) => a.malloc(s));
          const victim = pick % blocks.length;
          const size = sizes[victim]!;
          a.free(blocks[victim]!);
          const sameClass = ((size - 1) >> 4) * 16 + 1 + (pick % 16);
          expect(a.malloc(sameClass)).toBe(blocks[victim]);
          checkPoolInvariants(a);
        },
      ),
      { numRuns: fcRuns(200) },
    );
  });

  it("puts a full pool that gets a block back at the front of its class's list", () => {
    const a = pymalloc();
    const size = 512;
    const perPool = blocksPerPool(a.geometry, 31);
    const first = Array.from({ length: perPool }, () => a.malloc(size));
    const second = a.malloc(size);
    expect(poolOf(a, second)).not.toBe(poolOf(a, first[0]!));
    a.free(first[5]!);
    // The full pool is now the head of usedpools[31]: it serves the next request.
    expect(a.malloc(size)).toBe(first[5]);
    expect(a.malloc(size)).toBe(second + size);
    a.verify();
  });

  it("keeps an empty pool on its arena's free-pool list and reuses it for any class, skipping re-initialisation for the class it held", () => {
    const a = pymalloc();
    const blocks = Array.from({ length: 5 }, () => a.malloc(100));
    const pool = poolOf(a, blocks[0]!);
    for (const b of blocks) a.free(b);
    expect(a.poolStats().find((p) => p.address === pool)).toMatchObject({
      state: "empty",
      carvedBlocks: 6,
    });
    // Same class: the old free list is kept, so the last block freed comes back first.
    expect(a.malloc(100)).toBe(blocks[4]);
    expect(a.poolStats().find((p) => p.address === pool)!.carvedBlocks).toBe(6);
    a.free(blocks[4]!);
    // Another class: the pool is initialised again from its first block.
    const other = a.malloc(300);
    expect(other).toBe(pool + 48);
    expect(a.poolStats().find((p) => p.address === pool)).toMatchObject({
      sizeClass: 18,
      carvedBlocks: 2,
      state: "used",
    });
    a.verify();
  });

  it("takes new pools from the head of usable_arenas, the arena with the fewest free pools", () => {
    const a = pymalloc({ arenaSize: 1 << 16, poolSize: 4096 });
    const perPool = blocksPerPool(a.geometry, 31);
    const blocks: number[] = [];
    while (a.arenaStats().length < 3 || a.arenaStats()[2]!.freePools > 4)
      blocks.push(a.malloc(512));
    while (blocks.length % perPool !== 0) blocks.push(a.malloc(512));
    const arenas = a.arenaStats();
    const inArena = (b: number, i: number) =>
      b >= arenas[i]!.address && b < arenas[i]!.address + a.geometry.arenaSize;
    // Empty 10 pools of the first arena and 2 of the second: three arenas with free pools.
    for (const [i, pools] of [
      [0, 10],
      [1, 2],
    ] as const) {
      for (const b of blocks.filter((x) => inArena(x, i)).slice(0, pools * perPool)) a.free(b);
    }
    const freePools = () =>
      a.usableArenas().map((i) => a.arenaStats().find((x) => x.index === i)!.freePools);
    expect(freePools()).toEqual([2, 4, 10]);
    expect(a.usableArenas()[0]).toBe(arenas[1]!.index);
    // The next pool comes from the fullest arena, not from the one with the most room.
    expect(inArena(a.malloc(512), 1)).toBe(true);
    expect(freePools()).toEqual([1, 4, 10]);
    checkPoolInvariants(a);
    a.verify();
  });

  it("hands arenas back as they empty and keeps the last usable one: 1,000,000 16-byte blocks (EXP-h)", () => {
    const a = pymalloc({}, { maximumBytes: 64 << 20 });
    const count = 1_000_000;
    const blocks = new Int32Array(count);
    for (let i = 0; i < count; i++) blocks[i] = a.malloc(16);
    const perArena = a.arenaStats()[0]!.totalPools;
    const pools = Math.ceil(count / blocksPerPool(a.geometry, 0));
    const arenas = Math.ceil(pools / perArena);
    expect(a.classStats()[0]).toMatchObject({ pools, blocksInUse: count });
    expect(a.mallocStats()).toMatchObject({
      arenasAllocatedTotal: arenas,
      arenasAllocatedCurrent: arenas,
      arenasHighwater: arenas,
    });
    for (let i = 0; i < count; i++) a.free(blocks[i]!);
    // CPython 3.11 prints 20 allocated / 15 reclaimed / 5 current for the same program: the
    // same 16 arenas and 15 reclaimed, plus the 4 arenas of the interpreter's own objects.
    expect(a.mallocStats()).toMatchObject({
      arenasAllocatedTotal: arenas,
      arenasReclaimed: arenas - 1,
      arenasAllocatedCurrent: 1,
    });
    expect(a.source.mappedBytes).toBe(a.geometry.arenaSize);
    a.verify();
  });

  it("keeps the last wholly free arena (bpo-37257) unless told not to", () => {
    const kept = pymalloc();
    kept.free(kept.malloc(8));
    expect(kept.mallocStats()).toMatchObject({ arenasAllocatedCurrent: 1, arenasReclaimed: 0 });
    for (let i = 0; i < 100; i++) kept.free(kept.malloc(8));
    expect(kept.mallocStats().arenasAllocatedTotal).toBe(1);
    expect(kept.releaseFreeArenas()).toBe(1);
    expect(kept.source.mappedBytes).toBe(0);

    const thrashing = pymalloc({ keepLastUsableArena: false });
    for (let i = 0; i < 100; i++) thrashing.free(thrashing.malloc(8));
    expect(thrashing.mallocStats()).toMatchObject({
      arenasAllocatedTotal: 100,
      arenasReclaimed: 100,
      arenasAllocatedCurrent: 0,
    });
    thrashing.verify();
  });

  it("loses one pool per arena to alignment when pages are smaller than pools, none when they are not", () => {
    const small = pymalloc({}, { pageSize: 4096 });
    const big = pymalloc({}, { pageSize: 16384 });
    for (const a of [small, big]) {
      const blocks = Array.from({ length: 200_000 }, () => a.malloc(16));
      expect(blocks.every((b) => b !== 0)).toBe(true);
    }
    const arenasSmall = small.mallocStats().arenasAllocatedCurrent;
    expect(small.mallocStats().bytesLostToArenaAlignment).toBe(arenasSmall * 16384);
    expect(small.arenaStats().every((x) => x.totalPools === 63)).toBe(true);
    expect(big.mallocStats().bytesLostToArenaAlignment).toBe(0);
    expect(big.arenaStats().every((x) => x.totalPools === 64)).toBe(true);
  });

  it("sends 0-byte and over-threshold requests to the inner allocator, and counts them as raw blocks", () => {
    const a = pymalloc();
    const zero = a.malloc(0);
    const big = a.malloc(513);
    const small = a.malloc(512);
    expect(a.rawAllocatedBlocks).toBe(2);
    expect(a.inner).toBeInstanceOf(FreeStore);
    expect(a.inner.usableSize(big)).toBeGreaterThanOrEqual(513);
    expect(a.usableSize(small)).toBe(512);
    expect(a.usableSize(zero)).toBe(a.inner.usableSize(zero));
    expect(a.getAllocatedBlocks()).toBe(3);
    expect(a.owns(big) && a.owns(small)).toBe(true);
    a.free(zero);
    a.free(big);
    expect(a.getAllocatedBlocks()).toBe(1);
    a.verify();
  });

  it("falls back to the inner allocator when no arena can be mapped, as _PyObject_Malloc does", () => {
    const memory = new Memory({ maximumBytes: 2 << 20 });
    const source = new MemoryPageSource(memory);
    const a = new PoolAllocator(source, { inner: new FreeStore(source, { regionBytes: 4096 }) });
    const blocks: number[] = [];
    while (a.mallocStats().arenasAllocatedCurrent === 0 || blocks.length < 70_000) {
      const p = a.malloc(16);
      if (p === 0) break;
      blocks.push(p);
    }
    expect(a.rawAllocatedBlocks).toBeGreaterThan(0);
    checkPoolInvariants(a);
    a.verify();
  });

  describe("realloc", () => {
    it("stays in place when the block shrinks by less than 25% or grows within it", () => {
      const a = pymalloc();
      const p = a.malloc(100); // a 112-byte block
      a.memory.u8.fill(7, p, p + 100);
      expect(a.realloc(p, 112)).toBe(p);
      expect(a.realloc(p, 85)).toBe(p); // 4 * 85 = 340 > 3 * 112 = 336
      const q = a.realloc(p, 84); // 336 is not > 336: moves to the 96-byte class
      expect(q).not.toBe(p);
      expect(a.usableSize(q)).toBe(96);
      expect(a.memory.u8.subarray(q, q + 84).every((b) => b === 7)).toBe(true);
      const r = a.realloc(q, 97); // grows past its block: moves
      expect(r).not.toBe(q);
      expect(a.memory.u8.subarray(r, r + 84).every((b) => b === 7)).toBe(true);
      a.verify();
    });

    it("follows the 4 * nbytes > 3 * size rule for every size of every class", () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 512 }),
          fc.integer({ min: 0, max: 600 }),
          (old, size) => {
            const a = pymalloc();
            const p = a.malloc(old);
            const block = a.usableSize(p);
            const q = a.realloc(p, size);
            expect(q === p).toBe(size <= block && 4 * size > 3 * block);
            checkPoolInvariants(a);
          },
        ),
        { numRuns: fcRuns(300) },
      );
    });

    it("moves a pool block to the inner allocator past the threshold, and never takes an inner block into a pool", () => {
      const a = pymalloc();
      const p = a.malloc(500);
      const big = a.realloc(p, 5000);
      expect(a.rawAllocatedBlocks).toBe(1);
      const shrunk = a.realloc(big, 10);
      expect(a.rawAllocatedBlocks).toBe(1);
      expect(a.inner.usableSize(shrunk)).toBeGreaterThanOrEqual(10);
      expect(a.realloc(0, 24)).not.toBe(0);
      a.verify();
    });
  });

  it("zeroes calloc'd blocks, even reused ones", () => {
    const a = pymalloc();
    const p = a.malloc(200);
    a.memory.u8.fill(0xff, p, p + 200);
    a.free(p);
    const q = a.calloc(10, 20);
    expect(q).toBe(p);
    expect(a.memory.u8.subarray(q, q + 200).every((b) => b === 0)).toBe(true);
    expect(a.calloc(0, 5)).not.toBe(0);
    expect(a.calloc(2, 400)).not.toBe(0);
    expect(a.rawAllocatedBlocks).toBe(2);
  });

  it("zeroes every requested byte of a small reused block, whatever the size (word-wise path)", () => {
    const a = pymalloc();
    for (let size = 1; size <= 80; size++) {
      const p = a.malloc(size);
      const block = a.usableSize(p);
      a.memory.u8.fill(0xff, p, p + block);
      a.free(p);
      const q = a.calloc(1, size);
      expect(q).toBe(p);
      expect(a.memory.u8.subarray(q, q + size).every((b) => b === 0)).toBe(true);
      a.free(q);
    }
    a.verify();
  });

  it("grows arenas[] by doubling from INITIAL_ARENA_OBJECTS and reuses freed arena objects", () => {
    const a = pymalloc({ initialArenaObjects: 2, arenaSize: 1 << 16, poolSize: 4096 });
    const blocks: number[] = [];
    while (a.arenaStats().length < 5) blocks.push(a.malloc(512));
    expect(a.arenaStats().map((x) => x.index)).toEqual([0, 1, 2, 3, 4]);
    const first = a.arenaStats()[0]!;
    for (const b of blocks.filter((x) => x >= first.address && x < first.address + (1 << 16))) {
      a.free(b);
    }
    expect(a.arenaStats().map((x) => x.index)).toEqual([1, 2, 3, 4]);
    while (a.arenaStats().length < 5) a.malloc(512);
    expect(a.arenaStats().map((x) => x.index)).toEqual([0, 1, 2, 3, 4]);
    a.verify();
  });

  it("routes any address in O(1) through the arena map, arenas straddling two slots included", () => {
    const a = pymalloc();
    const blocks = Array.from({ length: 150_000 }, () => a.malloc(16));
    for (const arena of a.arenaStats()) {
      expect(arena.address % (1 << 20)).not.toBe(0);
      expect(a.owns(arena.address)).toBe(true);
      expect(a.owns(arena.address + (1 << 20) - 1)).toBe(true);
    }
    const last = a.arenaStats().at(-1)!;
    expect(a.owns(last.address + (1 << 20))).toBe(a.inner.owns(last.address + (1 << 20)));
    expect(a.owns(1)).toBe(false);
    expect(a.owns(-16)).toBe(false);
    expect(a.owns(2.5)).toBe(false);
    expect(blocks.every((b) => a.owns(b))).toBe(true);
  });
});

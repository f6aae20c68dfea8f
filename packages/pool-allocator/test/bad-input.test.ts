// The bad inputs of the Allocator contract, against pymalloc: each is refused with a typed
// error before anything changes, and verify() passes afterwards. CPython cannot detect them;
// here a bit per handed-out block makes each check O(1).

import {
  DebugAllocator,
  DoubleFreeError,
  ErrorCode,
  FreeStore,
  InvalidAddressError,
  type InvalidAddressReason,
  InvalidArgumentError,
  Memory,
  MemoryPageSource,
} from "@mm/heap";
import { fcRuns } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PoolAllocator } from "../src/index.js";
import { checkPoolInvariants, pymalloc } from "./support.js";

function refused(
  fn: () => unknown,
  reason: InvalidAddressReason,
  type: abstract new (...args: never[]) => InvalidAddressError = InvalidAddressError,
): void {
  let error: unknown;
  try {
    fn();
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(type);
  expect((error as InvalidAddressError).reason).toBe(reason);
}

/** A pymalloc holding live and freed blocks of several classes and of the free store. */
function populated(): { a: PoolAllocator; live: number[]; freed: number[] } {
  const a = pymalloc();
  const live: number[] = [];
  const freed: number[] = [];
  for (const size of [8, 33, 100, 512, 0, 600, 5000]) {
    live.push(a.malloc(size));
    freed.push(a.malloc(size));
    live.push(a.malloc(size));
  }
  for (const p of freed) a.free(p);
  return { a, live, freed };
}

describe("bad input", () => {
  it("refuses a double free, of a pool block and of a free-store block, with DoubleFreeError", () => {
    const { a, freed } = populated();
    const before = a.debugMallocStats();
    for (const p of freed) {
      refused(() => a.free(p), "freed", DoubleFreeError);
      try {
        a.free(p);
      } catch (error) {
        expect((error as DoubleFreeError).code).toBe(ErrorCode.DoubleFree);
        expect((error as Error).message).toMatch(
          /^free\(0x[0-9a-f]{8}\): address refers to a block that is already free/,
        );
      }
    }
    expect(a.debugMallocStats()).toBe(before);
    a.verify();
  });

  it("refuses a free of an emptied pool's block, whose pool went back to its arena", () => {
    const a = pymalloc();
    const p = a.malloc(64);
    a.malloc(8);
    a.free(p);
    refused(() => a.free(p), "freed", DoubleFreeError);
    a.verify();
  });

  it("treats free(0) as a no-op and refuses NULL elsewhere", () => {
    const a = pymalloc();
    a.free(0);
    refused(() => a.usableSize(0), "null");
    expect(a.realloc(0, 10)).not.toBe(0);
    a.verify();
  });

  it("refuses addresses it does not own: outside memory, negative, fractional, in the free store but not handed out", () => {
    const { a } = populated();
    const outside = new FreeStore(a.source);
    const foreign = outside.malloc(2000);
    for (const p of [1 << 30, -16, 1.5, 2 ** 40, Number.NaN, foreign]) {
      refused(() => a.free(p), "not-owned");
      refused(() => a.realloc(p, 8), "not-owned");
      refused(() => a.usableSize(p), "not-owned");
    }
    outside.free(foreign);
    a.verify();
  });

  it("refuses interior and misaligned addresses: inside a block, a pool header, an arena's lost first pool", () => {
    const { a, live } = populated();
    const pooled = live.filter((p) => a.usableSize(p) <= 512);
    for (const p of pooled) {
      if (a.usableSize(p) > 16) refused(() => a.free(p + 16), "interior");
      refused(() => a.free(p + 1), "misaligned");
      refused(() => a.realloc(p + 8, 4), "misaligned");
      refused(() => a.usableSize(p + 1), "misaligned");
    }
    const pool = pooled[0]! - (pooled[0]! % 16384);
    refused(() => a.free(pool), "interior");
    refused(() => a.free(pool + 32), "interior");
    const arena = a.arenaStats()[0]!.address;
    refused(() => a.free(arena), "interior");
    refused(() => a.free(arena + (1 << 19)), "interior");
    const big = live.find((p) => a.usableSize(p) > 5000)!;
    refused(() => a.free(big + 16), "interior");
    refused(() => a.usableSize(big + 4), "misaligned");
    a.verify();
    checkPoolInvariants(a);
  });

  it("refuses any address that is not a live block, whatever the state (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 700 }), { minLength: 1, maxLength: 60 }),
        fc.array(fc.boolean(), { maxLength: 60 }),
        fc.array(fc.integer({ min: 1, max: 4 << 20 }), { minLength: 1, maxLength: 20 }),
        (sizes, frees, probes) => {
          const a = pymalloc({}, { maximumBytes: 16 << 20 });
          const blocks = sizes.map((s) => a.malloc(s));
          const live = new Set(blocks);
          blocks.forEach((b, i) => {
            if (frees[i]) {
              a.free(b);
              live.delete(b);
            }
          });
          const before = a.debugMallocStats();
          for (const p of probes) {
            if (live.has(p)) continue;
            expect(() => a.free(p)).toThrow(InvalidAddressError);
            expect(() => a.realloc(p, 10)).toThrow(InvalidAddressError);
            expect(() => a.usableSize(p)).toThrow(InvalidAddressError);
          }
          expect(a.debugMallocStats()).toBe(before);
          a.verify();
          for (const b of live) a.free(b);
          a.verify();
        },
      ),
      { numRuns: fcRuns(200) },
    );
  });

  it("refuses realloc and usableSize of freed memory", () => {
    const { a, freed } = populated();
    for (const p of freed) {
      refused(() => a.realloc(p, 16), "freed");
      refused(() => a.usableSize(p), "freed");
    }
    a.verify();
  });

  it("returns 0 at exhaustion, from the pools and the free store alike, and keeps working", () => {
    const a = new PoolAllocator(new MemoryPageSource(new Memory({ maximumBytes: 4 << 20 })));
    const blocks: number[] = [];
    for (const size of [512, 100, 16]) {
      for (let p = a.malloc(size); p !== 0; p = a.malloc(size)) blocks.push(p);
    }
    expect(a.mallocStats().arenasAllocatedCurrent).toBe(3);
    expect(a.rawAllocatedBlocks).toBeGreaterThan(0);
    expect(a.malloc(16)).toBe(0);
    expect(a.malloc(100_000)).toBe(0);
    expect(a.calloc(4, 4)).toBe(0);
    const p = blocks[0]!;
    expect(a.realloc(p, 200_000)).toBe(0);
    expect(a.realloc(p, 16)).toBe(0);
    expect(a.usableSize(p)).toBe(512);
    a.verify();
    checkPoolInvariants(a);
    for (const b of blocks) a.free(b);
    a.verify();
    expect(a.malloc(16)).not.toBe(0);
    expect(a.calloc(1 << 20, 1 << 20)).toBe(0);
  });

  it("refuses sizes that are not non-negative integers", () => {
    const a = pymalloc();
    expect(() => a.malloc(-1)).toThrow(InvalidArgumentError);
    expect(() => a.malloc(1.5)).toThrow(InvalidArgumentError);
    expect(() => a.malloc(Number.NaN)).toThrow(InvalidArgumentError);
    expect(() => a.calloc(-1, 4)).toThrow(InvalidArgumentError);
    expect(() => a.calloc(2, 0.5)).toThrow(InvalidArgumentError);
    expect(() => a.realloc(a.malloc(8), -3)).toThrow(InvalidArgumentError);
    expect(a.malloc(2 ** 40)).toBe(0);
    a.verify();
  });

  it("refuses the same bad inputs through the debug hooks, naming the block", () => {
    const debug = new DebugAllocator(pymalloc());
    const p = debug.malloc(10);
    debug.free(p);
    expect(() => debug.free(p)).toThrow(DoubleFreeError);
    const q = debug.malloc(10);
    expect(() => debug.free(q + 16)).toThrow(InvalidAddressError);
    debug.memory.u8[q + 10] = 0;
    expect(() => debug.free(q)).toThrow(/overrun of the 10-byte block allocated by API 'o'/);
    debug.memory.u8[q + 10] = 0xfd;
    debug.free(q);
    debug.flushQuarantine();
    debug.verify();
  });

  describe("bad parameters are refused with a message that names the rule", () => {
    const cases: Array<[string, ConstructorParameters<typeof PoolAllocator>[1], RegExp]> = [
      ["alignment not a power of two", { alignment: 24 }, /alignment must be a power of two/],
      ["alignment below 8", { alignment: 4 }, /at least 8 \(a free block holds an 8-byte link\)/],
      ["threshold not a multiple", { smallRequestThreshold: 500 }, /multiple of alignment \(16\)/],
      ["threshold of 0", { smallRequestThreshold: 0 }, /positive multiple of alignment/],
      ["pool not a power of two", { poolSize: 10_000 }, /poolSize must be a power of two/],
      [
        "pool too small for two blocks",
        { poolSize: 1024 },
        /holds 1 block\(s\) of the largest class \(512 bytes\) after its 48-byte header/,
      ],
      [
        "header below the fields",
        { poolHeaderSize: 40 },
        /at least 48 \(the fields of struct pool_header\)/,
      ],
      ["arena not a power of two", { arenaSize: 3 << 20 }, /arenaSize must be a power of two/],
      [
        "arena smaller than a pool",
        { arenaSize: 8192 },
        /arenaSize \(8192\) must be at least poolSize \(16384\)/,
      ],
      [
        "arena of one pool on small pages",
        { arenaSize: 16384 },
        /must hold at least two pools when pages \(4096 bytes\) are smaller than pools/,
      ],
      ["arena over the memory", { arenaSize: 1 << 30 }, /exceeds the memory's maximum/],
      [
        "no arena objects",
        { initialArenaObjects: 0 },
        /initialArenaObjects must be a positive integer/,
      ],
    ];
    for (const [name, options, message] of cases) {
      it(name, () => {
        const source = new MemoryPageSource(new Memory({ maximumBytes: 64 << 20 }));
        expect(() => new PoolAllocator(source, options)).toThrow(InvalidArgumentError);
        expect(() => new PoolAllocator(source, options)).toThrow(message);
      });
    }

    it("an inner allocator over another memory", () => {
      const source = new MemoryPageSource(new Memory());
      const inner = new FreeStore(new MemoryPageSource(new Memory()));
      expect(() => new PoolAllocator(source, { inner })).toThrow(
        /inner allocator must allocate from the page source's memory/,
      );
    });

    it("an arena smaller than the page source's pages", () => {
      const source = new MemoryPageSource(new Memory(), { pageSize: 1 << 16 });
      expect(() => new PoolAllocator(source, { arenaSize: 1 << 15, poolSize: 4096 })).toThrow(
        /at least the page source's page size \(65536\)/,
      );
    });
  });
});

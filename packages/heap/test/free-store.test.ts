import { describe, expect, it } from "vitest";
import {
  DoubleFreeError,
  ErrorCode,
  FreeStore,
  InvalidAddressError,
  InvalidArgumentError,
  Memory,
  MemoryPageSource,
} from "../src/index.js";

function store(maximumBytes = 64 << 20, options = {}): FreeStore {
  return new FreeStore(new MemoryPageSource(new Memory({ maximumBytes })), options);
}

function expectAddressError(fn: () => unknown, reason: string): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidAddressError);
    expect((error as InvalidAddressError).reason).toBe(reason);
    return;
  }
  expect.fail(`expected an InvalidAddressError (${reason})`);
}

describe("FreeStore", () => {
  it("hands out 16-byte aligned blocks with at least the requested usable size", () => {
    const s = store();
    for (const size of [0, 1, 12, 13, 16, 100, 511, 512, 513, 4096, 65536, 1 << 20]) {
      const p = s.malloc(size);
      expect(p % 16).toBe(0);
      expect(s.usableSize(p)).toBeGreaterThanOrEqual(size);
    }
    s.verify();
  });

  it("gives malloc(0) a unique address", () => {
    const s = store();
    const a = s.malloc(0);
    const b = s.malloc(0);
    expect(a).not.toBe(0);
    expect(b).not.toBe(a);
  });

  it("coalesces a freed block with both free neighbours at once", () => {
    const s = store();
    const a = s.malloc(100);
    const b = s.malloc(100);
    const c = s.malloc(100);
    const guard = s.malloc(100);
    s.free(a);
    s.free(c);
    s.free(b);
    s.verify();
    // The three blocks are one free block again, so a request of their joint size lands at a.
    expect(s.malloc(3 * s.usableSize(guard))).toBe(a);
    s.verify();
  });

  it("reuses a freed block of the same size class first", () => {
    const s = store();
    const a = s.malloc(48);
    s.malloc(48);
    s.free(a);
    expect(s.malloc(48)).toBe(a);
  });

  it("grows in place into a free neighbour and keeps the bytes", () => {
    const s = store();
    const a = s.malloc(64);
    const b = s.malloc(256);
    s.malloc(16);
    s.memory.u8.fill(0xab, a, a + 64);
    s.free(b);
    expect(s.realloc(a, 300)).toBe(a);
    expect(s.memory.u8.subarray(a, a + 64).every((x) => x === 0xab)).toBe(true);
    expect(s.usableSize(a)).toBeGreaterThanOrEqual(300);
    s.verify();
  });

  it("moves a block whose neighbour is in use and keeps min(old, new) bytes", () => {
    const s = store();
    const a = s.malloc(64);
    s.malloc(64);
    for (let i = 0; i < 64; i++) s.memory.u8[a + i] = i;
    const moved = s.realloc(a, 1000);
    expect(moved).not.toBe(a);
    expect([...s.memory.u8.subarray(moved, moved + 64)]).toEqual([...Array(64).keys()]);
    expect(s.realloc(moved, 10)).toBe(moved);
    expect([...s.memory.u8.subarray(moved, moved + 10)]).toEqual([...Array(10).keys()]);
    s.verify();
  });

  it("shrinks in place and gives the tail back", () => {
    const s = store();
    const a = s.malloc(10_000);
    const before = s.stats().liveBytes;
    expect(s.realloc(a, 100)).toBe(a);
    expect(s.stats().liveBytes).toBeLessThan(before);
    s.verify();
  });

  it("hands trailing free space and wholly free regions back to the page source", () => {
    const s = store(64 << 20, { regionBytes: 1 << 16, trimThreshold: 1 << 16 });
    const small = s.malloc(100);
    const big = s.malloc(1 << 20);
    const mapped = s.source.mappedBytes;
    expect(mapped).toBeGreaterThanOrEqual((1 << 20) + (1 << 16));
    s.free(big);
    expect(s.source.mappedBytes).toBeLessThan(mapped - (1 << 19));
    expect(s.stats().footprintBytes).toBe(s.source.mappedBytes);
    s.verify();
    s.free(small);
    expect(s.source.mappedBytes).toBe(0);
    expect(s.stats()).toEqual({ liveBlocks: 0, liveBytes: 0, footprintBytes: 0, freeBytes: 0 });
    s.verify();
  });

  it("merges a region mapped right after another into one", () => {
    const s = store(64 << 20, { regionBytes: 1 << 16 });
    s.malloc(60_000);
    s.malloc(60_000);
    expect(s.regions()).toHaveLength(1);
    s.verify();
  });

  it("zero-fills calloc even on reused, dirty memory", () => {
    const s = store();
    const a = s.malloc(4000);
    s.memory.u8.fill(0xff, a, a + 4000);
    s.free(a);
    const b = s.calloc(100, 40);
    expect(b).toBe(a);
    expect(s.memory.u8.subarray(b, b + 4000).every((x) => x === 0)).toBe(true);
  });

  describe("bad input", () => {
    it("detects a double free and leaves the heap intact", () => {
      const s = store();
      const a = s.malloc(32);
      s.malloc(32);
      s.free(a);
      expect(() => s.free(a)).toThrow(DoubleFreeError);
      try {
        s.free(a);
      } catch (error) {
        expect((error as DoubleFreeError).code).toBe(ErrorCode.DoubleFree);
        expect((error as Error).message).toMatch(
          /^free\(0x[0-9a-f]{8}\): address refers to a block that is already free/,
        );
      }
      s.verify();
    });

    it("treats free(0) as a no-op, as C does, but refuses NULL elsewhere", () => {
      const s = store();
      s.free(0);
      expectAddressError(() => s.usableSize(0), "null");
      s.verify();
    });

    it("refuses an address it does not own", () => {
      const s = store();
      s.malloc(16);
      expectAddressError(() => s.free(1 << 24), "not-owned");
      expectAddressError(() => s.free(-16), "not-owned");
      s.verify();
    });

    it("refuses an interior and a misaligned address", () => {
      const s = store();
      const a = s.malloc(256);
      expectAddressError(() => s.free(a + 32), "interior");
      expectAddressError(() => s.free(a + 3), "misaligned");
      expectAddressError(() => s.realloc(a + 16, 10), "interior");
      s.verify();
      s.free(a);
      s.verify();
    });

    it("refuses realloc and usableSize of freed memory", () => {
      const s = store();
      const a = s.malloc(64);
      s.malloc(64);
      s.free(a);
      expectAddressError(() => s.realloc(a, 128), "freed");
      expectAddressError(() => s.usableSize(a), "freed");
      s.verify();
    });

    it("returns 0 at exhaustion and keeps working afterwards", () => {
      const s = store(1 << 20);
      const blocks: number[] = [];
      for (;;) {
        const p = s.malloc(50_000);
        if (p === 0) break;
        blocks.push(p);
      }
      expect(blocks.length).toBeGreaterThan(10);
      expect(s.malloc(1 << 21)).toBe(0);
      expect(s.realloc(blocks[0]!, 1 << 21)).toBe(0);
      expect(s.calloc(1 << 16, 1 << 16)).toBe(0);
      s.verify();
      for (const p of blocks) s.free(p);
      s.verify();
      expect(s.malloc(50_000)).not.toBe(0);
    });

    it("refuses sizes that are not non-negative integers", () => {
      const s = store();
      expect(() => s.malloc(-1)).toThrow(InvalidArgumentError);
      expect(() => s.malloc(1.5)).toThrow(InvalidArgumentError);
      expect(() => s.calloc(-1, 4)).toThrow(InvalidArgumentError);
      expect(() => s.realloc(0, Number.NaN)).toThrow(InvalidArgumentError);
      expect(s.malloc(2 ** 40)).toBe(0);
      s.verify();
    });

    it("refuses bad options", () => {
      const source = new MemoryPageSource(new Memory());
      expect(() => new FreeStore(source, { regionBytes: 100 })).toThrow(/regionBytes/);
      expect(() => new FreeStore(source, { trimThreshold: -5 })).toThrow(InvalidArgumentError);
    });
  });
});

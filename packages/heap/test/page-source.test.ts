import { fcRuns } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  InvalidAddressError,
  InvalidArgumentError,
  Memory,
  MemoryPageSource,
} from "../src/index.js";

const PAGE = 4096;

describe("MemoryPageSource", () => {
  it("never maps the NULL page and returns page-aligned, zeroed chunks", () => {
    const source = new MemoryPageSource(new Memory());
    const a = source.map(100);
    expect(a).toBe(PAGE);
    const b = source.map(PAGE * 3);
    expect(b % PAGE).toBe(0);
    expect(b).toBe(a + PAGE);
    expect(source.mappedBytes).toBe(4 * PAGE);
    source.memory.u8.fill(9, b, b + 3 * PAGE);
    source.unmap(b, 3 * PAGE);
    const c = source.map(2 * PAGE);
    expect(c).toBe(b);
    expect(source.memory.u8.subarray(c, c + 2 * PAGE).every((x) => x === 0)).toBe(true);
  });

  it("honours a larger alignment and leaves the gap reusable", () => {
    const source = new MemoryPageSource(new Memory());
    const aligned = source.map(PAGE, 1 << 20);
    expect(aligned % (1 << 20)).toBe(0);
    expect(source.map(PAGE)).toBe(PAGE);
  });

  it("unmaps any page-aligned part of a mapping, like munmap", () => {
    const source = new MemoryPageSource(new Memory());
    const a = source.map(4 * PAGE);
    source.unmap(a + PAGE, PAGE);
    expect(source.mappings()).toEqual([
      { start: a, end: a + PAGE },
      { start: a + 2 * PAGE, end: a + 4 * PAGE },
    ]);
    expect(() => source.unmap(a + PAGE, PAGE)).toThrow(InvalidAddressError);
    expect(() => source.unmap(a, 2 * PAGE)).toThrow(/not wholly mapped/);
    expect(() => source.unmap(a + 10, PAGE)).toThrow(/misaligned|aligned/);
    expect(source.mappedBytes).toBe(3 * PAGE);
  });

  it("returns 0 when the memory's maximum is reached", () => {
    const source = new MemoryPageSource(new Memory({ maximumBytes: 1 << 18 }));
    expect(source.map(1 << 18)).toBe(0);
    expect(source.map((1 << 18) - PAGE)).toBe(PAGE);
    expect(source.map(PAGE)).toBe(0);
  });

  it("refuses bad arguments", () => {
    expect(() => new MemoryPageSource(new Memory(), { pageSize: 1000 })).toThrow(
      InvalidArgumentError,
    );
    const source = new MemoryPageSource(new Memory());
    expect(() => source.map(-1)).toThrow(InvalidArgumentError);
    expect(() => source.map(PAGE, 3 * PAGE)).toThrow(/alignment/);
  });

  it("maps from its base up and refuses a base that is not a page multiple of at least a page", () => {
    const source = new MemoryPageSource(new Memory(), { base: 17 * PAGE });
    expect(source.base).toBe(17 * PAGE);
    expect(source.map(PAGE)).toBe(17 * PAGE);
    expect(source.map(PAGE, 1 << 16)).toBe(1 << 17);
    expect(source.map(PAGE)).toBe(18 * PAGE);
    expect(() => source.unmap(16 * PAGE, PAGE)).toThrow(/not wholly mapped/);
    for (const base of [0, PAGE / 2, PAGE + 8, 1.5 * PAGE, -PAGE, Number.NaN]) {
      expect(() => new MemoryPageSource(new Memory(), { base })).toThrow(/base must be/);
    }
    expect(
      () => new MemoryPageSource(new Memory({ maximumBytes: 1 << 18 }), { base: 1 << 19 }),
    ).toThrow(InvalidArgumentError);
  });

  it("property: mappings never overlap, read as zero when mapped, and mappedBytes equals their total, whatever the map/unmap sequence", () => {
    type Op =
      | { kind: "map"; pages: number; alignLog: number }
      | { kind: "unmap"; pick: number; first: number; pages: number };
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({
        kind: fc.constant("map" as const),
        pages: fc.integer({ min: 1, max: 40 }),
        alignLog: fc.integer({ min: 12, max: 17 }),
      }),
      fc.record({
        kind: fc.constant("unmap" as const),
        pick: fc.nat(),
        first: fc.nat(),
        pages: fc.integer({ min: 1, max: 40 }),
      }),
    );
    fc.assert(
      fc.property(
        fc.array(op, { maxLength: 60 }),
        fc.integer({ min: 1, max: 40 }),
        (ops, basePages) => {
          // Bytes between the first page and the base belong to the memory's user: never mapped.
          const base = basePages * PAGE;
          const source = new MemoryPageSource(new Memory({ maximumBytes: 16 << 20 }), { base });
          source.memory.grow(base);
          source.memory.u8.fill(0x3c, PAGE, base);
          const owned = new Set<number>();
          for (const o of ops) {
            if (o.kind === "map") {
              const at = source.map(o.pages * PAGE, 1 << o.alignLog);
              if (at === 0) continue;
              expect(at % (1 << o.alignLog)).toBe(0);
              expect(at).toBeGreaterThanOrEqual(base);
              // Mapped pages read as zero, however they were used before; then dirty them.
              const u8 = source.memory.u8;
              expect(u8.subarray(at, at + o.pages * PAGE).every((x) => x === 0)).toBe(true);
              u8.fill(0xa5, at, at + o.pages * PAGE);
              for (let p = 0; p < o.pages; p++) {
                expect(owned.has(at + p * PAGE)).toBe(false);
                owned.add(at + p * PAGE);
              }
            } else if (owned.size > 0) {
              const pages = [...owned].sort((x, y) => x - y);
              const start = pages[o.pick % pages.length]!;
              let n = 0;
              while (n < o.pages && owned.has(start + n * PAGE)) n++;
              source.unmap(start, n * PAGE);
              for (let p = 0; p < n; p++) owned.delete(start + p * PAGE);
            }
            expect(source.mappedBytes).toBe(owned.size * PAGE);
            const total = source.mappings().reduce((sum, m) => sum + (m.end - m.start), 0);
            expect(total).toBe(owned.size * PAGE);
          }
          const u8 = source.memory.u8;
          expect(u8.subarray(0, PAGE).every((x) => x === 0)).toBe(true);
          expect(u8.subarray(PAGE, base).every((x) => x === 0x3c)).toBe(true);
        },
      ),
      { numRuns: fcRuns(300) },
    );
  });
});

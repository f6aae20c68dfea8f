import { Memory } from "@mm/heap";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PAGE_SIZE } from "../src/api.js";
import { FrameAllocator } from "../src/internal/frame-allocator.js";

describe("FrameAllocator", () => {
  it("never hands out frame 0, takes the lowest free run first and reuses released runs", () => {
    const frames = new FrameAllocator(new Memory());
    const a = frames.allocate(2 * PAGE_SIZE);
    expect(a).toBe(PAGE_SIZE);
    const b = frames.allocate(PAGE_SIZE);
    expect(b).toBe(3 * PAGE_SIZE);
    frames.release(a, 2 * PAGE_SIZE);
    expect(frames.allocate(PAGE_SIZE)).toBe(PAGE_SIZE);
    expect(frames.usedBytes).toBe(2 * PAGE_SIZE);
  });

  it("honours alignment with a skew and skips rejected starts", () => {
    const frames = new FrameAllocator(new Memory());
    const aligned = frames.allocate(PAGE_SIZE, 4 * PAGE_SIZE, PAGE_SIZE);
    expect((aligned + PAGE_SIZE) % (4 * PAGE_SIZE)).toBe(0);
    const rejected = frames.allocate(PAGE_SIZE, PAGE_SIZE, 0, (o) => o === PAGE_SIZE);
    expect(rejected).toBe(2 * PAGE_SIZE);
  });

  it("extends a run in place only when the frames after it are free", () => {
    const frames = new FrameAllocator(new Memory());
    const a = frames.allocate(PAGE_SIZE);
    expect(frames.allocateAt(a + PAGE_SIZE, PAGE_SIZE)).toBe(true);
    expect(frames.allocateAt(a + PAGE_SIZE, PAGE_SIZE)).toBe(false);
    expect(frames.allocateAt(0, PAGE_SIZE)).toBe(false);
  });

  it("releases zeroed frames and returns 0 past the Memory's maximum", () => {
    const memory = new Memory({ maximumBytes: 1 << 16 });
    const frames = new FrameAllocator(memory);
    const a = frames.allocate(PAGE_SIZE);
    memory.u8.fill(7, a, a + PAGE_SIZE);
    frames.release(a, PAGE_SIZE);
    const b = frames.allocate(PAGE_SIZE);
    expect(memory.u8.subarray(b, b + PAGE_SIZE).every((x) => x === 0)).toBe(true);
    expect(frames.allocate(1 << 16)).toBe(0);
  });

  it("property: runs in use never overlap, holes and runs tile [page, top), and usedBytes adds up", () => {
    type Op =
      | { kind: "allocate"; pages: number; alignLog: number }
      | { kind: "at"; page: number; pages: number }
      | { kind: "release"; pick: number };
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({
        kind: fc.constant("allocate" as const),
        pages: fc.integer({ min: 1, max: 8 }),
        alignLog: fc.integer({ min: 12, max: 15 }),
      }),
      fc.record({
        kind: fc.constant("at" as const),
        page: fc.integer({ min: 0, max: 64 }),
        pages: fc.integer({ min: 1, max: 8 }),
      }),
      fc.record({ kind: fc.constant("release" as const), pick: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const frames = new FrameAllocator(new Memory({ maximumBytes: 1 << 20 }));
        const runs: Array<[number, number]> = [];
        for (const o of ops) {
          if (o.kind === "allocate") {
            const at = frames.allocate(o.pages * PAGE_SIZE, 2 ** o.alignLog);
            if (at !== 0) {
              expect(at % 2 ** o.alignLog).toBe(0);
              runs.push([at, at + o.pages * PAGE_SIZE]);
            }
          } else if (o.kind === "at") {
            const at = o.page * PAGE_SIZE;
            const end = at + o.pages * PAGE_SIZE;
            const free = at >= PAGE_SIZE && runs.every(([s, e]) => end <= s || e <= at);
            expect(frames.allocateAt(at, end - at)).toBe(free && end <= 1 << 20);
            if (free && end <= 1 << 20) runs.push([at, end]);
          } else if (runs.length > 0) {
            const [s, e] = runs.splice(o.pick % runs.length, 1)[0]!;
            frames.release(s, e - s);
          }
          const sorted = [...runs].sort((x, y) => x[0] - y[0]);
          for (let i = 1; i < sorted.length; i++)
            expect(sorted[i]![0]).toBeGreaterThanOrEqual(sorted[i - 1]![1]);
          expect(frames.usedBytes).toBe(runs.reduce((sum, [s, e]) => sum + e - s, 0));
          const tiles = [
            ...sorted,
            ...frames.holes().map((h) => [h.start, h.end] as [number, number]),
          ].sort((x, y) => x[0] - y[0]);
          let cursor = PAGE_SIZE;
          for (const [s, e] of tiles) {
            expect(s).toBe(cursor);
            cursor = e;
          }
          expect(cursor).toBe(frames.top);
        }
      }),
      { numRuns: 300 },
    );
  });
});

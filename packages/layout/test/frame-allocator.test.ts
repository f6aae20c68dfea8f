import assert from "node:assert/strict";
import { InvalidArgumentError, Memory } from "@mm/heap";
import { fcRuns } from "@mm/vitest-config/fast-check";
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

  it("refuses to release frames that are not in use, changing nothing", () => {
    const memory = new Memory();
    const frames = new FrameAllocator(memory);
    const a = frames.allocate(PAGE_SIZE);
    const b = frames.allocate(PAGE_SIZE);
    frames.allocate(PAGE_SIZE);
    memory.u8.fill(7, b, b + PAGE_SIZE);
    frames.release(a, PAGE_SIZE);
    const before = { used: frames.usedBytes, top: frames.top, holes: frames.holes() };
    expect(() => frames.release(a, PAGE_SIZE)).toThrow(InvalidArgumentError);
    expect(() => frames.release(a, 2 * PAGE_SIZE)).toThrow(/are not in use/);
    expect(() => frames.release(frames.top, PAGE_SIZE)).toThrow(InvalidArgumentError);
    expect(() => frames.release(0, PAGE_SIZE)).toThrow(InvalidArgumentError);
    expect({ used: frames.usedBytes, top: frames.top, holes: frames.holes() }).toEqual(before);
    expect(memory.u8[b]).toBe(7);
  });

  it("hands out nothing below its first frame", () => {
    const frames = new FrameAllocator(new Memory(), 17 * PAGE_SIZE);
    expect(frames.top).toBe(17 * PAGE_SIZE);
    expect(frames.allocate(PAGE_SIZE)).toBe(17 * PAGE_SIZE);
    expect(frames.allocateAt(16 * PAGE_SIZE, PAGE_SIZE)).toBe(false);
    expect(() => frames.release(16 * PAGE_SIZE, PAGE_SIZE)).toThrow(/are not in use/);
  });

  it("property: runs in use never overlap, holes and runs tile [first, top), usedBytes adds up, and nothing below the first frame is touched", () => {
    const commands = [
      fc
        .tuple(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 12, max: 15 }))
        .map(([pages, alignLog]) => new AllocateCommand(pages, alignLog)),
      fc
        .tuple(fc.integer({ min: 0, max: 64 }), fc.integer({ min: 1, max: 8 }))
        .map(([page, pages]) => new AllocateAtCommand(page, pages)),
      fc.nat().map((pick) => new ReleaseCommand(pick)),
    ].map((arb) => arb.map((command) => new Tiled(command)));
    fc.assert(
      fc.property(
        fc.commands(commands, { maxCommands: 60, size: "max" }),
        fc.integer({ min: 1, max: 16 }),
        (cmds, firstPage) => {
          const first = firstPage * PAGE_SIZE;
          const memory = new Memory({ maximumBytes: LIMIT });
          memory.grow(first);
          memory.u8.fill(0x3c, PAGE_SIZE, first);
          const frames = new FrameAllocator(memory, first);
          fc.modelRun(() => ({ model: { runs: [], first }, real: frames }), cmds);
          expect(memory.u8.subarray(PAGE_SIZE, first).every((b) => b === 0x3c)).toBe(true);
        },
      ),
      { numRuns: fcRuns(1000) },
    );
  });
});

/** The model: the runs handed out, and the lowest frame the allocator hands out. */
interface Runs {
  readonly runs: Array<[number, number]>;
  readonly first: number;
}

const LIMIT = 1 << 20;

class AllocateCommand implements fc.Command<Runs, FrameAllocator> {
  constructor(
    readonly pages: number,
    readonly alignLog: number,
  ) {}
  check = () => true;
  run(model: Runs, frames: FrameAllocator): void {
    const at = frames.allocate(this.pages * PAGE_SIZE, 2 ** this.alignLog);
    if (at === 0) return;
    assert.equal(at % 2 ** this.alignLog, 0);
    model.runs.push([at, at + this.pages * PAGE_SIZE]);
  }
  toString = () => `allocate(${this.pages} pages, 2^${this.alignLog})`;
}

class AllocateAtCommand implements fc.Command<Runs, FrameAllocator> {
  constructor(
    readonly page: number,
    readonly pages: number,
  ) {}
  check = () => true;
  run(model: Runs, frames: FrameAllocator): void {
    const at = this.page * PAGE_SIZE;
    const end = at + this.pages * PAGE_SIZE;
    const free =
      at >= model.first && end <= LIMIT && model.runs.every(([s, e]) => end <= s || e <= at);
    assert.equal(frames.allocateAt(at, end - at), free);
    if (free) model.runs.push([at, end]);
  }
  toString = () => `allocateAt(page ${this.page}, ${this.pages} pages)`;
}

class ReleaseCommand implements fc.Command<Runs, FrameAllocator> {
  constructor(readonly pick: number) {}
  check = (model: Readonly<Runs>) => model.runs.length > 0;
  run(model: Runs, frames: FrameAllocator): void {
    const [start, end] = model.runs.splice(this.pick % model.runs.length, 1)[0]!;
    frames.release(start, end - start);
  }
  toString = () => `release(#${this.pick})`;
}

/** After every command: runs disjoint, runs and holes tile [page, top), usedBytes right. */
class Tiled implements fc.Command<Runs, FrameAllocator> {
  constructor(readonly inner: fc.Command<Runs, FrameAllocator>) {}
  check(model: Readonly<Runs>): boolean {
    return this.inner.check(model);
  }
  run(model: Runs, frames: FrameAllocator): void {
    this.inner.run(model, frames);
    const sorted = [...model.runs].sort((x, y) => x[0] - y[0]);
    for (let i = 1; i < sorted.length; i++) {
      assert.ok(sorted[i]![0] >= sorted[i - 1]![1], "runs in use overlap");
    }
    assert.equal(
      frames.usedBytes,
      model.runs.reduce((sum, [s, e]) => sum + e - s, 0),
    );
    const holes = frames.holes().map((h): [number, number] => [h.start, h.end]);
    let cursor = model.first;
    for (const [s, e] of [...sorted, ...holes].sort((x, y) => x[0] - y[0])) {
      assert.equal(s, cursor, "runs and holes tile the frames below top");
      cursor = e;
    }
    assert.equal(cursor, frames.top);
    const highest = sorted.length > 0 ? sorted[sorted.length - 1]![1] : model.first;
    assert.equal(frames.top, highest, "top comes down to the end of the highest run in use");
  }
  toString(): string {
    return this.inner.toString();
  }
}

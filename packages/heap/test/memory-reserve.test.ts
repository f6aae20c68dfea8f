import { fcRuns } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  InvalidArgumentError,
  MEMORY_GRANULE,
  Memory,
  type MemoryBacking,
  MemoryPageSource,
} from "../src/index.js";

const backings: MemoryBacking[] = ["array-buffer", "shared-array-buffer", "wasm-memory"];
const MAXIMUM = 1 << 22;

/** The plain model: how long the memory is and what was written where. */
interface Model {
  byteLength: number;
  readonly bytes: Map<number, number>;
}

/** A reserved memory, and an unreserved one of the same backing driven beside it. */
interface Real {
  readonly reserved: Memory;
  readonly growing: Memory;
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
}

function checkViews(memory: Memory, length: number): void {
  expect(memory.byteLength).toBe(length);
  expect(memory.u8.length).toBe(length);
  expect(memory.u32.length).toBe(length >>> 2);
  expect(memory.i32.length).toBe(length >>> 2);
  expect(memory.f64.length).toBe(length >>> 3);
  expect(memory.view.byteLength).toBe(length);
}

class Grow implements fc.Command<Model, Real> {
  constructor(readonly minBytes: number) {}
  check(): boolean {
    return true;
  }
  run(model: Model, real: Real): void {
    const fits = this.minBytes <= MAXIMUM;
    const expected = !fits
      ? model.byteLength
      : this.minBytes <= model.byteLength
        ? model.byteLength
        : Math.min(
            MAXIMUM,
            Math.max(
              Math.ceil(this.minBytes / MEMORY_GRANULE) * MEMORY_GRANULE,
              model.byteLength * 2,
            ),
          );
    expect(real.reserved.grow(this.minBytes)).toBe(fits);
    expect(real.growing.grow(this.minBytes)).toBe(fits);
    model.byteLength = expected;
    checkViews(real.reserved, expected);
    checkViews(real.growing, expected);
    // The reserved store is never replaced, resized or detached.
    expect(real.reserved.buffer).toBe(real.buffer);
    // A WebAssembly.Memory keeps an eighth more for its side tables (Memory.addSideTable).
    expect(real.buffer.byteLength).toBe(
      real.reserved.backing === "wasm-memory" ? MAXIMUM + MAXIMUM / 8 : MAXIMUM,
    );
  }
  toString(): string {
    return `grow(${this.minBytes})`;
  }
}

class Write implements fc.Command<Model, Real> {
  constructor(
    readonly at: number,
    readonly value: number,
  ) {}
  check(model: Readonly<Model>): boolean {
    return this.at < model.byteLength;
  }
  run(model: Model, real: Real): void {
    real.reserved.u8[this.at] = this.value;
    real.growing.u8[this.at] = this.value;
    model.bytes.set(this.at, this.value);
  }
  toString(): string {
    return `u8[${this.at}] = ${this.value}`;
  }
}

class Read implements fc.Command<Model, Real> {
  constructor(readonly at: number) {}
  check(): boolean {
    return true;
  }
  run(model: Model, real: Real): void {
    const expected = this.at < model.byteLength ? (model.bytes.get(this.at) ?? 0) : undefined;
    expect(real.reserved.u8[this.at]).toBe(expected);
    expect(real.growing.u8[this.at]).toBe(expected);
    if (this.at + 8 <= model.byteLength) {
      expect(real.reserved.view.getFloat64(this.at, true)).toBe(
        real.growing.view.getFloat64(this.at, true),
      );
    }
  }
  toString(): string {
    return `u8[${this.at}]`;
  }
}

describe("Memory reserve", () => {
  it.each(backings)(
    "%s: a reserved memory behaves as a growing one and never replaces its store",
    (backing) => {
      const address = fc.nat({ max: MAXIMUM + MEMORY_GRANULE });
      const commands = fc.commands(
        [
          fc.nat({ max: MAXIMUM + 2 * MEMORY_GRANULE }).map((n) => new Grow(n)),
          fc.tuple(address, fc.nat({ max: 255 })).map(([at, v]) => new Write(at, v)),
          address.map((at) => new Read(at)),
        ],
        { maxCommands: 40 },
      );
      fc.assert(
        fc.property(commands, (cmds) => {
          const reserved = new Memory({ backing, maximumBytes: MAXIMUM, reserve: true });
          const growing = new Memory({ backing, maximumBytes: MAXIMUM });
          checkViews(reserved, MEMORY_GRANULE);
          const model: Model = { byteLength: MEMORY_GRANULE, bytes: new Map() };
          fc.modelRun(
            () => ({ model, real: { reserved, growing, buffer: reserved.buffer } }),
            cmds,
          );
        }),
        { numRuns: fcRuns(60) },
      );
    },
  );

  it("keeps a WebAssembly.Memory's buffer through growth and calls the growth listeners", () => {
    const memory = new Memory({ maximumBytes: 1 << 24, reserve: true });
    expect(memory.reserved).toBe(true);
    const buffer = memory.buffer;
    expect(memory.wasmMemory?.buffer).toBe(buffer);
    const seen: number[] = [];
    memory.onGrow((m) => seen.push(m.byteLength));
    const before = memory.u32;
    memory.u32[10] = 99;
    expect(memory.grow(3 << 20)).toBe(true);
    expect(seen).toEqual([3 << 20]);
    expect(memory.u32).not.toBe(before);
    // The old views still read the same store: nothing was detached.
    expect(before.length).toBe(MEMORY_GRANULE >>> 2);
    expect(before[10]).toBe(99);
    expect(memory.buffer).toBe(buffer);
    expect(memory.refresh()).toBe(false);
  });

  it("hands out fresh pages through a page source as zero", () => {
    const memory = new Memory({ maximumBytes: 1 << 24, reserve: true });
    const pages = new MemoryPageSource(memory);
    const at = pages.map(1 << 20);
    expect(at).toBeGreaterThan(0);
    expect(memory.byteLength).toBeGreaterThanOrEqual(at + (1 << 20));
    expect(memory.u8.subarray(at, at + (1 << 20)).every((b) => b === 0)).toBe(true);
  });

  it("refuses reserve with adopt, and a reserve that is not a boolean", () => {
    const store = new ArrayBuffer(MEMORY_GRANULE);
    expect(() => new Memory({ adopt: store, reserve: true })).toThrow(InvalidArgumentError);
    expect(() => new Memory({ adopt: store, reserve: true })).toThrow(
      /reserve cannot be given with adopt/,
    );
    expect(() => new Memory({ reserve: 1 as unknown as boolean })).toThrow(
      /reserve must be a boolean, got number 1/,
    );
    expect(new Memory({ adopt: store, reserve: false }).reserved).toBe(false);
  });
});

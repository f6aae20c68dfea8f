// Side tables (Memory.addSideTable, as AddressBitmap uses it): kept in the memory's storage
// above its heap part and moved up as it grows, so that the heap part reads exactly as a memory
// without tables would, and every table keeps its bits.
import { fcRuns } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AddressBitmap, MEMORY_GRANULE, Memory, MemoryPageSource } from "../src/index.js";

const MAXIMUM = 1 << 22;

/** The plain model: the heap part's length and bytes, and each bitmap's set granules. */
interface Model {
  byteLength: number;
  readonly bytes: Map<number, number>;
  readonly bits: Array<Set<number>>;
}

interface Real {
  /** With side tables. */
  readonly memory: Memory;
  /** Without: the same operations on an array-buffer memory, whose bitmaps are plain arrays. */
  readonly plain: Memory;
  readonly bitmaps: AddressBitmap[];
  readonly plainBitmaps: AddressBitmap[];
}

function check(model: Model, real: Real): void {
  const { memory, plain } = real;
  expect(memory.byteLength).toBe(model.byteLength);
  expect(plain.byteLength).toBe(model.byteLength);
  expect(memory.u8.length).toBe(model.byteLength);
  // The heap part holds what was written and zero elsewhere, the tables' old places included.
  const expected = new Uint8Array(model.byteLength);
  for (const [at, value] of model.bytes) if (at < model.byteLength) expected[at] = value;
  expect(Buffer.from(memory.u8).equals(Buffer.from(expected))).toBe(true);
  let previousEnd = memory.byteLength;
  real.bitmaps.forEach((bitmap, i) => {
    expect(bitmap.inMemory).toBe(true);
    expect(real.plainBitmaps[i]!.inMemory).toBe(false);
    // Tables sit above the heap part, in order, without overlapping.
    expect(bitmap.byteOffset).toBeGreaterThanOrEqual(previousEnd);
    previousEnd = bitmap.byteOffset + bitmap.words.byteLength;
    expect(bitmap.words.buffer).toBe(memory.buffer);
    expect(bitmap.words.length).toBeGreaterThanOrEqual(real.plainBitmaps[i]!.words.length);
    const g = bitmap.granuleLog2;
    const set = new Set<number>();
    for (let w = 0; w < bitmap.words.length; w++) {
      let word = bitmap.words[w]!;
      while (word !== 0) {
        const bit = 31 - Math.clz32(word & -word);
        word &= word - 1;
        set.add(((w << 5) + bit) * 2 ** g);
      }
    }
    expect([...set].sort((a, b) => a - b)).toEqual([...model.bits[i]!].sort((a, b) => a - b));
    expect(bitmap.count(0, model.byteLength)).toBe(model.bits[i]!.size);
  });
  expect(previousEnd).toBeLessThanOrEqual(memory.buffer.byteLength);
}

class Grow implements fc.Command<Model, Real> {
  constructor(readonly minBytes: number) {}
  check(): boolean {
    return true;
  }
  run(model: Model, real: Real): void {
    const fits = this.minBytes <= MAXIMUM;
    expect(real.memory.grow(this.minBytes)).toBe(fits);
    expect(real.plain.grow(this.minBytes)).toBe(fits);
    if (fits && this.minBytes > model.byteLength) {
      model.byteLength = Math.min(
        MAXIMUM,
        Math.max(Math.ceil(this.minBytes / MEMORY_GRANULE) * MEMORY_GRANULE, model.byteLength * 2),
      );
    }
    check(model, real);
  }
  toString(): string {
    return `grow(${this.minBytes})`;
  }
}

class AddTable implements fc.Command<Model, Real> {
  constructor(readonly granuleLog2: number) {}
  check(): boolean {
    return true;
  }
  run(model: Model, real: Real): void {
    real.bitmaps.push(new AddressBitmap(real.memory, this.granuleLog2));
    real.plainBitmaps.push(new AddressBitmap(real.plain, this.granuleLog2));
    model.bits.push(new Set());
    check(model, real);
  }
  toString(): string {
    return `table(${this.granuleLog2})`;
  }
}

class SetBit implements fc.Command<Model, Real> {
  constructor(
    readonly table: number,
    readonly at: number,
    readonly value: boolean,
  ) {}
  check(model: Model): boolean {
    return model.bits.length > 0;
  }
  run(model: Model, real: Real): void {
    const i = this.table % model.bits.length;
    const bitmap = real.bitmaps[i]!;
    const g = bitmap.granuleLog2;
    const address = Math.floor((this.at % model.byteLength) / 2 ** g) * 2 ** g;
    if (this.value) {
      bitmap.set(address);
      model.bits[i]!.add(address);
    } else {
      bitmap.clear(address);
      model.bits[i]!.delete(address);
    }
    expect(bitmap.get(address)).toBe(this.value);
  }
  toString(): string {
    return `${this.value ? "set" : "clear"}(${this.table}, ${this.at})`;
  }
}

class Write implements fc.Command<Model, Real> {
  constructor(
    readonly at: number,
    readonly value: number,
  ) {}
  check(): boolean {
    return true;
  }
  run(model: Model, real: Real): void {
    const at = this.at % model.byteLength;
    real.memory.u8[at] = this.value;
    model.bytes.set(at, this.value);
  }
  toString(): string {
    return `write(${this.at}, ${this.value})`;
  }
}

describe("side tables", () => {
  for (const reserve of [false, true]) {
    it(`${reserve ? "reserved" : "growing"}: the heap part reads as without tables, and every table keeps its bits through growth`, () => {
      const commands = [
        fc.integer({ min: 1, max: MAXIMUM + MEMORY_GRANULE }).map((n) => new Grow(n)),
        fc.integer({ min: 1, max: 1 << 20 }).map((n) => new Grow(n)),
        fc.integer({ min: 3, max: 12 }).map((g) => new AddTable(g)),
        fc
          .tuple(fc.nat(), fc.nat({ max: MAXIMUM - 1 }), fc.boolean())
          .map(([t, at, v]) => new SetBit(t, at, v)),
        fc
          .tuple(fc.nat({ max: MAXIMUM - 1 }), fc.integer({ min: 1, max: 255 }))
          .map(([at, v]) => new Write(at, v)),
      ];
      fc.assert(
        fc.property(fc.commands(commands, { maxCommands: 40 }), (cmds) => {
          const memory = new Memory({ maximumBytes: MAXIMUM, reserve });
          const plain = new Memory({ backing: "array-buffer", maximumBytes: MAXIMUM });
          fc.modelRun(
            () => ({
              model: { byteLength: MEMORY_GRANULE, bytes: new Map(), bits: [] },
              real: { memory, plain, bitmaps: [], plainBitmaps: [] },
            }),
            cmds,
          );
        }),
        { numRuns: fcRuns(40) },
      );
    });
  }

  it("keeps the tables out of every page a page source maps, and mapped pages zero", () => {
    const memory = new Memory({ maximumBytes: 1 << 24 });
    const pages = new MemoryPageSource(memory);
    const bitmap = new AddressBitmap(memory, 4);
    const mapped: number[] = [];
    for (let i = 0; i < 40; i++) {
      const at = pages.map(1 << 18);
      expect(at).toBeGreaterThan(0);
      expect(memory.u8.subarray(at, at + (1 << 18)).every((b) => b === 0)).toBe(true);
      expect(bitmap.byteOffset).toBeGreaterThanOrEqual(at + (1 << 18));
      bitmap.set(at);
      mapped.push(at);
      memory.u8.fill(7, at, at + (1 << 18));
    }
    expect(mapped.every((at) => bitmap.get(at))).toBe(true);
    expect(bitmap.count(0, memory.byteLength)).toBe(40);
  });

  it("is not offered by adopted storage or other backings, whose bitmaps stay plain arrays", () => {
    const adopted = new Memory({
      adopt: new (
        globalThis as unknown as { WebAssembly: { Memory: new (d: object) => never } }
      ).WebAssembly.Memory({
        initial: 1,
        maximum: 4,
      }),
    });
    expect(new AddressBitmap(adopted, 4).inMemory).toBe(false);
    expect(new AddressBitmap(new Memory({ backing: "shared-array-buffer" }), 4).inMemory).toBe(
      false,
    );
    expect(new AddressBitmap(adopted, 4).byteOffset).toBe(-1);
  });

  it("grows the heap part as far as its tables leave room, in one step, when they outgrow their room", () => {
    const maximum = MEMORY_GRANULE * 64;
    const memory = new Memory({ maximumBytes: maximum });
    // Fifteen tables of a bit per 8 bytes fit while the heap part is small; at the maximum they
    // would need 15/64 of it, past the eighth kept for them.
    const bitmaps = Array.from({ length: 15 }, () => new AddressBitmap(memory, 3));
    expect(bitmaps.every((b) => b.inMemory)).toBe(true);
    const pages = new MemoryPageSource(memory);
    const store = memory.buffer.byteLength;
    let mapped = 0;
    const moves: number[] = [];
    memory.onGrow((m) => moves.push(m.byteLength));
    while (pages.map(MEMORY_GRANULE) !== 0) mapped++;
    const storage = memory.buffer.byteLength;
    expect(storage).toBeGreaterThan(store);
    // All the storage's bytes are heap part or tables, to within a granule of rounding.
    const tables = bitmaps.reduce((n, b) => n + b.words.byteLength, 0);
    expect(memory.byteLength + tables).toBeLessThanOrEqual(maximum + maximum / 8);
    expect(memory.byteLength + tables + MEMORY_GRANULE).toBeGreaterThan(maximum + maximum / 8);
    expect(memory.byteLength).toBeLessThan(maximum);
    // Every page of the heap part but the NULL page's granule was mapped, and the last growth
    // went straight to the largest heap part rather than a granule at a time.
    expect(mapped).toBe(memory.byteLength / MEMORY_GRANULE - 1);
    expect(moves.length).toBeLessThanOrEqual(6);
    expect(memory.grow(memory.byteLength + 1)).toBe(false);
    for (const b of bitmaps) b.set(memory.byteLength - 16);
    expect(bitmaps.every((b) => b.get(memory.byteLength - 16))).toBe(true);
  });

  it("falls back to a plain array when the room for tables is used up", () => {
    const memory = new Memory({
      maximumBytes: MEMORY_GRANULE * 64,
      initialBytes: MEMORY_GRANULE * 64,
    });
    // The room is an eighth of the maximum, 512 KiB: 7 of these bitmaps' 64 KiB + 8 bytes.
    const bitmaps = Array.from({ length: 20 }, () => new AddressBitmap(memory, 3));
    const inMemory = bitmaps.filter((b) => b.inMemory).length;
    expect(inMemory).toBe(7);
    expect(bitmaps.slice(inMemory).every((b) => !b.inMemory)).toBe(true);
    for (const b of bitmaps) b.set(MEMORY_GRANULE * 63);
    expect(bitmaps.every((b) => b.get(MEMORY_GRANULE * 63))).toBe(true);
  });
});

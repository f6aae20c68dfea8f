import assert from "node:assert/strict";
import { FreeStore, InvalidAddressError, InvalidArgumentError, Memory } from "@mm/heap";
import { allocatorModelProperty } from "@mm/testkit";
import { fcRuns } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PAGE_SIZE, Process } from "../src/index.js";

const smallMemory = () => new Memory({ maximumBytes: 48 << 20 });

describe("the mmap page source", () => {
  it("maps chunks top-down from mmap_base, zeroed, aligned in both address spaces", () => {
    const p = new Process();
    const source = p.mmapPageSource;
    const first = source.map(1 << 20);
    expect(p.virtualAddressOf(first)).toBe(p.mmapBase - (1 << 20));
    const second = source.map(1 << 20, 1 << 20);
    expect(second % (1 << 20)).toBe(0);
    expect(p.virtualAddressOf(second) % (1 << 20)).toBe(0);
    expect(p.virtualAddressOf(second)).toBeLessThan(p.virtualAddressOf(first));
    expect(source.chunks().map((c) => c.offset)).toEqual([first, second]);
    expect(p.memory.u8.subarray(second, second + (1 << 20)).every((b) => b === 0)).toBe(true);
    expect(source.mappedBytes).toBe(2 << 20);
    source.unmap(first + PAGE_SIZE, PAGE_SIZE);
    expect(source.mappedBytes).toBe((2 << 20) - PAGE_SIZE);
    p.verify();
  });

  it("refuses a misaligned or foreign unmap with @mm/heap's InvalidAddressError", () => {
    const p = new Process();
    const chunk = p.mmapPageSource.map(2 * PAGE_SIZE);
    expect(() => p.mmapPageSource.unmap(chunk + 8, PAGE_SIZE)).toThrow(InvalidAddressError);
    expect(() => p.mmapPageSource.unmap(p.offsetOf(p.stackStart), PAGE_SIZE)).toThrow(
      /not wholly mapped/,
    );
    expect(() => p.mmapPageSource.map(PAGE_SIZE, 3000)).toThrow(InvalidArgumentError);
    expect(() => p.mmapPageSource.map(-1)).toThrow(InvalidArgumentError);
    p.verify();
  });

  it("a free store runs over it as a pool allocator's arenas would (model property)", () => {
    fc.assert(
      allocatorModelProperty(
        () => new FreeStore(new Process({}, { memory: smallMemory() }).mmapPageSource),
      ),
      { numRuns: fcRuns(1000) },
    );
  });

  it("the same, with page-sized regions and an eager trim, so chunks come and go all the time", () => {
    fc.assert(
      allocatorModelProperty(
        () =>
          new FreeStore(new Process({}, { memory: smallMemory() }).mmapPageSource, {
            regionBytes: PAGE_SIZE,
            trimThreshold: PAGE_SIZE,
          }),
      ),
      { numRuns: fcRuns(1000) },
    );
  });
});

describe("the brk page source and the free store over it", () => {
  it("maps by moving the break, so malloc's blocks live in [heap]", () => {
    const p = new Process();
    const a = p.malloc(100);
    expect(a % 16).toBe(0);
    expect(a).toBeGreaterThanOrEqual(p.heapStart);
    expect(a).toBeLessThan(p.programBreak);
    expect(p.programBreak).toBe(p.heapStart + 256 * 1024);
    expect(p.mappings().find((e) => e.path === "[heap]")).toMatchObject({
      start: p.heapStart,
      end: p.programBreak,
    });
    p.free(a);
    expect(p.programBreak).toBe(p.heapStart);
    p.verify();
  });

  it("keeps pages given back in the middle of the heap and reuses them before growing", () => {
    const p = new Process();
    const source = p.brkPageSource;
    const a = source.map(2 * PAGE_SIZE);
    const b = source.map(PAGE_SIZE);
    expect(b).toBe(a + 2 * PAGE_SIZE);
    const top = p.programBreak;
    p.memory.u8.fill(5, a, a + 2 * PAGE_SIZE);
    source.unmap(a, 2 * PAGE_SIZE);
    expect(p.programBreak).toBe(top);
    expect(source.holes()).toEqual([
      { start: p.heapStart, end: p.heapStart + 2 * PAGE_SIZE, offset: a },
    ]);
    expect(p.memory.u8.subarray(a, a + 2 * PAGE_SIZE).every((x) => x === 0)).toBe(true);
    expect(source.map(PAGE_SIZE)).toBe(a);
    expect(() => source.unmap(a + PAGE_SIZE, PAGE_SIZE)).toThrow(/already given back/);
    // The top page goes, and with it the hole below that is now at the top.
    source.unmap(b, PAGE_SIZE);
    expect(p.programBreak).toBe(p.heapStart + PAGE_SIZE);
    source.unmap(a, PAGE_SIZE);
    expect(p.programBreak).toBe(p.heapStart);
    expect(source.mappedBytes).toBe(0);
    p.verify();
  });

  it("never reuses a hole whose first frame follows another chunk's last one, which the free store would merge", () => {
    const eager = { regionBytes: PAGE_SIZE, trimThreshold: PAGE_SIZE };
    const p = new Process({}, { memory: smallMemory(), freeStore: eager });
    const arenas = new FreeStore(p.mmapPageSource, eager);
    const arena = arenas.malloc(24_045);
    const first = p.freeStore.malloc(1);
    p.sbrk(PAGE_SIZE);
    p.freeStore.free(first); // its page becomes a hole below the program's own page
    p.freeStore.malloc(4141);
    arenas.free(arena); // the arena's frames, just below the hole's, are free again
    p.sbrk(PAGE_SIZE);
    p.freeStore.malloc(20_541); // a new chunk takes them: it ends where the hole begins
    const block = p.malloc(4001);
    p.writeBytes(block, new Uint8Array(4001).fill(1));
    expect(p.offsetOf(block + 4000)).toBe(p.offsetOf(block) + 4000);
    p.verify();
  });

  it("returns 0 when the break cannot grow", () => {
    const p = new Process({}, { memory: new Memory({ maximumBytes: 1 << 20 }) });
    expect(p.brkPageSource.map(2 << 20)).toBe(0);
    expect(p.malloc(2 << 20)).toBe(0);
    p.verify();
  });

  it("a free store runs over it as malloc does over sbrk (model property)", () => {
    fc.assert(
      allocatorModelProperty(() => new Process({}, { memory: smallMemory() }).freeStore),
      {
        numRuns: fcRuns(1000),
      },
    );
  });

  it("the same, with page-sized regions and an eager trim", () => {
    fc.assert(
      allocatorModelProperty(
        () =>
          new Process(
            {},
            {
              memory: smallMemory(),
              freeStore: { regionBytes: PAGE_SIZE, trimThreshold: PAGE_SIZE },
            },
          ).freeStore,
      ),
      { numRuns: fcRuns(1000) },
    );
  });

  it("calloc returns zeros, read through checked virtual accesses, even over reused memory", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 1, max: 255 })), {
          maxLength: 12,
        }),
        fc.integer({ min: 0, max: 64 }),
        fc.integer({ min: 1, max: 300 }),
        (dirty, count, size) => {
          const p = new Process({}, { memory: smallMemory() });
          const blocks = dirty.map(([bytes, fill]) => {
            const at = p.malloc(bytes);
            p.writeBytes(at, new Uint8Array(bytes).fill(fill));
            return at;
          });
          for (const at of blocks.filter((_, i) => i % 2 === 0)) p.free(at);
          const zeroed = p.calloc(count, size);
          expect(zeroed).not.toBe(0);
          expect(p.readBytes(zeroed, count * size).every((b) => b === 0)).toBe(true);
          p.verify();
        },
      ),
      { numRuns: fcRuns(1000) },
    );
  });

  it("free and realloc of a bad virtual address are typed errors naming it, and change nothing", () => {
    const p = new Process();
    const keep = p.malloc(64);
    const a = p.malloc(64);
    p.free(a);
    let error: unknown;
    try {
      p.free(a);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({
      code: "ERR_MM_DOUBLE_FREE",
      operation: "free",
      address: a,
      reason: "freed",
    });
    expect(p.readU8(keep)).toBe(0);
    expect(() => p.free(p.rsp)).toThrow(/not in the free store's part of the heap/);
    const b = p.malloc(64);
    expect(() => p.realloc(b + 16, 10)).toThrow(/points inside a block/);
    expect(p.realloc(0, 10)).not.toBe(0);
    p.verify();
  });
});

/** Live blocks of the two free stores, by the store that holds them. */
interface Blocks {
  readonly live: Array<{ store: "brk" | "mmap"; offset: number; size: number; byte: number }>;
  nextByte: number;
}

interface TwoStores {
  readonly p: Process;
  readonly brk: FreeStore;
  readonly mmap: FreeStore;
}

class MallocCommand implements fc.Command<Blocks, TwoStores> {
  constructor(
    readonly store: "brk" | "mmap",
    readonly size: number,
  ) {}
  check = () => true;
  run(model: Blocks, real: TwoStores): void {
    const offset = real[this.store].malloc(this.size);
    if (offset === 0) return;
    model.nextByte = (model.nextByte % 250) + 1;
    real.p.writeBytes(
      real.p.virtualAddressOf(offset),
      new Uint8Array(this.size).fill(model.nextByte),
    );
    model.live.push({ store: this.store, offset, size: this.size, byte: model.nextByte });
  }
  toString = () => `${this.store}.malloc(${this.size})`;
}

class FreeCommand implements fc.Command<Blocks, TwoStores> {
  constructor(readonly pick: number) {}
  check = (model: Readonly<Blocks>) => model.live.length > 0;
  run(model: Blocks, real: TwoStores): void {
    const block = model.live.splice(this.pick % model.live.length, 1)[0]!;
    real[block.store].free(block.offset);
  }
  toString = () => `free(#${this.pick})`;
}

class SbrkCommand implements fc.Command<Blocks, TwoStores> {
  constructor(readonly pages: number) {}
  check = () => true;
  run(_model: Blocks, real: TwoStores): void {
    real.p.sbrk(this.pages * PAGE_SIZE);
  }
  toString = () => `sbrk(${this.pages} pages)`;
}

class MmapCommand implements fc.Command<Blocks, TwoStores> {
  constructor(readonly pages: number) {}
  check = () => true;
  run(_model: Blocks, real: TwoStores): void {
    real.p.mmap(this.pages * PAGE_SIZE);
  }
  toString = () => `mmap(${this.pages} pages)`;
}

/** After every command: every live block is contiguous in both spaces and holds its bytes. */
class Contiguous implements fc.Command<Blocks, TwoStores> {
  constructor(readonly inner: fc.Command<Blocks, TwoStores>) {}
  check(model: Readonly<Blocks>): boolean {
    return this.inner.check(model);
  }
  run(model: Blocks, real: TwoStores): void {
    this.inner.run(model, real);
    for (const block of model.live) {
      const address = real.p.virtualAddressOf(block.offset);
      const last = block.size - 1;
      assert.equal(
        real.p.offsetOf(address + last),
        block.offset + last,
        "a block spans two mappings",
      );
      for (const at of [0, last >>> 1, last]) assert.equal(real.p.readU8(address + at), block.byte);
    }
    real.p.verify();
    real.mmap.verify();
  }
  toString(): string {
    return this.inner.toString();
  }
}

describe("both page sources in one process", () => {
  it("property: with brk and mmap allocations, sbrk and mmap calls interleaved, every block is contiguous in both address spaces", () => {
    const size = fc.integer({ min: 1, max: 40_000 });
    const commands = [
      fc
        .tuple(fc.constantFrom<"brk" | "mmap">("brk", "mmap"), size)
        .map(([store, n]) => new MallocCommand(store, n)),
      fc.nat().map((pick) => new FreeCommand(pick)),
      fc.integer({ min: 1, max: 3 }).map((pages) => new SbrkCommand(pages)),
      fc.integer({ min: 1, max: 3 }).map((pages) => new MmapCommand(pages)),
    ].map((arb) => arb.map((command) => new Contiguous(command)));
    fc.assert(
      fc.property(fc.commands(commands, { maxCommands: 25, size: "max" }), (cmds) => {
        const eager = { regionBytes: PAGE_SIZE, trimThreshold: PAGE_SIZE };
        const p = new Process({}, { memory: smallMemory(), freeStore: eager });
        const real = { p, brk: p.freeStore, mmap: new FreeStore(p.mmapPageSource, eager) };
        fc.modelRun(() => ({ model: { live: [], nextByte: 0 }, real }), cmds);
      }),
      { numRuns: fcRuns(1000) },
    );
  });
});

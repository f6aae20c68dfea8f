// A model-based property test of the Allocator contract (DESIGN.md §2): random malloc, calloc,
// realloc and free against a plain Map of live blocks. Every allocator of the workspace runs it.

import assert from "node:assert/strict";
import type { Allocator, AllocatorStats } from "@mm/heap";
import fc from "fast-check";

/** A live block in the model: its requested size and the byte it was filled with. */
interface ModelBlock {
  size: number;
  byte: number;
}

/** The model: live blocks by address, and the next fill byte. */
interface Model {
  readonly blocks: Map<number, ModelBlock>;
  nextByte: number;
}

/** What the commands act on: the allocator under test. */
interface Real {
  readonly allocator: Allocator;
}

/** Options of {@link allocatorModelProperty}. */
export interface AllocatorModelOptions {
  /** Arbitrary of request sizes. @defaultValue sizes from 0 to 1 MiB, mostly small */
  readonly sizes?: fc.Arbitrary<number>;
  /** Longest command sequence. @defaultValue `40` */
  readonly maxCommands?: number;
  /** Called before the final comparison of stats, e.g. to flush a quarantine. */
  readonly drain?: (allocator: Allocator) => void;
  /** Extra checks after every command, e.g. the pool allocator's own invariants. */
  readonly afterEach?: (allocator: Allocator) => void;
}

/** Sizes from 0 to 1 MiB: mostly small, some medium, a few large. */
export const mixedSizes: fc.Arbitrary<number> = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 512 }) },
  { weight: 3, arbitrary: fc.integer({ min: 513, max: 16 * 1024 }) },
  { weight: 1, arbitrary: fc.integer({ min: 16 * 1024 + 1, max: 1 << 20 }) },
);

/** Offsets checked in a block of `size` bytes: both ends and a stride through the middle. */
function probes(size: number): number[] {
  if (size <= 128) return Array.from({ length: size }, (_, i) => i);
  const out: number[] = [];
  for (let i = 0; i < 64; i++) out.push(i, size - 1 - i);
  for (let i = 64; i < size - 64; i += 997) out.push(i);
  return out;
}

function fill(a: Allocator, address: number, block: ModelBlock): void {
  a.memory.u8.fill(block.byte, address, address + block.size);
}

function checkFill(a: Allocator, address: number, block: ModelBlock, upTo = block.size): void {
  const u8 = a.memory.u8;
  for (const i of probes(upTo)) {
    if (u8[address + i] !== block.byte) {
      assert.fail(
        `byte ${i} of the ${block.size}-byte block at ${address} reads ${u8[address + i]}, wrote ${block.byte}`,
      );
    }
  }
}

/** A newly returned block must be aligned, inside memory and clear of every live block. */
function checkPlacement(a: Allocator, model: Model, address: number, size: number): void {
  assert.equal(address % 16, 0, `address ${address} is not 16-byte aligned`);
  assert.ok(
    address > 0 && address + size <= a.memory.byteLength,
    `block ${address}+${size} is outside memory`,
  );
  const usable = a.usableSize(address);
  assert.ok(usable >= size, `usableSize ${usable} < requested ${size}`);
  for (const [other, block] of model.blocks) {
    if (other === address) continue;
    const otherEnd = other + Math.max(block.size, 1);
    assert.ok(
      address + Math.max(size, 1) <= other || otherEnd <= address,
      `block ${address}+${size} overlaps live block ${other}+${block.size}`,
    );
  }
}

function nextByte(model: Model): number {
  model.nextByte = (model.nextByte % 250) + 1;
  return model.nextByte;
}

class MallocCommand implements fc.Command<Model, Real> {
  constructor(readonly size: number) {}
  check(): boolean {
    return true;
  }
  run(model: Model, real: Real): void {
    const a = real.allocator;
    const address = a.malloc(this.size);
    if (address === 0) return;
    checkPlacement(a, model, address, this.size);
    const block = { size: this.size, byte: nextByte(model) };
    fill(a, address, block);
    model.blocks.set(address, block);
  }
  toString(): string {
    return `malloc(${this.size})`;
  }
}

class CallocCommand implements fc.Command<Model, Real> {
  constructor(
    readonly count: number,
    readonly size: number,
  ) {}
  check(): boolean {
    return true;
  }
  run(model: Model, real: Real): void {
    const a = real.allocator;
    const total = this.count * this.size;
    const address = a.calloc(this.count, this.size);
    if (address === 0) return;
    checkPlacement(a, model, address, total);
    const u8 = a.memory.u8;
    for (let i = 0; i < total; i++) {
      if (u8[address + i] !== 0) assert.fail(`calloc byte ${i} of ${total} is ${u8[address + i]}`);
    }
    const block = { size: total, byte: nextByte(model) };
    fill(a, address, block);
    model.blocks.set(address, block);
  }
  toString(): string {
    return `calloc(${this.count}, ${this.size})`;
  }
}

class ReallocCommand implements fc.Command<Model, Real> {
  constructor(
    readonly pick: number,
    readonly size: number,
  ) {}
  check(model: Readonly<Model>): boolean {
    return model.blocks.size > 0;
  }
  run(model: Model, real: Real): void {
    const a = real.allocator;
    const [address, old] = [...model.blocks][this.pick % model.blocks.size]!;
    const moved = a.realloc(address, this.size);
    if (moved === 0) {
      checkFill(a, address, old);
      return;
    }
    model.blocks.delete(address);
    checkPlacement(a, model, moved, this.size);
    checkFill(a, moved, old, Math.min(old.size, this.size));
    const block = { size: this.size, byte: nextByte(model) };
    fill(a, moved, block);
    model.blocks.set(moved, block);
  }
  toString(): string {
    return `realloc(#${this.pick}, ${this.size})`;
  }
}

class FreeCommand implements fc.Command<Model, Real> {
  constructor(readonly pick: number) {}
  check(model: Readonly<Model>): boolean {
    return model.blocks.size > 0;
  }
  run(model: Model, real: Real): void {
    const a = real.allocator;
    const [address, block] = [...model.blocks][this.pick % model.blocks.size]!;
    checkFill(a, address, block);
    a.free(address);
    model.blocks.delete(address);
  }
  toString(): string {
    return `free(#${this.pick})`;
  }
}

/** Wraps a command so that the allocator's invariants are checked after it. */
class Checked implements fc.Command<Model, Real> {
  constructor(
    readonly inner: fc.Command<Model, Real>,
    readonly afterEach: ((a: Allocator) => void) | undefined,
  ) {}
  check(model: Readonly<Model>): boolean {
    return this.inner.check(model);
  }
  run(model: Model, real: Real): void {
    this.inner.run(model, real);
    real.allocator.verify();
    this.afterEach?.(real.allocator);
    assert.equal(real.allocator.stats().liveBlocks, model.blocks.size, "stats().liveBlocks");
    for (const [address, block] of model.blocks) {
      assert.ok(real.allocator.usableSize(address) >= block.size);
    }
  }
  toString(): string {
    return this.inner.toString();
  }
}

/** The commands over `sizes`, each followed by `verify()` and the stats check. */
export function allocatorCommands(
  options: AllocatorModelOptions = {},
): fc.Arbitrary<Iterable<fc.Command<Model, Real>>> {
  const sizes = options.sizes ?? mixedSizes;
  const wrap = (arb: fc.Arbitrary<fc.Command<Model, Real>>) =>
    arb.map((c) => new Checked(c, options.afterEach));
  return fc.commands(
    [
      wrap(sizes.map((s) => new MallocCommand(s))),
      wrap(
        fc
          .tuple(fc.integer({ min: 0, max: 64 }), fc.integer({ min: 0, max: 256 }))
          .map(([n, s]) => new CallocCommand(n, s)),
      ),
      wrap(fc.tuple(fc.nat(), sizes).map(([p, s]) => new ReallocCommand(p, s))),
      wrap(fc.nat().map((p) => new FreeCommand(p))),
      wrap(fc.nat().map((p) => new FreeCommand(p))),
    ],
    { maxCommands: options.maxCommands ?? 40, size: "max" },
  );
}

function sameStats(a: AllocatorStats, b: AllocatorStats): void {
  assert.deepEqual(
    { liveBlocks: a.liveBlocks, liveBytes: a.liveBytes, footprintBytes: a.footprintBytes },
    { liveBlocks: b.liveBlocks, liveBytes: b.liveBytes, footprintBytes: b.footprintBytes },
    "freeing every block must bring stats() back to where they started",
  );
}

/**
 * The property: for any command sequence the allocator agrees with the model after every step,
 * and freeing every remaining block brings `stats()` back to where it started.
 */
export function allocatorModelProperty(
  makeAllocator: () => Allocator,
  options: AllocatorModelOptions = {},
): fc.IPropertyWithHooks<[Iterable<fc.Command<Model, Real>>]> {
  return fc.property(allocatorCommands(options), (commands) => {
    const allocator = makeAllocator();
    const start = allocator.stats();
    const model: Model = { blocks: new Map(), nextByte: 0 };
    fc.modelRun(() => ({ model, real: { allocator } }), commands);
    for (const [address, block] of model.blocks) {
      checkFill(allocator, address, block);
      allocator.free(address);
    }
    options.drain?.(allocator);
    allocator.verify();
    sameStats(allocator.stats(), start);
  });
}

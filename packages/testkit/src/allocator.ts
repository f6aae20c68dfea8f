// A model-based property of the malloc family: random malloc, calloc, realloc and free against a
// plain Map of live blocks. The allocator is described structurally, so @mm/heap's allocators
// pass as they are and a user's own allocator needs no dependency on them.

import fc from "fast-check";
import { propertyParameters, type RunOptions } from "./parameters.js";
import { expectThat, ModelViolation } from "./violation.js";

/** The figures the property compares before and after a run (those of @mm/heap's `AllocatorStats`). */
export interface AllocatorStats {
  /** Blocks handed out and not yet freed. */
  readonly liveBlocks: number;
  /** The sum of `usableSize` over the live blocks. */
  readonly liveBytes: number;
  /** Bytes the allocator holds from the level below it. */
  readonly footprintBytes: number;
}

/**
 * The allocator the property drives: the shape of C's `malloc` family over one byte array.
 * @mm/heap's `Allocator` has this shape; so can anyone's.
 */
export interface TestedAllocator {
  /** The memory that the returned addresses index. */
  readonly memory: { readonly u8: Uint8Array; readonly byteLength: number };
  /** At least `size` bytes, 16-byte aligned; `malloc(0)` a unique address; 0 when exhausted. */
  malloc(size: number): number;
  /** `count * size` zeroed bytes, or 0 when exhausted. */
  calloc(count: number, size: number): number;
  /** Resizes, keeping the first `min(old, size)` bytes; 0 (old block intact) when exhausted. */
  realloc(address: number, size: number): number;
  /** Frees a live block. */
  free(address: number): void;
  /** The bytes usable at `address`: at least what was asked for. */
  usableSize(address: number): number;
  /** The current figures. */
  stats(): AllocatorStats;
  /** Checks the allocator's own invariants, throwing when one is broken. */
  verify(): void;
}

/** A live block in the model: its requested size and the byte it was filled with. */
export interface ModelBlock {
  /** The size that was asked for. */
  size: number;
  /** The byte every position of the block was filled with. */
  byte: number;
}

/** The allocator's model: live blocks by address, and the next fill byte. */
export interface AllocatorModel {
  /** The live blocks by address. */
  readonly blocks: Map<number, ModelBlock>;
  /** The last fill byte handed out (1 to 250, in turn). */
  nextByte: number;
}

/** What the allocator's commands act on. */
export interface AllocatorReal {
  /** The allocator under test. */
  readonly allocator: TestedAllocator;
}

type Model = AllocatorModel;
type Real = AllocatorReal;

/** Options of {@link allocatorModelProperty} and {@link assertAllocatorModel}. */
export interface AllocatorModelOptions<A extends TestedAllocator = TestedAllocator>
  extends RunOptions {
  /** Arbitrary of request sizes. @defaultValue sizes from 0 to 1 MiB, mostly small */
  readonly sizes?: fc.Arbitrary<number>;
  /** Longest command sequence. @defaultValue `40` */
  readonly maxCommands?: number;
  /** Called before the final comparison of stats, e.g. to flush a quarantine. */
  readonly drain?: (allocator: A) => void;
  /** Extra checks after every command, e.g. the pool allocator's own invariants. */
  readonly afterEach?: (allocator: A) => void;
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

function fill(a: TestedAllocator, address: number, block: ModelBlock): void {
  a.memory.u8.fill(block.byte, address, address + block.size);
}

function checkFill(
  a: TestedAllocator,
  address: number,
  block: ModelBlock,
  upTo = block.size,
): void {
  const u8 = a.memory.u8;
  for (const i of probes(upTo)) {
    if (u8[address + i] !== block.byte) {
      throw new ModelViolation(
        `byte ${i} of the ${block.size}-byte block at ${address} reads ${u8[address + i]}, wrote ${block.byte}`,
      );
    }
  }
}

/** A newly returned block must be aligned, inside memory and clear of every live block. */
function checkPlacement(a: TestedAllocator, model: Model, address: number, size: number): void {
  expectThat(address % 16 === 0, () => `address ${address} is not 16-byte aligned`);
  expectThat(
    address > 0 && address + size <= a.memory.byteLength,
    () => `block ${address}+${size} is outside memory`,
  );
  const usable = a.usableSize(address);
  expectThat(usable >= size, () => `usableSize ${usable} < requested ${size}`);
  for (const [other, block] of model.blocks) {
    if (other === address) continue;
    const otherEnd = other + Math.max(block.size, 1);
    expectThat(
      address + Math.max(size, 1) <= other || otherEnd <= address,
      () => `block ${address}+${size} overlaps live block ${other}+${block.size}`,
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
      expectThat(u8[address + i] === 0, () => `calloc byte ${i} of ${total} is ${u8[address + i]}`);
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
    readonly afterEach: ((a: TestedAllocator) => void) | undefined,
  ) {}
  check(model: Readonly<Model>): boolean {
    return this.inner.check(model);
  }
  run(model: Model, real: Real): void {
    this.inner.run(model, real);
    real.allocator.verify();
    this.afterEach?.(real.allocator);
    const liveBlocks = real.allocator.stats().liveBlocks;
    expectThat(
      liveBlocks === model.blocks.size,
      () => `stats().liveBlocks is ${liveBlocks}, the model holds ${model.blocks.size} blocks`,
    );
    for (const [address, block] of model.blocks) {
      const usable = real.allocator.usableSize(address);
      expectThat(
        usable >= block.size,
        () => `usableSize(${address}) is ${usable}, the block holds ${block.size} bytes`,
      );
    }
  }
  toString(): string {
    return this.inner.toString();
  }
}

/**
 * The commands: malloc and realloc over `options.sizes`, calloc of up to 64 × 256 bytes, and
 * free (twice as likely, so sequences also shrink the heap), each followed by `verify()`,
 * `options.afterEach` and a check of `stats().liveBlocks` and `usableSize` against the model.
 */
export function allocatorCommands<A extends TestedAllocator>(
  options: AllocatorModelOptions<A> = {},
): fc.Arbitrary<Iterable<fc.Command<AllocatorModel, AllocatorReal>>> {
  const sizes = options.sizes ?? mixedSizes;
  // The real allocator is the caller's A, so its own checks may take an A.
  const afterEach = options.afterEach as ((a: TestedAllocator) => void) | undefined;
  const wrap = (arb: fc.Arbitrary<fc.Command<Model, Real>>) =>
    arb.map((c) => new Checked(c, afterEach));
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

function sameStats(end: AllocatorStats, start: AllocatorStats): void {
  for (const key of ["liveBlocks", "liveBytes", "footprintBytes"] as const) {
    expectThat(
      end[key] === start[key],
      () =>
        `freeing every block must bring stats() back to where they started: ${key} is ${end[key]}, was ${start[key]}`,
    );
  }
}

/**
 * The property: for any command sequence the allocator agrees with the model after every step
 * (blocks 16-byte aligned, inside memory, disjoint from every live block, their bytes intact,
 * calloc's zeroed, realloc's prefix kept, exhaustion a 0 that changes nothing), and freeing
 * every remaining block brings `stats()` back to where it started.
 *
 * Pass it to `fc.assert` with your own parameters, or call {@link assertAllocatorModel}.
 * @param makeAllocator a fresh allocator for each command sequence
 */
export function allocatorModelProperty<A extends TestedAllocator>(
  makeAllocator: () => A,
  options: AllocatorModelOptions<A> = {},
): fc.IPropertyWithHooks<[Iterable<fc.Command<AllocatorModel, AllocatorReal>>]> {
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

/**
 * Checks {@link allocatorModelProperty} over `options.runs` command sequences (default 100,
 * scaled by `MM_FC_RUNS`), from `MM_FC_SEED` or `options.seed` when set.
 * @throws Error fast-check's report (the seed, the shrunk command sequence and the
 * {@link ModelViolation} or the allocator's own error) when a sequence breaks the contract.
 */
export function assertAllocatorModel<A extends TestedAllocator>(
  makeAllocator: () => A,
  options: AllocatorModelOptions<A> = {},
): void {
  fc.assert(allocatorModelProperty(makeAllocator, options), propertyParameters(options));
}

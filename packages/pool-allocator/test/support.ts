// Shared test helpers: a pymalloc over a fresh Memory, its extra invariants, and python3.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { type Allocator, DebugAllocator, Memory, MemoryPageSource } from "@mm/heap";
import type { TestContext } from "vitest";
import { PoolAllocator, type PoolAllocatorOptions } from "../src/index.js";
import { blocksPerPool } from "../src/internal/geometry.js";

/** A pymalloc over a fresh memory of at most `maximumBytes`, with 4 KiB pages by default. */
export function pymalloc(
  options: PoolAllocatorOptions = {},
  { maximumBytes = 64 << 20, pageSize = 4096 } = {},
): PoolAllocator {
  return new PoolAllocator(
    new MemoryPageSource(new Memory({ maximumBytes }), { pageSize }),
    options,
  );
}

/** The pool allocator inside `allocator` (itself, or under the debug hooks). */
export function poolOf(allocator: Allocator): PoolAllocator {
  if (allocator instanceof PoolAllocator) return allocator;
  if (allocator instanceof DebugAllocator) return poolOf(allocator.inner);
  throw new Error(`not a pymalloc stack: ${allocator.name}`);
}

/**
 * What CPython asserts or its stats imply, checked from the outside after every command:
 * the bytes of the stats add up to the arenas, each class's blocks fill its pools exactly,
 * every pool's counts are within its geometry, `usable_arenas` is sorted ascending by free
 * pools, and `getAllocatedBlocks()` is the live-block count.
 */
export function checkPoolInvariants(allocator: Allocator): void {
  const a = poolOf(allocator);
  const stats = a.mallocStats();
  assert.equal(stats.totalBytes, stats.arenasAllocatedCurrent * stats.arenaSize, "Total");
  for (const c of stats.classes) {
    assert.equal(c.blocksPerPool, blocksPerPool(a.geometry, c.sizeClass));
    assert.equal(
      c.blocksInUse + c.availableBlocks,
      c.pools * c.blocksPerPool,
      `class ${c.sizeClass}`,
    );
  }
  for (const pool of a.poolStats()) {
    const perPool = blocksPerPool(a.geometry, pool.sizeClass);
    assert.ok(pool.blocksInUse <= pool.carvedBlocks && pool.carvedBlocks <= perPool);
    assert.equal(pool.blocksInUse + pool.freeListLength, pool.carvedBlocks);
    assert.equal(pool.address % a.geometry.poolSize, 0);
  }
  const arenas = new Map(a.arenaStats().map((arena) => [arena.index, arena]));
  const order = a.usableArenas().map((i) => arenas.get(i)!.freePools);
  assert.deepEqual(
    order,
    [...order].sort((x, y) => x - y),
    "usable_arenas is sorted",
  );
  assert.equal(a.getAllocatedBlocks(), a.stats().liveBlocks);
  // The pool blocks' live bits, read in the memory's storage as a WebAssembly module would.
  const memory = a.memory;
  const at = a.liveBitsAddress;
  assert.ok(at >= memory.byteLength, "the live bits sit past the heap part");
  const words = new Uint32Array(
    memory.buffer,
    at,
    (memory.byteLength >>> (a.geometry.alignmentShift + 5)) + 1,
  );
  let bits = 0;
  for (const word of words) for (let w = word; w !== 0; w &= w - 1) bits++;
  assert.equal(bits, a.getAllocatedBlocks() - a.rawAllocatedBlocks, "pool blocks' live bits");
}

/** python3's path, or: a loud failure in CI, a skip with the reason elsewhere. */
export function requirePython(ctx: TestContext): string {
  const probe = spawnSync("python3", ["--version"], { encoding: "utf8" });
  if (probe.status === 0) return "python3";
  const reason = `python3 is not available (${probe.error?.message ?? probe.stderr.trim()})`;
  if (process.env.CI) throw new Error(`${reason}; it is required in CI`);
  console.warn(`skipped: ${reason}`);
  return ctx.skip(reason);
}

/** Runs a Python script and returns its stdout; throws with its stderr when it fails. */
export function runPython(python: string, args: readonly string[]): string {
  const run = spawnSync(python, args, { encoding: "utf8", maxBuffer: 64 << 20 });
  if (run.status !== 0) throw new Error(`${python} ${args.join(" ")} failed:\n${run.stderr}`);
  return run.stdout;
}

import { DebugAllocator, Memory, MemoryPageSource } from "@mm/heap";
import { allocatorModelProperty, mixedSizes } from "@mm/testkit";
import { fcRuns } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { describe, it } from "vitest";
import { PoolAllocator } from "../src/index.js";
import { checkPoolInvariants, poolOf, pymalloc } from "./support.js";

/** Wholly free arenas (the one CPython keeps included) go back, so stats return to zero. */
const releaseArenas = (a: Parameters<typeof poolOf>[0]) => void poolOf(a).releaseFreeArenas();

describe("PoolAllocator against a model of live blocks", () => {
  it("keeps blocks aligned, disjoint and intact over small and large sizes, verify() and the pool invariants passing after every command", () => {
    fc.assert(
      allocatorModelProperty(() => pymalloc({}, { maximumBytes: 32 << 20 }), {
        sizes: mixedSizes,
        afterEach: checkPoolInvariants,
        drain: releaseArenas,
      }),
      { numRuns: fcRuns(1000) },
    );
  });

  it("holds them with tiny pools and arenas, so that pools fill, empty and move between classes and arenas come and go", () => {
    // 512-byte pages under 1 KiB pools: every arena starts mid-pool and loses its first one.
    const sizes = fc.oneof(
      { weight: 9, arbitrary: fc.integer({ min: 1, max: 128 }) },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 4096 }) },
    );
    fc.assert(
      allocatorModelProperty(
        () =>
          pymalloc(
            { smallRequestThreshold: 128, poolSize: 1024, arenaSize: 4096 },
            { maximumBytes: 8 << 20, pageSize: 512 },
          ),
        { sizes, maxCommands: 120, afterEach: checkPoolInvariants, drain: releaseArenas },
      ),
      { numRuns: fcRuns(1000) },
    );
  });

  it("holds them over a WebAssembly.Memory that grows, replacing its views, from 64 KiB", () => {
    fc.assert(
      allocatorModelProperty(
        () =>
          new PoolAllocator(
            new MemoryPageSource(new Memory({ backing: "wasm-memory", maximumBytes: 32 << 20 })),
          ),
        { sizes: mixedSizes, afterEach: checkPoolInvariants, drain: releaseArenas },
      ),
      { numRuns: fcRuns(1000) },
    );
  });

  it("holds them under the debug hooks (pymalloc_debug)", () => {
    fc.assert(
      allocatorModelProperty(
        () =>
          new DebugAllocator(pymalloc({}, { maximumBytes: 32 << 20 }), { quarantineBytes: 4096 }),
        {
          sizes: mixedSizes,
          afterEach: checkPoolInvariants,
          drain: (a) => {
            (a as DebugAllocator).flushQuarantine();
            releaseArenas(a);
          },
        },
      ),
      { numRuns: fcRuns(1000) },
    );
  });
});

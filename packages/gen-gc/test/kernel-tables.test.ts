// The WebAssembly walks with their tables in a fixed region (`kernelTables`): bytes below the
// page source's base that no allocator hands out. A collector so made must free, finalize and
// leave behind exactly what one with the JavaScript walks does, with the same allocator
// figures and the same bytes everywhere outside the region; tables that outgrow the region
// leave the JavaScript walks to detect, and a region the memory refuses is a typed error.

import { createHash } from "node:crypto";
import { InvalidArgumentError } from "@mm/heap";
import { fcRuns } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { GenerationalOptions } from "../src/index.js";
import { type GenerationalWorld, generationalWorld, SLOTS } from "./fixtures.js";

const REGION = { address: 0x1000, bytes: 0x10000 };
const BASE = REGION.address + REGION.bytes;

type Op =
  | { kind: "node"; final: boolean }
  | { kind: "link"; from: number; slot: number; to: number }
  | { kind: "drop"; which: number }
  | { kind: "tuple"; items: number[] }
  | { kind: "collect"; generation: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("node" as const), final: fc.boolean() }) },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant("link" as const),
      from: fc.nat(),
      slot: fc.nat({ max: SLOTS - 1 }),
      to: fc.nat(),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("drop" as const), which: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("tuple" as const),
      items: fc.array(fc.nat(), { maxLength: 3 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("collect" as const),
      generation: fc.integer({ min: 0, max: 2 }),
    }),
  },
);

/** Runs `ops` on a new world; returns what it observed after each collection. */
function run(ops: readonly Op[], options: GenerationalOptions) {
  const w: GenerationalWorld = generationalWorld(options, 64 << 20, BASE);
  const held: number[] = [];
  const seen: unknown[] = [];
  const pick = (i: number) => held[i % held.length]!;
  for (const op of ops) {
    if (op.kind === "node") held.push(w.node(op.final ? "final" : "plain"));
    else if (op.kind === "tuple") {
      if (held.length === 0) continue;
      held.push(w.tuple(...op.items.map(pick)));
    } else if (op.kind !== "collect" && held.length === 0) continue;
    else if (op.kind === "link") {
      const from = pick(op.from);
      if (
        w.space.typeOf(from) !== w.types.node.plain &&
        w.space.typeOf(from) !== w.types.node.final
      )
        continue;
      w.set(from, op.slot, pick(op.to));
    } else if (op.kind === "drop") {
      const at = op.which % held.length;
      w.gc.rc.decref(held[at]!);
      held.splice(at, 1);
    } else {
      const collected = w.gc.collect(op.generation);
      w.gc.verify();
      w.space.verify();
      const u8 = w.space.memory.u8;
      seen.push({
        collected,
        freed: [...w.log.freed],
        finalized: [...w.log.finalized],
        stats: w.space.allocator.stats(),
        counts: w.gc.getCount(),
        // Every byte but the region's: the NULL page's, and the heap's as a digest (the heap is
        // megabytes, mostly zeros; a digest compares it at memory speed).
        low: Array.from(u8.subarray(0, REGION.address)),
        heap: createHash("sha256")
          .update(u8.subarray(BASE, w.space.memory.byteLength))
          .digest("hex"),
      });
    }
  }
  return { seen, world: w };
}

describe("the WebAssembly walks with their tables in a fixed region", () => {
  it("property: a collector with kernelTables frees, finalizes and leaves the heap exactly as one with the JavaScript walks, allocator figures included", () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 120 }), (ops) => {
        // A node held to the end: the last collection has an object to examine.
        const all: Op[] = [
          { kind: "node", final: false },
          ...ops,
          { kind: "collect", generation: 2 },
        ];
        const js = run(all, { walks: "js" });
        const wasm = run(all, { kernelTables: REGION });
        expect(wasm.world.gc.walks).toBe("wasm");
        expect(js.world.gc.walks).toBe("js");
        expect(wasm.seen).toEqual(js.seen);
        // The kernel wrote its tables into the region; the JavaScript walks left it zero.
        const region = (w: GenerationalWorld) =>
          w.space.memory.u8.subarray(REGION.address, BASE).some((b) => b !== 0);
        expect(region(wasm.world)).toBe(true);
        expect(region(js.world)).toBe(false);
      }),
      { numRuns: fcRuns(150) },
    );
  });

  it("leaves the JavaScript walks to detect when the tables outgrow the region", () => {
    // Room for the header and the noted survivors only: the test types' tables do not fit.
    const small = { address: REGION.address, bytes: 4 * (10 + 1024) };
    const w = generationalWorld({ kernelTables: small }, 64 << 20, BASE);
    const a = w.node();
    const b = w.node();
    w.set(a, 0, b);
    w.set(b, 0, a);
    w.gc.rc.decref(a);
    w.gc.rc.decref(b);
    expect(w.gc.collect(2)).toBe(2);
    expect(w.log.freed.sort()).toEqual([a, b].sort());
    expect(w.space.memory.u8.subarray(small.address, BASE).every((x) => x === 0)).toBe(true);
  });

  it("refuses a region the memory cannot hold, or one given with kernelBlocks", () => {
    const bad = [
      { address: 0, bytes: REGION.bytes },
      { address: 8, bytes: REGION.bytes },
      { address: 0x1004, bytes: REGION.bytes },
      { address: REGION.address, bytes: 100 },
      { address: REGION.address, bytes: REGION.bytes + 2 },
      { address: REGION.address, bytes: Number.NaN },
      { address: (1 << 20) - 0x1000, bytes: 0x2000 },
    ];
    for (const kernelTables of bad) {
      expect(() => generationalWorld({ kernelTables }, 1 << 20, BASE)).toThrow(
        InvalidArgumentError,
      );
    }
    expect(() => generationalWorld({ kernelTables: { address: 0, bytes: 0x2000 } })).toThrow(
      /kernelTables.address must be a multiple of 16 from 16 up, got 0/,
    );
    expect(() =>
      generationalWorld(
        { kernelTables: REGION, kernelBlocks: { malloc: () => 0, free: () => {} } },
        64 << 20,
        BASE,
      ),
    ).toThrow(/give one/);
  });
});

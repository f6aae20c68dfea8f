// Blocks of the object domain that are not objects (a bytearray's buffer): objMalloc, objRealloc
// and objFree against a model of the live blocks. Contents survive a realloc up to the smaller
// size, sys.getallocatedblocks counts each live block once, and tracemalloc traces their sizes.

import { fcRuns, fcSeed } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Embedding, Runtime } from "../src/index.js";

const quiet = { env: {}, log: () => {} } as const;

interface Live {
  block: number;
  data: Uint8Array;
}

type Step =
  | { readonly op: "malloc"; readonly size: number; readonly fill: number }
  | { readonly op: "realloc"; readonly which: number; readonly size: number }
  | { readonly op: "free"; readonly which: number };

const size = fc.integer({ min: 1, max: 1200 });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ op: fc.constant("malloc" as const), size, fill: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ op: fc.constant("realloc" as const), which: fc.nat(), size }),
  fc.record({ op: fc.constant("free" as const), which: fc.nat() }),
);

describe("object-domain blocks", () => {
  it("keep their contents through realloc and are counted and traced while live", () => {
    const seed = fcSeed();
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const rt = new Runtime(quiet);
        const py = new Embedding(rt);
        rt.tracemalloc.start();
        const blocks0 = rt.sys.getallocatedblocks();
        const traced0 = rt.tracemalloc.getTracedMemory()[0];
        const live: Live[] = [];
        for (const s of steps) {
          if (s.op === "malloc") {
            const block = py.objMalloc(s.size);
            const data = new Uint8Array(s.size).fill(s.fill);
            py.memory.u8.set(data, block);
            live.push({ block, data });
          } else if (live.length > 0) {
            const at = s.which % live.length;
            const item = live[at]!;
            if (s.op === "free") {
              py.objFree(item.block);
              live.splice(at, 1);
            } else {
              const block = py.objRealloc(item.block, s.size);
              const kept = item.data.subarray(0, Math.min(s.size, item.data.length));
              expect(py.memory.u8.subarray(block, block + kept.length)).toEqual(kept);
              const data = new Uint8Array(s.size).fill(7);
              data.set(kept);
              py.memory.u8.set(data, block);
              live[at] = { block, data };
            }
          }
          for (const l of live)
            expect(py.memory.u8.subarray(l.block, l.block + l.data.length)).toEqual(l.data);
          expect(rt.sys.getallocatedblocks() - blocks0).toBe(live.length);
          const bytes = live.reduce((n, l) => n + l.data.length, 0);
          expect(rt.tracemalloc.getTracedMemory()[0] - traced0).toBe(bytes);
        }
        for (const l of live) py.objFree(l.block);
        expect(rt.sys.getallocatedblocks()).toBe(blocks0);
        py.objFree(0);
        rt.tracemalloc.stop();
      }),
      { numRuns: fcRuns(100), ...(seed !== undefined ? { seed } : {}) },
    );
  });

  it("realloc of 0 is malloc", () => {
    const rt = new Runtime(quiet);
    const py = new Embedding(rt);
    const before = rt.sys.getallocatedblocks();
    const block = py.objRealloc(0, 24);
    expect(block).not.toBe(0);
    expect(rt.sys.getallocatedblocks()).toBe(before + 1);
    py.objFree(block);
    expect(rt.sys.getallocatedblocks()).toBe(before);
  });
});

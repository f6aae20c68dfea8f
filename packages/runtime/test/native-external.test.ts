// Native types whose references live in blocks the front end allocates (a deque's blocks):
// every collector sees them through the type's traverse, dealloc and tp_clear drop them, and
// the blocks come from the mem domain (counted by sys.getallocatedblocks, traced by
// tracemalloc). A property drops random graphs of such objects and requires every object and
// block back under every collector.

import { InvalidArgumentError } from "@mm/heap";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type CollectorName, Embedding, type NativeType, type Ref, Runtime } from "../src/index.js";

const quiet = { env: {}, log: () => {} } as const;

/** The block's address is a scalar at 16; the block holds a u32 count, then 8-byte slots. */
const BLOCK = 16;
const SLOTS = 8;

function setup(collector: CollectorName = "cpython") {
  const rt = new Runtime({ ...quiet, collector });
  const py = new Embedding(rt);
  const u32 = () => py.memory.u32;
  const block = (o: Ref) => u32()[(o + BLOCK) >>> 2]!;
  const type: NativeType = py.defineType({
    name: "chain",
    basicSize: 24,
    container: true,
    external: {
      traverse: (o, visit, arg) => {
        const b = block(o);
        const n = u32()[b >>> 2]!;
        for (let i = 0; i < n; i++) {
          const ref = u32()[(b + 8 + 8 * i) >>> 2]!;
          if (ref !== 0) {
            const stop = visit(ref, arg);
            if (stop !== 0) return stop;
          }
        }
        return 0;
      },
      clear: (o) => {
        const b = block(o);
        const n = u32()[b >>> 2]!;
        for (let i = 0; i < n; i++) {
          const at = (b + 8 + 8 * i) >>> 2;
          const ref = u32()[at]!;
          if (ref !== 0) {
            u32()[at] = 0;
            py.decref(ref);
          }
        }
      },
    },
    onFree: (o) => py.memFree(block(o)),
  });
  /** A new chain object with an empty block. */
  const make = (): Ref => {
    const o = py.allocate(type);
    const b = py.memMalloc(8 + 8 * SLOTS);
    u32().fill(0, b >>> 2, (b + 8 + 8 * SLOTS) >>> 2);
    u32()[(o + BLOCK) >>> 2] = b;
    return o;
  };
  /** Stores a new reference to `to` in the next slot of `from`'s block. */
  const link = (from: Ref, to: Ref) => {
    const b = block(from);
    const n = u32()[b >>> 2]!;
    py.incref(to);
    u32()[(b + 8 + 8 * n) >>> 2] = to;
    u32()[b >>> 2] = n + 1;
  };
  return { rt, py, make, link };
}

describe("native types with external references", () => {
  it("lists what the blocks hold as the object's referents", () => {
    const { rt, py, make, link } = setup();
    const a = make();
    const s = py.str("held");
    link(a, s);
    link(a, s);
    const h = py.toHandle(a);
    const out = rt.gc.getReferents(h);
    expect(out.map((r) => py.fromHandle(r))).toEqual([s, s]);
    for (const r of out) r.release();
    h.release();
    expect(py.refcount(s)).toBe(3);
    py.decref(a);
    expect(py.refcount(s)).toBe(1);
    py.decref(s);
  });

  it("frees the blocks and drops their references when the object dies", () => {
    const { rt, py, make, link } = setup();
    rt.tracemalloc.start();
    const blocks = rt.sys.getallocatedblocks();
    const [traced] = rt.tracemalloc.getTracedMemory();
    const a = make();
    const b = make();
    link(a, b);
    // Two objects of 24 bytes plus a GC head, and two blocks of 72 bytes.
    expect(rt.sys.getallocatedblocks() - blocks).toBe(4);
    expect(rt.tracemalloc.getTracedMemory()[0] - traced).toBe(2 * 40 + 2 * 72);
    py.decref(b);
    py.decref(a);
    expect(rt.sys.getallocatedblocks()).toBe(blocks);
    expect(rt.tracemalloc.getTracedMemory()[0]).toBe(traced);
  });

  it("refuses external references on a type that is not a container", () => {
    const py = new Embedding(new Runtime(quiet));
    expect(() =>
      py.defineType({
        name: "bad",
        basicSize: 24,
        external: { traverse: () => 0, clear: () => {} },
      }),
    ).toThrow(InvalidArgumentError);
  });

  it("collects any garbage graph through the blocks, under every collector", () => {
    fc.assert(
      fc.property(
        fc.constantFrom<CollectorName>("cpython", "tracing"),
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 20 }),
        (collector, n, edges) => {
          const { rt, py, make, link } = setup(collector);
          py.collect();
          const blocks = rt.sys.getallocatedblocks();
          const nodes = Array.from({ length: n }, make);
          const degree = new Array<number>(n).fill(0);
          for (const [from, to] of edges) {
            const f = from % n;
            if (degree[f]! >= SLOTS) continue;
            degree[f]! += 1;
            link(nodes[f]!, nodes[to % n]!);
          }
          for (const o of nodes) py.decref(o);
          py.collect();
          expect(rt.sys.getallocatedblocks()).toBe(blocks);
          for (const o of nodes) expect(rt.space.isLive(o)).toBe(false);
        },
      ),
      { numRuns: 60 },
    );
  });
});

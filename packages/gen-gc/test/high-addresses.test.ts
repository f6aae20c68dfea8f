// Objects whose addresses are 2^31 and above: pymalloc pools, reference counts and both
// collection kinds (cycles freed, cycles kept by an outside reference) on a heap whose low
// 2 GiB are taken by one free-store block, so that every later arena lands past 2^31. A signed
// 32-bit step anywhere (`a | 0`, an Int32Array of addresses, `>> 2`) turns such an address
// negative and the allocator's, the object space's or the collector's `verify()` fails.

import {
  FreeStore,
  Memory,
  MemoryPageSource,
  ObjectSpace,
  TypeFlags,
  TypeRegistry,
  type Visit,
} from "@mm/heap";
import { PoolAllocator } from "@mm/pool-allocator";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { GenerationalCollector } from "../src/index.js";

const TWO_GIB = 2 ** 31;
const SLOTS = 2;
const slotAt = (i: number) => 16 + 8 * i;

interface HighWorld {
  readonly memory: Memory;
  readonly store: FreeStore;
  readonly pools: PoolAllocator;
  readonly gc: GenerationalCollector;
  readonly nodeType: number;
  readonly freed: Set<number>;
  /** Stores a new reference to `child` (0 for none) in slot `i` of `parent`. */
  set(parent: number, i: number, child: number): void;
}

/**
 * A heap whose first 2 GiB are one live free-store block: the memory grows over it at once (a
 * WebAssembly.Memory's pages cost nothing until touched), and pymalloc's arenas come after it.
 */
function highWorld(): HighWorld {
  const memory = new Memory({ maximumBytes: TWO_GIB + (64 << 20) });
  const source = new MemoryPageSource(memory);
  const store = new FreeStore(source);
  const ballast = store.malloc(TWO_GIB - (1 << 20));
  expect(ballast).toBeGreaterThan(0);
  const pools = new PoolAllocator(source, { inner: store });
  const space = new ObjectSpace(pools, new TypeRegistry());
  const freed = new Set<number>();
  let gc!: GenerationalCollector;
  const u32 = () => memory.u32;
  const drop = (o: number) => {
    for (let i = 0; i < SLOTS; i++) {
      const at = (o + slotAt(i)) >>> 2;
      const child = u32()[at]!;
      if (child !== 0) {
        u32()[at] = 0;
        gc.rc.decref(child);
      }
    }
  };
  const node = space.types.register({
    name: "node",
    basicSize: 16 + 8 * SLOTS,
    flags: TypeFlags.Gc,
    traverse: (o: number, visit: Visit, arg: number) => {
      for (let i = 0; i < SLOTS; i++) {
        const child = u32()[(o + slotAt(i)) >>> 2]!;
        if (child !== 0) {
          const stop = visit(child, arg);
          if (stop !== 0) return stop;
        }
      }
      return 0;
    },
    clear: drop,
    dealloc: drop,
  });
  gc = new GenerationalCollector(space, {
    free: (o) => {
      freed.add(o);
      gc.release(o);
    },
  });
  gc.disable(); // collections happen where the test asks for them
  return {
    memory,
    store,
    pools,
    gc,
    nodeType: node.id,
    freed,
    set(parent, i, child) {
      const at = (parent + slotAt(i)) >>> 2;
      const old = u32()[at]!;
      if (child !== 0) gc.rc.incref(child);
      u32()[at] = child;
      if (old !== 0) gc.rc.decref(old);
    },
  };
}

function verifyAll(w: HighWorld): void {
  w.store.verify();
  w.pools.verify();
  w.gc.verify();
}

describe("objects at addresses of 2^31 and above", () => {
  it("allocates, counts references, collects cycles and frees them, every verify() passing", () => {
    const w = highWorld();
    const { gc } = w;
    // Rings of three: the first ring stays reachable from `keep`, the others become garbage.
    const rings: number[][] = [];
    for (let r = 0; r < 200; r++) {
      const ring = [0, 1, 2].map(() => {
        const o = gc.allocate(w.nodeType);
        gc.track(o);
        return o;
      });
      for (let i = 0; i < 3; i++) w.set(ring[i]!, 0, ring[(i + 1) % 3]!);
      rings.push(ring);
    }
    const all = rings.flat();
    expect(Math.min(...all)).toBeGreaterThanOrEqual(TWO_GIB);
    expect(all.every((o) => w.pools.owns(o) && gc.space.isLive(o))).toBe(true);
    expect(gc.getObjects().length).toBe(all.length);
    verifyAll(w);

    const keep = rings[0]![0]!;
    gc.incref(keep);
    for (const o of all) gc.decref(o); // the rings now hold only each other (and `keep`)
    verifyAll(w);
    expect(gc.collect(2)).toBe(all.length - 3);
    for (const o of all.slice(3)) expect(w.freed.has(o)).toBe(true);
    for (const o of rings[0]!) expect(gc.space.isLive(o)).toBe(true);
    expect(gc.getObjects()).toEqual(expect.arrayContaining(rings[0]!));
    verifyAll(w);

    // Pool blocks freed by the collector are handed out again at the same high addresses.
    const again = gc.allocate(w.nodeType);
    expect(again).toBeGreaterThanOrEqual(TWO_GIB);
    expect(w.freed.has(again)).toBe(true);
    gc.track(again);
    gc.decref(again);
    gc.decref(keep);
    verifyAll(w);
    expect(gc.collect(2)).toBe(3);
    expect(gc.getObjects()).toEqual([]);
    verifyAll(w);
  });

  it("keeps every block apart and every verify() passing under any mix of sizes (property)", () => {
    const w = highWorld();
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.record({
              op: fc.constant("malloc" as const),
              size: fc.integer({ min: 1, max: 512 }),
            }),
            fc.record({ op: fc.constant("free" as const), pick: fc.nat() }),
          ),
          { maxLength: 300 },
        ),
        (ops) => {
          const live = new Map<number, number>();
          for (const op of ops) {
            if (op.op === "malloc") {
              const p = w.pools.malloc(op.size);
              expect(p).toBeGreaterThanOrEqual(TWO_GIB);
              expect(live.has(p)).toBe(false);
              w.memory.u8.fill(op.size & 255, p, p + op.size);
              live.set(p, op.size);
            } else if (live.size > 0) {
              const p = [...live.keys()][op.pick % live.size]!;
              const size = live.get(p)!;
              // Nothing else wrote over the block while it was live.
              expect(w.memory.u8.subarray(p, p + size).every((b) => b === (size & 255))).toBe(true);
              w.pools.free(p);
              live.delete(p);
            }
          }
          w.pools.verify();
          for (const p of live.keys()) w.pools.free(p);
          w.pools.verify();
          w.store.verify();
        },
      ),
      { numRuns: 10 },
    );
  });
});

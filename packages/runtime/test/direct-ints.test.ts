// The direct path of ints and floats against the layered one: a runtime under a built-in
// counting collector (ints and floats made and freed by their kinds straight from the object
// space) and the same runtime under a copy of that collector's definition (which the direct path
// does not trust, so every int and float goes through the object layer, the strategy and the
// reference counter) run the same operations in lockstep. Every address, every event an
// observer sees, tracemalloc's figures, the counts, the whole heap's bytes and verify() must be
// the same.

import { fc } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import {
  type ClassRef,
  Embedding,
  type Ref,
  Runtime,
  type RuntimeEvent,
  StrategyRegistry,
} from "../src/index.js";

const quiet = { env: {}, log: () => {} } as const;

const registry = StrategyRegistry.withBuiltins();
for (const name of ["cpython", "refcount"]) {
  const builtin = registry.collector(name)!;
  // The same collector, made by another function: the direct path is off under it.
  registry.registerCollector({
    ...builtin,
    name: `${name}-layered`,
    create: (host) => builtin.create(host),
  });
}

/** One runtime of the pair, with the log of what its observer saw while one was added. */
interface Side {
  readonly rt: Runtime;
  readonly py: Embedding;
  readonly events: string[];
  /** The class whose finalizer makes and drops ints (a deep chain of them nests deaths). */
  readonly node: ClassRef;
  /** Objects the test holds, one reference each (the same addresses on both sides). */
  readonly held: Ref[];
  stopObserving?: (() => void) | undefined;
}

function side(collector: string): Side {
  const rt = new Runtime({ ...quiet, registry, collector });
  const py = new Embedding(rt);
  const made: Ref[] = [];
  const node = py.defineClass("Node", {
    // Runs during the node's deallocation, at the depth its chain puts it: an int made and
    // dropped there, and one kept until the next finalizer drops it.
    del: (self) => {
      const v = py.int(1_000_000 + self);
      py.decref(v);
      made.push(py.int(-1_000_000 - self));
      if (made.length > 1) py.decref(made.shift()!);
    },
  });
  return { rt, py, events: [], node, held: [] };
}

type Op =
  | { op: "int"; value: number | bigint }
  | { op: "intFromSsize"; value: number }
  | { op: "float"; value: number }
  | { op: "drop"; k: number }
  | { op: "share"; k: number }
  | { op: "list"; k: number; n: number }
  | { op: "listDelete"; k: number }
  | { op: "dict"; k: number; n: number }
  | { op: "chain"; length: number }
  | { op: "observe"; on: boolean }
  | { op: "trace"; on: boolean };

const values = fc.oneof(
  fc.integer({ min: -10, max: 300 }),
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 }),
  fc.maxSafeInteger(),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
);

const ops: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: values.map((value) => ({ op: "int" as const, value })) },
  {
    weight: 3,
    arbitrary: fc
      .oneof(fc.integer({ min: -10, max: 300 }), fc.integer(), fc.maxSafeInteger())
      .map((value) => ({ op: "intFromSsize" as const, value })),
  },
  { weight: 3, arbitrary: fc.double().map((value) => ({ op: "float" as const, value })) },
  { weight: 7, arbitrary: fc.nat().map((k) => ({ op: "drop" as const, k })) },
  { weight: 1, arbitrary: fc.nat().map((k) => ({ op: "share" as const, k })) },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant("list" as const), k: fc.nat(), n: fc.nat(4) }),
  },
  { weight: 1, arbitrary: fc.nat().map((k) => ({ op: "listDelete" as const, k })) },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant("dict" as const), k: fc.nat(), n: fc.nat(3) }),
  },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 1, max: 120 }).map((length) => ({ op: "chain" as const, length })),
  },
  { weight: 1, arbitrary: fc.boolean().map((on) => ({ op: "observe" as const, on })) },
  { weight: 1, arbitrary: fc.boolean().map((on) => ({ op: "trace" as const, on })) },
);

/** Runs one operation on one side; returns the addresses it made, for comparison. */
function apply(s: Side, o: Op): Ref[] {
  const { py, held } = s;
  const pick = (k: number) => (held.length === 0 ? -1 : k % held.length);
  switch (o.op) {
    case "int": {
      const r = py.int(o.value);
      held.push(r);
      return [r];
    }
    case "intFromSsize": {
      const r = py.intFromSsize(o.value);
      held.push(r);
      return [r];
    }
    case "float": {
      const r = py.float(o.value);
      held.push(r);
      return [r];
    }
    case "drop": {
      const i = pick(o.k);
      if (i >= 0) py.decref(held.splice(i, 1)[0]!);
      return [];
    }
    case "share": {
      const i = pick(o.k);
      if (i >= 0) held.push(py.newRef(held[i]!));
      return [];
    }
    case "list": {
      // A list of the last n held objects, which it takes over (the test's references go).
      const items = held.splice(Math.max(0, held.length - o.n), o.n);
      const l = py.list(items);
      for (const item of items) py.decref(item);
      held.push(l);
      return [l];
    }
    case "listDelete": {
      // Deletes the first item of a held list: the list's reference goes through the object
      // layer's decref.
      const lists = held.filter((r) => py.typeName(r) === "list" && py.len(r) > 0);
      if (lists.length > 0) py.listDelete(lists[o.k % lists.length]!, 0);
      return [];
    }
    case "dict": {
      // A dict of int keys to the last n held objects, then one entry deleted and the dict
      // dropped: keys and values die by the object layer's decref.
      const d = py.dict();
      const items = held.splice(Math.max(0, held.length - o.n), o.n);
      for (let j = 0; j < items.length; j++) {
        const key = py.int(100_000 + o.k + j);
        py.dictSet(d, key, items[j]!);
        py.decref(key);
        py.decref(items[j]!);
      }
      if (items.length > 0) {
        const key = py.int(100_000 + o.k);
        py.dictDel(d, key);
        py.decref(key);
      }
      held.push(d);
      return [d];
    }
    case "chain": {
      // Nodes each holding the next, dropped from the head: each finalizer runs one
      // deallocation deeper, past the trashcan's depth for a long chain.
      let next = 0;
      for (let j = 0; j < o.length; j++) {
        const n = py.instance(s.node);
        if (next !== 0) {
          py.setAttr(n, "next", next);
          py.decref(next);
        }
        next = n;
      }
      py.decref(next);
      return [next];
    }
    case "observe": {
      if (o.on && !s.stopObserving) {
        s.stopObserving = py.observe((e: RuntimeEvent) => {
          if (e.kind === "allocate" || e.kind === "free")
            s.events.push(`${e.kind} ${e.type} ${e.address} ${e.size}`);
          else s.events.push(e.kind);
        });
      } else if (!o.on && s.stopObserving) {
        s.stopObserving();
        s.stopObserving = undefined;
      }
      return [];
    }
    case "trace": {
      if (o.on && !py.tracemalloc.isTracing()) py.tracemalloc.start();
      else if (!o.on && py.tracemalloc.isTracing()) py.tracemalloc.stop();
      return [];
    }
  }
}

/** Everything that must agree between the two sides. */
function state(s: Side) {
  const traces = py_traces(s.py);
  return {
    stats: s.rt.stats(),
    traced: s.py.tracemalloc.getTracedMemory(),
    traces,
    events: s.events.length,
    counts: s.held.map((r) => s.py.refcount(r)),
  };
}

function py_traces(py: Embedding): number[] {
  if (!py.tracemalloc.isTracing()) return [];
  return py.tracemalloc
    .takeSnapshot()
    .traces.map((t) => t.size)
    .sort((a, b) => a - b);
}

function lockstep(collector: string, steps: readonly Op[]): void {
  const direct = side(collector);
  const layered = side(`${collector}-layered`);
  expect(direct.py.countsInPlace).toBe(true);
  for (const o of steps) {
    const a = apply(direct, o);
    const b = apply(layered, o);
    expect(a).toEqual(b);
    expect(direct.events).toEqual(layered.events);
  }
  expect(state(direct)).toEqual(state(layered));
  direct.rt.verify();
  layered.rt.verify();
  const bytes = (s: Side) => s.py.memory.u8;
  expect(bytes(direct).length).toBe(bytes(layered).length);
  expect(Buffer.compare(Buffer.from(bytes(direct)), Buffer.from(bytes(layered)))).toBe(0);
  // Everything released: the same again.
  for (const s of [direct, layered]) {
    for (const r of s.held.splice(0)) s.py.decref(r);
    s.rt.verify();
  }
  expect(state(direct)).toEqual(state(layered));
  expect(Buffer.compare(Buffer.from(bytes(direct)), Buffer.from(bytes(layered)))).toBe(0);
}

describe("the direct path of ints and floats", () => {
  for (const collector of ["cpython", "refcount"]) {
    it(`gives the layered path's blocks, events, traces, counts and heap under ${collector}`, () => {
      fc.assert(
        fc.property(fc.array(ops, { maxLength: 120 }), (steps) => lockstep(collector, steps)),
        { numRuns: 60 },
      );
    });
  }

  it("is taken under the built-in counting collectors and not under a copy of one", () => {
    for (const [collector, expected] of [
      ["cpython", 0],
      ["refcount", 0],
      ["cpython-layered", 2],
      ["refcount-layered", 2],
    ] as const) {
      const rt = new Runtime({ ...quiet, registry, collector });
      const py = new Embedding(rt);
      let calls = 0;
      const strategy = rt.strategy;
      const allocate = strategy.allocate.bind(strategy);
      const decref = strategy.decref.bind(strategy);
      strategy.allocate = (typeId, items) => {
        calls++;
        return allocate(typeId, items);
      };
      strategy.decref = (o) => {
        calls++;
        decref(o);
      };
      py.decref(py.int(123_456));
      expect(calls, collector).toBe(expected);
      calls = 0;
      // The first float is a new block, the second one the free list's: the layered path calls
      // the strategy to allocate the first and to drop each.
      py.decref(py.float(0.5));
      py.decref(py.float(1.5));
      expect(calls, collector).toBe(expected === 0 ? 0 : 3);
    }
  });

  it("writes ob_size and the 30-bit digits of any safe integer (worked out here with bigints)", () => {
    const py = new Embedding(new Runtime(quiet));
    fc.assert(
      fc.property(
        fc.oneof(
          fc.maxSafeInteger(),
          fc.constantFrom(0, 2 ** 30 - 1, 2 ** 30, -(2 ** 30), 2 ** 31, -(2 ** 53 - 1)),
        ),
        (v) => {
          const a = py.int(v);
          const digits: number[] = [];
          for (let m = BigInt(Math.abs(v)); m > 0n; m >>= 30n)
            digits.push(Number(m & 0x3fff_ffffn));
          const { i32, u32 } = py.memory;
          expect(i32[(a + 16) >>> 2]).toBe(Math.sign(v) * digits.length);
          for (let d = 0; d < digits.length; d++)
            expect(u32[(a + 24 + 4 * d) >>> 2]).toBe(digits[d]);
          expect(py.intValue(a)).toBe(v);
          py.decref(a);
        },
      ),
    );
  });

  it("frees an int dying deeper than the trashcan's depth when the layered path does", () => {
    lockstep("cpython", [
      { op: "trace", on: true },
      { op: "chain", length: 120 },
      { op: "int", value: 5000 },
      { op: "chain", length: 51 },
      { op: "drop", k: 0 },
    ]);
  });

  it("falls back while an observer is added, and the events say what the layered path's say", () => {
    lockstep("cpython", [
      { op: "int", value: 70_000 },
      { op: "observe", on: true },
      { op: "int", value: 80_000 },
      { op: "drop", k: 0 },
      { op: "observe", on: false },
      { op: "int", value: 90_000 },
      { op: "observe", on: true },
      { op: "drop", k: 0 },
      { op: "drop", k: 0 },
    ]);
  });
});

describe("intFromSsize: PyLong_FromSsize_t's int", () => {
  for (const collector of ["cpython", "cpython-layered"]) {
    it(`allocates exactly the value's digits under ${collector}`, () => {
      const { py } = side(collector);
      fc.assert(
        fc.property(
          fc.oneof(fc.integer({ min: -10, max: 300 }), fc.integer(), fc.maxSafeInteger()),
          (value) => {
            const digits = value === 0 ? 0 : Math.ceil(Math.log2(Math.abs(value) + 1) / 30);
            const cached = value >= -5 && value <= 256;
            py.tracemalloc.start();
            const before = py.tracemalloc.getTracedMemory()[0];
            const exact = py.intFromSsize(value);
            const exactBytes = py.tracemalloc.getTracedMemory()[0] - before;
            const medium = py.int(value);
            const mediumBytes = py.tracemalloc.getTracedMemory()[0] - before - exactBytes;
            expect(py.intValue(exact)).toBe(value);
            // sys.getsizeof agrees; tracemalloc sees _PyLong_New(ndigits) against
            // _PyLong_FromMedium's whole struct (the same as two digits).
            expect(py.sizeof(exact)).toBe(py.sizeof(medium));
            if (cached) expect([exact, exactBytes, mediumBytes]).toEqual([medium, 0, 0]);
            else {
              expect(exactBytes).toBe(24 + 4 * digits);
              expect(mediumBytes).toBe(digits === 1 ? 32 : 24 + 4 * digits);
            }
            py.decref(exact);
            py.decref(medium);
            expect(py.tracemalloc.getTracedMemory()[0]).toBe(before);
            py.tracemalloc.stop();
          },
        ),
      );
    });
  }
});

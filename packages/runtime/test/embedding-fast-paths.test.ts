// The embedding's direct paths against its layered ones: counts changed in place under a
// reference-counting strategy (checked against the same operations through a strategy whose
// incref and decref the embedding must call), and a popped frame pushed again.

import { fc } from "@fast-check/vitest";
import { COUNTING_CAPABILITIES, type CollectorDefinition, CountingCollector } from "@mm/gen-gc";
import { describe, expect, it } from "vitest";
import { FrameStack } from "../src/frames.js";
import {
  Embedding,
  PythonError,
  type Ref,
  Runtime,
  type RuntimeEvent,
  StrategyRegistry,
} from "../src/index.js";

const quiet = { env: {}, log: () => {} } as const;

/** The counting collector with incref and decref of its own: calls the embedding cannot skip. */
class LayeredCounting extends CountingCollector {
  calls = 0;
  override incref(object: number): void {
    this.calls++;
    super.incref(object);
  }
  override decref(object: number): void {
    this.calls++;
    super.decref(object);
  }
}

const layered: CollectorDefinition = {
  name: "layered",
  capabilities: COUNTING_CAPABILITIES,
  create: (host) =>
    new LayeredCounting(host.space, {
      name: "layered",
      free: host.free,
      unraisable: host.unraisable,
      clearingWeakrefs: host.clearingWeakrefs,
    }),
};

const registry = StrategyRegistry.withBuiltins();
registry.registerCollector(layered);

/** A runtime with an embedding and the log of what its observer saw. */
function embedded(collector: string) {
  const rt = new Runtime({ ...quiet, registry, collector });
  const py = new Embedding(rt);
  const events: string[] = [];
  py.observe((e: RuntimeEvent) => {
    if (e.kind === "allocate" || e.kind === "free") events.push(`${e.kind} ${e.type} ${e.address}`);
  });
  return { rt, py, events };
}

/** What an operation threw, as a comparable string, or "ok". */
function outcome(f: () => void): string {
  try {
    f();
    return "ok";
  } catch (error) {
    return error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error);
  }
}

describe("reference counts changed in place", () => {
  it("is on under the counting strategies and off where a strategy's own calls are needed", () => {
    expect(embedded("cpython").py.countsInPlace).toBe(true);
    expect(embedded("refcount").py.countsInPlace).toBe(true);
    expect(new Embedding(new Runtime({ ...quiet, preset: "3.13" })).countsInPlace).toBe(true);
    expect(embedded("tracing").py.countsInPlace).toBe(false);
    expect(embedded("none").py.countsInPlace).toBe(false);
    const own = embedded("layered");
    expect(own.py.countsInPlace).toBe(false);
    const l = own.py.list([]);
    own.py.incref(l);
    own.py.decref(l);
    own.py.decref(l);
    // The list's creation and the three calls above: every one reached the strategy.
    expect((own.rt.strategy as LayeredCounting).calls).toBeGreaterThanOrEqual(3);
  });

  /** The model: each object's count and the objects it holds (a list of at most one). */
  interface Model {
    counts: number[];
    holds: Array<number | undefined>;
  }
  interface Real {
    fast: ReturnType<typeof embedded>;
    slow: ReturnType<typeof embedded>;
    /** Addresses by object number, the same in both runtimes. */
    refs: Ref[];
  }

  /** Drops a model reference; at zero the object's item loses its own. */
  function modelDecref(m: Model, i: number): void {
    m.counts[i]!--;
    if (m.counts[i] === 0) {
      const held = m.holds[i];
      if (held !== undefined) modelDecref(m, held);
    }
  }

  function check(m: Model, r: Real): void {
    expect(r.fast.events).toEqual(r.slow.events);
    for (let i = 0; i < r.refs.length; i++) {
      if (m.counts[i]! > 0) {
        expect(r.fast.py.refcount(r.refs[i]!)).toBe(m.counts[i]);
        expect(r.slow.py.refcount(r.refs[i]!)).toBe(m.counts[i]);
      }
    }
    r.fast.rt.verify();
    r.slow.rt.verify();
  }

  const newList = (holding: number) =>
    ({
      check: () => true,
      run(m: Model, r: Real) {
        const held = holding < r.refs.length && m.counts[holding]! > 0 ? holding : undefined;
        const a = r.fast.py.list(held === undefined ? [] : [r.refs[held]!]);
        const b = r.slow.py.list(held === undefined ? [] : [r.refs[held]!]);
        expect(a).toBe(b);
        r.refs.push(a);
        m.counts.push(1);
        m.holds.push(held);
        if (held !== undefined) m.counts[held]!++;
        check(m, r);
      },
      toString: () => `list(holding ${holding})`,
    }) satisfies fc.Command<Model, Real>;

  /** The `k`th live object (k modulo their number), or undefined when none is. */
  function live(m: Model, k: number): number | undefined {
    const alive = m.counts.flatMap((c, i) => (c > 0 ? [i] : []));
    return alive.length === 0 ? undefined : alive[k % alive.length];
  }

  const incref = (k: number) =>
    ({
      check: (m: Model) => live(m, k) !== undefined,
      run(m: Model, r: Real) {
        const i = live(m, k)!;
        r.fast.py.incref(r.refs[i]!);
        r.slow.py.incref(r.refs[i]!);
        m.counts[i]!++;
        check(m, r);
      },
      toString: () => `incref(${k})`,
    }) satisfies fc.Command<Model, Real>;

  const decref = (k: number) =>
    ({
      check: (m: Model) => live(m, k) !== undefined,
      run(m: Model, r: Real) {
        const i = live(m, k)!;
        r.fast.py.decref(r.refs[i]!);
        r.slow.py.decref(r.refs[i]!);
        modelDecref(m, i);
        check(m, r);
      },
      toString: () => `decref(${k})`,
    }) satisfies fc.Command<Model, Real>;

  /** An incref or decref of what is not an object: NULL, or inside an object's header. */
  const bad = (k: number, inc: boolean) =>
    ({
      check: () => true,
      run(m: Model, r: Real) {
        const o = r.refs.length === 0 || k === 0 ? 0 : r.refs[k % r.refs.length]! + 8;
        const op = (py: Embedding) => (inc ? py.incref(o) : py.decref(o));
        const a = outcome(() => op(r.fast.py));
        expect(a).not.toBe("ok");
        expect(a).toBe(outcome(() => op(r.slow.py)));
        check(m, r);
      },
      toString: () => `${inc ? "incref" : "decref"} of a bad address (${k})`,
    }) satisfies fc.Command<Model, Real>;

  /**
   * An incref or decref of an immortal object (None, True, a small int, the empty tuple or
   * str): nothing changes on either path, and both agree.
   */
  const immortal = (k: number, inc: boolean) =>
    ({
      check: () => true,
      run(m: Model, r: Real) {
        const pick = (py: Embedding): Ref =>
          [py.none, py.constant(""), py.tuple([]), py.int(k - 5), py.bool(k % 2 === 0)][k % 5]!;
        const a = pick(r.fast.py);
        const b = pick(r.slow.py);
        expect(a).toBe(b);
        const before = r.slow.py.refcount(b);
        expect(r.fast.py.refcount(a)).toBe(before);
        if (inc) {
          r.fast.py.incref(a);
          r.slow.py.incref(b);
        } else {
          r.fast.py.decref(a);
          r.slow.py.decref(b);
        }
        expect(r.fast.py.refcount(a)).toBe(before);
        expect(r.slow.py.refcount(b)).toBe(before);
        check(m, r);
      },
      toString: () => `${inc ? "incref" : "decref"} of an immortal object (${k})`,
    }) satisfies fc.Command<Model, Real>;

  it("gives the counts, frees, events and errors of the strategy's own calls", () => {
    fc.assert(
      fc.property(
        fc.commands(
          [
            fc.nat(40).map(newList),
            fc.nat(1000).map(incref),
            fc.nat(1000).map(decref),
            fc.nat(1000).map(decref),
            fc.tuple(fc.nat(20), fc.boolean()).map(([k, inc]) => bad(k, inc)),
            fc.tuple(fc.nat(200), fc.boolean()).map(([k, inc]) => immortal(k, inc)),
          ],
          { maxCommands: 60 },
        ),
        (commands) => {
          const setup = () => ({
            model: { counts: [], holds: [] } as Model,
            real: { fast: embedded("refcount"), slow: embedded("layered"), refs: [] } as Real,
          });
          fc.modelRun(setup, commands);
        },
      ),
      { numRuns: 40, seed: Number(process.env.MM_FC_SEED ?? 1717) },
    );
  });

  it("leaves an immortal object's count alone, as the counter does", () => {
    const { py } = embedded("cpython");
    const immortal = py.none;
    const before = py.refcount(immortal);
    py.incref(immortal);
    py.decref(immortal);
    expect(py.refcount(immortal)).toBe(before);
  });
});

describe("a popped frame pushed again", () => {
  it("is a new call of the same function: top, depth, caller, unbound locals, line 0", () => {
    const { rt, py } = embedded("cpython");
    const names = ["x"];
    const outer = py.pushFrame("outer", "<demo>", []);
    const f = py.pushFrame("f", "<demo>", names);
    f.store("x", py.list([]));
    f.line = 7;
    py.popFrame(f);
    expect(py.depth).toBe(2);
    py.repushFrame(f);
    expect(py.depth).toBe(3);
    expect(py.top.name).toBe("f");
    expect(f.line).toBe(0);
    expect(f.load("x")).toBe(0);
    py.popFrame(f);
    expect(py.top.name).toBe("outer");
    py.popFrame(outer);
    expect(py.depth).toBe(1);
    rt.verify();
  });

  it("refuses a frame on the stack and the module frame", () => {
    const { py } = embedded("cpython");
    const f = py.pushFrame("f", "<demo>", ["x"]);
    expect(() => py.repushFrame(f)).toThrow(RangeError);
    expect(() => py.repushFrame(py.module)).toThrow(RangeError);
    expect(py.depth).toBe(2);
    py.popFrame(f);
    expect(py.depth).toBe(1);
  });

  it("refuses a popped frame that still binds a local (its locals were not released)", () => {
    const stack = new FrameStack("<demo>", 10);
    const f = stack.push("f", "<demo>", ["x"]);
    f.setSlot(0, 16);
    stack.pop(f);
    expect(() => stack.repush(f)).toThrow(RangeError);
    f.setSlot(0, 0);
    stack.repush(f);
    expect(stack.top).toBe(f);
    expect(stack.depth).toBe(2);
  });

  it("raises RecursionError at the limit, the stack unchanged", () => {
    const { rt, py } = embedded("cpython");
    rt.sys.setrecursionlimit(3);
    const a = py.pushFrame("a", "<demo>", []);
    const b = py.pushFrame("b", "<demo>", []);
    py.popFrame(b);
    const c = py.pushFrame("c", "<demo>", []);
    expect(py.depth).toBe(3);
    let error: unknown;
    try {
      py.repushFrame(b);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PythonError);
    expect((error as PythonError).message).toContain("maximum recursion depth exceeded");
    expect(py.depth).toBe(3);
    expect(py.top.name).toBe("c");
    py.popFrame(c);
    py.repushFrame(b);
    expect(py.top.name).toBe("b");
    py.popFrame(b);
    py.popFrame(a);
  });
});

describe("a tuple taking the caller's references", () => {
  /** A runtime tracing its allocations, with a pool of lists, ints and strs to put in tuples. */
  function world(collector: string, observed: boolean) {
    const rt = new Runtime({ ...quiet, registry, collector });
    const py = new Embedding(rt);
    const events: string[] = [];
    if (observed)
      py.observe((e: RuntimeEvent) => {
        if (e.kind === "allocate" || e.kind === "free") events.push(`${e.kind} ${e.type}`);
      });
    rt.tracemalloc.start();
    const pool: Ref[] = [];
    for (let i = 0; i < 6; i++) pool.push(py.list([]), py.int(1000 + i), py.str(`s${i}`));
    pool.push(py.none, py.int(3));
    return { rt, py, pool, events, tuples: [] as Ref[] };
  }
  type World = ReturnType<typeof world>;

  /** Everything either way of building must leave the same. */
  function same(a: World, b: World): void {
    expect(a.tuples).toEqual(b.tuples);
    expect(a.pool.map((o) => a.py.refcount(o))).toEqual(b.pool.map((o) => b.py.refcount(o)));
    expect(a.tuples.map((o) => a.py.refcount(o))).toEqual(b.tuples.map((o) => b.py.refcount(o)));
    expect(a.rt.gc.getCount()).toEqual(b.rt.gc.getCount());
    expect(a.rt.tracemalloc.getTracedMemory()).toEqual(b.rt.tracemalloc.getTracedMemory());
    expect(a.events).toEqual(b.events);
  }

  type Step = { build: number[] } | { drop: number };
  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.record({ build: fc.array(fc.nat(100), { minLength: 0, maxLength: 24 }) }),
    fc.record({ drop: fc.nat(100) }),
  );

  for (const [collector, observed] of [
    ["cpython", false],
    ["cpython", true],
    ["refcount", false],
    ["layered", false],
    ["tracing", false],
  ] as const) {
    it(`is the tuple of new references less the caller's (${collector}${observed ? ", observed" : ""})`, () => {
      fc.assert(
        fc.property(fc.array(step, { maxLength: 80 }), (steps) => {
          const taking = world(collector, observed);
          const giving = world(collector, observed);
          for (const s of steps) {
            if ("build" in s) {
              const pick = (w: World) => s.build.map((k) => w.pool[k % w.pool.length]!);
              // The caller's own references, which the tuple takes over on one side and which
              // are given up after the tuple took its own on the other.
              const a = pick(taking);
              for (const o of a) taking.py.incref(o);
              taking.tuples.push(taking.py.tupleTaking(a));
              const b = pick(giving);
              for (const o of b) giving.py.incref(o);
              const t = giving.py.tuple(b);
              for (const o of b) giving.py.decref(o);
              giving.tuples.push(t);
            } else if (taking.tuples.length > 0) {
              const i = s.drop % taking.tuples.length;
              taking.py.decref(taking.tuples.splice(i, 1)[0]!);
              giving.py.decref(giving.tuples.splice(i, 1)[0]!);
            }
            same(taking, giving);
          }
        }),
        { numRuns: 30, seed: Number(process.env.MM_FC_SEED ?? 1718) },
      );
    });
  }
});

describe("containers made by their kinds directly", () => {
  /**
   * A runtime tracing its allocations, with a pool of items and a class. An observed runtime
   * makes every object through the object layer (for the allocation events), an unobserved one
   * under a counting collector through the kind alone: both must leave the same heap.
   */
  function world(collector: string, observed: boolean) {
    const rt = new Runtime({ ...quiet, registry, collector });
    const py = new Embedding(rt);
    if (observed) py.observe(() => {});
    rt.tracemalloc.start();
    const cls = py.defineClass("Point");
    const pool: Ref[] = [];
    for (let i = 0; i < 4; i++) pool.push(py.list([]), py.int(1000 + i), py.str(`s${i}`));
    pool.push(py.none, py.int(3));
    return { rt, py, cls, pool, made: [] as Ref[] };
  }
  type World = ReturnType<typeof world>;

  function same(a: World, b: World): void {
    expect(a.made).toEqual(b.made);
    expect(a.pool.map((o) => a.py.refcount(o))).toEqual(b.pool.map((o) => b.py.refcount(o)));
    expect(a.made.map((o) => a.py.refcount(o))).toEqual(b.made.map((o) => b.py.refcount(o)));
    expect(a.made.map((o) => a.py.typeName(o))).toEqual(b.made.map((o) => b.py.typeName(o)));
    expect(a.rt.gc.getCount()).toEqual(b.rt.gc.getCount());
    expect(a.rt.tracemalloc.getTracedMemory()).toEqual(b.rt.tracemalloc.getTracedMemory());
  }

  type Step =
    | { tuple: number[] }
    | { list: number[]; fresh: boolean }
    | { dict: boolean }
    | { instance: true }
    | { append: number; item: number }
    | { pop: number }
    | { drop: number };
  const items = fc.array(fc.nat(100), { maxLength: 12 });
  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.record({ tuple: items }),
    fc.record({ list: items, fresh: fc.boolean() }),
    fc.record({ dict: fc.boolean() }),
    fc.constant({ instance: true as const }),
    fc.record({ append: fc.nat(100), item: fc.nat(100) }),
    fc.record({ pop: fc.nat(100) }),
    fc.record({ drop: fc.nat(100) }),
  );

  /** Runs one step on `w`; what it threw, or "ok". */
  function run(w: World, s: Step): string {
    const pick = (k: number) => w.pool[k % w.pool.length]!;
    return outcome(() => {
      if ("tuple" in s) w.made.push(w.py.tuple(s.tuple.map(pick)));
      else if ("list" in s) w.made.push(w.py.list(s.list.map(pick), s.fresh));
      else if ("dict" in s) w.made.push(w.py.dict(s.dict));
      else if ("instance" in s) w.made.push(w.py.instance(w.cls));
      else if ("append" in s) w.py.append(pick(s.append), pick(s.item));
      else if ("pop" in s) w.py.decref(w.py.pop(pick(s.pop)));
      else if (w.made.length > 0) w.py.decref(w.made.splice(s.drop % w.made.length, 1)[0]!);
    });
  }

  for (const collector of ["cpython", "refcount"]) {
    it(`leave the object layer's blocks, counts and traces (${collector})`, () => {
      fc.assert(
        fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
          const direct = world(collector, false);
          const layeredWorld = world(collector, true);
          for (const s of steps) {
            expect(run(direct, s)).toBe(run(layeredWorld, s));
            same(direct, layeredWorld);
          }
        }),
        { numRuns: 30, seed: Number(process.env.MM_FC_SEED ?? 1718) },
      );
    });
  }
});

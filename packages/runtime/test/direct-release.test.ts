// The object layer's direct release (a strategy's `releaseAs`, the type read from the header)
// against the layered one it stands for (the strategy's `release`, which looks the type up
// again): a strategy whose class overrides `release` alone gets every release through it, and
// the same program then frees the same objects in the same order, with the same events, and
// leaves the allocators in the same state.

import { fc } from "@fast-check/vitest";
import {
  type CollectorDefinition,
  directRelease,
  GENERATIONAL_CAPABILITIES,
  GenerationalCollector,
} from "@mm/gen-gc";
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

/** CPython's collector with a `release` of its own: every free to the allocator calls it. */
class LayeredGenerational extends GenerationalCollector {
  releases = 0;
  override release(object: number): void {
    this.releases++;
    super.release(object);
  }
}

const layered: CollectorDefinition = {
  name: "layered",
  capabilities: GENERATIONAL_CAPABILITIES,
  create: (host) =>
    new LayeredGenerational(host.space, {
      name: "layered",
      free: host.free,
      unraisable: host.unraisable,
      clearFreeLists: host.clearFreeLists,
      clearingWeakrefs: host.clearingWeakrefs,
      log: host.log,
      callbackInfo: host.callbackInfo,
    }),
};

const registry = StrategyRegistry.withBuiltins();
registry.registerCollector(layered);

/** One step of a program: a new object holding earlier ones, a weak reference, or a drop. */
type Step =
  | { op: "list" | "tuple" | "dict" | "plain" | "finalized"; children: number[] }
  | { op: "weakref"; target: number }
  | { op: "drop"; at: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      op: fc.constantFrom("list", "tuple", "dict", "plain", "finalized"),
      children: fc.array(fc.nat(), { maxLength: 4 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("weakref"), target: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("drop"), at: fc.nat() }) },
) as fc.Arbitrary<Step>;

/** Runs `steps` on a fresh runtime, dropping what is left at the end; returns what it saw. */
function run(collector: string, observed: boolean, steps: readonly Step[]) {
  const rt = new Runtime({ ...quiet, registry, collector });
  const py = new Embedding(rt);
  rt.gc.disable();
  const log: string[] = [];
  if (observed) {
    py.observe((e: RuntimeEvent) => {
      if (e.kind === "allocate" || e.kind === "free")
        log.push(`event ${e.kind} ${e.type} ${e.address}`);
      else log.push(`event ${e.kind}`);
    });
  }
  const plain: ClassRef = py.defineClass("Plain");
  const finalized: ClassRef = py.defineClass("Finalized", {
    del: (self) => log.push(`__del__ ${self}`),
  });
  // The references the program holds (0 once dropped), and which of them are instances.
  const held: Ref[] = [];
  const instances: boolean[] = [];
  const live = (k: number): Ref | undefined => {
    const alive = held.filter((r) => r !== 0);
    return alive.length === 0 ? undefined : alive[k % alive.length];
  };
  for (const step of steps) {
    if (step.op === "drop") {
      const alive = held.flatMap((r, i) => (r !== 0 ? [i] : []));
      if (alive.length === 0) continue;
      const i = alive[step.at % alive.length]!;
      const r = held[i]!;
      held[i] = 0;
      py.decref(r);
      continue;
    }
    if (step.op === "weakref") {
      // Instances are the weakrefable kinds here (lists, tuples and dicts are not, as in CPython).
      const targets = held.filter((r, i) => r !== 0 && instances[i]);
      const target = targets[step.target % Math.max(1, targets.length)];
      if (target === undefined) continue;
      held.push(py.weakref(target, (wr) => log.push(`callback ${wr}`)));
      instances.push(false);
      continue;
    }
    // Children may repeat: shared children, and one object held twice by the same parent.
    const children = step.children.flatMap((k) => {
      const r = live(k);
      return r === undefined ? [] : [r];
    });
    let o: Ref;
    switch (step.op) {
      case "list":
        o = py.list(children);
        break;
      case "tuple":
        o = py.tuple(children);
        break;
      case "dict": {
        o = py.dict();
        children.forEach((child, i) => {
          const key = py.int(i);
          py.dictSet(o, key, child);
          py.decref(key);
        });
        break;
      }
      default: {
        o = py.instance(step.op === "plain" ? plain : finalized);
        children.forEach((child, i) => {
          py.setAttr(o, `a${i}`, child);
        });
      }
    }
    held.push(o);
    instances.push(step.op === "plain" || step.op === "finalized");
  }
  for (let i = held.length - 1; i >= 0; i--) {
    const r = held[i]!;
    if (r !== 0) py.decref(r);
  }
  rt.verify();
  // The allocator's state, as the next allocations see it: which addresses come back first,
  // for objects of several size classes (id() reuse), and pymalloc's counts.
  const reused: number[] = [];
  const fresh: Ref[] = [];
  for (let k = 0; k < 40; k++) {
    fresh.push(py.list([]), py.instance(plain), py.tuple([py.none, py.none, py.none]), py.dict());
  }
  for (const r of fresh) reused.push(r);
  for (const r of fresh) py.decref(r);
  const stats = rt.pymalloc?.mallocStats();
  return {
    log,
    reused,
    blocks: stats?.bytesInAllocatedBlocks,
    liveObjects: rt.stats().liveObjects,
    releases: rt.strategy instanceof LayeredGenerational ? rt.strategy.releases : -1,
    direct: directRelease(rt.strategy) !== undefined,
  };
}

describe("the direct release", () => {
  it("is taken for CPython's collector and not for a class that overrides release alone", () => {
    expect(run("cpython", false, []).direct).toBe(true);
    const slow = run("layered", false, [
      { op: "list", children: [] },
      { op: "drop", at: 0 },
    ]);
    expect(slow.direct).toBe(false);
    // The list's death and the forty of each kind at the end that do not fit on a free list.
    expect(slow.releases).toBeGreaterThan(0);
  });

  it("frees what the layered release frees, in the same order, with the same events and allocator state", () => {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 60 }), (steps) => {
        const reference = run("layered", true, steps);
        const direct = run("cpython", true, steps);
        const unobserved = run("cpython", false, steps);
        expect(direct.log).toEqual(reference.log);
        expect(direct.reused).toEqual(reference.reused);
        expect(direct.blocks).toBe(reference.blocks);
        expect(direct.liveObjects).toBe(reference.liveObjects);
        // Without an observer: the same finalizers and callbacks, and the same allocator state.
        expect(unobserved.log).toEqual(reference.log.filter((line) => !line.startsWith("event ")));
        expect(unobserved.reused).toEqual(reference.reused);
        expect(unobserved.blocks).toBe(reference.blocks);
      }),
      { numRuns: 25 },
    );
  });
});

// Reference counting releases tuples, lists and instances without a finalizer in place: its own
// loops drop their fields and items, without calling the kind's dealloc. The kind's dealloc is
// still what every other death runs (weak references, the trashcan), and it is the reference:
// with `releasePointersInPlace` off, every death takes it. The property builds the same random
// heap twice (lists, tuples, dicts, instances of plain classes and of a class with __del__,
// shared children, weak references with callbacks), drops every reference in the same random
// order, and compares what observers saw both ways: every free (address, type, size), finalizer
// and weakref callback, in order. A finalizer allocates (so address reuse follows the order of
// the frees before it) and checks the whole runtime, dying objects included.

import { fcRuns } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Embedding, type Ref, Runtime } from "../src/index.js";

type Step =
  | { op: "list" | "tuple"; picks: number[] }
  | { op: "dict"; picks: number[] }
  | { op: "instance"; cls: number; attrs: Array<[number, number]> }
  | { op: "append"; target: number; pick: number }
  | { op: "weakref"; target: number; callback: boolean }
  | { op: "chain"; length: number };

const names = ["a", "b", "c", "d"];
const pick = fc.nat({ max: 1000 });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    op: fc.constantFrom("list" as const, "tuple" as const),
    picks: fc.array(pick, { maxLength: 6 }),
  }),
  fc.record({ op: fc.constant("dict" as const), picks: fc.array(pick, { maxLength: 5 }) }),
  fc.record({
    op: fc.constant("instance" as const),
    cls: fc.nat({ max: 2 }),
    attrs: fc.array(fc.tuple(fc.nat({ max: names.length - 1 }), pick), { maxLength: 4 }),
  }),
  fc.record({ op: fc.constant("append" as const), target: pick, pick }),
  fc.record({ op: fc.constant("weakref" as const), target: pick, callback: fc.boolean() }),
  // Past the trashcan's depth of 50: the deferred deaths take the kinds' path either way.
  fc.record({ op: fc.constant("chain" as const), length: fc.integer({ min: 1, max: 120 }) }),
);

/** Builds the heap of `steps`, drops every reference in `order`; returns what observers saw. */
function run(steps: readonly Step[], order: readonly number[], inPlace: boolean): string[] {
  const rt = new Runtime();
  rt.gc.disable();
  rt.strategy.rc.releasePointersInPlace = inPlace;
  const py = new Embedding(rt);
  const seen: string[] = [];
  const classes = [
    py.defineClass("A"),
    py.defineClass("B", {
      del: (self) => {
        seen.push(`__del__ ${self}`);
        const scratch = py.list([self]);
        py.decref(scratch);
        rt.verify();
      },
    }),
    py.defineClass("C"),
  ];
  const made: Ref[] = [];
  const weakrefs: Ref[] = [];
  const at = (n: number) => (made.length === 0 ? py.none : made[n % made.length]!);
  for (const s of steps) {
    switch (s.op) {
      case "list":
        made.push(py.list(s.picks.map(at)));
        break;
      case "tuple":
        made.push(py.tuple(s.picks.map(at)));
        break;
      case "dict": {
        const d = py.dict();
        s.picks.forEach((p, i) => {
          const key = py.int(i);
          py.dictSet(d, key, at(p));
          py.decref(key);
        });
        made.push(d);
        break;
      }
      case "instance": {
        const o = py.instance(classes[s.cls]!);
        for (const [name, p] of s.attrs) py.setAttr(o, names[name]!, at(p));
        made.push(o);
        break;
      }
      case "append": {
        const lists = made.filter((o) => py.typeName(o) === "list");
        if (lists.length > 0) py.append(lists[s.target % lists.length]!, at(s.pick));
        break;
      }
      case "weakref": {
        const instances = made.filter((o) => py.classOf(o) !== undefined);
        if (instances.length === 0) break;
        const target = instances[s.target % instances.length]!;
        weakrefs.push(
          py.weakref(target, s.callback ? (w) => seen.push(`callback ${w}`) : undefined),
        );
        break;
      }
      case "chain": {
        let t = py.tuple([at(s.length)]);
        for (let i = 1; i < s.length; i++) {
          const holder = i % 3 === 0 ? py.list([t]) : py.tuple([t]);
          py.decref(t);
          t = holder;
        }
        made.push(t);
        break;
      }
    }
  }
  const stop = rt.observe((event) => {
    if (event.kind === "free") seen.push(`free ${event.type} ${event.address} ${event.size}`);
    else if (event.kind === "finalize") seen.push(`finalize ${event.type} ${event.address}`);
    else if (event.kind === "weakref-callback") seen.push(`weakref-callback ${event.weakref}`);
  });
  const owned = [...made, ...weakrefs];
  for (const k of order) {
    if (owned.length === 0) break;
    const i = k % owned.length;
    py.decref(owned[i]!);
    owned.splice(i, 1);
  }
  for (const o of owned) py.decref(o);
  stop();
  const { objectsAllocated, objectsFreed, heapBytes, liveBytes } = rt.stats();
  seen.push(`stats ${objectsAllocated} ${objectsFreed} ${heapBytes} ${liveBytes}`);
  rt.verify();
  rt[Symbol.dispose]();
  return seen;
}

describe("the in-place release of tuples, lists and instances", () => {
  it("frees the same objects in the same order as the kinds' deallocs", () => {
    fc.assert(
      fc.property(
        fc.array(step, { minLength: 1, maxLength: 40 }),
        fc.array(fc.nat({ max: 1000 }), { maxLength: 60 }),
        (steps, order) => {
          const inPlace = run(steps, order, true);
          const byKinds = run(steps, order, false);
          expect(inPlace).toEqual(byKinds);
        },
      ),
      { numRuns: fcRuns(100) },
    );
  });

  it("is what a runtime does by default", () => {
    const rt = new Runtime();
    expect(rt.strategy.rc.releasePointersInPlace).toBe(true);
    rt[Symbol.dispose]();
  });
});

// The collectors walk a type that declares a pointer map with their own typed-array loops, never
// calling its traverse function; what they find, the order finalizers run in and the order
// tp_clear breaks cycles in all follow the references visited and their order. So every runtime
// kind's map must visit exactly what its `traverse` (CPython's tp_traverse) visits, in order: the
// property builds random heaps of runtime objects through the embedding API, mutates them, and
// compares the two walks on every object reached from what it built.

import { traverseByPointerMap } from "@mm/gen-gc";
import { fcRuns } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Embedding, type Ref, Runtime } from "../src/index.js";

type Step =
  | { op: "list" | "tuple"; picks: number[] }
  | { op: "dict"; picks: number[]; strKeys: boolean }
  | { op: "instance"; cls: number; attrs: Array<[number, number]> }
  | { op: "append" | "setattr" | "delattr" | "dictdel"; target: number; pick: number }
  | { op: "__dict__"; target: number }
  | { op: "int" | "str"; value: number };

const names = ["a", "b", "c", "d", "e", "f"];
const pick = fc.nat({ max: 1000 });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    op: fc.constantFrom("list" as const, "tuple" as const),
    picks: fc.array(pick, { maxLength: 6 }),
  }),
  fc.record({
    op: fc.constant("dict" as const),
    picks: fc.array(pick, { maxLength: 8 }),
    strKeys: fc.boolean(),
  }),
  fc.record({
    op: fc.constant("instance" as const),
    cls: fc.nat({ max: 2 }),
    attrs: fc.array(fc.tuple(fc.nat({ max: names.length - 1 }), pick), { maxLength: 6 }),
  }),
  fc.record({
    op: fc.constantFrom(
      "append" as const,
      "setattr" as const,
      "delattr" as const,
      "dictdel" as const,
    ),
    target: pick,
    pick,
  }),
  // A materialised __dict__: a split dict over its class's key table and the values block.
  fc.record({ op: fc.constant("__dict__" as const), target: pick }),
  fc.record({
    op: fc.constantFrom("int" as const, "str" as const),
    value: fc.integer({ min: -5, max: 300 }),
  }),
);

/** A visit that records each reference into `into`. */
const recorder =
  (into: number[]) =>
  (ref: number): number => {
    into.push(ref);
    return 0;
  };

/** Builds the heap `steps` describe; returns the runtime and every object it made (owned). */
function build(steps: readonly Step[]): { rt: Runtime; py: Embedding; made: Ref[] } {
  const rt = new Runtime();
  rt.gc.disable();
  const py = new Embedding(rt);
  // C's instances refer to a type object too (a heap type's), which the maps visit last.
  const meta = py.list([]);
  const classes = [
    py.defineClass("A"),
    py.defineClass("B"),
    py.defineClass("C", { typeObject: meta }),
  ];
  const made: Ref[] = [py.none, meta];
  const at = (n: number) => made[n % made.length]!;
  const ofType = (n: number, type: string) => {
    const all = made.filter((o) => py.typeName(o) === type);
    return all.length === 0 ? 0 : all[n % all.length]!;
  };
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
          const key = s.strKeys ? py.str(names[i % names.length]!) : py.int(i);
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
        const l = ofType(s.target, "list");
        if (l !== 0) py.append(l, at(s.pick));
        break;
      }
      case "setattr":
      case "delattr": {
        const o = made.filter((x) => py.classOf(x) !== undefined)[s.target % made.length];
        if (o === undefined) break;
        const name = names[s.pick % names.length]!;
        if (s.op === "setattr") py.setAttr(o, name, at(s.pick));
        else if (py.attr(o, name) !== 0) py.delAttr(o, name);
        break;
      }
      case "dictdel": {
        const d = ofType(s.target, "dict");
        const entries = d === 0 ? [] : py.dictItems(d);
        if (entries.length > 0) {
          // The key is borrowed from the dict, which drops it: held across the delete.
          const key = py.newRef(entries[s.pick % entries.length]![0]);
          py.dictDel(d, key);
          py.decref(key);
        }
        break;
      }
      case "__dict__": {
        const instances = made.filter((x) => py.classOf(x) !== undefined);
        const o = instances[s.target % Math.max(1, instances.length)];
        if (o !== undefined) made.push(py.instanceDict(o));
        break;
      }
      case "int":
        made.push(py.int(s.value));
        break;
      case "str":
        made.push(py.str(`s${s.value}`));
        break;
    }
  }
  // A list of everything, so that every heap has a mapped object to compare.
  made.push(py.list(made));
  return { rt, py, made };
}

describe("runtime kinds' pointer maps", () => {
  it("visit exactly what each kind's traverse visits, in the same order", () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 40 }), (steps) => {
        const { rt, made } = build(steps);
        const u32 = () => rt.memory.u32;
        const seen = new Set<number>();
        const todo = [...made];
        let mapped = 0;
        while (todo.length > 0) {
          const o = todo.pop()!;
          if (seen.has(o)) continue;
          seen.add(o);
          const type = rt.space.types.get(u32()[(o + 8) >>> 2]!);
          const byTraverse: number[] = [];
          type.traverse?.(o, recorder(byTraverse), 0);
          todo.push(...byTraverse);
          if (type.pointers === undefined) continue;
          mapped++;
          const byMap: number[] = [];
          traverseByPointerMap(
            rt.space,
            type.pointers,
            type.typeObject,
            type.typeObjectFirst,
          )(o, recorder(byMap), 0);
          expect({ type: type.name, refs: byMap }).toEqual({ type: type.name, refs: byTraverse });
        }
        expect(mapped).toBeGreaterThan(0);
        rt[Symbol.dispose]();
      }),
      { numRuns: fcRuns(150) },
    );
  });
});

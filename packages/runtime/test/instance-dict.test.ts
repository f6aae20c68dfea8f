// An instance's materialised `__dict__` against a plain model: fast-check runs commands (set and
// delete attributes, read `__dict__`, set and delete through it, names past the class's key
// table, reads and stores by key-table index as the evaluator's inline caches make them) on instances of one class, and after each one the instance's attributes and its dict's
// items must be the model's, in the model's insertion order, the dict read must always be the
// same object once made, and the heap must stay consistent.

import { fcRuns, fcSeed } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ClassRef, Embedding, PythonError, type Ref, Runtime } from "../src/index.js";

interface Model {
  /** Per instance: its attributes in insertion order (name → index of the value). */
  readonly attrs: Array<Map<string, number>>;
  /** Per instance: whether its `__dict__` was made. */
  readonly made: boolean[];
}

interface Real {
  readonly rt: Runtime;
  readonly py: Embedding;
  readonly cls: ClassRef;
  readonly objs: Ref[];
  /** The dict each instance's `__dict__` gave first (borrowed: the instance holds it). */
  readonly dicts: Ref[];
  readonly values: Ref[];
  /** The key-table index each name was first seen at. */
  readonly indexes: Map<string, number>;
}

const NAMES = ["a", "b", "c", "d", ...Array.from({ length: 30 }, (_, i) => `x${i}`)];

function check(m: Model, r: Real, i: number): void {
  const { py } = r;
  const want = [...m.attrs[i]!].map(([k, v]) => [k, r.values[v]!]);
  expect(py.attributes(r.objs[i]!)).toEqual(want);
  if (m.made[i]) {
    const items = py.dictItems(r.dicts[i]!).map(([k, v]) => [py.strValue(k), v]);
    expect(items).toEqual(want);
  }
}

function dictOf(m: Model, r: Real, i: number): Ref {
  const d = r.py.instanceDict(r.objs[i]!);
  if (m.made[i]) expect(d).toBe(r.dicts[i]);
  else {
    r.dicts[i] = d;
    m.made[i] = true;
  }
  // The instance keeps its own reference.
  r.py.decref(d);
  return d;
}

class SetAttr implements fc.Command<Model, Real> {
  constructor(
    readonly i: number,
    readonly name: string,
    readonly v: number,
    readonly through: boolean,
  ) {}
  check = () => true;
  run(m: Model, r: Real): void {
    if (this.through) {
      const d = dictOf(m, r, this.i);
      const key = r.py.str(this.name);
      r.py.dictSet(d, key, r.values[this.v]!);
      r.py.decref(key);
    } else {
      r.py.setAttr(r.objs[this.i]!, this.name, r.values[this.v]!);
    }
    m.attrs[this.i]!.set(this.name, this.v);
    check(m, r, this.i);
  }
  toString = () => `${this.through ? "dict" : "attr"} o${this.i}.${this.name} = v${this.v}`;
}

class DelAttr implements fc.Command<Model, Real> {
  constructor(
    readonly i: number,
    readonly name: string,
    readonly through: boolean,
  ) {}
  check = () => true;
  run(m: Model, r: Real): void {
    const has = m.attrs[this.i]!.has(this.name);
    let error = "";
    try {
      if (this.through) {
        const d = dictOf(m, r, this.i);
        const key = r.py.str(this.name);
        try {
          r.py.dictDel(d, key);
        } finally {
          r.py.decref(key);
        }
      } else {
        r.py.delAttr(r.objs[this.i]!, this.name);
      }
    } catch (e) {
      if (!(e instanceof PythonError)) throw e;
      error = e.pythonType;
    }
    expect(error).toBe(has ? "" : this.through ? "KeyError" : "AttributeError");
    m.attrs[this.i]!.delete(this.name);
    check(m, r, this.i);
  }
  toString = () => `del ${this.through ? "dict" : "attr"} o${this.i}.${this.name}`;
}

class ReadDict implements fc.Command<Model, Real> {
  constructor(readonly i: number) {}
  check = () => true;
  run(m: Model, r: Real): void {
    dictOf(m, r, this.i);
    check(m, r, this.i);
    r.rt.verify();
  }
  toString = () => `o${this.i}.__dict__`;
}

/**
 * `o.name = v` as an inline cache does it: by the name's key-table index when the table has the
 * name and the instance's values have its slot, by name otherwise (as the general path would).
 */
class SetAt implements fc.Command<Model, Real> {
  constructor(
    readonly i: number,
    readonly name: string,
    readonly v: number,
  ) {}
  check = () => true;
  run(m: Model, r: Real): void {
    const { py } = r;
    const o = r.objs[this.i]!;
    const index = py.attrIndex(r.cls, this.name);
    const value = r.values[this.v]!;
    // The store by index takes a reference; the one by name takes its own.
    py.incref(value);
    const fast = index >= 0 && py.setAttrAt(o, index, value);
    // The index path declines exactly when the instance has a dict of its own (or no slot).
    if (index >= 0 && py.attrAt(o, index) !== -1 && !m.made[this.i]) expect(fast).toBe(true);
    if (m.made[this.i]) expect(fast).toBe(false);
    if (!fast) {
      py.setAttr(o, this.name, value);
      py.decref(value);
    }
    m.attrs[this.i]!.set(this.name, this.v);
    check(m, r, this.i);
  }
  toString = () => `index o${this.i}.${this.name} = v${this.v}`;
}

/**
 * Reads every name by index: -1 once the instance has its own dict, else its value or 0; an
 * index, once given, stays its name's, and the count is the table's names.
 */
class GetAt implements fc.Command<Model, Real> {
  constructor(readonly i: number) {}
  check = () => true;
  run(m: Model, r: Real): void {
    const { py } = r;
    const o = r.objs[this.i]!;
    const names = NAMES.filter((n) => py.attrIndex(r.cls, n) >= 0);
    expect(py.attrCount(r.cls)).toBe(names.length);
    for (const n of NAMES) {
      const index = py.attrIndex(r.cls, n);
      const kept = r.indexes.get(n);
      if (kept !== undefined) expect(index).toBe(kept);
      else if (index >= 0) r.indexes.set(n, index);
      const v = m.attrs[this.i]!.get(n);
      const want = m.made[this.i] ? -1 : index < 0 || v === undefined ? 0 : r.values[v]!;
      expect(py.attrAt(o, index)).toBe(want);
    }
  }
  toString = () => `o${this.i} by index`;
}

const i = fc.nat({ max: 2 });
const name = fc.constantFrom(...NAMES);
const commands = fc.commands(
  [
    fc
      .tuple(i, name, fc.nat({ max: 3 }), fc.boolean())
      .map(([a, n, v, t]) => new SetAttr(a, n, v, t)),
    fc.tuple(i, name, fc.boolean()).map(([a, n, t]) => new DelAttr(a, n, t)),
    i.map((a) => new ReadDict(a)),
    fc.tuple(i, name, fc.nat({ max: 3 })).map(([a, n, v]) => new SetAt(a, n, v)),
    i.map((a) => new GetAt(a)),
  ],
  { size: "+1" },
);

const seed = fcSeed();

describe("an instance's __dict__", () => {
  it("is one dict, made on demand, that agrees with a plain model in content and order", () => {
    fc.assert(
      fc.property(commands, (cmds) => {
        const rt = new Runtime({ env: {}, log: () => {} });
        const py = new Embedding(rt);
        const cls = py.defineClass("C");
        // Instances made in bulk first shrink the key table, so that names past it come sooner.
        for (let k = 0; k < 12; k++) py.decref(py.instance(cls));
        const objs = [py.instance(cls), py.instance(cls), py.instance(cls)];
        const values = [py.int(1000), py.str("v"), py.int(-7), py.str("w")];
        const real: Real = { rt, py, cls, objs, dicts: [], values, indexes: new Map() };
        const model: Model = { attrs: objs.map(() => new Map()), made: objs.map(() => false) };
        fc.modelRun(() => ({ model, real }), cmds);
        for (const o of objs) py.decref(o);
        // The instances' deaths released every reference their attributes and dicts held.
        for (const v of values) expect(py.refcount(v)).toBe(1);
        for (const v of values) py.decref(v);
        rt.verify();
      }),
      { numRuns: fcRuns(100), ...(seed !== undefined ? { seed } : {}) },
    );
  });
});

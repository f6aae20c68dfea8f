// An instance's materialised `__dict__` against a plain model: fast-check runs commands (set and
// delete attributes, read `__dict__`, set and delete through it, names past the class's key
// table, reads and stores by key-table index as the evaluator's inline caches make them) on
// instances of one class, and after each one the instance's attributes and its dict's items must
// be the model's, in the model's insertion order, the dict read must always be the same object
// once made, and the heap must stay consistent. The model keeps the class's key table as CPython
// 3.11 does (SHARED_KEYS_MAX_SIZE names, one less room per instance made), so it knows when a
// name the table has no room for gives an instance its own dict without `__dict__` being read; a
// replay of one such program checks the model against python3 live.

import { spawnSync } from "node:child_process";
import { fcRuns, fcSeed } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ClassRef, Embedding, PythonError, type Ref, Runtime } from "../src/index.js";

interface Model {
  /** Per instance: its attributes in insertion order (name → index of the value). */
  readonly attrs: Array<Map<string, number>>;
  /**
   * Per instance: whether it has a dict of its own, made by a `__dict__` read or by a name its
   * class's key table had no room for (make_dict_from_instance_attributes).
   */
  readonly made: boolean[];
  /** Per instance: whether its own dict is still split over the class's key table. */
  readonly split: boolean[];
  /** The class's key table: its names in the order it took them. */
  readonly keys: string[];
  /** The room the key table has left (`dk_usable`). */
  usable: number;
}

/** CPython 3.11's SHARED_KEYS_MAX_SIZE: the room a class's key table starts with. */
const SHARED_KEYS_MAX_SIZE = 30;

/** Instances made (and dropped) before the three the commands use: each takes one of the room. */
const BULK = 12;

/**
 * insert_into_dictkeys on the model's table: whether the table has `name`, taking it when new
 * and there is room.
 */
function insertKey(m: Model, name: string): boolean {
  if (m.keys.includes(name)) return true;
  if (m.usable <= 0) return false;
  m.usable--;
  m.keys.push(name);
  return true;
}

/** `o.__dict__` in the model: the instance gets its own dict, split over the class's table. */
function materialize(m: Model, i: number): void {
  if (m.made[i]) return;
  m.made[i] = true;
  m.split[i] = true;
}

/**
 * `d[name] = v` into instance `i`'s own dict: a split dict enters a new name in the class's
 * table, or, when the table has no room, becomes combined and stops using it.
 */
function dictStore(m: Model, i: number, name: string): void {
  if (m.split[i] && !insertKey(m, name)) m.split[i] = false;
}

/** `o.name = v` (or `del o.name`, which enters a new name in the table just the same). */
function attrStore(m: Model, i: number, name: string, del: boolean): void {
  if (m.made[i]) {
    if (!del) dictStore(m, i, name);
    return;
  }
  if (insertKey(m, name)) return;
  // _PyObject_StoreInstanceAttribute: no room for the name, so the instance gets its own dict
  // (split) and the store (or delete) goes there.
  materialize(m, i);
  if (!del) dictStore(m, i, name);
}

interface Real {
  readonly rt: Runtime;
  readonly py: Embedding;
  readonly cls: ClassRef;
  readonly objs: Ref[];
  /** The dict each instance's `__dict__` gave first (borrowed: the instance holds it). */
  readonly dicts: Array<Ref | undefined>;
  readonly values: Ref[];
  /** The key-table index each name was first seen at. */
  readonly indexes: Map<string, number>;
}

const NAMES = ["a", "b", "c", "d", ...Array.from({ length: 30 }, (_, i) => `x${i}`)];

function check(m: Model, r: Real, i: number): void {
  const { py } = r;
  const want = [...m.attrs[i]!].map(([k, v]) => [k, r.values[v]!]);
  expect(py.attributes(r.objs[i]!)).toEqual(want);
  expect(py.attrAt(r.objs[i]!, -1)).toBe(m.made[i] ? -1 : 0);
  const d = r.dicts[i];
  if (d !== undefined) {
    const items = py.dictItems(d).map(([k, v]) => [py.strValue(k), v]);
    expect(items).toEqual(want);
  }
}

function dictOf(m: Model, r: Real, i: number): Ref {
  const d = r.py.instanceDict(r.objs[i]!);
  if (r.dicts[i] !== undefined) expect(d).toBe(r.dicts[i]);
  else r.dicts[i] = d;
  materialize(m, i);
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
      dictStore(m, this.i, this.name);
    } else {
      r.py.setAttr(r.objs[this.i]!, this.name, r.values[this.v]!);
      attrStore(m, this.i, this.name, false);
    }
    m.attrs[this.i]!.set(this.name, this.v);
    check(m, r, this.i);
  }
  toString = () => `${this.through ? "dict" : "attr"} o${this.i}.${this.name} = v${this.v}`;
  python = () =>
    this.through
      ? `o[${this.i}].__dict__[${JSON.stringify(this.name)}] = v[${this.v}]`
      : `o[${this.i}].${this.name} = v[${this.v}]`;
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
        try {
          r.py.delAttr(r.objs[this.i]!, this.name);
        } finally {
          attrStore(m, this.i, this.name, true);
        }
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
  python = () =>
    this.through
      ? `del o[${this.i}].__dict__[${JSON.stringify(this.name)}]`
      : `del o[${this.i}].${this.name}`;
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
  python = () => `o[${this.i}].__dict__`;
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
    expect(index).toBe(m.keys.indexOf(this.name));
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
      attrStore(m, this.i, this.name, false);
    }
    m.attrs[this.i]!.set(this.name, this.v);
    check(m, r, this.i);
  }
  toString = () => `index o${this.i}.${this.name} = v${this.v}`;
  python = () => `o[${this.i}].${this.name} = v[${this.v}]`;
}

/**
 * Reads every name by index: -1 once the instance has its own dict, else its value or 0; an
 * index is its name's place in the model's table (and, once given, stays its name's), and the
 * count is the table's names.
 */
class GetAt implements fc.Command<Model, Real> {
  constructor(readonly i: number) {}
  check = () => true;
  run(m: Model, r: Real): void {
    const { py } = r;
    const o = r.objs[this.i]!;
    const names = NAMES.filter((n) => py.attrIndex(r.cls, n) >= 0);
    expect(py.attrCount(r.cls)).toBe(names.length);
    expect(names.length).toBe(m.keys.length);
    for (const n of NAMES) {
      const index = py.attrIndex(r.cls, n);
      expect(index).toBe(m.keys.indexOf(n));
      const kept = r.indexes.get(n);
      if (kept !== undefined) expect(index).toBe(kept);
      else if (index >= 0) r.indexes.set(n, index);
      const v = m.attrs[this.i]!.get(n);
      const want = m.made[this.i] ? -1 : index < 0 || v === undefined ? 0 : r.values[v]!;
      expect(py.attrAt(o, index)).toBe(want);
    }
  }
  toString = () => `o${this.i} by index`;
  python = () => "pass";
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

/** A class, `BULK` instances made and dropped, then the three the commands use, and the values. */
function setup(): { model: Model; real: Real } {
  const rt = new Runtime({ env: {}, log: () => {} });
  const py = new Embedding(rt);
  const cls = py.defineClass("C");
  // Instances made in bulk first shrink the key table, so that names past it come sooner.
  for (let k = 0; k < BULK; k++) py.decref(py.instance(cls));
  const objs = [py.instance(cls), py.instance(cls), py.instance(cls)];
  const values = [py.int(1000), py.str("v"), py.int(-7), py.str("w")];
  const real: Real = { rt, py, cls, objs, dicts: [], values, indexes: new Map() };
  const model: Model = {
    attrs: objs.map(() => new Map()),
    made: objs.map(() => false),
    split: objs.map(() => false),
    keys: [],
    // init_inline_values: each instance made takes one from the room while more than one is left.
    usable: Math.max(SHARED_KEYS_MAX_SIZE - BULK - objs.length, 1),
  };
  return { model, real };
}

/** Drops the instances: their deaths must release every reference their attributes and dicts held. */
function teardown({ real }: { real: Real }): void {
  const { py, rt } = real;
  for (const o of real.objs) py.decref(o);
  for (const v of real.values) expect(py.refcount(v)).toBe(1);
  for (const v of real.values) py.decref(v);
  rt.verify();
}

/** The Python statement a command stands for, run on `o` (the instances) and `v` (the values). */
type Command = fc.Command<Model, Real> & { python(): string };

/**
 * A program that once failed: o0 fills the class's key table (deleting names it lacks enters
 * them too), so o2's new name `x25` gives o2 a dict of its own though its `__dict__` was never
 * read, and reads by index must then give -1.
 */
const REPLAY: Command[] = [
  new SetAttr(0, "a", 0, false),
  new SetAt(0, "x2", 0),
  new SetAt(0, "x12", 0),
  new SetAttr(0, "x3", 0, false),
  new SetAt(0, "x11", 0),
  new DelAttr(0, "x1", false),
  new SetAt(0, "x4", 0),
  new DelAttr(0, "x8", false),
  new DelAttr(0, "x21", false),
  new SetAttr(0, "x23", 0, false),
  new SetAt(0, "x27", 0),
  new SetAttr(0, "c", 0, false),
  new SetAt(0, "x16", 0),
  new SetAttr(0, "x24", 0, false),
  new SetAt(0, "x29", 0),
  new SetAt(2, "x25", 0),
  new GetAt(2),
  // Past the full table through a dict: o1's split dict becomes combined and leaves the table.
  new ReadDict(1),
  new SetAttr(1, "x0", 1, true),
  new SetAttr(1, "x5", 2, false),
  new DelAttr(1, "x6", false),
  new GetAt(1),
  new DelAttr(0, "x7", false),
  new GetAt(0),
];

/**
 * The replay in python3: after each statement, which of the three instances have a dict; then
 * the size of each one's dict, which tells a split dict from a combined one.
 */
const replayScript = `
import gc, json, sys
def hasdict(x): return any(type(r) is dict for r in gc.get_referents(x))
class C: pass
for _ in range(${BULK}): C()
o = [C(), C(), C()]
v = [1000, "v", -7, "w"]
out = []
for stmt in json.loads(sys.stdin.read()):
    try:
        exec(stmt)
    except (AttributeError, KeyError):
        pass
    out.append([hasdict(x) for x in o])
print(json.dumps([out, [sys.getsizeof(x.__dict__) for x in o]]))
`;
const replay = spawnSync("python3", ["-c", replayScript], {
  input: JSON.stringify(REPLAY.map((c) => c.python())),
  encoding: "utf8",
});

describe("an instance's __dict__", () => {
  it("is one dict, made on demand, that agrees with a plain model in content and order", () => {
    fc.assert(
      fc.property(commands, (cmds) => {
        const setupState = setup();
        fc.modelRun(() => setupState, cmds);
        teardown(setupState);
      }),
      { numRuns: fcRuns(100), ...(seed !== undefined ? { seed } : {}) },
    );
  });

  it("is made by a name the full key table has no room for, as in the program that once failed", () => {
    const state = setup();
    fc.modelRun(() => state, REPLAY);
    expect(state.model.made).toEqual([true, true, true]);
    // o1's dict took a name the full table had no room for, as did o2's: both are combined.
    expect(state.model.split).toEqual([true, false, false]);
    teardown(state);
  });

  it.runIf(replay.status === 0)("is made by the model exactly when python3 makes it", () => {
    const [expected, sizes] = JSON.parse(replay.stdout) as [boolean[][], number[]];
    const state = setup();
    const got = REPLAY.map((c) => {
      c.run(state.model, state.real);
      return [...state.model.made];
    });
    expect(got).toEqual(expected);
    const { py, objs } = state.real;
    expect(
      objs.map((o) => {
        const d = py.instanceDict(o);
        py.decref(d);
        return py.sizeof(d);
      }),
    ).toEqual(sizes);
    teardown(state);
  });
});

// Dicts with any hashable key and Python's hash functions: hashes, sizes, iteration order and
// tracking asked of python3 live (one run for the whole file, PYTHONHASHSEED=0), the key
// protocol and its errors, and a model test against a JS Map.

import { spawnSync } from "node:child_process";
import { fc } from "@fast-check/vitest";
import { beforeAll, describe, expect, it } from "vitest";
import { dictVersion, Embedding, PythonError, type Ref, Runtime } from "../src/index.js";

const quiet = { env: {}, log: () => {} } as const;

/**
 * A value both sides can build: JSON that python3 turns into the object with `build` below and
 * the runtime with {@link build}.
 */
type Value =
  | { int: string }
  | { float: number | "inf" | "-inf" | "nan" }
  | { str: string }
  | { bool: boolean }
  | { none: null }
  | { tuple: Value[] };

const PYTHON_BUILD = [
  "import json, sys, gc",
  "def build(v):",
  "    if 'int' in v: return int(v['int'])",
  "    if 'float' in v: return float(v['float'])",
  "    if 'str' in v: return v['str']",
  "    if 'bool' in v: return v['bool']",
  "    if 'none' in v: return None",
  "    return tuple(build(x) for x in v['tuple'])",
].join("\n");

function build(py: Embedding, v: Value): Ref {
  if ("int" in v) return py.int(BigInt(v.int));
  if ("float" in v)
    return py.float(
      v.float === "inf"
        ? Number.POSITIVE_INFINITY
        : v.float === "-inf"
          ? Number.NEGATIVE_INFINITY
          : v.float === "nan"
            ? Number.NaN
            : v.float,
    );
  if ("str" in v) return py.str(v.str);
  if ("bool" in v) return py.bool(v.bool);
  if ("none" in v) return py.newRef(py.none);
  const items = v.tuple.map((x) => build(py, x));
  const t = py.tuple(items);
  for (const o of items) py.decref(o);
  return t;
}

// Values drawn once with fixed seeds, so that one python3 run answers every question.
const scalar: fc.Arbitrary<Value> = fc.oneof(
  fc.bigInt({ min: -(2n ** 130n), max: 2n ** 130n }).map((n) => ({ int: String(n) })),
  fc.integer({ min: -3, max: 300 }).map((n) => ({ int: String(n) })),
  fc
    .double({ noNaN: true })
    .map((x): Value => ({ float: Number.isFinite(x) ? x : x > 0 ? "inf" : "-inf" })),
  fc.constantFrom<Value>({ float: "inf" }, { float: "-inf" }, { float: -1 }, { int: "-1" }),
  // Around the digit and safe-integer boundaries: 2**30, 2**53, 2**61 - 1, 2**63.
  fc
    .constantFrom(30n, 53n, 60n, 61n, 63n, 64n)
    .chain((bits) =>
      fc.tuple(fc.constantFrom(-1n, 1n), fc.integer({ min: -2, max: 2 }), fc.constant(bits)),
    )
    .map(([sign, delta, bits]): Value => ({ int: String(sign * ((1n << bits) + BigInt(delta))) })),
  fc.string({ unit: "binary", maxLength: 12 }).map((s) => ({ str: s })),
  fc.string({ unit: "grapheme-ascii", maxLength: 20 }).map((s) => ({ str: s })),
  fc.boolean().map((b) => ({ bool: b })),
  fc.constant<Value>({ none: null }),
);
const hashable: fc.Arbitrary<Value> = fc.oneof(
  { weight: 4, arbitrary: scalar },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 4 }).map((t) => ({ tuple: t })) },
);
/** Whether `v` holds None, whose hash is its address (CPython's and ours differ). */
const holdsNone = (v: Value): boolean => "none" in v || ("tuple" in v && v.tuple.some(holdsNone));
const hashed = fc.sample(
  hashable.filter((v) => !holdsNone(v)),
  { numRuns: 300, seed: 41 },
);
// A few keys: small ints and floats that collide with them, short strs, tuples: sequences of
// insertions and deletions over them reach resizes, holes and the str-to-general switch.
const smallKey: fc.Arbitrary<Value> = fc.oneof(
  fc.integer({ min: -2, max: 40 }).map((n) => ({ int: String(n) })),
  fc.integer({ min: 0, max: 8 }).map((n) => ({ float: n / 2 })),
  fc
    .constantFrom("a", "b", "spam", "eggs", "é", "ĳ", "😀", "k1", "k2", "k3", "k4", "k5")
    .map((s) => ({ str: s })),
  fc.constantFrom("k6", "k7", "k8", "k9", "k10", "k11", "k12", "k13").map((s) => ({ str: s })),
  fc.tuple(fc.integer({ min: 0, max: 3 }), fc.constantFrom("x", "y")).map(([n, s]) => ({
    tuple: [{ int: String(n) }, { str: s }],
  })),
  fc.boolean().map((b) => ({ bool: b })),
);
type Op = { set: Value } | { del: number };
const sequences = fc.sample(
  fc.array(
    fc.oneof(
      { weight: 3, arbitrary: smallKey.map((k): Op => ({ set: k })) },
      { weight: 1, arbitrary: fc.nat({ max: 50 }).map((i): Op => ({ del: i })) },
    ),
    { maxLength: 60 },
  ),
  { numRuns: 40, seed: 42 },
);

const SCRIPT = [
  PYTHON_BUILD,
  "q = json.load(sys.stdin)",
  "out = {}",
  "out['hashes'] = [str(hash(build(v))) for v in q['hashed']]",
  "def run(ops):",
  "    d = {}",
  "    steps = []",
  "    for op in ops:",
  "        if 'set' in op:",
  "            d[build(op['set'])] = len(steps)",
  "        elif d:",
  "            del d[list(d)[op['del'] % len(d)]]",
  "        steps.append([sys.getsizeof(d), [repr(k) for k in d], list(d.values())])",
  "    return steps",
  "out['sequences'] = [run(ops) for ops in q['sequences']]",
  "def switched(n):",
  "    d = {}",
  "    for i in range(n): d['k%d' % i] = i",
  "    d[0] = 0",
  "    return sys.getsizeof(d)",
  "out['switched'] = [switched(n) for n in range(12)]",
  "def tracked():",
  "    t = tuple([1, 2])",
  "    cases = []",
  "    d = {}; d[t] = 1; cases.append(gc.is_tracked(d))",
  "    gc.collect(); cases.append(gc.is_tracked(t)); cases.append(gc.is_tracked(d))",
  "    d = {}; d[1] = 'a'; d['b'] = 2.5; cases.append(gc.is_tracked(d))",
  "    d = {}; d[1] = []; cases.append(gc.is_tracked(d))",
  "    d = {}; d[1] = tuple([3, 'x']); cases.append(gc.is_tracked(d))",
  "    gc.collect(); cases.append(gc.is_tracked(d))",
  "    return cases",
  "out['tracked'] = tracked()",
  "print(json.dumps(out))",
].join("\n");

let answers: {
  hashes: string[];
  sequences: Array<Array<[number, string[], number[]]>>;
  switched: number[];
  tracked: boolean[];
};

beforeAll(() => {
  const python = spawnSync("python3", ["-c", SCRIPT], {
    input: JSON.stringify({ hashed, sequences }),
    encoding: "utf8",
    env: { ...process.env, PYTHONHASHSEED: "0" },
    maxBuffer: 64 << 20,
  });
  if (python.status !== 0) throw new Error(`python3 failed: ${python.stderr}`);
  answers = JSON.parse(python.stdout);
});

/** `repr(o)` for the values of {@link Value} (the runtime writes only some kinds' reprs). */
function repr(py: Embedding, o: Ref): string {
  const type = py.typeName(o);
  if (type === "tuple") {
    const items = tupleItems(py, o);
    return items.length === 1
      ? `(${repr(py, items[0]!)},)`
      : `(${items.map((x) => repr(py, x)).join(", ")})`;
  }
  if (type === "float") {
    const x = py.floatValue(o);
    return Number.isInteger(x) ? `${x}.0` : String(x);
  }
  return py.repr(o);
}

function tupleItems(py: Embedding, t: Ref): Ref[] {
  const out: Ref[] = [];
  for (let i = 0; i < py.len(t); i++) {
    const index = py.int(i);
    const item = py.getItem(t, index);
    py.decref(index);
    out.push(item);
    py.decref(item);
  }
  return out;
}

describe("hash()", () => {
  it("is CPython 3.11's for ints, floats, strs, bools and tuples (PYTHONHASHSEED=0)", () => {
    using rt = new Runtime(quiet);
    const py = new Embedding(rt);
    const ours = hashed.map((v) => {
      const o = build(py, v);
      const h = py.hash(o);
      py.decref(o);
      return String(h);
    });
    expect(ours).toEqual(answers.hashes);
  });

  it("agrees across equal numbers, hashes nan and None by identity, and refuses containers", () => {
    using rt = new Runtime(quiet);
    const py = new Embedding(rt);
    const one = [py.int(1), py.float(1), py.bool(true)];
    expect(new Set(one.map((o) => py.hash(o)))).toEqual(new Set([1n]));
    expect(py.keysEqual(one[0]!, one[1]!) && py.keysEqual(one[1]!, one[2]!)).toBe(true);
    const nan = py.float(Number.NaN);
    expect(py.hash(nan)).toBe(BigInt.asIntN(64, BigInt(nan >>> 4) | (BigInt(nan & 15) << 60n)));
    for (const [o, type] of [
      [py.list([]), "list"],
      [py.dict(), "dict"],
    ] as const) {
      expect(() => py.hash(o)).toThrow(`unhashable type: '${type}'`);
      py.decref(o);
    }
    const holder = py.list([]);
    const t = py.tuple([holder]);
    expect(() => py.hash(t)).toThrow("unhashable type: 'list'");
    for (const o of [...one, nan, t, holder]) py.decref(o);
    rt.verify();
  });
});

describe("a dict with any hashable key", () => {
  it("sizes, orders and keeps its entries as CPython 3.11 along insertions and deletions", () => {
    using rt = new Runtime(quiet);
    const py = new Embedding(rt);
    const ours = sequences.map((ops) => {
      const d = py.dict();
      const steps: Array<[number, string[], number[]]> = [];
      for (const op of ops) {
        if ("set" in op) {
          const key = build(py, op.set);
          const value = py.int(steps.length);
          py.dictSet(d, key, value);
          py.decref(key);
          py.decref(value);
        } else if (py.len(d) > 0) {
          const keys = py.dictKeys(d);
          py.dictDel(d, keys[op.del % keys.length]!);
        }
        const backwards: Ref[] = [];
        for (let i = py.dictPrev(d, Number.POSITIVE_INFINITY); i >= 0; i = py.dictPrev(d, i - 1))
          backwards.push(py.dictKeyAt(d, i));
        expect(backwards.reverse()).toEqual(py.dictKeys(d));
        steps.push([
          py.sizeof(d),
          py.dictKeys(d).map((k) => repr(py, k)),
          py.dictValues(d).map((v) => Number(py.intValue(v))),
        ]);
      }
      py.decref(d);
      return steps;
    });
    expect(ours).toEqual(answers.sequences);
    rt.verify();
  });

  it("turns a str table into a general one as CPython does (d = {'m': 1}; d[0] = 2 is 352 bytes)", () => {
    using rt = new Runtime(quiet);
    const py = new Embedding(rt);
    const sizes = Array.from({ length: 12 }, (_, n) => {
      const d = py.dict();
      for (let i = 0; i < n; i++) {
        const key = py.str(`k${i}`);
        const value = py.int(i);
        py.dictSet(d, key, value);
        py.decref(key);
      }
      const zero = py.int(0);
      py.dictSet(d, zero, zero);
      const size = py.sizeof(d);
      py.decref(d);
      return size;
    });
    expect(sizes).toEqual(answers.switched);
    expect(answers.switched[1]).toBe(352);
  });

  it("is tracked when a key or a value may be part of a cycle, and untracked as CPython", () => {
    using rt = new Runtime(quiet);
    const py = new Embedding(rt);
    const cases: boolean[] = [];
    const one = py.int(1);
    const two = py.int(2);
    const t = py.tuple([one, two]);
    let d = py.dict();
    py.dictSet(d, t, one);
    cases.push(py.isTracked(d));
    py.collect();
    cases.push(py.isTracked(t), py.isTracked(d));
    py.decref(d);
    d = py.dict();
    const a = py.str("a");
    const b = py.str("b");
    const half = py.float(2.5);
    py.dictSet(d, one, a);
    py.dictSet(d, b, half);
    cases.push(py.isTracked(d));
    py.decref(d);
    d = py.dict();
    const empty = py.list([]);
    py.dictSet(d, one, empty);
    cases.push(py.isTracked(d));
    py.decref(d);
    d = py.dict();
    const three = py.int(3);
    const x = py.str("x");
    const holder = py.tuple([three, x]);
    py.dictSet(d, one, holder);
    cases.push(py.isTracked(d));
    py.collect();
    cases.push(py.isTracked(d));
    for (const o of [d, holder, x, three, empty, half, b, a, t, two, one]) py.decref(o);
    expect(cases).toEqual(answers.tracked);
    rt.verify();
  });

  it("refuses unhashable keys with CPython's TypeError and stays unchanged", () => {
    using rt = new Runtime(quiet);
    const py = new Embedding(rt);
    const d = py.dict();
    const k = py.str("k");
    py.dictSet(d, k, k);
    const before = py.sizeof(d);
    const l = py.list([]);
    const inner = py.dict();
    for (const [key, type] of [
      [l, "list"],
      [inner, "dict"],
    ] as const) {
      expect(() => py.dictSet(d, key, k)).toThrow(`unhashable type: '${type}'`);
      expect(() => py.dictGet(d, key)).toThrow(PythonError);
      expect(() => py.dictDel(d, key)).toThrow(`unhashable type: '${type}'`);
      expect(() => py.getItem(d, key)).toThrow(`unhashable type: '${type}'`);
    }
    expect(py.dictKeys(d)).toEqual([k]);
    expect(py.sizeof(d)).toBe(before);
    expect(py.isTracked(d)).toBe(false);
    // An empty dict's pop does not hash, as CPython's: a KeyError, not a TypeError.
    const e = py.dict();
    expect(() => py.dictPop(e, l)).toThrow(PythonError);
    expect(() => py.dictPop(e, l)).not.toThrow("unhashable");
    for (const o of [e, inner, l, k, d]) py.decref(o);
    rt.verify();
  });

  it("pops, pops items, copies, updates and clears with CPython's sizes", () => {
    const python = spawnSync(
      "python3",
      [
        "-c",
        [
          "import sys, json",
          "d = {i: i for i in range(10)}",
          "out = [sys.getsizeof(d)]",
          "out.append(d.pop(3)); out.append(sys.getsizeof(d.copy()))",
          "for i in range(5): del d[i + 4]",
          "out.append(sys.getsizeof(d.copy()))",
          "k, v = d.popitem(); out += [k, v, sys.getsizeof(d)]",
          "e = {}; e.update(d); out.append(sys.getsizeof(e))",
          "f = {'a': 1}; f.update(d); out.append(sys.getsizeof(f)); out.append(list(f))",
          "g = {j: j for j in range(30)}; h = {}; h.update(g); out.append(sys.getsizeof(h))",
          "out.append(f.setdefault('z', 7)); out.append(len(f))",
          "f.clear(); out.append(sys.getsizeof(f))",
          "print(json.dumps(out))",
        ].join("\n"),
      ],
      { encoding: "utf8" },
    );
    const expected = JSON.parse(python.stdout) as unknown[];
    using rt = new Runtime(quiet);
    const py = new Embedding(rt);
    const int = (n: number) => py.int(n);
    const d = py.dict();
    for (let i = 0; i < 10; i++) py.dictSet(d, int(i), int(i));
    const out: unknown[] = [py.sizeof(d)];
    const three = py.dictPop(d, int(3));
    out.push(py.intValue(three));
    py.decref(three);
    let copy = py.dictCopy(d);
    out.push(py.sizeof(copy));
    py.decref(copy);
    for (let i = 0; i < 5; i++) py.dictDel(d, int(i + 4));
    copy = py.dictCopy(d);
    out.push(py.sizeof(copy));
    py.decref(copy);
    const item = py.dictPopItem(d);
    const [k, v] = tupleItems(py, item);
    out.push(py.intValue(k!), py.intValue(v!), py.sizeof(d));
    py.decref(item);
    const e = py.dict();
    py.dictUpdate(e, d);
    out.push(py.sizeof(e));
    const f = py.dict();
    const a = py.str("a");
    py.dictSet(f, a, int(1));
    py.dictUpdate(f, d);
    out.push(
      py.sizeof(f),
      py.dictKeys(f).map((key) => repr(py, key)),
    );
    const g = py.dict();
    for (let j = 0; j < 30; j++) py.dictSet(g, int(j), int(j));
    const h = py.dict();
    py.dictUpdate(h, g);
    out.push(py.sizeof(h));
    const z = py.str("z");
    const seven = py.dictSetDefault(f, z, int(7));
    out.push(py.intValue(seven), py.len(f));
    py.decref(seven);
    py.dictClear(f);
    out.push(py.sizeof(f));
    // The list of keys, written as repr writes them.
    expect(out.map((x) => (typeof x === "bigint" ? Number(x) : x))).toEqual(
      expected.map((x) =>
        Array.isArray(x) ? x.map((key) => (typeof key === "string" ? `'${key}'` : String(key))) : x,
      ),
    );
    expect(() => py.dictPopItem(f)).toThrow("'popitem(): dictionary is empty'");
    for (const o of [a, z, d, e, f, g, h]) py.decref(o);
    rt.verify();
  });
});

/** A key's identity under `==`: equal numbers (1, 1.0, True) share one. */
function canonical(py: Embedding, o: Ref): string {
  const type = py.typeName(o);
  if (type === "int") return `n:${py.intValue(o)}`;
  if (type === "bool") return `n:${py.repr(o) === "True" ? 1 : 0}`;
  if (type === "float") {
    const x = py.floatValue(o);
    return Number.isInteger(x) ? `n:${BigInt(x)}` : `f:${x}`;
  }
  if (type === "str") return `s:${py.strValue(o)}`;
  if (type === "tuple") return `t:[${tupleItems(py, o).map((x) => canonical(py, x))}]`;
  return `o:${o}`;
}

describe("str keys under a collector that traces from the roots", () => {
  it("stay alive, though CPython's traverse does not visit a str table's keys", () => {
    using rt = new Runtime({ ...quiet, collector: "tracing" });
    const py = new Embedding(rt);
    const d = py.dict();
    py.module.store("d", d);
    const key = py.str("held by the dict alone");
    const value = py.float(0.5);
    py.dictSet(d, key, value);
    py.collect();
    expect(rt.space.isLive(key)).toBe(true);
    const probe = py.str("held by the dict alone");
    py.push(probe);
    expect(py.dictGet(d, probe)).toBe(value);
    py.dropTemps(0);
    rt.verify();
  });
});

describe("the key protocol", () => {
  /** `class Point` whose `__hash__` is its `v` and whose `__eq__` compares `v`s. */
  function points() {
    const rt = new Runtime(quiet);
    const py = new Embedding(rt);
    const Point = py.defineClass("Point");
    const value = (p: Ref) => {
      const v = py.getAttr(p, "v");
      py.decref(v);
      return Number(py.intValue(v));
    };
    const hooks = { onEquals: (_a: Ref, _b: Ref) => {} };
    py.setKeyProtocol({
      hash: (o) => {
        if (py.typeName(o) !== "Point") return o;
        if (value(o) === -99) py.raise("ValueError", "no hash for you");
        return value(o);
      },
      equals: (a, b) => {
        hooks.onEquals(a, b);
        if (py.typeName(a) !== "Point" || py.typeName(b) !== "Point") return false;
        if (value(a) === 13) py.raise("ValueError", "unlucky");
        return value(a) === value(b);
      },
    });
    const point = (v: number) => {
      const p = py.instance(Point);
      const n = py.int(v);
      py.setAttr(p, "v", n);
      py.decref(n);
      return p;
    };
    return { rt, py, point, hooks };
  }

  it("finds equal objects through __hash__ and __eq__, apart from equal-hashed others", () => {
    const { rt, py, point } = points();
    const d = py.dict();
    const [a, b, c] = [point(3), point(3), point(1)];
    const one = py.int(1);
    py.dictSet(d, a, one);
    expect(py.dictGet(d, b)).toBe(one);
    py.dictSet(d, c, c);
    py.dictSet(d, one, one); // hash(1) == hash(Point(1)), but they are not equal
    expect(py.len(d)).toBe(3);
    expect(py.dictKeys(d)).toEqual([a, c, one]);
    py.dictDel(d, b);
    expect(py.dictKeys(d)).toEqual([c, one]);
    expect(py.isTracked(d)).toBe(true); // an instance key may be part of a cycle
    for (const o of [d, a, b, c]) py.decref(o);
    rt.verify();
    rt[Symbol.dispose]();
  });

  it("leaves the dict unchanged when __hash__ or __eq__ raises", () => {
    const { rt, py, point } = points();
    const d = py.dict();
    const [a, bad, unlucky, unlucky2] = [point(3), point(-99), point(13), point(13)];
    py.dictSet(d, a, a);
    py.dictSet(d, unlucky, a);
    const size = py.sizeof(d);
    expect(() => py.dictSet(d, bad, a)).toThrow("no hash for you");
    expect(() => py.dictSet(d, unlucky2, a)).toThrow("unlucky");
    expect(() => py.dictDel(d, unlucky2)).toThrow("unlucky");
    expect(py.dictKeys(d)).toEqual([a, unlucky]);
    expect(py.sizeof(d)).toBe(size);
    for (const o of [d, a, bad, unlucky, unlucky2]) py.decref(o);
    rt.verify();
    rt[Symbol.dispose]();
  });

  it("looks up again when __eq__ empties the dict under it, and stays consistent", () => {
    const { rt, py, point, hooks } = points();
    const d = py.dict();
    const [a, b] = [point(5), point(5)];
    py.dictSet(d, a, a);
    let calls = 0;
    hooks.onEquals = () => {
      if (calls++ === 0) py.dictClear(d);
    };
    py.dictSet(d, b, b);
    expect(py.dictKeys(d)).toEqual([b]);
    expect(py.len(d)).toBe(1);
    py.decref(d);
    py.decref(b);
    py.decref(a);
    rt.verify();
    rt[Symbol.dispose]();
  });
});

describe("a dict against a model (a JS Map keyed by ==)", () => {
  /** `seen`: every version tag the dicts of the run have had, which a change must not reuse. */
  type Real = { py: Embedding; d: Ref; seen: Set<number> };
  type Model = Map<string, number>;
  const version = ({ py, d }: Real) => dictVersion(py.memory.u32, d);
  /** The dict's entries are the model's; reading them left its version tag as it was. */
  const check = (model: Model, real: Real) => {
    const { py, d } = real;
    const before = version(real);
    const actual = py.dictItems(d).map(([k, v]) => [canonical(py, k), Number(py.intValue(v))]);
    expect(actual).toEqual([...model]);
    expect(version(real)).toBe(before);
  };
  /** A change gave the dict a version tag no dict of the run had before. */
  const changed = (real: Real) => {
    const v = version(real);
    expect(real.seen.has(v)).toBe(false);
    real.seen.add(v);
  };
  const keyOf = (py: Embedding, v: Value) => {
    const key = build(py, v);
    return { key, name: canonical(py, key) };
  };
  class Store implements fc.Command<Model, Real> {
    constructor(
      readonly key: Value,
      readonly value: number,
    ) {}
    check = () => true;
    run(model: Model, real: Real) {
      const { py, d } = real;
      const { key, name } = keyOf(py, this.key);
      const value = py.int(this.value);
      py.dictSet(d, key, value);
      changed(real);
      py.decref(key);
      py.decref(value);
      model.set(name, this.value);
      check(model, real);
    }
    toString = () => `d[${JSON.stringify(this.key)}] = ${this.value}`;
  }
  class Del implements fc.Command<Model, Real> {
    constructor(readonly key: Value) {}
    check = () => true;
    run(model: Model, real: Real) {
      const { py, d } = real;
      const { key, name } = keyOf(py, this.key);
      if (model.has(name)) {
        py.dictDel(d, key);
        changed(real);
        model.delete(name);
      } else {
        const before = version(real);
        expect(() => py.dictDel(d, key)).toThrow(PythonError);
        expect(version(real)).toBe(before);
      }
      py.decref(key);
      check(model, real);
    }
    toString = () => `del d[${JSON.stringify(this.key)}]`;
  }
  class PopItem implements fc.Command<Model, Real> {
    check = () => true;
    run(model: Model, real: Real) {
      const { py, d } = real;
      if (model.size === 0) {
        expect(() => py.dictPopItem(d)).toThrow("dictionary is empty");
        return;
      }
      const item = py.dictPopItem(d);
      changed(real);
      const last = [...model.keys()].at(-1)!;
      expect(canonical(py, tupleItems(py, item)[0]!)).toBe(last);
      model.delete(last);
      py.decref(item);
      check(model, real);
    }
    toString = () => "d.popitem()";
  }
  class Copy implements fc.Command<Model, Real> {
    check = () => true;
    run(model: Model, real: Real) {
      const { py, d } = real;
      const copy = py.dictCopy(d);
      py.decref(real.d);
      real.d = copy;
      changed(real);
      check(model, real);
    }
    toString = () => "d = d.copy()";
  }
  class Clear implements fc.Command<Model, Real> {
    check = () => true;
    run(model: Model, real: Real) {
      real.py.dictClear(real.d);
      changed(real);
      model.clear();
      check(model, real);
    }
    toString = () => "d.clear()";
  }
  const commands = [
    fc.tuple(smallKey, fc.integer({ min: -5, max: 1000 })).map(([k, v]) => new Store(k, v)),
    smallKey.map((k) => new Del(k)),
    fc.constant(new PopItem()),
    fc.constant(new Copy()),
    fc.constant(new Clear()),
  ];

  it("agrees on every operation, and the heap verifies after each run", () => {
    fc.assert(
      fc.property(fc.commands(commands, { maxCommands: 60 }), (cmds) => {
        using rt = new Runtime(quiet);
        const py = new Embedding(rt);
        const real: Real = { py, d: py.dict(), seen: new Set() };
        changed(real);
        fc.modelRun(() => ({ model: new Map(), real }), cmds);
        py.decref(real.d);
        rt.verify();
      }),
      { numRuns: 60 },
    );
  });
});

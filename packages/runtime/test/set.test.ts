// set and frozenset: sizes, iteration order, pop order, the binary operations, frozenset
// hashes and tracking asked of python3 live (one run for the file, PYTHONHASHSEED=0, so str
// hashes and thus orders are fixed), bad keys, and a model test against a JS Set.

import { spawnSync } from "node:child_process";
import { fc } from "@fast-check/vitest";
import { beforeAll, describe, expect, it } from "vitest";
import { Embedding, PythonError, type Ref, Runtime } from "../src/index.js";

const quiet = { env: {}, log: () => {} } as const;

/** A key both sides build: an int, a str, a float or a pair. */
type Key = { int: number } | { str: string } | { float: number } | { pair: [number, string] };

const key: fc.Arbitrary<Key> = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -50, max: 2000 }).map((n) => ({ int: n })) },
  {
    weight: 3,
    arbitrary: fc
      .string({ unit: "grapheme-ascii", minLength: 1, maxLength: 4 })
      .map((s) => ({ str: s })),
  },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 40 }).map((n) => ({ float: n / 4 })) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 0, max: 5 }), fc.constantFrom("a", "b", "é"))
      .map((pair) => ({ pair })),
  },
);

type Op = { add: Key } | { discard: Key } | { pop: true };
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: key.map((k): Op => ({ add: k })) },
  { weight: 2, arbitrary: key.map((k): Op => ({ discard: k })) },
  { weight: 1, arbitrary: fc.constant<Op>({ pop: true }) },
);
const sequences = fc.sample(fc.array(op, { maxLength: 80 }), { numRuns: 40, seed: 51 });
const pairs = fc.sample(
  fc.tuple(fc.array(key, { maxLength: 40 }), fc.array(key, { maxLength: 40 }), fc.boolean()),
  { numRuns: 40, seed: 52 },
);
const frozen = fc.sample(fc.array(key, { maxLength: 20 }), { numRuns: 40, seed: 53 });

const SCRIPT = [
  "import json, sys, gc",
  "def build(k):",
  "    if 'int' in k: return k['int']",
  "    if 'str' in k: return k['str']",
  "    if 'float' in k: return float(k['float'])",
  "    return (k['pair'][0], k['pair'][1])",
  "q = json.load(sys.stdin)",
  "out = {}",
  "def grown(n, make):",
  "    s = set()",
  "    for i in range(n): s.add(make(i))",
  "    return sys.getsizeof(s)",
  "out['sizes'] = [grown(n, lambda i: i * 7) for n in range(101)]",
  "out['strSizes'] = [grown(n, lambda i: 'k%d' % i) for n in range(101)]",
  "def run(ops):",
  "    s = set()",
  "    steps = []",
  "    for op in ops:",
  "        if 'add' in op: s.add(build(op['add']))",
  "        elif 'discard' in op: s.discard(build(op['discard']))",
  "        elif s: steps.append(['pop', repr(s.pop())])",
  "        steps.append([sys.getsizeof(s), repr(s)])",
  "    return steps",
  "out['sequences'] = [run(ops) for ops in q['sequences']]",
  "def binary(a, b, fa):",
  "    x = set()",
  "    for k in a: x.add(build(k))",
  "    if fa: x = frozenset(x)",
  "    y = set()",
  "    for k in b: y.add(build(k))",
  "    return [[repr(r), sys.getsizeof(r)] for r in (x | y, x & y, x - y, x ^ y, y - x)]",
  "out['binary'] = [binary(a, b, f) for a, b, f in q['pairs']]",
  "out['hashes'] = [str(hash(frozenset(build(k) for k in ks))) for ks in q['frozen']]",
  "out['displays'] = [repr({3, 1, 2}), repr(set('abc')), repr(set()), repr(frozenset()),",
  "    repr(frozenset({1})), repr({'spam', 'eggs', (1, 'a'), 2.5})]",
  "out['tracked'] = [gc.is_tracked(set()), gc.is_tracked(frozenset()), gc.is_tracked({1})]",
  "print(json.dumps(out))",
].join("\n");

let answers: {
  sizes: number[];
  strSizes: number[];
  sequences: Array<Array<[number, string] | ["pop", string]>>;
  binary: Array<Array<[string, number]>>;
  hashes: string[];
  displays: string[];
  tracked: boolean[];
};

beforeAll(() => {
  const python = spawnSync("python3", ["-c", SCRIPT], {
    input: JSON.stringify({ sequences, pairs, frozen }),
    encoding: "utf8",
    env: { ...process.env, PYTHONHASHSEED: "0" },
    maxBuffer: 64 << 20,
  });
  if (python.status !== 0) throw new Error(`python3 failed: ${python.stderr}`);
  answers = JSON.parse(python.stdout);
});

function embedded() {
  const rt = new Runtime(quiet);
  return { rt, py: new Embedding(rt) };
}

function build(py: Embedding, k: Key): Ref {
  if ("int" in k) return py.int(k.int);
  if ("str" in k) return py.str(k.str);
  if ("float" in k) return py.float(k.float);
  const a = py.int(k.pair[0]);
  const b = py.str(k.pair[1]);
  const t = py.tuple([a, b]);
  py.decref(a);
  py.decref(b);
  return t;
}

/** `repr(o)` for the keys of these tests and the sets holding them. */
function repr(py: Embedding, o: Ref): string {
  const type = py.typeName(o);
  if (type === "float") {
    const x = py.floatValue(o);
    return Number.isInteger(x) ? `${x}.0` : String(x);
  }
  if (type === "tuple") {
    const items: string[] = [];
    for (let i = 0; i < py.len(o); i++) {
      const index = py.int(i);
      const item = py.getItem(o, index);
      items.push(repr(py, item));
      py.decref(item);
    }
    return `(${items.join(", ")})`;
  }
  if (type === "set" || type === "frozenset") {
    const body = `{${py
      .setItems(o)
      .map((k) => repr(py, k))
      .join(", ")}}`;
    if (py.len(o) === 0) return `${type}()`;
    return type === "set" ? body : `frozenset(${body})`;
  }
  return py.repr(o);
}

/** A set of `keys` added one by one. */
function setOf(py: Embedding, keys: readonly Key[]): Ref {
  const s = py.set();
  for (const k of keys) {
    const o = build(py, k);
    py.setAdd(s, o);
    py.decref(o);
  }
  return s;
}

describe("sets against CPython 3.11", () => {
  it("grow their table at CPython's points: sys.getsizeof for 0 to 100 keys", () => {
    using rt = new Runtime(quiet);
    const py = new Embedding(rt);
    const grown = (n: number, make: (i: number) => Ref) => {
      const s = py.set();
      for (let i = 0; i < n; i++) {
        const o = make(i);
        py.setAdd(s, o);
        py.decref(o);
      }
      const size = py.sizeof(s);
      py.decref(s);
      return size;
    };
    expect(Array.from({ length: 101 }, (_, n) => grown(n, (i) => py.int(i * 7)))).toEqual(
      answers.sizes,
    );
    expect(Array.from({ length: 101 }, (_, n) => grown(n, (i) => py.str(`k${i}`)))).toEqual(
      answers.strSizes,
    );
    expect(answers.sizes[0]).toBe(216);
    rt.verify();
  });

  it("iterate, size and pop in CPython's order along adds, discards and pops", () => {
    using rt = new Runtime(quiet);
    const py = new Embedding(rt);
    const ours = sequences.map((ops) => {
      const s = py.set();
      const steps: Array<[number, string] | ["pop", string]> = [];
      for (const o of ops) {
        if ("add" in o) {
          const k = build(py, o.add);
          py.setAdd(s, k);
          py.decref(k);
        } else if ("discard" in o) {
          const k = build(py, o.discard);
          py.setDiscard(s, k);
          py.decref(k);
        } else if (py.len(s) > 0) {
          const k = py.setPop(s);
          steps.push(["pop", repr(py, k)]);
          py.decref(k);
        }
        steps.push([py.sizeof(s), repr(py, s)]);
      }
      py.decref(s);
      return steps;
    });
    expect(ours).toEqual(answers.sequences);
    rt.verify();
  });

  it("make |, &, - and ^ with CPython's order, size and type", () => {
    using rt = new Runtime(quiet);
    const py = new Embedding(rt);
    const ours = pairs.map(([a, b, frozenA]) => {
      let x = setOf(py, a);
      if (frozenA) {
        const f = py.setFrom(x, true);
        py.decref(x);
        x = f;
      }
      const y = setOf(py, b);
      const results = [
        py.setOperation("|", x, y),
        py.setOperation("&", x, y),
        py.setOperation("-", x, y),
        py.setOperation("^", x, y),
        py.setOperation("-", y, x),
      ];
      const out = results.map((r) => [repr(py, r), py.sizeof(r)]);
      for (const o of [...results, x, y]) py.decref(o);
      return out;
    });
    expect(ours).toEqual(answers.binary);
    rt.verify();
  });

  it("hash frozensets as CPython 3.11 does", () => {
    using rt = new Runtime(quiet);
    const py = new Embedding(rt);
    const ours = frozen.map((keys) => {
      const s = setOf(py, keys);
      const f = py.setFrom(s, true);
      const h = String(py.hash(f));
      expect(py.hash(f)).toBe(BigInt(h)); // the cached hash
      py.decref(f);
      py.decref(s);
      return h;
    });
    expect(ours).toEqual(answers.hashes);
    rt.verify();
  });

  it("write repr as CPython does, and are tracked from birth", () => {
    using rt = new Runtime(quiet);
    const py = new Embedding(rt);
    const ints = [3, 1, 2].map((n) => py.int(n));
    const chars = ["a", "b", "c"].map((c) => py.str(c));
    const one = py.int(1);
    const spam = build(py, { str: "spam" });
    const eggs = build(py, { str: "eggs" });
    const pair = build(py, { pair: [1, "a"] });
    const half = py.float(2.5);
    const sets = [
      py.set(ints),
      py.set(chars),
      py.set(),
      py.frozenset(),
      py.frozenset([one]),
      py.set([spam, eggs, pair, half]),
    ];
    expect(sets.map((s, i) => (i === 5 ? repr(py, s) : py.repr(s)))).toEqual(answers.displays);
    const tracked = [py.set(), py.frozenset(), py.set([one])];
    expect(tracked.map((s) => py.isTracked(s))).toEqual(answers.tracked);
    for (const o of [...sets, ...tracked, ...ints, ...chars, one, spam, eggs, pair, half])
      py.decref(o);
    rt.verify();
  });
});

describe("set errors and edge cases", () => {
  it("refuses unhashable keys with CPython's TypeError, unchanged", () => {
    const { rt, py } = embedded();
    const s = py.set();
    const one = py.int(1);
    py.setAdd(s, one);
    const l = py.list([]);
    const d = py.dict();
    for (const [k, type] of [
      [l, "list"],
      [d, "dict"],
      [s, "set"],
    ] as const) {
      expect(() => py.setAdd(s, k)).toThrow(`unhashable type: '${type}'`);
    }
    expect(() => py.setContains(s, l)).toThrow("unhashable type: 'list'");
    expect(() => py.set([one, l])).toThrow("unhashable type: 'list'");
    expect(py.setItems(s)).toEqual([one]);
    expect(() => py.setRemove(s, py.int(2))).toThrow(PythonError);
    const f = py.frozenset([one]);
    expect(() => py.setAdd(f, one)).toThrow("'frozenset' object has no attribute 'add'");
    expect(() => py.setOperation("|", s, l)).toThrow(
      "unsupported operand type(s) for |: 'set' and 'list'",
    );
    const empty = py.set();
    expect(() => py.setPop(empty)).toThrow("'pop from an empty set'");
    for (const o of [empty, f, d, l, one, s]) py.decref(o);
    rt.verify();
    rt[Symbol.dispose]();
  });

  it("finds a set among frozensets as a frozenset, and equal numbers as one key", () => {
    const { rt, py } = embedded();
    const one = py.int(1);
    const inner = py.frozenset([one]);
    const outer = py.set([inner]);
    const probe = py.set([one]);
    expect(py.setContains(outer, probe)).toBe(true);
    expect(py.keysEqual(inner, probe)).toBe(true);
    expect(py.setDiscard(outer, probe)).toBe(true);
    expect(py.len(outer)).toBe(0);
    const numbers = py.set();
    for (const o of [py.int(1), py.float(1), py.bool(true)]) {
      py.setAdd(numbers, o);
      py.decref(o);
    }
    expect(py.setItems(numbers)).toEqual([one]);
    const copy = py.setCopy(inner);
    expect(copy).toBe(inner); // a frozenset's copy is itself, and so is frozenset(f)
    const same = py.setFrom(inner, true);
    expect(same).toBe(inner);
    py.decref(same);
    for (const o of [copy, numbers, probe, outer, inner, one]) py.decref(o);
    rt.verify();
    rt[Symbol.dispose]();
  });
});

describe("sets of the front end's objects", () => {
  it("hash and compare them through the key protocol, and survive its errors and mutations", () => {
    const { rt, py } = embedded();
    const Point = py.defineClass("Point");
    const v = (p: Ref) => {
      const value = py.getAttr(p, "v");
      py.decref(value);
      return Number(py.intValue(value));
    };
    let onEquals = () => {};
    py.setKeyProtocol({
      hash: (o) => v(o),
      equals: (a, b) => {
        onEquals();
        if (v(a) === 13) py.raise("ValueError", "unlucky");
        return v(a) === v(b);
      },
    });
    const point = (n: number) => {
      const p = py.instance(Point);
      const value = py.int(n);
      py.setAttr(p, "v", value);
      py.decref(value);
      return p;
    };
    const [a, b, c, d, e] = [point(4), point(4), point(13), point(13), point(7)];
    const s = py.set([a, b, c]);
    expect(py.setItems(s)).toEqual([a, c]);
    expect(py.setContains(s, b)).toBe(true);
    expect(() => py.setAdd(s, d)).toThrow("unlucky");
    expect(py.setItems(s)).toEqual([a, c]);
    const f = py.set([a]);
    let calls = 0;
    onEquals = () => {
      if (calls++ === 0) py.setClear(f);
    };
    py.setAdd(f, b); // the comparison empties f: the insertion starts again
    expect(py.setItems(f)).toEqual([b]);
    onEquals = () => {};
    py.setAdd(f, e);
    expect(py.len(f)).toBe(2);
    for (const o of [f, s, a, b, c, d, e]) py.decref(o);
    rt.verify();
    rt[Symbol.dispose]();
  });
});

describe("a set against a model (a JS Set of canonical keys)", () => {
  const canonical = (k: Key) =>
    "int" in k
      ? `n:${k.int}`
      : "float" in k
        ? Number.isInteger(k.float)
          ? `n:${k.float}`
          : `f:${k.float}`
        : "str" in k
          ? `s:${k.str}`
          : `t:${k.pair.join(",")}`;
  type Real = { py: Embedding; s: Ref };
  const check = (model: Set<string>, real: Real) => {
    const { py, s } = real;
    const names = py.setItems(s).map((o) => {
      const type = py.typeName(o);
      if (type === "int") return `n:${py.intValue(o)}`;
      if (type === "float") {
        const x = py.floatValue(o);
        return Number.isInteger(x) ? `n:${x}` : `f:${x}`;
      }
      if (type === "str") return `s:${py.strValue(o)}`;
      return `t:${repr(py, o).slice(1, -1).replace(", '", ",").replace(/'$/, "")}`;
    });
    expect(new Set(names)).toEqual(model);
    expect(names.length).toBe(model.size);
  };
  class Add implements fc.Command<Set<string>, Real> {
    constructor(readonly key: Key) {}
    check = () => true;
    run(model: Set<string>, real: Real) {
      const o = build(real.py, this.key);
      real.py.setAdd(real.s, o);
      real.py.decref(o);
      model.add(canonical(this.key));
      check(model, real);
    }
    toString = () => `s.add(${JSON.stringify(this.key)})`;
  }
  class Discard implements fc.Command<Set<string>, Real> {
    constructor(readonly key: Key) {}
    check = () => true;
    run(model: Set<string>, real: Real) {
      const o = build(real.py, this.key);
      expect(real.py.setDiscard(real.s, o)).toBe(model.delete(canonical(this.key)));
      real.py.decref(o);
      check(model, real);
    }
    toString = () => `s.discard(${JSON.stringify(this.key)})`;
  }
  const commands = [key.map((k) => new Add(k)), key.map((k) => new Discard(k))];

  it("agrees on adds and discards, and the heap verifies after each run", () => {
    fc.assert(
      fc.property(fc.commands(commands, { maxCommands: 80 }), (cmds) => {
        using rt = new Runtime(quiet);
        const py = new Embedding(rt);
        const real: Real = { py, s: py.set() };
        fc.modelRun(() => ({ model: new Set<string>(), real }), cmds);
        const copy = py.setCopy(real.s);
        expect(py.setItems(copy).length).toBe(py.len(real.s));
        py.decref(copy);
        py.decref(real.s);
        rt.verify();
      }),
      { numRuns: 60 },
    );
  });
});

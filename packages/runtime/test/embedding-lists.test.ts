// The embedding API's list operations: extend and insert keep CPython 3.11's allocation sizes
// (asked of python3 live) and agree with a plain array model under random sequences.

import { spawnSync } from "node:child_process";
import { fc } from "@fast-check/vitest";
import { fcRuns } from "@mm/vitest-config/fast-check";
import { describe, expect, it, type TestContext } from "vitest";
import { Embedding, Runtime } from "../src/index.js";

const quiet = { log: () => {} };

function askPython(ctx: TestContext, script: string, input: unknown): unknown {
  const python = spawnSync("python3", ["-c", script], {
    input: JSON.stringify(input),
    encoding: "utf8",
  });
  if (python.status !== 0) {
    if (process.env.CI) throw new Error(`python3 is needed in CI: ${python.stderr}`);
    ctx.skip(`python3 did not run: ${python.stderr || python.error?.message}`);
  }
  return JSON.parse(python.stdout);
}

describe("list extend and insert", () => {
  it("allocate as CPython 3.11 does: exact (even) on an empty list, list_resize otherwise", (ctx) => {
    const cases = fc.sample(
      fc.tuple(fc.nat({ max: 40 }), fc.nat({ max: 40 }), fc.nat({ max: 20 })),
      { numRuns: 40, seed: 5 },
    );
    const expected = askPython(
      ctx,
      [
        "import json, sys",
        "out = []",
        "for first, second, inserts in json.load(sys.stdin):",
        "    l = []",
        "    l.extend(tuple(range(first)))",
        "    a = sys.getsizeof(l)",
        "    l.extend(list(range(second)))",
        "    b = sys.getsizeof(l)",
        "    for i in range(inserts): l.insert(i * 7 - 20, None)",
        "    out.append([a, b, sys.getsizeof(l)])",
        "print(json.dumps(out))",
      ].join("\n"),
      cases,
    );
    using rt = new Runtime(quiet);
    const py = new Embedding(rt);
    const actual = cases.map(([first, second, inserts]) => {
      const l = py.list([]);
      const ints = (n: number) => Array.from({ length: n }, (_, i) => py.int(i));
      const a1 = ints(first);
      py.extend(l, a1);
      for (const o of a1) py.decref(o);
      const a = py.sizeof(l);
      const a2 = ints(second);
      py.extend(l, a2);
      for (const o of a2) py.decref(o);
      const b = py.sizeof(l);
      for (let i = 0; i < inserts; i++) py.insert(l, i * 7 - 20, py.none);
      const c = py.sizeof(l);
      py.decref(l);
      return [a, b, c];
    });
    expect(actual).toEqual(expected);
    rt.verify();
  });

  it("delete as list_ass_slice does: a deletion that empties the list frees its array", (ctx) => {
    // Lists of 1 to 6 items grown by appends, then `del l[0]` until empty, sizes after each.
    const expected = askPython(
      ctx,
      [
        "import json, sys",
        "out = []",
        "for n in range(1, 7):",
        "    l = []",
        "    for i in range(n): l.append(None)",
        "    sizes = []",
        "    while l:",
        "        del l[0]",
        "        sizes.append(sys.getsizeof(l))",
        "    out.append(sizes)",
        "print(json.dumps(out))",
      ].join("\n"),
      null,
    );
    using rt = new Runtime(quiet);
    const py = new Embedding(rt);
    const actual = [1, 2, 3, 4, 5, 6].map((n) => {
      const l = py.list([]);
      for (let i = 0; i < n; i++) py.append(l, py.none);
      const sizes: number[] = [];
      while (py.len(l) > 0) {
        py.listDelete(l, 0);
        sizes.push(py.sizeof(l));
      }
      py.decref(l);
      return sizes;
    });
    expect(actual).toEqual(expected);
    rt.verify();
  });

  it("agree with an array model (items, order, counts) and leave a sound heap", () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant("extend" as const), n: fc.nat({ max: 12 }) }),
      fc.record({ kind: fc.constant("insert" as const), at: fc.integer({ min: -20, max: 20 }) }),
      fc.record({ kind: fc.constant("reverse" as const) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), (ops) => {
        using rt = new Runtime(quiet);
        const py = new Embedding(rt);
        const l = py.list([]);
        const model: number[] = [];
        let next = 1000;
        for (const o of ops) {
          if (o.kind === "extend") {
            const items = Array.from({ length: o.n }, () => py.int(next++));
            py.extend(l, items);
            for (const i of items) model.push(Number(py.intValue(i)));
            for (const i of items) py.decref(i);
          } else if (o.kind === "insert") {
            const v = py.int(next++);
            py.insert(l, o.at, v);
            const n = model.length;
            const at = o.at < 0 ? Math.max(0, o.at + n) : Math.min(o.at, n);
            model.splice(at, 0, Number(py.intValue(v)));
            py.decref(v);
          } else {
            py.permute(l, py.items(l).reverse());
            model.reverse();
          }
        }
        expect(py.items(l).map((i) => Number(py.intValue(i)))).toEqual(model);
        for (const i of py.items(l)) expect(py.refcount(i)).toBe(1);
        py.decref(l);
        rt.verify();
      }),
      { numRuns: fcRuns(60) },
    );
  });

  it("refuse what is not a list, leaving the heap sound", () => {
    using rt = new Runtime(quiet);
    const py = new Embedding(rt);
    const t = py.tuple([py.none]);
    expect(() => py.extend(t, [py.none])).toThrow("'tuple' object has no attribute 'extend'");
    expect(() => py.insert(t, 0, py.none)).toThrow("'tuple' object has no attribute 'insert'");
    expect(() => py.permute(py.list([]), [py.none])).toThrow(RangeError);
    py.decref(t);
    rt.verify();
  });
});

describe("slice replacement", () => {
  it("agrees with splice and releases the replaced items last to first", () => {
    const op = fc.record({
      a: fc.nat({ max: 30 }),
      b: fc.nat({ max: 30 }),
      k: fc.nat({ max: 12 }),
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 20 }), (ops) => {
        using rt = new Runtime(quiet);
        const py = new Embedding(rt);
        const l = py.list([]);
        const model: number[] = [];
        let next = 1000;
        for (const o of ops) {
          const start = Math.min(o.a, model.length);
          const stop = Math.max(start, Math.min(o.b, model.length));
          const items = Array.from({ length: o.k }, () => py.int(next++));
          py.listReplaceSlice(l, start, stop, items);
          model.splice(start, stop - start, ...items.map((i) => Number(py.intValue(i))));
          for (const i of items) py.decref(i);
          expect(py.items(l).map((i) => Number(py.intValue(i)))).toEqual(model);
        }
        for (const i of py.items(l)) expect(py.refcount(i)).toBe(1);
        expect(() => py.listReplaceSlice(l, 1, 0, [])).toThrow(RangeError);
        py.decref(l);
        rt.verify();
      }),
      { numRuns: fcRuns(60) },
    );
  });

  it("resizes as list_ass_slice does (sizes asked of python3)", (ctx) => {
    const cases = fc.sample(
      fc.array(fc.tuple(fc.nat({ max: 25 }), fc.nat({ max: 25 }), fc.nat({ max: 15 })), {
        maxLength: 12,
      }),
      { numRuns: 20, seed: 11 },
    );
    const expected = askPython(
      ctx,
      [
        "import json, sys",
        "out = []",
        "for ops in json.load(sys.stdin):",
        "    l = list(range(10))",
        "    sizes = []",
        "    for a, b, k in ops:",
        "        start = min(a, len(l))",
        "        stop = max(start, min(b, len(l)))",
        "        l[start:stop] = [None] * k",
        "        sizes.append(sys.getsizeof(l))",
        "    out.append(sizes)",
        "print(json.dumps(out))",
      ].join("\n"),
      cases,
    );
    using rt = new Runtime(quiet);
    const py = new Embedding(rt);
    const actual = cases.map((ops) => {
      const ints = Array.from({ length: 10 }, (_, i) => py.int(i));
      const l = py.list(ints);
      for (const i of ints) py.decref(i);
      const sizes = ops.map(([a, b, k]) => {
        const start = Math.min(a, py.len(l));
        const stop = Math.max(start, Math.min(b, py.len(l)));
        py.listReplaceSlice(
          l,
          start,
          stop,
          Array.from({ length: k }, () => py.none),
        );
        return py.sizeof(l);
      });
      py.decref(l);
      return sizes;
    });
    expect(actual).toEqual(expected);
    rt.verify();
  });
});

describe("lists and dicts made past the free list", () => {
  // CPython's `list()` and `dict()` allocate with PyType_GenericAlloc, `[]` and `{}` take the
  // last freed one (80 at most are kept). Ops: make one either way, or drop a live one.
  const op = fc.oneof(
    fc.record({ kind: fc.constantFrom("literal" as const, "fresh" as const) }),
    fc.record({ kind: fc.constant("drop" as const), which: fc.nat() }),
  );
  for (const type of ["list", "dict"] as const) {
    it(`a fresh ${type} never takes a freed one's address; a literal takes the last freed`, () => {
      fc.assert(
        fc.property(fc.array(op, { maxLength: 120 }), (ops) => {
          using rt = new Runtime(quiet);
          const py = new Embedding(rt);
          const make = (fresh: boolean) => (type === "list" ? py.list([], fresh) : py.dict(fresh));
          const live: number[] = [];
          const parked: number[] = [];
          for (const o of ops) {
            if (o.kind === "drop") {
              if (live.length === 0) continue;
              const [dead] = live.splice(o.which % live.length, 1);
              py.decref(dead!);
              if (parked.length < 80) parked.push(dead!);
              continue;
            }
            const made = make(o.kind === "fresh");
            if (o.kind === "literal" && parked.length > 0) expect(made).toBe(parked.pop());
            else expect(parked).not.toContain(made);
            live.push(made);
          }
          for (const o of live) py.decref(o);
          rt.verify();
        }),
        { numRuns: fcRuns(60) },
      );
    });
  }

  it("answer as python3 does whether list() or dict() reuses a dead one's id", (ctx) => {
    const expected = askPython(
      ctx,
      [
        "import json",
        "out = []",
        "for make in (list, lambda: [], dict, lambda: {}):",
        "    a = make()",
        "    old = id(a)",
        "    del a",
        "    b = make()",
        "    out.append(id(b) == old)",
        "    del b",
        "print(json.dumps(out))",
      ].join("\n"),
      null,
    );
    using rt = new Runtime(quiet);
    const py = new Embedding(rt);
    const makers = [
      () => py.list([], true),
      () => py.list([]),
      () => py.dict(true),
      () => py.dict(),
    ];
    const actual = makers.map((make) => {
      const a = make();
      py.decref(a);
      const b = make();
      py.decref(b);
      return a === b;
    });
    expect(actual).toEqual(expected);
    rt.verify();
  });
});

describe("a list detached for sorting", () => {
  it("looks empty while detached, takes back a permutation, and drops what it was given meanwhile", () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: 50 }), { maxLength: 30 }),
        fc.array(fc.constantFrom("append", "extend", "clear"), { maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        (values, meanwhile, shuffle) => {
          using rt = new Runtime(quiet);
          const py = new Embedding(rt);
          const items = values.map((v) => py.int(1000 + v));
          const l = py.list(items);
          const d = py.detachList(l);
          expect(d.items).toEqual(items);
          expect(py.len(l)).toBe(0);
          // CPython's list with `allocated` -1: 16 + 40 - 8.
          expect(py.sizeof(l)).toBe(48);
          const added: number[] = [];
          for (const op of meanwhile) {
            const v = py.int(5000 + added.length);
            added.push(v);
            if (op === "append") py.append(l, v);
            else if (op === "extend") py.extend(l, [v]);
            else py.clearList(l);
          }
          // Any permutation of the items goes back.
          for (let i = d.items.length - 1; i > 0; i--) {
            const j = (shuffle[i] ?? 0) % (i + 1);
            [d.items[i], d.items[j]] = [d.items[j]!, d.items[i]!];
          }
          const order = [...d.items];
          expect(py.reattachList(l, d)).toBe(meanwhile.length > 0);
          expect(py.items(l)).toEqual(order);
          for (const i of items) expect(py.refcount(i)).toBe(2);
          // What the list was given while detached is released: only our references remain.
          for (const v of added) expect(py.refcount(v)).toBe(1);
          for (const v of [...items, ...added]) py.decref(v);
          rt.verify();
          py.decref(l);
          rt.verify();
        },
      ),
      { numRuns: fcRuns(60) },
    );
  });
});

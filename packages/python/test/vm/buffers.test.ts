// bytearray and memoryview: bytearray against a plain array model under random sequences of its
// methods (contents, results, errors and the exports lock), and the same kind of sequences asked
// of python3, which must agree on every size, allocation and traced byte after each step; random
// slicing, writing and releasing of memoryviews against python3 likewise.

import { fcRuns, fcSeed } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PyRepl } from "../../src/vm/repl.js";
import { runPython } from "../../src/vm/run.js";
import { CPythonForks } from "../fuzz/cpython.js";
import { describeAgainstPython } from "./against-python.js";

describeAgainstPython(
  "bytearray and memoryview with the rest of the language",
  [
    [
      "builtins over them: sorted, sum, reversed, int.from_bytes, bytes methods' arguments",
      `b = bytearray(b"cab")
print(sorted(b), sum(b), max(b), list(reversed(b)), list(reversed(b"xy")), b == b)
print(int.from_bytes(bytearray(b"\\x01\\x00"), "big"), bytes(memoryview(b)[1:]), str(b), f"{b!r}")
print(b"abc".find(bytearray(b"c")), b"a-b".split(bytearray(b"-")), b"x" + memoryview(b"y"))
print(b"-".join([memoryview(b"a"), bytearray(b"b")]), b"abc".startswith(memoryview(b"ab")))
print(bytearray.fromhex("0a ff"), type(bytearray.fromhex("")).__name__, bytes(bytearray(2)))
print(b"ab" in bytearray(b"cab"), 97 in bytearray(b"a"), bytearray(b"a") in [bytearray(b"a")])
print(isinstance(b, bytearray), type(memoryview(b)).__name__, type(iter(b)).__name__)
print(type(iter(memoryview(b))).__name__, repr(bytearray(b"\\x00\\n\\t\\\\'")))
y = bytearray(b"hello")
y += memoryview(b"!!")
print(y, y.__alloc__(), bytearray(b"a b  c").split(b" "), bytearray(b"aXbXc").rsplit(b"X", 1))`,
    ],
  ],
  { quiet: true },
);

/** The bytearray the model mirrors: its bytes and the views that lock its size. */
interface Model {
  items: number[];
  views: number;
}

interface Real {
  readonly repl: PyRepl;
  output: string[];
}

const LOCKED = "BufferError Existing exports of data: object cannot be re-sized";

/** `repr(list(b))` of the model's bytes. */
function show(m: Model): string {
  return `[${m.items.join(", ")}]`;
}

/** One step: the line it runs and its result by the model. */
class Op implements fc.Command<Model, Real> {
  constructor(
    readonly call: string,
    readonly apply: (m: Model) => string,
  ) {}
  check(): boolean {
    return true;
  }
  run(m: Model, r: Real): void {
    const result = this.apply(m);
    r.output = [];
    r.repl.push(`attempt(lambda: ${this.call})`);
    expect(r.output.join("")).toBe(`${result}\n${show(m)} ${m.items.length}\n`);
  }
  toString(): string {
    return this.call;
  }
}

const byte = fc.integer({ min: 0, max: 255 });
const bytesArg = fc.array(byte, { maxLength: 60 });
const index = fc.integer({ min: -80, max: 80 });
const pyBytes = (vs: readonly number[]) => `bytes(${JSON.stringify(vs)})`;

/** A resize of the model: refused while a view is alive. */
function resize(m: Model, change: () => void, result = "None"): string {
  if (m.views > 0) return LOCKED;
  change();
  return result;
}

/** Python's slice bounds of `[lo:hi]` over `n` items (step 1). */
function bounds(n: number, lo: number, hi: number): [number, number] {
  const at = (v: number) => (v < 0 ? Math.max(0, v + n) : Math.min(v, n));
  const s = at(lo);
  return [s, Math.max(s, at(hi))];
}

/** The bytearray's methods, each with what it does to an array. */
const ops = [
  byte.map((v) => new Op(`b.append(${v})`, (m) => resize(m, () => m.items.push(v)))),
  bytesArg.map(
    (vs) =>
      new Op(`b.extend(${JSON.stringify(vs)})`, (m) =>
        vs.length === 0 ? "None" : resize(m, () => m.items.push(...vs)),
      ),
  ),
  bytesArg.map(
    (vs) =>
      new Op(`[b.__iadd__(${pyBytes(vs)}), None][1]`, (m) =>
        vs.length === 0 ? "None" : resize(m, () => m.items.push(...vs)),
      ),
  ),
  fc.integer({ min: 0, max: 3 }).map(
    (k) =>
      new Op(`[b.__imul__(${k}), None][1]`, (m) => {
        const next = Array.from({ length: k }, () => m.items).flat();
        return next.length === m.items.length
          ? "None"
          : resize(m, () => {
              m.items = next;
            });
      }),
  ),
  index.map(
    (i) =>
      new Op(`b.pop(${i})`, (m) => {
        const n = m.items.length;
        if (n === 0) return "IndexError pop from empty bytearray";
        const at = i < 0 ? i + n : i;
        if (at < 0 || at >= n) return "IndexError pop index out of range";
        if (m.views > 0) return LOCKED;
        return String(m.items.splice(at, 1)[0]);
      }),
  ),
  fc.tuple(index, byte).map(
    ([i, v]) =>
      new Op(`b.insert(${i}, ${v})`, (m) =>
        resize(m, () => {
          const n = m.items.length;
          m.items.splice(i < 0 ? Math.max(0, i + n) : Math.min(i, n), 0, v);
        }),
      ),
  ),
  byte.map(
    (v) =>
      new Op(`b.remove(${v})`, (m) => {
        const at = m.items.indexOf(v);
        if (at < 0) return "ValueError value not found in bytearray";
        return resize(m, () => m.items.splice(at, 1));
      }),
  ),
  fc.tuple(index, index, bytesArg).map(
    ([lo, hi, vs]) =>
      new Op(`b.__setitem__(slice(${lo}, ${hi}), ${pyBytes(vs)})`, (m) => {
        const [s, e] = bounds(m.items.length, lo, hi);
        const apply = () => m.items.splice(s, e - s, ...vs);
        if (vs.length !== e - s) return resize(m, apply);
        apply();
        return "None";
      }),
  ),
  fc.tuple(index, index).map(
    ([lo, hi]) =>
      new Op(`b.__delitem__(slice(${lo}, ${hi}))`, (m) => {
        const [s, e] = bounds(m.items.length, lo, hi);
        return e === s ? "None" : resize(m, () => m.items.splice(s, e - s));
      }),
  ),
  fc.tuple(index, byte).map(
    ([i, v]) =>
      new Op(`b.__setitem__(${i}, ${v})`, (m) => {
        const at = i < 0 ? i + m.items.length : i;
        if (at < 0 || at >= m.items.length) return "IndexError bytearray index out of range";
        m.items[at] = v;
        return "None";
      }),
  ),
  index.map(
    (i) =>
      new Op(`b[${i}]`, (m) => {
        const at = i < 0 ? i + m.items.length : i;
        if (at < 0 || at >= m.items.length) return "IndexError bytearray index out of range";
        return String(m.items[at]);
      }),
  ),
  fc.constant(
    new Op("b.clear()", (m) =>
      m.items.length === 0
        ? "None"
        : resize(m, () => {
            m.items = [];
          }),
    ),
  ),
  fc.constant(
    new Op("b.reverse()", (m) => {
      m.items.reverse();
      return "None";
    }),
  ),
  byte.map((v) => new Op(`b.count(${v})`, (m) => String(m.items.filter((x) => x === v).length))),
  fc.constant(
    new Op("views.append(memoryview(b))", (m) => {
      m.views++;
      return "None";
    }),
  ),
  fc.constant(
    new Op("views.pop().release() if views else None", (m) => {
      if (m.views > 0) m.views--;
      return "None";
    }),
  ),
];

const SETUP = [
  "def attempt(f):",
  "    try:",
  "        print(f())",
  "    except Exception as e:",
  "        print(type(e).__name__, e)",
  "    print(list(b), len(b))",
  "",
  "views = []",
];

describe("bytearray against an array model", () => {
  it("holds the bytes a list holds, and refuses every resize while a view is alive", () => {
    const seed = fcSeed();
    fc.assert(
      fc.property(bytesArg, fc.commands(ops, { maxCommands: 40 }), (initial, cmds) => {
        const real: Real = {
          output: [],
          repl: new PyRepl({
            stdout: (t) => real.output.push(t),
            stderr: (t) => real.output.push(t),
          }),
        };
        try {
          for (const line of [...SETUP, `b = bytearray(${JSON.stringify(initial)})`])
            real.repl.push(line);
          expect(real.output.join("")).toBe("");
          fc.modelRun(() => ({ model: { items: [...initial], views: 0 }, real }), cmds);
        } finally {
          real.repl.close();
        }
      }),
      { numRuns: fcRuns(60), ...(seed !== undefined ? { seed } : {}) },
    );
  });
});

describe("bytearray and memoryview against python3", () => {
  let cpython: CPythonForks;
  beforeAll(() => {
    cpython = new CPythonForks();
  });
  afterAll(() => cpython.close());

  /** Runs `source` by python3 and here: the same stdout and status. */
  const agree = async (source: string) => {
    const want = await cpython.run(source);
    const got = runPython(source, { filename: "prog.py" });
    expect(got.stdout).toBe(want.stdout);
    expect(got.status).toBe(want.status);
  };

  const source = fc.oneof(
    fc.integer({ min: 0, max: 300 }).map(String),
    bytesArg.map((vs) => JSON.stringify(vs)),
    bytesArg.map(pyBytes),
    fc.integer({ min: 0, max: 300 }).map((n) => `range(${n})`),
    fc.string({ maxLength: 20 }).map((s) => `${JSON.stringify(s)}, "utf-8"`),
    fc.integer({ min: 0, max: 100 }).map((n) => `(i % 256 for i in range(${n}))`),
  );

  it("reports python3's getsizeof, __alloc__ and traced memory after every method", async () => {
    const seed = fcSeed();
    await fc.assert(
      fc.asyncProperty(
        source,
        fc.array(
          fc.oneof(...ops).map((op) => op.call),
          { maxLength: 25 },
        ),
        async (made, calls) => {
          const lines = [
            "import sys, tracemalloc",
            "views = []",
            "tracemalloc.start()",
            `b = bytearray(${made})`,
            "print(sys.getsizeof(b), b.__alloc__(), tracemalloc.get_traced_memory()[0] > 0)",
            // The traced change of a step that raised would count the exception's objects.
            "def attempt(f):",
            "    before = tracemalloc.get_traced_memory()[0]",
            "    try:",
            "        r = f()",
            "    except Exception as e:",
            "        print(type(e).__name__, e, sys.getsizeof(b), b.__alloc__(), bytes(b))",
            "        return",
            "    r = None",
            "    grown = tracemalloc.get_traced_memory()[0] - before",
            "    print(sys.getsizeof(b), b.__alloc__(), grown, bytes(b))",
            ...calls.map((c) => `attempt(lambda: ${c})`),
          ];
          await agree(`${lines.join("\n")}\n`);
        },
      ),
      { numRuns: fcRuns(25), ...(seed !== undefined ? { seed } : {}) },
    );
  });

  /** A step over a list of views `vs` of one bytearray `b`. */
  const slot = fc.integer({ min: 0, max: 5 });
  const small = fc.option(fc.integer({ min: -12, max: 12 }), { nil: undefined });
  const sliceText = fc
    .tuple(small, small, fc.option(fc.constantFrom(1, 2, 3, -1, -2), { nil: undefined }))
    .map(([a, c, s]) => `${a ?? ""}:${c ?? ""}${s === undefined ? "" : `:${s}`}`);
  const viewOps = [
    fc.constant("vs.append(memoryview(b))"),
    fc.tuple(slot, sliceText).map(([i, s]) => `vs.append(vs[${i} % len(vs)][${s}])`),
    fc.tuple(slot, small).map(([i, k]) => `vs[${i} % len(vs)][${k ?? 0}]`),
    fc
      .tuple(slot, small, byte)
      .map(([i, k, v]) => `vs[${i} % len(vs)].__setitem__(${k ?? 0}, ${v})`),
    fc
      .tuple(slot, sliceText, bytesArg)
      .map(
        ([i, s, vs]) =>
          `vs[${i} % len(vs)].__setitem__(slice(*[int(x) if x else None for x in "${s}".split(":")]), ${pyBytes(vs)})`,
      ),
    slot.map((i) => `vs[${i} % len(vs)].tolist()`),
    slot.map(
      (i) => `(vs[${i} % len(vs)].tobytes(), vs[${i} % len(vs)].shape, vs[${i} % len(vs)].strides)`,
    ),
    slot.map((i) => `vs[${i} % len(vs)].release()`),
    slot.map((i) => `vs.__delitem__(${i} % len(vs))`),
    slot.map((i) => `vs[${i} % len(vs)] == b`),
    slot.map((i) => `vs[${i} % len(vs)].cast("c").tolist()`),
    byte.map((v) => `b.append(${v})`),
    fc.constant("gc.get_referents(vs[0])[0] is gc.get_referents(vs[-1])[0]"),
  ];

  it("agrees with python3 on views: items, writes, releases, sizes and traced memory", async () => {
    const seed = fcSeed();
    await fc.assert(
      fc.asyncProperty(
        fc.array(byte, { minLength: 1, maxLength: 30 }),
        fc.array(fc.oneof(...viewOps), { maxLength: 25 }),
        async (initial, steps) => {
          const lines = [
            "import gc, sys, tracemalloc",
            "tracemalloc.start()",
            `b = bytearray(${JSON.stringify(initial)})`,
            "vs = [memoryview(b)]",
            "def attempt(f):",
            "    before = tracemalloc.get_traced_memory()[0]",
            "    try:",
            "        print(f())",
            "    except Exception as e:",
            "        print(type(e).__name__, e, len(vs), bytes(b))",
            "        return",
            "    grown = tracemalloc.get_traced_memory()[0] - before",
            "    print(len(vs), grown, sys.getrefcount(b), bytes(b), [sys.getsizeof(v) for v in vs])",
            ...steps.map((s) => `if vs: attempt(lambda: ${s})`),
            "del vs",
            "b.append(1)",
            "print(sys.getsizeof(b), b.__alloc__())",
          ];
          await agree(`${lines.join("\n")}\n`);
        },
      ),
      { numRuns: fcRuns(25), ...(seed !== undefined ? { seed } : {}) },
    );
  });
});

// The itertools module against python3: every type's size and tracking, what its objects keep
// alive (tee's blocks of 57 cells, cycle's saved items, groupby's groups), reprs and argument
// errors; and random pipelines of the module's iterators, whose outputs python3 gives.

import { fcRuns, fcSeed } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPython } from "../../src/vm/run.js";
import { CPythonForks } from "../fuzz/cpython.js";
import { describeAgainstPython } from "./against-python.js";

describeAgainstPython(
  "itertools",
  [
    [
      "sizes and tracking of every type",
      `import gc, sys, itertools as it
g = it.groupby([1, 1]); _, grp = next(g)
objs = [it.count(), it.count(2.5, 0.5), it.cycle([1]), it.repeat(1), it.repeat(1, 3), it.chain([1]),
        it.chain.from_iterable([[1]]), it.islice([1], 1), it.accumulate([1]),
        it.product([1], [2]), it.product(), it.product("ab", repeat=3), it.permutations([1, 2]),
        it.permutations(range(5), 2), it.combinations([1, 2], 1), it.combinations(range(6), 4),
        it.combinations_with_replacement([1, 2], 3), g, grp, it.zip_longest([1], [2]),
        it.starmap(len, []), it.takewhile(len, []), it.dropwhile(len, []),
        it.filterfalse(len, []), it.compress([], []), it.pairwise([]), it.tee([1])[0]]
for o in objs:
    print(type(o).__name__, sys.getsizeof(o), gc.is_tracked(o))
print(it.tee(range(3), 0), len(it.tee(range(3), 4)))`,
    ],
    [
      "reprs, lengths and argument errors",
      `import itertools as it
print(it.count(), it.count(5), it.count(5, 2), it.count(1.5), it.count(0, 1.0), it.count(-3, -1))
print(it.repeat("a", 3), it.repeat("a"), it.repeat(None, -2), list(it.repeat(1, 0)))
r = it.repeat("x", 2); next(r); print(r, r.__length_hint__())
def f(*a, **k):
    pass
cases = [lambda: it.count("a"), lambda: it.count(1, 2, 3), lambda: it.count(step="a"),
         lambda: it.repeat(), lambda: it.repeat(1, "a"), lambda: it.islice([1]),
         lambda: it.islice([1], 1, 2, 3, 4), lambda: it.islice([1], -1), lambda: it.islice([1], "a"),
         lambda: it.islice([1], -2), lambda: it.islice([1], 1, -2), lambda: it.islice([1], "a", 2),
         lambda: it.islice([1], 0, 2, 0), lambda: it.islice(1, 2), lambda: it.islice([1], x=1),
         lambda: it.chain(x=1), lambda: it.combinations([1]), lambda: it.combinations([1], -1),
         lambda: it.permutations([1], -1), lambda: it.permutations([1], "a"),
         lambda: it.product([1], repeat=-1), lambda: it.product([1], times=2), lambda: it.tee([1], -1),
         lambda: it.tee([1], "a"), lambda: it.starmap(len), lambda: it.accumulate(),
         lambda: it.zip_longest(1), lambda: it.zip_longest([1], fill=0), lambda: it.pairwise(1),
         lambda: it.cycle(1), lambda: it.groupby(1), lambda: it.compress([1]),
         lambda: it.takewhile(len), lambda: it.dropwhile(len, [], 1),
         lambda: it.combinations_with_replacement([1]), lambda: it.combinations([1], r=1.5),
         lambda: next(it.starmap(len, [1])), lambda: it.tee(1), lambda: list(it.chain([1], 2)),
         lambda: it.filterfalse(f), lambda: it.count(1, start=2)]
for case in cases:
    try:
        case()
        print("no error")
    except Exception as e:
        print(type(e).__name__, e)`,
    ],
    [
      "what the iterators keep alive, and for how long",
      `import gc, sys, itertools as it
class Item:
    def __init__(self, n):
        self.n = n
    def __del__(self):
        print("free", self.n)
    def __repr__(self):
        return f"Item({self.n})"
a, b = it.tee(Item(i) for i in range(3))
print(next(a), next(a))
del a
print("a gone")
print(list(b))
del b
print("b gone")
items = [Item(i) for i in range(3)]
c = it.cycle(items)
del items
print(next(c), next(c), next(c), next(c))
del c
print("cycle gone")
g = it.groupby([Item(1), Item(2)], key=lambda x: x.n)
k, grp = next(g)
print(k, sys.getrefcount(grp), gc.is_tracked(grp))
k2, grp2 = next(g)
print(list(grp), list(grp2))
del g, grp, grp2
print("groupby gone")
p = it.pairwise([Item(7), Item(8), Item(9)])
print(next(p))
del p
print("pairwise gone")
# tee's buffer: blocks of 57 cells, freed once every copy has moved past them.
x, y = it.tee(range(200))
for _ in range(150):
    next(x)
print(next(y), next(x))
del x, y
print(gc.collect())`,
    ],
  ],
  { quiet: true },
);

// Pipelines of itertools over small inputs: each stage takes the iterator the previous one gave.
const source = fc.oneof(
  fc.array(fc.integer({ min: -3, max: 9 }), { maxLength: 8 }).map((xs) => `[${xs.join(", ")}]`),
  fc.integer({ min: 0, max: 12 }).map((n) => `range(${n})`),
  fc.string({ unit: fc.constantFrom("a", "b", "c"), maxLength: 7 }).map((s) => `"${s}"`),
);
const small = fc.integer({ min: 0, max: 4 });
const stage: fc.Arbitrary<(x: string) => string> = fc.oneof(
  fc.tuple(small, small).map(
    ([a, b]) =>
      (x: string) =>
        `it.islice(${x}, ${a}, ${a + b})`,
  ),
  fc.tuple(fc.option(small), fc.option(small), fc.option(fc.integer({ min: 1, max: 3 }))).map(
    ([a, b, c]) =>
      (x: string) =>
        `it.islice(${x}, ${a ?? "None"}, ${b ?? "None"}, ${c ?? "None"})`,
  ),
  fc.constant((x: string) => `it.accumulate(${x})`),
  fc.constant((x: string) => `it.accumulate(${x}, lambda s, v: f"{s}{v}"[-3:], initial="<")`),
  fc.constant((x: string) => `it.pairwise(${x})`),
  source.map((s) => (x: string) => `it.chain(${x}, ${s})`),
  source.map((s) => (x: string) => `it.chain.from_iterable([${x}, ${s}])`),
  source.map((s) => (x: string) => `it.zip_longest(${x}, ${s}, fillvalue="-")`),
  source.map((s) => (x: string) => `it.compress(${x}, it.cycle([1, 0, 1]) if ${s} else ${s})`),
  small.map((k) => (x: string) => `it.takewhile(lambda v: len(str(v)) <= ${k}, ${x})`),
  small.map((k) => (x: string) => `it.dropwhile(lambda v: len(str(v)) <= ${k}, ${x})`),
  fc.constant((x: string) => `it.filterfalse(lambda v: len(str(v)) % 2, ${x})`),
  fc.constant((x: string) => `it.filterfalse(None, ${x})`),
  fc.constant((x: string) => `it.starmap(lambda *a: a[::-1], it.pairwise(${x}))`),
  fc.constant((x: string) => `((k, tuple(g)) for k, g in it.groupby(${x}))`),
  fc.constant((x: string) => `(k for k, g in it.groupby(${x}, key=lambda v: str(v)[:1]))`),
  fc.constant((x: string) => `it.chain(*it.tee(${x}, 3))`),
  fc.constant((x: string) => `zip(*it.tee(${x}))`),
  fc.constant((x: string) => `it.islice(it.cycle(${x}), 20)`),
  small.map((r) => (x: string) => `it.combinations(it.islice(${x}, 6), ${r})`),
  small.map((r) => (x: string) => `it.combinations_with_replacement(it.islice(${x}, 4), ${r})`),
  fc.option(small).map((r) => (x: string) => `it.permutations(it.islice(${x}, 4), ${r ?? "None"})`),
  fc
    .integer({ min: 0, max: 2 })
    .map((r) => (x: string) => `it.product(it.islice(${x}, 3), "xy", repeat=${r})`),
  fc.constant((x: string) => `zip(it.count(10, 5), ${x})`),
  fc.constant((x: string) => `zip(it.repeat("r"), ${x})`),
);
const pipeline = fc
  .tuple(source, fc.array(stage, { minLength: 1, maxLength: 4 }))
  .map(([s, stages]) => stages.reduce((x, f) => f(x), s));

describe("itertools pipelines against python3", () => {
  let cpython: CPythonForks;
  beforeAll(() => {
    cpython = new CPythonForks();
  });
  afterAll(() => cpython.close());

  it("prints what python3 prints for random pipelines", async () => {
    const seed = fcSeed();
    await fc.assert(
      fc.asyncProperty(fc.array(pipeline, { minLength: 1, maxLength: 8 }), async (pipes) => {
        const lines = ["import itertools as it", "from functools import reduce"];
        for (const p of pipes) {
          lines.push("try:");
          lines.push(`    print(list(it.islice(${p}, 80)))`);
          lines.push("except Exception as e:");
          lines.push("    print(type(e).__name__, e)");
        }
        const source = `${lines.join("\n")}\n`;
        const want = await cpython.run(source);
        const got = runPython(source, { filename: "prog.py" });
        expect(got.stdout).toBe(want.stdout);
        expect(got.status).toBe(want.status);
      }),
      { numRuns: fcRuns(40), ...(seed !== undefined ? { seed } : {}) },
    );
  });

  it("sizes the combinatoric iterators as python3 does, before and after steps", async () => {
    const seed = fcSeed();
    const made = fc.oneof(
      fc
        .tuple(fc.integer({ min: 0, max: 7 }), fc.option(fc.integer({ min: 0, max: 8 })))
        .map(([n, r]) => `it.permutations(range(${n}), ${r ?? "None"})`),
      fc
        .tuple(fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 8 }))
        .map(([n, r]) => `it.combinations(range(${n}), ${r})`),
      fc
        .tuple(fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 8 }))
        .map(([n, r]) => `it.combinations_with_replacement(range(${n}), ${r})`),
      fc
        .tuple(
          fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 4 }),
          fc.integer({ min: 0, max: 3 }),
        )
        .map(([ns, r]) => `it.product(${ns.map((n) => `range(${n}), `).join("")}repeat=${r})`),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(made, fc.integer({ min: 0, max: 5 })), { minLength: 1, maxLength: 10 }),
        async (cases) => {
          const lines = ["import gc, sys, itertools as it"];
          for (const [expr, steps] of cases) {
            lines.push(`o = ${expr}`);
            lines.push("print(sys.getsizeof(o), gc.is_tracked(o))");
            lines.push(`print(list(it.islice(o, ${steps})), sys.getsizeof(o))`);
          }
          const source = `${lines.join("\n")}\n`;
          const want = await cpython.run(source);
          const got = runPython(source, { filename: "prog.py" });
          expect(got.stdout).toBe(want.stdout);
          expect(got.status).toBe(want.status);
        },
      ),
      { numRuns: fcRuns(30), ...(seed !== undefined ? { seed } : {}) },
    );
  });
});

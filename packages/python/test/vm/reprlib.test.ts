// The reprlib module against python3: Repr's limits for each kind of object, nesting levels,
// changed limits and fillvalue, failing __repr__s, recursive_repr; and a property over random
// nested values and limits.

import { fcRuns, fcSeed } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPython } from "../../src/vm/run.js";
import { CPythonForks } from "../fuzz/cpython.js";
import { describeAgainstPython } from "./against-python.js";

describeAgainstPython("reprlib", [
  [
    "limits, levels, recursive_repr",
    `import reprlib
from collections import deque
from array import array
print(reprlib.repr(list(range(100))), reprlib.repr(tuple(range(3))), reprlib.repr((1,)), reprlib.repr(set(range(20))))
print(reprlib.repr(frozenset('abcdefgh')), reprlib.repr(set()), reprlib.repr(frozenset()), reprlib.repr(deque(range(10))))
print(reprlib.repr({i: str(i) * 3 for i in range(10)}), reprlib.repr({}), reprlib.repr(array('i', range(9))), reprlib.repr(array('d')))
print(reprlib.repr('x' * 100), reprlib.repr("it's" * 10), reprlib.repr(2 ** 200), reprlib.repr(-(10 ** 50)), reprlib.repr(3.5))
print(reprlib.repr([[[[[[[[1]]]]]]]]), reprlib.repr({1: {2: {3: {4: {5: {6: {7: 8}}}}}}}), reprlib.repr([1, 'a', None, {2, 1}]))
r = reprlib.Repr()
r.maxlist = 2; r.maxstring = 10; r.fillvalue = '+++'; r.maxlevel = 2; r.maxother = 12
print(r.repr(list(range(5))), r.repr('abcdefghijklmnop'), r.repr([[[1]]]), r.repr(object)[:5], r.repr(Ellipsis))
class Bad:
    def __repr__(self): raise ValueError
print(reprlib.repr(Bad()).startswith('<Bad instance at 0x'), reprlib.repr({3, 'a'}) in ("{3, 'a'}", "{'a', 3}"))
class Node:
    def __init__(self): self.children = []
    @reprlib.recursive_repr()
    def __repr__(self): return 'Node(%r)' % self.children
n = Node(); n.children.append(n)
print(n, Node.__repr__.__name__, Node.__repr__.__qualname__)
class Other:
    @reprlib.recursive_repr('<loop>')
    def __repr__(self): return 'Other(%r)' % [self]
print(Other())
print(reprlib.aRepr.maxdict, sorted(vars(reprlib.Repr())), reprlib.__all__)`,
  ],
]);

const leaf = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }).map(String),
  fc.bigInt({ min: -(10n ** 60n), max: 10n ** 60n }).map(String),
  fc.string({ maxLength: 50 }).map((s) => JSON.stringify(s)),
  fc.constantFrom("None", "1.5", "True", "b'ab'"),
);
const value: fc.Arbitrary<string> = fc.letrec<{ v: string }>((tie) => ({
  v: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.array(tie("v"), { maxLength: 9 }).map((xs) => `[${xs.join(", ")}]`),
    fc
      .array(tie("v"), { maxLength: 9 })
      .map((xs) => `(${xs.join(", ")}${xs.length === 1 ? "," : ""})`),
    fc
      .array(fc.integer({ min: 0, max: 40 }), { maxLength: 12 })
      .map((xs) => `set([${xs.join(", ")}])`),
    fc
      .array(fc.tuple(fc.integer({ min: 0, max: 20 }), tie("v")), { maxLength: 7 })
      .map((kv) => `{${kv.map(([k, v]) => `${k}: ${v}`).join(", ")}}`),
  ),
})).v;

describe("reprlib against python3", () => {
  let cpython: CPythonForks;
  beforeAll(() => {
    cpython = new CPythonForks();
  });
  afterAll(() => cpython.close());

  it("abbreviates random values under random limits as python3 does", async () => {
    const seed = fcSeed();
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(
            value,
            fc.integer({ min: 0, max: 8 }),
            fc.integer({ min: 0, max: 40 }),
            fc.integer({ min: 1, max: 7 }),
          ),
          { minLength: 1, maxLength: 8 },
        ),
        async (cases) => {
          const lines = ["import reprlib", "r = reprlib.Repr()"];
          for (const [v, items, chars, level] of cases) {
            lines.push(`r.maxlist = r.maxtuple = r.maxset = r.maxdict = ${items}`);
            lines.push(`r.maxstring = r.maxlong = r.maxother = ${chars}; r.maxlevel = ${level}`);
            lines.push(`print(r.repr(${v}), reprlib.repr(${v}))`);
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

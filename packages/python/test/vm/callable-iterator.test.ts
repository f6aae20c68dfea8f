// `iter(callable, sentinel)` against python3: CPython's callable_iterator (its size, tracking,
// referents, errors), and a property: for random results of the callable, a random sentinel and
// a StopIteration at a random call, the items, the calls made, the comparisons the sentinel
// answers and the references the iterator holds before and after its end are python3's.

import { fcRuns, fcSeed } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPython } from "../../src/vm/run.js";
import { CPythonForks } from "../fuzz/cpython.js";
import { describeAgainstPython } from "./against-python.js";

describeAgainstPython("callable_iterator", [
  [
    "object, errors and ending",
    `import sys, gc
def f(): return 1
it = iter(f, 1)
print(type(it), type(it).__module__, sys.getsizeof(it), gc.is_tracked(it), list(it), gc.get_referents(it))
it = iter(f, 2)
print(next(it), it.__next__(), iter(it) is it, len(gc.get_referents(it)))
for bad in (lambda: iter(1, 2), lambda: iter(), lambda: iter(f, 1, 2), lambda: iter(None, None)):
    try:
        bad()
    except TypeError as e:
        print(e)
def boom():
    raise ValueError("x")
it = iter(boom, 0)
try:
    next(it)
except ValueError as e:
    print("ValueError", e, len(gc.get_referents(it)))
class Bad:
    def __eq__(self, other):
        raise KeyError(other)
it = iter(f, Bad())
try:
    next(it)
except KeyError as e:
    print("KeyError", e, len(gc.get_referents(it)))
b0 = sys.getallocatedblocks()
it = iter(f, 1)
print(sys.getallocatedblocks() - b0)
del it
print(sys.getallocatedblocks() - b0)`,
  ],
]);

describe("callable_iterator against python3", () => {
  let cpython: CPythonForks;
  beforeAll(() => {
    cpython = new CPythonForks();
  });
  afterAll(() => cpython.close());

  it("yields, ends and lets go as python3's does", async () => {
    const seed = fcSeed();
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 8 }),
        fc.constantFrom("0", "1", "2", "3", "None", "Eq(2)"),
        fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }),
        async (results, sentinel, stopAt) => {
          const source = `import sys, gc
class Eq:
    def __init__(self, v): self.v = v
    def __eq__(self, other):
        print("eq", other)
        return other == self.v
results = ${JSON.stringify(results)}
calls = 0
def f():
    global calls
    calls += 1
    if calls == ${stopAt ?? -1} or calls > len(results):
        raise StopIteration
    return results[calls - 1]
s = ${sentinel}
# The counts of small ints and None are left out: they are static here (see the README).
def held(): return sys.getrefcount(f), (sys.getrefcount(s) if type(s) is Eq else 0)
before = held()
it = iter(f, s)
print([a - b for a, b in zip(held(), before)])
print(list(it), calls, len(gc.get_referents(it)))
print([a - b for a, b in zip(held(), before)], list(it), calls)
`;
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

// The result tuples that enumerate, zip and the dict item iterators keep and hand out again
// when the loop body has dropped the last one (CPython's en_result, zip's result, di_result):
// random walks of next() calls that keep or drop what they get, against python3. The items are
// objects whose finalizers print, so when a reused tuple lets its old items go shows too.

import { fcRuns, fcSeed } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { runPython } from "../../src/vm/run.js";
import { CPythonForks } from "../fuzz/cpython.js";
import { describeAgainstPython } from "./against-python.js";

const seed = fcSeed();
const seeded = seed !== undefined ? { seed } : {};

/** The iterators under test, over `n` fresh items (each an `Item` only the iterator's source holds). */
const makers: ReadonlyArray<(n: number) => string> = [
  (n) => `enumerate(Item(i) for i in range(${n}))`,
  (n) => `enumerate((Item(i) for i in range(${n})), ${n * 7})`,
  (n) => `zip((Item(i) for i in range(${n})), range(100, 100 + ${n}))`,
  (n) => `zip(range(${n}), (Item(i) for i in range(${n + 1})), 'abcdefghijklmnop')`,
  (n) => `zip((Item(i) for i in range(${n})),)`,
  (n) => `iter({i: Item(i) for i in range(${n})}.items())`,
  (n) => `reversed({i: Item(i) for i in range(${n})}.items())`,
];

/** What a step does with the iterator and the tuples it gave. */
const actions = [
  // Take the next result and hold it in `t` (dropping the one held before).
  "t = next(it, None); show(t)",
  // Take one and drop it at once.
  "show(next(it, None))",
  // Keep the held one for good.
  "kept.append(t)",
  "t = None",
  "kept.clear()",
  // A collection may untrack the result tuple; a reuse tracks it again.
  "gc.collect(); print('tracked', gc.is_tracked(result(it)))",
  "print('refcount', sys.getrefcount(result(it)))",
];

const step = fc.record({
  action: fc.nat(actions.length - 1),
  repeat: fc.integer({ min: 1, max: 3 }),
});
type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

function program(maker: number, n: number, steps: readonly Step[]): string {
  const lines = [
    "import gc, sys",
    "class Item:",
    "    def __init__(self, n): self.n = n",
    "    def __repr__(self): return f'Item({self.n})'",
    "    def __del__(self): print('del', self.n)",
    // The iterator's own result tuple is the last object it refers to.
    "def result(it): return gc.get_referents(it)[-1]",
    "def show(t):",
    "    print(t, t is result(it), gc.is_tracked(t) if t is not None else '-')",
    `it = ${makers[maker]!(n)}`,
    "print(type(it).__name__, sys.getsizeof(it), result(it))",
    "t = None",
    "kept = []",
  ];
  for (const s of steps) for (let i = 0; i < s.repeat; i++) lines.push(actions[s.action]!);
  lines.push("print('end')", "del it", "print('iterator gone')", "t = None", "kept = None");
  return `${lines.join("\n")}\n`;
}

describe("result tuples reused by enumerate, zip and dict item iterators", () => {
  const cpython = new CPythonForks(20);
  afterAll(() => cpython.close());

  it("are handed out again, refilled and retracked when python3's are", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(makers.length - 1),
        fc.nat(6),
        fc.array(step, { minLength: 1, maxLength: 14 }),
        async (maker, n, steps) => {
          const source = program(maker, n, steps);
          const want = await cpython.run(source);
          const got = runPython(source, { filename: "prog.py" });
          expect(got.stdout).toBe(want.stdout);
          expect(got.status).toBe(want.status);
        },
      ),
      { numRuns: fcRuns(60), ...seeded },
    );
  }, 120_000);
});

describeAgainstPython("enumerate, zip and dict item iterators against python3", [
  [
    "sizes, referents and the result tuple made with the iterator",
    `
import gc, sys
for it in (enumerate([]), enumerate('ab', 5), zip(), zip('a'), zip('ab', 'cd', 'ef'),
           iter({}.items()), iter({1: 2}.keys()), iter({1: 2}.values()), reversed({1: 2}.items()),
           reversed({1: 2})):
    print(type(it).__name__, sys.getsizeof(it), [type(r).__name__ for r in gc.get_referents(it)])
print(gc.get_referents(zip('ab', 'cd', 'ef'))[-1], gc.get_referents(enumerate('x'))[-1])
def blocks(make):
    b0 = sys.getallocatedblocks()
    x = make()
    b1 = sys.getallocatedblocks()
    del x
    return b1 - b0
s, u = 'abc', 'def'
for _ in range(3):
    print(blocks(lambda: enumerate(s)), blocks(lambda: zip(s, u)), blocks(lambda: zip(s, u, s)),
          blocks(lambda: iter({1: 2}.items())), blocks(lambda: iter({1: 2}.keys())))`,
  ],
  [
    "zip(strict=True) and its errors",
    `
print(list(zip('ab', 'cd', strict=True)), list(zip(strict=True)), list(zip('ab', 'cd', strict=0)))
for args in (('ab', 'abc'), ('abc', 'ab'), ('abc', 'abc', 'ab'), ('abc', 'ab', 'abc'), ('', 'a', 'b')):
    try:
        print(list(zip(*args, strict=True)))
    except ValueError as e:
        print('ValueError', e)
z = zip('ab', 'xyz', strict=True)
print(next(z), next(z))
try:
    next(z)
except ValueError as e:
    print('ValueError', e)
try:
    zip('a', stric=True)
except TypeError as e:
    print('TypeError', e)
def boom():
    yield 1
    raise KeyError('inner')
try:
    list(zip('ab', boom(), strict=True))
except KeyError as e:
    print('KeyError', e)`,
  ],
  [
    "a reused zip result keeps the items taken before the iterator that ended",
    `
import gc
z = zip('abc', 'xy', 'pqrs')
t = next(z); del t
t = next(z); del t
print(next(z, 'stop'), gc.get_referents(z)[-1])
e = enumerate('ab')
for i, ch in e:
    print(i, ch, gc.get_referents(e)[-1])
print(gc.get_referents(e)[-1])`,
  ],
]);

// list.sort against python3: a program can watch the sort through `__lt__` (which pairs it
// compares, and in what order), stop it by raising in a comparison (the order the list is left
// in), change the list while it is being sorted, and see its temporary arrays in tracemalloc.
// Random lists of random shapes (runs up and down, duplicates, lengths past the 64-item minrun
// and the merges' galloping) are sorted by both interpreters and everything printed compared.

import { fcRuns, fcSeed } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPython } from "../../src/vm/run.js";
import { CPythonForks } from "../fuzz/cpython.js";

const seed = fcSeed();
const seeded = seed !== undefined ? { seed } : {};

/** A class whose comparisons are logged: `log` gets one number per `<` asked. */
const PRELUDE = `import sys
log = []
class K:
    __slots__ = ("v", "i")
    def __init__(self, v, i):
        self.v = v
        self.i = i
    def __lt__(self, other):
        log.append(self.i * 1000 + other.i)
        if len(log) == STOP:
            raise ValueError("stop")
        return self.v < other.v
    def __repr__(self):
        return f"{self.v}.{self.i}"
def digest(xs):
    h = 0
    for x in xs:
        h = (h * 1000003 + x) % 2**61
    return h
`;

/** Lists with the shapes timsort cares about: random, ascending or descending runs, few values. */
const values = fc.oneof(
  fc.array(fc.integer({ min: 0, max: 1000 }), { maxLength: 400 }),
  fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 400 }),
  fc
    .array(
      fc.record({
        len: fc.integer({ min: 1, max: 90 }),
        start: fc.integer({ min: 0, max: 500 }),
        down: fc.boolean(),
      }),
      { minLength: 1, maxLength: 8 },
    )
    .map((runs) =>
      runs.flatMap(({ len, start, down }) =>
        Array.from({ length: len }, (_, i) => (down ? start + len - i : start + i)),
      ),
    ),
);

const sortCase = fc.record({
  values,
  reverse: fc.boolean(),
  key: fc.constantFrom("", "key=lambda k: k", "key=lambda k: K(-k.v, k.i)"),
  stop: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3000 })),
});

describe("list.sort against python3", () => {
  let cpython: CPythonForks;
  beforeAll(() => {
    cpython = new CPythonForks();
  });
  afterAll(() => cpython.close());

  it("asks the same comparisons in the same order and leaves the same order on an error", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(sortCase, { minLength: 1, maxLength: 4 }), async (cases) => {
        const lines = [PRELUDE];
        for (const { values, reverse, key, stop } of cases) {
          const args = [key, reverse ? "reverse=True" : ""].filter(Boolean).join(", ");
          lines.push(
            "log.clear()",
            `STOP = ${stop}`,
            `xs = [K(v, i) for i, v in enumerate([${values.join(", ")}])]`,
            "try:",
            `    xs.sort(${args})`,
            "    print('sorted', len(log), digest(log))",
            "except ValueError as e:",
            "    print('stopped', e, len(log), digest(log))",
            "print(digest([k.i for k in xs]), len(xs))",
          );
        }
        const source = `${lines.join("\n")}\n`;
        const want = await cpython.run(source);
        const got = runPython(source, { filename: "prog.py" });
        expect(got.status, source).toBe(want.status);
        expect(got.stdout, source).toBe(want.stdout);
      }),
      { numRuns: fcRuns(40), ...seeded },
    );
  });

  it("shows an empty list to the code it runs, and drops what that code put in it", async () => {
    const source = `import sys
class Spy:
    def __init__(self, v): self.v = v
    def __lt__(self, other):
        print("during", len(xs), xs, sys.getsizeof(xs))
        if self.v == 2:
            xs.append("added")
        return self.v < other.v
    def __repr__(self): return f"Spy({self.v})"
    def __del__(self): print("del", self.v)
xs = [Spy(3), Spy(1), Spy(2)]
try:
    xs.sort()
except ValueError as e:
    print("ValueError:", e)
print(xs)
ys = [3, 1, 2]
def key(v):
    print("key", v, len(ys))
    return -v
ys.sort(key=key)
print(ys)
def bad(v):
    if v == 1:
        raise KeyError(v)
    return v
try:
    ys.sort(key=bad)
except KeyError as e:
    print("KeyError", e, ys)
for args in ["foo=1", "reverse=None", "reverse=1.5", "key=5", "1"]:
    try:
        exec(f"[2, 1].sort({args})")
    except TypeError as e:
        print(args, "->", e)
for call in ["sorted()", "sorted([], [])", "sorted([3, 1, 2], reverse=True)"]:
    try:
        print(eval(call))
    except TypeError as e:
        print(call, "->", e)
class Flag:
    def __index__(self): return 1
print(sorted([1, 3, 2], reverse=Flag()))
del xs
print("end")
`;
    const want = await cpython.run(source);
    const got = runPython(source, { filename: "prog.py" });
    expect(got.status).toBe(want.status);
    expect(got.stdout).toBe(want.stdout);
  });

  it("allocates the keys array and the merges' temporary arrays as python3 does", async () => {
    // tracemalloc's peak across a sort is the list's own blocks plus what the sort asked of
    // PyMem_Malloc: nothing below 128 keys and a 256-slot merge, the keys array above.
    const source = `import tracemalloc
for n in [10, 127, 128, 300, 1000, 5000]:
    for key in [None, abs]:
        xs = [(i * 7919) % n - n // 2 for i in range(n)]
        xs = [x * 1.5 for x in xs]
        tracemalloc.start()
        base = tracemalloc.get_traced_memory()[0]
        xs.sort(key=key)
        peak = tracemalloc.get_traced_memory()[1] - base
        tracemalloc.stop()
        print(n, key, peak)
`;
    const want = await cpython.run(source);
    const got = runPython(source, { filename: "prog.py" });
    expect(got.status).toBe(want.status);
    expect(got.stdout).toBe(want.stdout);
  });
});

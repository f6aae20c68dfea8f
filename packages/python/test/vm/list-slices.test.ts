// `del l[i:j]` against python3: CPython's list_ass_slice moves the tail once, resizes once and
// then releases the removed items from the last to the first, through a PyMem block when more
// than 8 are removed. The program prints the release order (finalizers), the sizes and what
// tracemalloc saw of the deletion: the block shows in its peak (as a difference between two
// deletions, so that what reading the figures allocates cancels out).

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPython } from "../../src/vm/run.js";
import { CPythonForks } from "../fuzz/cpython.js";

const program = `
import sys, tracemalloc

class N:
    def __init__(self, n): self.n = n
    def __del__(self): print("del", self.n, end="; ")

items = [N(i) for i in range(12)]
del items[2:5]
print()
del items[1:10]
print()
print(len(items), [x.n for x in items], sys.getsizeof(items))
del items[0:1]

def peak_of(size, lo, hi):
    big = list(range(1000, 1000 + size))
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    del big[lo:hi]
    now, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(size, lo, hi, len(big), sys.getsizeof(big), now - before, big[:3], big[-3:])
    return peak - before

one = peak_of(40, 3, 4)
for case in [(100, 0, 12), (100, 10, 90), (1000, 0, 125), (37, 5, 6), (40, 3, 3), (50, -9, -1), (9, 0, 9)]:
    print(peak_of(*case) - one)
`;

describe("list slice deletion against python3", () => {
  let cpython: CPythonForks;
  beforeAll(() => {
    cpython = new CPythonForks();
  });
  afterAll(() => cpython.close());

  it("releases, resizes and allocates as list_ass_slice", async () => {
    const want = await cpython.run(program);
    const got = runPython(program, { filename: "prog.py" });
    expect(got.stderr).toBe("");
    expect(got.stdout).toBe(want.stdout);
  });
});

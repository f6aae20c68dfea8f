// Ints returned by built-ins, traced as CPython 3.11 makes them: `PyLong_FromSsize_t` (len,
// sys.getsizeof, str.find, list.index, enumerate's counter, io writes …) allocates exactly the
// value's digits, 28 bytes for one; `PyLong_FromLong` and the arithmetic fast paths (ord,
// range iterators' hints, int(float), abs, divmod, +) allocate the whole 32-byte struct.
// Property: random calls from a table with random arguments, each result's traced bytes (read
// with tracemalloc into a preallocated list, every call warmed before tracing starts) are
// python3's.

import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPython } from "../../src/vm/run.js";
import { CPythonForks } from "../fuzz/cpython.js";

/** A call of one argument `n` (a Python int expression), as a lambda's body. */
const CALLS: readonly string[] = [
  'len("x" * N)',
  "([0] * N).__len__()",
  "sys.getsizeof(bytes(N))",
  '("x" * N + "y").find("y")',
  '("x" * N + "y").index("y")',
  '("x" * N).count("x")',
  '("x" * N).rfind("x")',
  '(b"x" * N + b"y").find(b"y")',
  '(b"x" * N).count(b"x")',
  "list(range(N + 1)).index(N)",
  "tuple(range(N + 1)).index(N)",
  "([0] * N).count(0)",
  "(1 << N).bit_length()",
  "next(enumerate([0], N))[0]",
  "len(dict.fromkeys(range(N)))",
  "len(set(range(N)))",
  "len(range(N))",
  "iter([0] * N).__length_hint__()",
  "iter(range(N)).__length_hint__()",
  "io.StringIO().write('x' * N)",
  "N + 1000",
  "ord(chr(N + 300))",
  "abs(-N - 300)",
  "int(N + 0.5)",
  "round(N + 300.25)",
  "divmod(N * 7 + 1000, 3)[0]",
  "pow(N + 300, 2)",
  "hash(N + 1000)",
  "bytearray(N).__len__()",
  "(bytearray(N + 1000), tracemalloc.get_traced_memory()[0])[1]",
  "len([0] * N + [()])",
];

/** The program measuring `cases` (pairs of a call's index and its argument). */
function program(cases: ReadonlyArray<readonly [number, number]>): string {
  const lines = cases.map(
    ([c, n]) =>
      `    (${JSON.stringify(CALLS[c]!)}, lambda: ${CALLS[c]!.replaceAll("N", String(n))}),`,
  );
  return `import io, sys, tracemalloc
cases = [
${lines.join("\n")}
]
res = [0, 0]
def traced(f):
    f(); f()
    tracemalloc.start()
    res[0] = tracemalloc.get_traced_memory()[0]
    kept = f()
    res[1] = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return kept, res[1] - res[0]
traced(lambda: len("warm"))
for name, f in cases:
    print(name, *traced(f))
`;
}

describe("ints returned by built-ins against python3", () => {
  let cpython: CPythonForks;
  beforeAll(() => {
    cpython = new CPythonForks();
  });
  afterAll(() => cpython.close());

  it("every call's result is traced as python3's", async () => {
    const call = fc.tuple(fc.nat(CALLS.length - 1), fc.integer({ min: 0, max: 3000 }));
    await fc.assert(
      fc.asyncProperty(fc.array(call, { minLength: 1, maxLength: 12 }), async (cases) => {
        const source = program(cases);
        const want = await cpython.run(source);
        const got = runPython(source, { filename: "prog.py" });
        expect(got.status).toBe(want.status);
        expect(got.stdout).toBe(want.stdout);
      }),
      { numRuns: 20 },
    );
  });

  it("covers every call of the table once", async () => {
    const source = program(CALLS.map((_, c) => [c, 1000] as const));
    const want = await cpython.run(source);
    const got = runPython(source, { filename: "prog.py" });
    expect(got.stdout).toBe(want.stdout);
    // Both forms are in the table: 28 bytes for PyLong_FromSsize_t's, 32 for the others'.
    expect(want.stdout).toMatch(/ 28\n/);
    expect(want.stdout).toMatch(/ 32\n/);
  });
});

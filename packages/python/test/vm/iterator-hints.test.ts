// A built-in iterator's __length_hint__ after any number of next() calls and a change to its
// container, and the size of the list built from it (list() preallocates by the hint), printed
// by python3 and by runPython: the outputs must be equal.

import { fcRuns, fcSeed } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { runPython } from "../../src/vm/run.js";
import { CPythonForks } from "../fuzz/cpython.js";

const seed = fcSeed();
const seeded = seed !== undefined ? { seed } : {};

/** An expression making a container of `n` items, and the iterators taken over it. */
const containers: ReadonlyArray<readonly [make: (n: number) => string, iters: readonly string[]]> =
  [
    [(n) => `list(range(${n}))`, ["iter(c)", "reversed(c)"]],
    [(n) => `tuple(range(${n}))`, ["iter(c)", "reversed(c)"]],
    [
      (n) => `'ab☃𝄞é'[:1] * 0 + ''.join(chr(97 + i % 3) if i % 4 else '𝄞' for i in range(${n}))`,
      ["iter(c)", "reversed(c)"],
    ],
    [(n) => `'x' * ${n}`, ["iter(c)"]],
    [(n) => `bytes(range(${n}))`, ["iter(c)"]],
    [(n) => `range(${n})`, ["iter(c)", "reversed(c)"]],
    [
      (n) => `dict.fromkeys(range(${n}))`,
      ["iter(c)", "iter(c.values())", "iter(c.items())", "reversed(c)", "reversed(c.items())"],
    ],
    [(n) => `set(range(${n}))`, ["iter(c)"]],
  ];

/** What the program does to the container after taking the iterator. */
const changes = [
  "pass",
  "c.append(99) if type(c) is list else None",
  "c.pop() if type(c) is list and c else None",
  "c.clear() if type(c) in (list, dict, set) else None",
  "c[1000] = 1 if type(c) is dict else None",
  "(c.pop(next(iter(c))), c.__setitem__(-5, 0)) if type(c) is dict and c else None",
  "c.add(-1) if type(c) is set else None",
];

const step = fc.record({
  container: fc.nat(containers.length - 1),
  iter: fc.nat(4),
  size: fc.nat(40),
  before: fc.nat(10),
  change: fc.nat(changes.length - 1),
  after: fc.nat(5),
});

type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

function program(steps: readonly Step[]): string {
  const lines = [
    "import sys",
    "def show(it):",
    "    try:",
    "        print(type(it).__name__, it.__length_hint__(), sys.getsizeof(list(it)), it.__length_hint__())",
    "    except RuntimeError as e:",
    "        print('RuntimeError', e, it.__length_hint__())",
  ];
  for (const s of steps) {
    const [make, iters] = containers[s.container]!;
    const expr = iters[s.iter % iters.length]!;
    lines.push(
      `c = ${make(s.size)}`,
      `it = ${expr}`,
      `for _ in range(${s.before}): next(it, None)`,
      `print(it.__length_hint__())`,
      changes[s.change]!,
      `print(it.__length_hint__())`,
      `for _ in range(${s.after}):`,
      "    try: next(it, None)",
      "    except RuntimeError as e: print(e)",
      "show(it)",
    );
  }
  return `${lines.join("\n")}\n`;
}

describe("built-in iterators' __length_hint__", () => {
  const cpython = new CPythonForks(20);
  afterAll(() => cpython.close());

  it("says what python3 says after next() calls and changes, and list() sizes follow it", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), async (steps) => {
        const source = program(steps);
        const want = await cpython.run(source);
        const got = runPython(source, { filename: "prog.py" });
        expect(got.stdout).toBe(want.stdout);
        expect(got.status).toBe(want.status);
      }),
      { numRuns: fcRuns(40), ...seeded },
    );
  }, 120_000);
});

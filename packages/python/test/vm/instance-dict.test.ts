// An instance's `__dict__` against CPython 3.11, live: fast-check generates programs over three
// instances of one class (attributes set and deleted directly and through the dict, `__dict__`
// read and kept, instances made in bulk to shrink the class's key table, names past its 30,
// the dict copied, popped, cleared) that print what a program can see of the dict: its items in
// order, `sys.getsizeof`, identity across reads, `sys.getrefcount`, `gc.is_tracked`,
// `gc.get_referents` of the dict and of the instance, and what `gc.collect()` finds. Each runs
// under python3 (a fork of one driver process for the file) and under runPython; their stdout
// and exit status must be equal.

import { fcRuns, fcSeed } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPython } from "../../src/vm/run.js";
import { CPythonForks } from "../fuzz/cpython.js";

const NAMES = ["a", "b", "c", "d", "e"] as const;

type Op =
  | { k: "set" | "dset"; o: number; n: number; v: number }
  | { k: "del" | "ddel" | "get"; o: number; n: number }
  | { k: "dint"; o: number; v: number }
  | { k: "keep" | "kept"; o: number; slot: number }
  | {
      k:
        | "show"
        | "size"
        | "same"
        | "tracked"
        | "referents"
        | "refcount"
        | "new"
        | "copy"
        | "popitem"
        | "clear";
      o: number;
    }
  | { k: "many"; count: number }
  | { k: "fill"; o: number; count: number }
  | { k: "collect" };

const o = fc.nat({ max: 2 });
const n = fc.nat({ max: NAMES.length - 1 });
const v = fc.nat({ max: 6 });
const simple = fc.constantFrom(
  "show",
  "size",
  "same",
  "tracked",
  "referents",
  "refcount",
  "new",
  "copy",
  "popitem",
  "clear",
);

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ k: fc.constantFrom("set", "dset"), o, n, v }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constantFrom("del", "ddel", "get"), o, n }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("dint"), o, v }) },
  {
    weight: 2,
    arbitrary: fc.record({ k: fc.constantFrom("keep", "kept"), o, slot: fc.nat({ max: 1 }) }),
  },
  { weight: 6, arbitrary: fc.record({ k: simple, o }) },
  {
    weight: 1,
    arbitrary: fc.record({ k: fc.constant("many"), count: fc.integer({ min: 1, max: 20 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ k: fc.constant("fill"), o, count: fc.integer({ min: 1, max: 32 }) }),
  },
  { weight: 1, arbitrary: fc.constant<Op>({ k: "collect" }) },
) as fc.Arbitrary<Op>;

/** A value expression: small ints, a str, a list holding an instance, an instance. */
function value(v: number, at: number): string {
  if (v <= 2) return String(v * 7);
  if (v === 3) return '"s"';
  if (v === 4) return `[o${(at + 1) % 3}]`;
  if (v === 5) return `o${at}`;
  return `o${(at + 2) % 3}`;
}

function line(op: Op): string {
  switch (op.k) {
    case "set":
      return `o${op.o}.${NAMES[op.n]} = ${value(op.v, op.o)}`;
    case "dset":
      return `o${op.o}.__dict__["${NAMES[op.n]}"] = ${value(op.v, op.o)}`;
    case "del":
      return `try:\n    del o${op.o}.${NAMES[op.n]}\nexcept AttributeError as e:\n    print("AttributeError", e)`;
    case "ddel":
      return `try:\n    del o${op.o}.__dict__["${NAMES[op.n]}"]\nexcept KeyError as e:\n    print("KeyError", e)`;
    case "get":
      return `print(show(getattr(o${op.o}, "${NAMES[op.n]}", None)))`;
    case "dint":
      return `o${op.o}.__dict__[7] = ${value(op.v, op.o)}`;
    case "keep":
      return `k${op.slot} = o${op.o}.__dict__`;
    case "kept":
      return `print(k${op.slot} is o${op.o}.__dict__, show(k${op.slot}))`;
    case "show":
      return `print(show(o${op.o}.__dict__), show(vars(o${op.o})))`;
    case "size":
      return `print(sys.getsizeof(o${op.o}.__dict__), sys.getsizeof(o${op.o}))`;
    case "same":
      return `print(o${op.o}.__dict__ is vars(o${op.o}), id(o${op.o}.__dict__) == id(o${op.o}.__dict__))`;
    case "tracked":
      return `print(gc.is_tracked(o${op.o}.__dict__))`;
    case "referents":
      return `print(parts(o${op.o}), [show(r) for r in gc.get_referents(o${op.o}.__dict__)])`;
    case "refcount":
      return `print(sys.getrefcount(o${op.o}.__dict__))`;
    case "new":
      return `o${op.o} = C()`;
    case "copy":
      return `c = o${op.o}.__dict__.copy()\nprint(sys.getsizeof(c), show(c), gc.is_tracked(c))\ndel c`;
    case "popitem":
      return `try:\n    print(show(o${op.o}.__dict__.popitem()), sys.getsizeof(o${op.o}.__dict__))\nexcept KeyError as e:\n    print("KeyError", e)`;
    case "clear":
      return `o${op.o}.__dict__.clear()`;
    case "many":
      return `for _ in range(${op.count}):\n    C()`;
    case "fill":
      return `for i in range(${op.count}):\n    setattr(o${op.o}, f"x{i}", i)`;
    case "collect":
      return "print(gc.collect())";
  }
}

// show() prints what a program may print of the values: instances by their class only (never
// an address). parts() is gc.get_referents(o) without the class, which CPython's
// subtype_traverse visits as well and the runtime's instances do not hold.
const PRELUDE = `import gc
import sys

gc.disable()


class C:
    pass


def show(x):
    if isinstance(x, C):
        return "C"
    if isinstance(x, dict):
        return "{" + ", ".join(repr(k) + ": " + show(w) for k, w in x.items()) + "}"
    if isinstance(x, (list, tuple)):
        return "[" + ", ".join(show(w) for w in x) + "]"
    return repr(x)


def parts(o):
    return ["dict" if type(r) is dict else show(r) for r in gc.get_referents(o) if r is not C]


o0 = C()
o1 = C()
o2 = C()
k0 = k1 = None
gc.collect()
`;

function program(ops: readonly Op[]): string {
  return `${PRELUDE}${ops.map(line).join("\n")}\nk0 = k1 = None\ndel o0, o1, o2\nprint("end", gc.collect())\n`;
}

const seed = fcSeed();

describe("an instance's __dict__ against python3", () => {
  let cpython: CPythonForks;
  beforeAll(() => {
    cpython = new CPythonForks();
  });
  afterAll(() => cpython.close());

  it("generated programs print what python3 prints", async () => {
    // How often the programs saw what they are for, so that a generator that stopped printing
    // split dicts' sizes or freeing cycles would not pass unnoticed.
    const seen = { programs: 0, split: 0, collected: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 4, maxLength: 30 }), async (ops) => {
        const source = program(ops);
        const pending = cpython.run(source);
        const got = runPython(source, { filename: "prog.py", maxSteps: 2_000_000 });
        const want = await pending;
        fc.pre(want.overrun === null);
        expect(
          { stdout: got.stdout, status: got.status },
          `${source}\n--- runPython stderr:\n${got.stderr}`,
        ).toEqual({ stdout: want.stdout, status: want.status });
        seen.programs++;
        // A split dict's size is 64 + 8 × the class's usable size (at most 30): 72 to 304.
        if (/^(7[2-9]|[89]\d|[12]\d\d|30[0-4]) 56$/m.test(want.stdout)) seen.split++;
        if (/^end [1-9]/m.test(want.stdout)) seen.collected++;
      }),
      { numRuns: fcRuns(30), ...(seed !== undefined ? { seed } : {}) },
    );
    // The generator reaches split dicts in a good share of its programs (about one in five; a
    // run of 30 can draw as few as one in ten).
    expect(seen.split).toBeGreaterThan(seen.programs / 15);
    expect(seen.collected).toBeGreaterThan(0);
  }, 300_000);
});

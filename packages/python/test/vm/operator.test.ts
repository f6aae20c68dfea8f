// The operator module against python3: every operator function, the in-place forms (a list
// extended in place, an int rebound), itemgetter/attrgetter/methodcaller and their reprs, the
// argument errors of _operator.c; and a property: operator.f(a, b) is what `a op b` gives.

import { fcRuns, fcSeed } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPython } from "../../src/vm/run.js";
import { CPythonForks } from "../fuzz/cpython.js";
import { describeAgainstPython } from "./against-python.js";

describeAgainstPython("operator", [
  [
    "functions, getters and errors",
    `import operator as o
from operator import itemgetter, attrgetter, methodcaller
print(o.add(1, 2), o.sub(5, 3), o.mul("ab", 3), o.truediv(7, 2), o.floordiv(7, 2), o.mod(7, 3), o.pow(2, 10), o.neg(5), o.pos(-2), o.invert(5), o.inv(0), o.abs(-3.5))
print(o.and_(6, 3), o.or_(6, 3), o.xor(6, 3), o.lshift(1, 5), o.rshift(64, 2), o.not_(0), o.truth([]), o.index(7), o.is_(None, None), o.is_not(1, None))
print(o.lt(1, 2), o.le(2, 2), o.eq(1, 1.0), o.ne(1, 2), o.gt(1, 2), o.ge(3, 2), o.contains([1, 2], 2), o.getitem("abc", 1), o.concat([1], [2]), o.countOf([1, 2, 1], 1), o.indexOf("abc", "c"))
l = [1, 2]; r = o.iadd(l, [3]); print(r is l, l, o.iadd(1, 2), o.imul("a", 3), o.iconcat([0], (1,)))
d = {}; o.setitem(d, "k", 1); print(d); o.delitem(d, "k"); print(d, o.length_hint([1, 2, 3]), o.length_hint(iter(range(5))), o.length_hint(x for x in []), o.length_hint(5, 9))
print(repr(itemgetter(1)), repr(itemgetter(1, "a")), repr(attrgetter("a.b", "c")), repr(methodcaller("f", 1, k="x")))
rows = [("b", 2), ("a", 3), ("c", 1)]
print(sorted(rows, key=itemgetter(1)), list(map(itemgetter(0, 1), rows)), itemgetter(slice(1, None))("hello"))
class P:
    def __init__(s, n, a): s.name = n; s.age = a; s.me = s
print(attrgetter("name")(P("x", 1)), attrgetter("me.me.age", "name")(P("y", 2)), methodcaller("upper")("hi"), methodcaller("split", ",", maxsplit=1)("a,b,c"))
print(o.call(max, 1, 5), o.__add__ is o.add, o.add, o.itemgetter.__name__, type(o.itemgetter(1)).__module__, len(o.__all__))
for f in [lambda: o.add(1), lambda: o.add(1,2,3), lambda: o.add(a=1), lambda: itemgetter(), lambda: attrgetter(1), lambda: methodcaller(), lambda: attrgetter('a')(1), lambda: o.index(1.5), lambda: o.neg('a'), lambda: o.concat(1, 2), lambda: o.indexOf([1], 2), lambda: o.length_hint(1, 'a'), lambda: o.not_(1,2), lambda: o.add(1, "a"), lambda: o.iadd([], 1)]:
    try: print(f())
    except Exception as e: print(type(e).__name__, e)`,
  ],
]);

// `**` is left out: the interpreter words its TypeError without CPython's " or pow()".
const BINARY: ReadonlyArray<readonly [string, string]> = [
  ["add", "+"],
  ["sub", "-"],
  ["mul", "*"],
  ["truediv", "/"],
  ["floordiv", "//"],
  ["mod", "%"],
  ["and_", "&"],
  ["or_", "|"],
  ["xor", "^"],
  ["lshift", "<<"],
  ["rshift", ">>"],
  ["lt", "<"],
  ["le", "<="],
  ["eq", "=="],
  ["ne", "!="],
  ["gt", ">"],
  ["ge", ">="],
];

// Not among the operands: bytes (the interpreter has no bytes % formatting), a gap of the
// interpreter's operators, not the module's.
const operand = fc.constantFrom(
  "0",
  "True",
  "3",
  "-7",
  "2**70",
  "2.5",
  "-0.0",
  "'ab'",
  "[1, 2]",
  "(3,)",
  "{1, 2}",
  "{'k': 1}",
  "None",
);

describe("operator against python3", () => {
  let cpython: CPythonForks;
  beforeAll(() => {
    cpython = new CPythonForks();
  });
  afterAll(() => cpython.close());

  it("gives what the operator symbols give, results and errors alike", async () => {
    const seed = fcSeed();
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom(...BINARY), operand, operand, fc.boolean()), {
          minLength: 1,
          maxLength: 12,
        }),
        async (cases) => {
          const lines = ["import operator"];
          for (const [[name, sym], a, b, inplace] of cases) {
            // Left out of the in-place forms, where the interpreter's TypeErrors are not yet
            // CPython's: a set or dict on the left (CPython's "unsupported operand type(s) for
            // *=" and "'int' object is not iterable" for a dict's |=) and floats (a float with a
            // bitwise operator is worded with "|", not "|=").
            const fn =
              inplace &&
              !/[<>=!]=?$/.test(sym) &&
              !a.startsWith("{") &&
              !/\./.test(a) &&
              !/\./.test(b)
                ? `i${name.replace(/_$/, "")}`
                : name;
            lines.push("try:");
            lines.push(`    x = ${a}; print(repr(operator.${fn}(x, ${b})), x)`);
            lines.push("except Exception as e:");
            lines.push("    print(type(e).__name__, e)");
            lines.push("try:");
            lines.push(`    print(repr(${a} ${sym} ${b}))`);
            lines.push("except Exception as e:");
            lines.push("    print(type(e).__name__, e)");
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

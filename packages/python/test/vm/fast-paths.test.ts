// The evaluator's shortcuts that a program must not be able to tell from the general paths:
// remainders, floor divisions and negations of ints up to 2**53 as numbers, f-string parts
// written without the format protocol, BUILD_TUPLE's reused item arrays (a finalizer that runs
// during a tuple's allocation builds tuples too), str methods reading short ASCII strs straight
// from their bytes, and CALL's cache of a class call (the class, its `__init__`, the absence of
// a `__new__`), which every change to them must invalidate.

import { fcRuns } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPython } from "../../src/vm/run.js";
import { CPythonForks } from "../fuzz/cpython.js";
import { describeAgainstPython } from "./against-python.js";

describeAgainstPython("shortcuts of the evaluator", [
  [
    "one CALL site calling classes whose __init__, __new__ and code change between calls",
    `
import sys

def make(c, x):
    return c(x)

class P:
    def __init__(self, x):
        self.x = x

class Q(P):
    pass

def other_init(self, x):
    self.x = ("other", x)

def init_code(self, x):
    self.x = ("code", x)

results = []
for step in range(9):
    if step == 2:
        P.__init__ = other_init
    if step == 3:
        Q.__init__ = lambda self, x: setattr(self, "x", ("lambda", x))
    if step == 4:
        del Q.__init__
    if step == 5:
        P.__init__.__code__ = init_code.__code__
    if step == 6:
        P.__new__ = lambda cls, x: object.__new__(cls)
    if step == 7:
        Q.unrelated = step
    if step == 8:
        def __init__(self, x, y=0):
            self.x = ("two", x, y)
        P.__init__ = __init__
    for c in (P, Q, P):
        o = make(c, step)
        results.append((type(o).__name__, o.x, sys.getrefcount(o)))
for r in results:
    print(r)
try:
    make(P, 1).missing
except AttributeError as e:
    print("AttributeError", e)
class R:
    def __init__(self, x):
        return x
try:
    make(R, None)
    make(R, 5)
except TypeError as e:
    print("TypeError", e)`,
  ],
  [
    "one CALL site calling classes made afresh (each freed before the next, whose address it may get), and a metaclass's __call__",
    `
import gc

def make(c, x):
    return c(x)

def fresh(tag):
    class K:
        def __init__(self, x):
            self.x = (tag, x)
    return K

seen = []
kept = []
for i in range(40):
    K = fresh(i)
    if i % 5 == 0:
        kept.append(K.__dict__)
    seen.append(make(K, i).x)
    del K
    gc.collect()
print(seen[:3], seen[-3:], all(s == (i, i) for i, s in enumerate(seen)))
print(len(kept), sorted(k["__init__"].__qualname__ for k in kept)[:2])

class Meta(type):
    def __call__(cls, *args):
        return ("meta", cls.__name__, args)

class M(metaclass=Meta):
    def __init__(self, x):
        self.x = x

print([make(c, 1) if c is M else make(c, 1).x for c in (fresh("a"), M, fresh("b"), M)])`,
  ],
  [
    "tuples built by finalizers while a tuple is being allocated",
    `
import gc

gc.set_threshold(3)
log = []

class C:
    def __del__(self):
        n = self.n
        log.append((n, -n, (n, n + 1)))

def churn(count):
    out = []
    for i in range(count):
        a = C()
        a.n = i
        a.me = a
        del a
        out.append((i, -i, str(i)))
        out.append((i,))
    return out

r = churn(300)
print(len(r), r[:4], r[-4:])
print(all(r[2 * i] == (i, -i, str(i)) and r[2 * i + 1] == (i,) for i in range(300)))
gc.collect()
print(len(log), sorted(log)[:3], sorted(log)[-3:])`,
  ],
  [
    "f-string parts of every kind, and str methods on short, long and non-ASCII strs",
    `
class I(int):
    pass

class S(str):
    pass

class T(str):
    def __repr__(self):
        return "T!"

for v in (0, -0, 7, -7, 2**30, -(2**30), 2**53 - 1, -(2**53 - 1), 2**53, 2**53 + 1, -(2**60), 10**30, True, False, I(3), S("s"), T("t"), "é", "😀", "x" * 70, 1.5, None, [1, (2,)]):
    print(f"<{v}>", f"{v}{v}", f"[{v}|{'a'}|{v!r}]")
for s in ("", "a", "abc", "x" * 64, "y" * 65, "é", "aé", "😀b"):
    print(s.upper(), s.title(), s.strip("a"), "-".join([s, s]), "".join((s, "z", s)), len(s.split("a")))
try:
    "".join(["a", 1])
except TypeError as e:
    print("TypeError", e)
try:
    "".join(["a", T("b"), b"c"])
except TypeError as e:
    print("TypeError", e)
print("".join(["a", T("b"), S("c")]), type("".join([T("b")])).__name__)`,
  ],
]);

/** A program printing `x % y`, `x // y`, `-x` and `f"{x}|{y}"` for each pair, or the error. */
function program(pairs: ReadonlyArray<readonly [bigint, bigint]>): string {
  const lines = ["def f(x, y):", "    out = [-x, f'{x}|{y}']"];
  for (const op of ["%", "//"]) {
    lines.push(
      "    try:",
      `        out.append(x ${op} y)`,
      "    except ZeroDivisionError as e:",
      "        out.append(str(e))",
    );
  }
  lines.push("    return out");
  for (const [x, y] of pairs) lines.push(`print(f(${x}, ${y}))`);
  return `${lines.join("\n")}\n`;
}

const edge = 2n ** 53n;
const int = fc.oneof(
  fc.bigInt({ min: -300n, max: 300n }),
  fc.bigInt({ min: -(2n ** 31n), max: 2n ** 31n }),
  fc.bigInt({ min: edge - 300n, max: edge + 300n }),
  fc.bigInt({ min: -edge - 300n, max: -edge + 300n }),
  fc.bigInt({ min: -(2n ** 60n), max: 2n ** 60n }),
);

describe("ints up to 2**53 as numbers, random operands", () => {
  let cpython: CPythonForks;
  beforeAll(() => {
    cpython = new CPythonForks();
  });
  afterAll(() => cpython.close());

  it("remainders, floor divisions, negations and f-strings are python3's", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(int, int), { minLength: 1, maxLength: 20 }),
        async (pairs) => {
          const source = program(pairs);
          const want = await cpython.run(source);
          const got = runPython(source, { filename: "prog.py" });
          expect(got.stdout).toBe(want.stdout);
          expect(got.status).toBe(want.status);
        },
      ),
      { numRuns: fcRuns(25) },
    );
  });
});

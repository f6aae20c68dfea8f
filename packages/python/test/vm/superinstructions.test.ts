// The evaluator's superinstructions against python3: runs of instructions done in one step when
// their operands allow (`a op b` and `a < b` on locals and constants, `x is None` before a jump,
// `local.attr` by its inline cache, FOR_ITER storing to a local). Each program reaches a run with
// operands it takes and operands it leaves to the instructions one by one (big ints, strs, None,
// unbound locals, attributes that are not the instance's), and prints what only the same
// behaviour prints: values, errors, reference counts, ids and finalizers' order.

import { fcRuns } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPython } from "../../src/vm/run.js";
import { CPythonForks } from "../fuzz/cpython.js";
import { describeAgainstPython } from "./against-python.js";

describeAgainstPython("runs of instructions in one step", [
  [
    "binary operators on locals and constants, in and out of the fast kinds",
    `
import sys

def ops(a, b):
    out = []
    for f in (lambda: a + b, lambda: a - b, lambda: a * b, lambda: a // b, lambda: a % b,
              lambda: a / b, lambda: a & b, lambda: a | b, lambda: a ^ b, lambda: a << b,
              lambda: a >> b, lambda: a ** b):
        try:
            out.append(f())
        except Exception as e:
            out.append(type(e).__name__)
    return out

def direct(a, b):
    x = a + 1
    y = a - b
    z = a * 3
    w = b % 7
    return x, y, z, w, a ^ b, a // 2, a >> 1

for a, b in ((7, 3), (-7, 3), (2**40, 5), (2**62, 3), (1.5, 0.25), (3, 0), (0.0, 0.0),
             ("ab", "cd"), (True, 2), (10**30, -3)):
    print(ops(a, b))
    try:
        print(direct(a, b))
    except Exception as e:
        print(type(e).__name__, e)

def keeps(n):
    total = 0
    for i in range(n):
        total += i * 3
        total -= i
    return total

print(keeps(1000), keeps(5000))
s = ""
for i in range(40):
    t = s + "x"
    s = t
print(len(s))`,
  ],
  [
    "comparisons and identity tests before a jump, and unbound locals",
    `
def cmp(a, b):
    out = []
    if a < b: out.append("lt")
    if a <= 2: out.append("le2")
    if a == b: out.append("eq")
    if a != 3: out.append("ne3")
    if a > b: out.append("gt")
    if b >= 1.5: out.append("ge")
    if a is None: out.append("none")
    if a is not b: out.append("isnot")
    return out

for a, b in ((1, 2), (2, 2), (3, 1.5), (2**70, 1), (1.0, float("nan")), ("a", "b"), (None, None)):
    try:
        print(cmp(a, b))
    except TypeError as e:
        print("TypeError", e)

def unbound(flag):
    if flag:
        v = 1
    return v + 1

def unbound_cmp(flag):
    if flag:
        v = 1
    if v < 3:
        return "small"

for f in (unbound, unbound_cmp):
    for flag in (True, False):
        try:
            print(f(flag))
        except UnboundLocalError as e:
            print("UnboundLocalError", e)`,
  ],
  [
    "attribute loads from locals by the cache, and what the cache does not take",
    `
import sys

class P:
    def __init__(self, x):
        self.x = x

    @property
    def twice(self):
        return self.x * 2

def read(p):
    return p.x

items = [P(i) for i in range(5)]
print([read(p) for p in items], sys.getrefcount(items[0]))
q = P(10)
q.__dict__["y"] = 3
print(read(q), q.y, q.twice)
class Q:
    x = "class attribute"
print(read(Q()))
try:
    read(object())
except AttributeError as e:
    print(e)
p = items[1]
del p.x
try:
    read(p)
except AttributeError as e:
    print(e)
big = P([1, 2, 3])
value = read(big)
print(value is big.x, sys.getrefcount(value))`,
  ],
  [
    "for loops storing to a local: ranges, lists, generators, refcounts and the old value's release",
    `
import sys

class Loud:
    def __init__(self, name):
        self.name = name
    def __del__(self):
        print("del", self.name)

def loop(it):
    x = Loud("before")
    for x in it:
        print("got", x if not isinstance(x, Loud) else x.name)
    return x

print(loop(range(3)))
print(loop([Loud("a"), Loud("b")]).name)
print(loop(i * i for i in range(3)))
print(loop(iter([])).name)
big = [object() for _ in range(3)]
def refs(seq):
    counts = []
    for o in seq:
        counts.append(sys.getrefcount(o))
    return counts
print(refs(big))
last = None
for n in range(2**50, 2**50 + 3):
    last = n
print(last)`,
  ],
  [
    "ids of the results, freed and made again",
    `
def same_id(n):
    ids = set()
    for i in range(n):
        v = i + 1000
        ids.add(id(v))
        del v
    return len(ids)

def kept(n):
    out = []
    for i in range(n):
        out.append(i * 1000 + 7)
    return len(set(map(id, out)))

print(same_id(50), kept(200))`,
  ],
  [
    "local.attr = local by the store's cache: empty slots, values with other references, finalizers of the old value",
    `
import sys

class Loud:
    def __init__(self, name, owner=None):
        self.name = name
        self.owner = owner
    def __del__(self):
        o = self.owner
        print("del", self.name, sys.getrefcount(o) if o is not None else "-")

class P:
    def __init__(self, x, y):
        self.x = x
        self.y = y

def fill(n):
    total = 0
    for i in range(n):
        p = P(i, -i)
        total += p.x - p.y
    return total

def replace(p, values):
    seen = []
    for v in values:
        p.x = v
        seen.append(sys.getrefcount(p))
    return seen

def dropped(p):
    v = Loud("old", p)
    p.x = v
    del v
    w = 5
    p.x = w
    return sys.getrefcount(p)

print(fill(300))
p = P(1, 2)
shared = [1, 2]
print(replace(p, [None, 7, 10**20, shared, shared, "s", 1.5, None]))
for _ in range(3):
    print(dropped(p), p.x)
q = P(0, 0)
q.__dict__["z"] = 1
print(replace(q, [3, None]), q.__dict__)

class Slotted:
    __slots__ = ("x",)
def slots(o, v):
    o.x = v
    return o.x
print(slots(Slotted(), 4), slots(Slotted(), None))

def unbound():
    try:
        o.x = 1
    except UnboundLocalError as e:
        print(type(e).__name__)
    o = P(0, 0)
print(unbound())
for k in range(40):
    c = P(k, k)
    v = k * 1000
    c.x = v
print(c.x, c.y)`,
  ],
]);

/** A program of `a OP b` on locals and constants, tested and printed, one per pair of operands. */
function binaryProgram(
  pairs: ReadonlyArray<readonly [string, string]>,
  ops: readonly string[],
): string {
  const lines = ["def f(a, b):", "    out = []"];
  for (const op of ops) {
    const test = ["<", "<=", "==", "!=", ">", ">=", "is", "is not"].includes(op);
    lines.push(
      "    try:",
      test
        ? `        if a ${op} b:\n            out.append(1)\n        else:\n            out.append(0)`
        : `        out.append(a ${op} b)`,
      "    except Exception as e:",
      "        out.append(type(e).__name__)",
    );
  }
  lines.push("    return out");
  for (const [a, b] of pairs) lines.push(`print(f(${a}, ${b}))`);
  return `${lines.join("\n")}\n`;
}

const operand = fc.oneof(
  fc.integer({ min: -300, max: 300 }).map(String),
  fc.integer().map(String),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
  fc
    .double({ noNaN: true, noDefaultInfinity: true })
    .map((x) => `float(${JSON.stringify(String(x))})`),
  // The str is empty: `'' * n` is '' for any n, where a one-character str times an int of
  // 2**31 would be a 2 GiB str on both sides.
  fc.constantFrom("None", "True", "''", "1.0", "0", "0.0", "-1"),
);
const operator = fc.constantFrom(
  "+",
  "-",
  "*",
  "//",
  "%",
  "/",
  "&",
  "|",
  "^",
  "<",
  "<=",
  "==",
  "!=",
  ">",
  ">=",
  "is",
  "is not",
);

describe("runs of instructions in one step, random operands", () => {
  let cpython: CPythonForks;
  beforeAll(() => {
    cpython = new CPythonForks();
  });
  afterAll(() => cpython.close());

  it("every operator on any two operands gives python3's result", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(operand, operand), { minLength: 1, maxLength: 8 }),
        fc.uniqueArray(operator, { minLength: 1, maxLength: 8 }),
        async (pairs, ops) => {
          const source = binaryProgram(pairs, ops);
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

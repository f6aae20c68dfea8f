// The collections module against python3 (deque's sizes, blocks and errors; defaultdict,
// OrderedDict, Counter and namedtuple), and deque against a plain array model under random
// sequences of its methods, with the sizes of the same sequences asked of python3.

import { fcRuns, fcSeed } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PyRepl } from "../../src/vm/repl.js";
import { runPython } from "../../src/vm/run.js";
import { CPythonForks } from "../fuzz/cpython.js";
import { describeAgainstPython } from "./against-python.js";

describeAgainstPython(
  "collections.deque",
  [
    [
      "blocks of 64 items, sizes and the free list",
      `import sys, tracemalloc
from collections import deque
d = deque()
print(sys.getsizeof(d))
tracemalloc.start()
# The blocks of 528 bytes an operation allocates (net) while tracing.
def grown(f, *args):
    before = tracemalloc.get_traced_memory()[0]
    f(*args)
    return (tracemalloc.get_traced_memory()[0] - before) // 528
for i in range(300):
    g = grown(d.append, i)
    if g or i % 37 == 0:
        print(i, sys.getsizeof(d), g)
for i in range(290):
    g = grown(d.popleft)
    if g:
        print(i, g)
print(sys.getsizeof(d), grown(d.extend, range(2000)), sys.getsizeof(d))
print(grown(d.clear), sys.getsizeof(d))
e = deque()
print(grown(e.extendleft, range(100)), sys.getsizeof(e), e[0], e[-1])`,
    ],
    [
      "methods and errors",
      `from collections import deque
d = deque(range(10))
d.rotate(3); print(d)
d.rotate(-13); print(d)
d.insert(2, "x"); d.remove(5); del d[0]; d[1] = "y"
print(d, d.count(1), d.index(7), d.index(7, 2, 9), 3 in d, len(d))
d.reverse(); print(d, d.copy() == d, d + deque([0]), 2 * deque([1, 2]))
b = deque([1, 2, 3], maxlen=3)
b.append(4); b.appendleft(0); b.extend([7, 8]); print(b, b.maxlen)
b += [9]; b *= 2; print(b)
for f in [lambda: deque().pop(), lambda: deque().popleft(), lambda: d[99], lambda: d["a"],
          lambda: d.remove("q"), lambda: d.index("q"), lambda: deque(maxlen=-1),
          lambda: deque(maxlen="a"), lambda: b.insert(0, 1), lambda: d + [1],
          lambda: d.rotate("a"), lambda: deque([], 2, 3), lambda: hash(d), lambda: {d: 1},
          lambda: d < [1], lambda: [1] + d]:
    try:
        f()
    except Exception as e:
        print(type(e).__name__, e)
x = deque([1, 2])
try:
    for i in x:
        x.append(i)
except RuntimeError as e:
    print(e)
try:
    d.maxlen = 3
except AttributeError as e:
    print(e)
s = deque(); s.append(s); print(s, repr(deque(maxlen=0)))
print(list(reversed(deque("abc"))), deque("ab") < deque("b"), bool(deque()), bool(deque([0])))`,
    ],
    [
      "tracking, cycles and references",
      `import gc, sys
from collections import deque
d = deque()
print(gc.is_tracked(d), gc.get_referents(deque([1, "a"])) == [1, "a"])
d.append(d)
del d
print(gc.collect())
class Node:
    pass
n = Node()
q = deque([n, n])
print(sys.getrefcount(n))
q.pop(); print(sys.getrefcount(n))
q.clear(); print(sys.getrefcount(n))
it = iter(deque([1, 2, 3]))
print(type(it).__name__, sys.getsizeof(it), next(it), list(it))`,
    ],
  ],
  { quiet: true },
);

describeAgainstPython(
  "defaultdict, OrderedDict, Counter, namedtuple",
  [
    [
      "defaultdict",
      `import sys, gc
from collections import defaultdict
d = defaultdict(list)
d["a"].append(1)
d["b"]
print(d, d.get("c"), "c" in d, sys.getsizeof(defaultdict(int)), gc.is_tracked(d))
print(defaultdict(None, {1: 2}), defaultdict(int, a=1).copy(), d.default_factory)
try:
    defaultdict()["k"]
except KeyError as e:
    print("KeyError", e)
try:
    defaultdict(1)
except TypeError as e:
    print(e)
class Missing(dict):
    def __missing__(self, key):
        return key * 2
print(Missing()[21], Missing().get(21))`,
    ],
    [
      "OrderedDict",
      `import sys
from collections import OrderedDict
o = OrderedDict()
print(sys.getsizeof(o))
for k in "abcdefgh":
    o[k] = ord(k)
    print(sys.getsizeof(o))
o.move_to_end("a"); o.move_to_end("h", last=False)
print(o, o.popitem(), o.popitem(last=False))
print(OrderedDict(a=1, b=2) == OrderedDict(b=2, a=1), OrderedDict(a=1, b=2) == {"b": 2, "a": 1})
print(OrderedDict.fromkeys("xy"), OrderedDict(), list(reversed(o)))
try:
    OrderedDict().popitem()
except KeyError as e:
    print("KeyError", e)`,
    ],
    [
      "Counter",
      `import sys
from collections import Counter
c = Counter("abracadabra")
print(c, c["z"], c.most_common(2), sorted(c.elements()), c.total(), sys.getsizeof(Counter()))
c.update("zz"); c.subtract(a=9); print(c, +c, -c)
a, b = Counter(a=3, b=1), Counter(a=1, b=2)
print(a + b, a - b, a | b, a & b, a == Counter(a=3, b=1, c=0))
del c["nope"]
print(Counter({"x": 2}) <= Counter({"x": 3}))`,
    ],
    [
      "namedtuple",
      `import sys, gc
from collections import namedtuple
Point = namedtuple("Point", "x y")
p = Point(1, y=2)
print(p, p.x, p[1], sys.getsizeof(p), sys.getsizeof((1, 2)), gc.is_tracked(p))
print(p._asdict(), p._replace(x=3), Point._make([5, 6]), Point._fields, Point.__doc__)
print(isinstance(p, tuple), p == (1, 2))
for f in [lambda: Point(1), lambda: Point(1, 2, 3), lambda: Point(1, z=2),
          lambda: Point._make([1]), lambda: p._replace(z=0), lambda: p.__dict__,
          lambda: namedtuple("A", "x _y"), lambda: namedtuple("A", "x x"),
          lambda: namedtuple("A", "class")]:
    try:
        f()
    except Exception as e:
        print(type(e).__name__, e)
Q = namedtuple("Q", ["a", "b", "c"], defaults=[0, 1])
print(Q(9), Q._field_defaults, namedtuple("R", "a def a", rename=True)._fields)`,
    ],
    [
      "copy and deepcopy of each",
      `import copy
from collections import Counter, OrderedDict, defaultdict, deque, namedtuple
shared = [1]
d = deque([shared, shared], maxlen=5)
e = copy.deepcopy(d)
print(e, e.maxlen, e[0] is e[1], e[0] is shared, copy.copy(d)[0] is shared)
dd = defaultdict(list)
dd[1].append(2)
print(copy.deepcopy(dd), copy.copy(dd)[1] is dd[1], copy.copy(dd).default_factory)
P = namedtuple("P", "x y")
p = P([1], 2)
print(copy.copy(p), copy.copy(p) is p, copy.deepcopy(p).x is p.x, type(copy.deepcopy(p)).__name__)
print(copy.deepcopy(OrderedDict(a=[1])), copy.copy(Counter("aab")))`,
    ],
  ],
  { quiet: true },
);

/** The deque the model mirrors: its items and bound. */
interface Model {
  items: number[];
  readonly maxlen: number | null;
}

interface Real {
  readonly repl: PyRepl;
  output: string[];
}

function run(real: Real, line: string): string {
  real.output = [];
  real.repl.push(line);
  return real.output.join("");
}

/** Drops items from the other end past the bound, as a bounded deque does. */
function trim(m: Model, fromLeft: boolean): void {
  if (m.maxlen === null) return;
  while (m.items.length > m.maxlen) {
    if (fromLeft) m.items.shift();
    else m.items.pop();
  }
}

/** What `repr(list(d))` prints for the model's items. */
function show(m: Model): string {
  return `[${m.items.join(", ")}]`;
}

/** One deque method: the line it runs and its result by the array model. */
class Op implements fc.Command<Model, Real> {
  constructor(
    readonly call: string,
    readonly apply: (m: Model) => string,
  ) {}
  check(): boolean {
    return true;
  }
  run(m: Model, r: Real): void {
    const result = this.apply(m);
    const want = `${result}\n${show(m)} ${m.items.length}\n`;
    expect(run(r, `attempt(lambda: ${this.call})`)).toBe(want);
  }
  toString(): string {
    return this.call;
  }
}

const value = fc.integer({ min: 0, max: 9 });

/** The deque's methods, each with what it does to an array. */
const ops = [
  value.map(
    (v) =>
      new Op(`d.append(${v})`, (m) => {
        m.items.push(v);
        trim(m, true);
        return "None";
      }),
  ),
  value.map(
    (v) =>
      new Op(`d.appendleft(${v})`, (m) => {
        m.items.unshift(v);
        trim(m, false);
        return "None";
      }),
  ),
  fc.constant(
    new Op("d.pop()", (m) =>
      m.items.length === 0 ? "IndexError pop from an empty deque" : String(m.items.pop()),
    ),
  ),
  fc.constant(
    new Op("d.popleft()", (m) =>
      m.items.length === 0 ? "IndexError pop from an empty deque" : String(m.items.shift()),
    ),
  ),
  fc.array(value, { maxLength: 140 }).map(
    (vs) =>
      new Op(`d.extend(${JSON.stringify(vs)})`, (m) => {
        for (const v of vs) {
          m.items.push(v);
          trim(m, true);
        }
        return "None";
      }),
  ),
  fc.array(value, { maxLength: 140 }).map(
    (vs) =>
      new Op(`d.extendleft(${JSON.stringify(vs)})`, (m) => {
        for (const v of vs) {
          m.items.unshift(v);
          trim(m, false);
        }
        return "None";
      }),
  ),
  fc.integer({ min: -200, max: 200 }).map(
    (n) =>
      new Op(`d.rotate(${n})`, (m) => {
        const len = m.items.length;
        if (len > 1) {
          const k = ((n % len) + len) % len;
          m.items = [...m.items.slice(len - k), ...m.items.slice(0, len - k)];
        }
        return "None";
      }),
  ),
  fc.constant(
    new Op("d.clear()", (m) => {
      m.items = [];
      return "None";
    }),
  ),
  fc.constant(
    new Op("d.reverse()", (m) => {
      m.items.reverse();
      return "None";
    }),
  ),
  fc.tuple(fc.integer({ min: -150, max: 150 }), value).map(
    ([i, v]) =>
      new Op(`d.insert(${i}, ${v})`, (m) => {
        const n = m.items.length;
        if (m.maxlen !== null && n === m.maxlen)
          return "IndexError deque already at its maximum size";
        const at = i < 0 ? Math.max(0, n + i) : Math.min(i, n);
        m.items.splice(at, 0, v);
        return "None";
      }),
  ),
  value.map(
    (v) =>
      new Op(`d.remove(${v})`, (m) => {
        const at = m.items.indexOf(v);
        if (at < 0) return `ValueError ${v} is not in deque`;
        m.items.splice(at, 1);
        return "None";
      }),
  ),
  fc.integer({ min: -150, max: 150 }).map(
    (i) =>
      new Op(`d[${i}]`, (m) => {
        const at = i < 0 ? i + m.items.length : i;
        if (at < 0 || at >= m.items.length) return "IndexError deque index out of range";
        return String(m.items[at]);
      }),
  ),
  fc.integer({ min: -150, max: 150 }).map(
    (i) =>
      new Op(`d.__delitem__(${i})`, (m) => {
        const at = i < 0 ? i + m.items.length : i;
        if (at < 0 || at >= m.items.length) return "IndexError deque index out of range";
        m.items.splice(at, 1);
        return "None";
      }),
  ),
  value.map((v) => new Op(`d.count(${v})`, (m) => String(m.items.filter((x) => x === v).length))),
];

const SETUP = (maxlen: number | null) => [
  "from collections import deque",
  "def attempt(f):",
  "    try:",
  "        print(f())",
  "    except Exception as e:",
  "        print(type(e).__name__, e)",
  "    print(list(d), len(d))",
  "",
  `d = deque(maxlen=${maxlen === null ? "None" : maxlen})`,
];

describe("deque against an array model", () => {
  it("holds the items a list with trimming at the other end holds", () => {
    const seed = fcSeed();
    fc.assert(
      fc.property(
        fc.option(fc.integer({ min: 0, max: 100 })),
        fc.commands(ops, { maxCommands: 40 }),
        (maxlen, cmds) => {
          const real: Real = {
            output: [],
            repl: new PyRepl({
              stdout: (t) => real.output.push(t),
              stderr: (t) => real.output.push(t),
            }),
          };
          try {
            for (const line of SETUP(maxlen)) real.repl.push(line);
            expect(real.output.join("")).toBe("");
            fc.modelRun(() => ({ model: { items: [], maxlen }, real }), cmds);
          } finally {
            real.repl.close();
          }
        },
      ),
      { numRuns: fcRuns(60), ...(seed !== undefined ? { seed } : {}) },
    );
  });
});

describe("deque sizes and blocks against python3", () => {
  let cpython: CPythonForks;
  beforeAll(() => {
    cpython = new CPythonForks();
  });
  afterAll(() => cpython.close());

  it("reports python3's getsizeof and traced block memory after every method", async () => {
    const seed = fcSeed();
    await fc.assert(
      fc.asyncProperty(
        fc.option(fc.integer({ min: 0, max: 100 })),
        fc.array(
          fc.oneof(...ops).map((op) => op.call),
          { maxLength: 25 },
        ),
        async (maxlen, calls) => {
          const lines = [
            "import sys, tracemalloc",
            "from collections import deque",
            `d = deque(maxlen=${maxlen === null ? "None" : maxlen})`,
            "tracemalloc.start()",
            "base = tracemalloc.get_traced_memory()[0]",
            "def attempt(f):",
            "    before = tracemalloc.get_traced_memory()[0]",
            "    try:",
            "        f()",
            "    except Exception as e:",
            "        print(type(e).__name__, e)",
            "    grown = tracemalloc.get_traced_memory()[0] - before",
            "    print(sys.getsizeof(d), grown // 528, list(d))",
            ...calls.map((c) => `attempt(lambda: ${c})`),
          ];
          const source = `${lines.join("\n")}\n`;
          const want = await cpython.run(source);
          const got = runPython(source, { filename: "prog.py" });
          expect(got.stdout).toBe(want.stdout);
          expect(got.status).toBe(want.status);
        },
      ),
      { numRuns: fcRuns(25), ...(seed !== undefined ? { seed } : {}) },
    );
  });
});

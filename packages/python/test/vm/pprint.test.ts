// The pprint module against python3: random nested data (dicts with mixed keys, lists, tuples,
// sets, frozensets, long strs and bytes, deques, Counters, OrderedDicts, a list holding itself)
// laid out by pformat/pprint under random widths, indents, depths, compact and sort_dicts.

import { fcRuns, fcSeed } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPython } from "../../src/vm/run.js";
import { CPythonForks } from "../fuzz/cpython.js";
import { describeAgainstPython } from "./against-python.js";

/** A Python expression of nested data. */
const data = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.integer({ min: -5000, max: 10 ** 9 }).map(String),
    fc.constantFrom("None", "True", "2.5", "-0.0", "1e100", "3j", "'x'", "''", "b''"),
    fc
      .array(fc.constantFrom("spam", "eggs", " ", "a\\nb", "é", "long words here "), {
        maxLength: 12,
      })
      .map((parts) => JSON.stringify(parts.join("")).replaceAll("\\\\n", "\\n")),
    fc.integer({ min: 0, max: 60 }).map((n) => `bytes(range(${n}))`),
    fc.array(tie("node"), { maxLength: 8 }).map((items) => `[${items.join(", ")}]`),
    fc.array(tie("node"), { maxLength: 5 }).map((items) => `(${items.join(", ")},)`),
    fc
      .array(fc.tuple(tie("key"), tie("node")), { maxLength: 6 })
      .map((kv) => `{${kv.map(([k, v]) => `${k}: ${v}`).join(", ")}}`),
    fc.integer({ min: 0, max: 40 }).map((n) => `set(range(${n}))`),
    fc.integer({ min: 0, max: 30 }).map((n) => `frozenset(range(0, ${n * 3}, 3))`),
    fc.array(tie("node"), { maxLength: 6 }).map((i) => `collections.deque([${i.join(", ")}])`),
    fc
      .string({ unit: fc.constantFrom("a", "b", "c", "d"), maxLength: 30 })
      .map((s) => `collections.Counter(${JSON.stringify(s)})`),
    fc
      .array(fc.tuple(tie("key"), tie("node")), { maxLength: 5 })
      .map((kv) => `collections.OrderedDict([${kv.map(([k, v]) => `(${k}, ${v})`).join(", ")}])`),
  ),
  key: fc.oneof(
    fc.integer({ min: -50, max: 50 }).map(String),
    fc.constantFrom("'alpha'", "'beta'", "'a much longer key name'", "None", "1.5", "(1, 2)"),
  ),
})).node as fc.Arbitrary<string>;

const options = fc.record({
  width: fc.integer({ min: 1, max: 100 }),
  indent: fc.integer({ min: 0, max: 4 }),
  depth: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
  compact: fc.boolean(),
  sortDicts: fc.boolean(),
});

describe("pprint against python3", () => {
  let cpython: CPythonForks;
  beforeAll(() => {
    cpython = new CPythonForks();
  });
  afterAll(() => cpython.close());

  it("lays out random nested data as python3 does", async () => {
    const seed = fcSeed();
    await fc.assert(
      fc.asyncProperty(data, options, async (expr, o) => {
        const args = [
          `width=${o.width}`,
          `indent=${o.indent}`,
          `depth=${o.depth ?? "None"}`,
          `compact=${o.compact ? "True" : "False"}`,
          `sort_dicts=${o.sortDicts ? "True" : "False"}`,
        ].join(", ");
        const source = `import pprint, collections
value = ${expr}
print(pprint.pformat(value, ${args}))
pprint.pprint([value, value], ${args})
print(pprint.isreadable(value), pprint.isrecursive(value), pprint.saferepr(value) == repr(value))
`;
        const want = await cpython.run(source);
        const got = runPython(source, { filename: "prog.py" });
        expect(got.stdout).toBe(want.stdout);
        expect(got.status).toBe(want.status);
      }),
      { numRuns: fcRuns(60), ...(seed !== undefined ? { seed } : {}) },
    );
  });
});

describeAgainstPython("pprint", [
  [
    "recursion, dataclasses, namespaces, mapping proxies, bytearrays and errors",
    `import pprint, dataclasses, types, collections
l = [1, 2]; l.append(l)
d = {"self": None}; d["self"] = d
for v in (l, d):
    s = pprint.pformat(v)
    print(s.split(" with id=")[0], pprint.isrecursive(v), pprint.isreadable(v))
@dataclasses.dataclass
class P:
    name: str
    items: list
    hidden: int = dataclasses.field(default=0, repr=False)
pprint.pprint(P("a" * 30, list(range(25))))
pprint.pprint(types.SimpleNamespace(alpha=list(range(20)), beta="b" * 70))
pprint.pprint(types.MappingProxyType({str(i) * 9: i for i in range(10)}))
pprint.pprint(bytearray(range(50)))
pprint.pprint(collections.defaultdict(list, {str(i) * 8: [i] * 3 for i in range(6)}))
pprint.pprint(collections.deque(range(40), maxlen=50))
pprint.pprint(10**30, underscore_numbers=True)
pprint.pp({"b": 1, "a": list(range(30))}, width=40)
class Rep:
    def __repr__(self): return "<Rep>"
print(pprint.isreadable(Rep()), pprint.saferepr([Rep()]))
for bad in (dict(indent=-1), dict(depth=0), dict(width=0)):
    try:
        pprint.PrettyPrinter(**bad)
    except ValueError as e:
        print(e)`,
  ],
  [
    "bound methods answer with their function's attributes",
    `def f(self): pass
f.tag = 5
class C:
    m = f
m = C().m
print(m.tag, m.__name__, m.__qualname__, m.__doc__, m.__module__)
try:
    m.missing
except AttributeError as e:
    print(e)`,
  ],
]);

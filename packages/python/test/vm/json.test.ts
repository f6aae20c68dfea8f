// The json module against python3: every option of dumps and loads, the errors and their
// positions, the scanner's key memo (equal keys of one document are one str object), the sizes
// of what loads builds, nesting limits; and random values dumped with random options, random
// documents loaded and random malformed documents refused, each as python3 does it.

import { fcRuns, fcSeed } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPython } from "../../src/vm/run.js";
import { CPythonForks } from "../fuzz/cpython.js";
import { describeAgainstPython } from "./against-python.js";

describeAgainstPython(
  "json",
  [
    [
      "dumps with every option",
      `import json
v = {"b": [1, 2.5, None, True, False, "x\\n\\u00e9\\U0001F600"], "a": {}, "c": [], "d": (1, (2,))}
for kw in [{}, {"indent": 2}, {"indent": 0}, {"indent": "\\t"}, {"sort_keys": True},
           {"separators": (",", ":")}, {"indent": 1, "separators": (";", "=")},
           {"ensure_ascii": False}, {"indent": 3, "sort_keys": True, "ensure_ascii": False}]:
    print(kw, json.dumps(v, **kw))
print(json.dumps({1: 1, 2.5: 2, None: 3, True: 4, False: 5, -0.0: 6, 10**20: 7}))
print(json.dumps({1: 1, 2.5: 2, None: 3, True: 4}, indent=1))
print(json.dumps({"a": 1, (1, 2): 2, 3: 4}, skipkeys=True), json.dumps({(1,): 1}, skipkeys=True, indent=2))
print(json.dumps([float("nan"), float("inf"), -float("inf"), 1e16, 1e-7, 0.1, 10**30]))
print(json.dumps("\\x00\\x1f\\x7f\\u2028\\\\\\"/"), json.dumps("\\x00\\x1f\\u2028", ensure_ascii=False))
print(json.dumps("é\\ud800"), json.dumps("é\\ud800", ensure_ascii=False) == '"é\\ud800"')
print(list(json.JSONEncoder().iterencode({"a": [1, {"b": 2}]})))
print(list(json.JSONEncoder(indent=1).iterencode([1, [2]])))
print(json.JSONEncoder().encode("plain"), json.JSONEncoder(ensure_ascii=False).encode("é"))`,
    ],
    [
      "dumps errors",
      `import json
l = []; l.append(l)
d = {}; d["d"] = d
class Obj:
    pass
o = Obj()
cases = [lambda: json.dumps({1, 2}), lambda: json.dumps(l), lambda: json.dumps(d),
         lambda: json.dumps(l, indent=1), lambda: json.dumps({"x": d}, indent=1),
         lambda: json.dumps(o), lambda: json.dumps([o], indent=2), lambda: json.dumps(b"x"),
         lambda: json.dumps({(1, 2): 3}), lambda: json.dumps({(1, 2): 3}, indent=1),
         lambda: json.dumps(float("nan"), allow_nan=False),
         lambda: json.dumps([float("inf")], allow_nan=False),
         lambda: json.dumps([float("-inf")], allow_nan=False, indent=1),
         lambda: json.dumps({float("nan"): 1}, allow_nan=False),
         lambda: json.dumps(o, default=lambda x: x),
         lambda: json.dumps([1], separators=(1, 2)),
         lambda: json.dumps(1, check_circular=False, default=str),
         lambda: json.dumps(10 ** 5000),
         lambda: json.dumps([o], default=lambda x: [x])]
for case in cases:
    try:
        print(case())
    except (TypeError, ValueError, RecursionError) as e:
        print(type(e).__name__, e)`,
    ],
    [
      "default and cls",
      `import json
class Point:
    def __init__(self, x, y):
        self.x, self.y = x, y
class PointEncoder(json.JSONEncoder):
    def default(self, o):
        if isinstance(o, Point):
            return {"x": o.x, "y": o.y}
        if isinstance(o, set):
            return sorted(o)
        return super().default(o)
pts = [Point(1, 2), {Point(3, 4): 1} if False else Point(3, 4), {3, 1, 2}]
print(json.dumps(pts, cls=PointEncoder))
print(json.dumps(pts, cls=PointEncoder, indent=2))
print(json.dumps(pts, default=lambda o: sorted(o) if isinstance(o, set) else vars(o)))
seen = []
def record(o):
    seen.append(type(o).__name__)
    return str(o) if isinstance(o, complex) else [1]
print(json.dumps([1j, Point(0, 0), {"k": 2j}], default=record), seen)
class Quoted(json.JSONEncoder):
    pass
print(Quoted(ensure_ascii=False, separators=(",", "=")).encode({"é": [1]}))`,
    ],
    [
      "loads with every option",
      `import json
from collections import OrderedDict
doc = '{"b": [1, 2.5, -0, 1e400, -1e400, 1E2, 0.5e-3, 12345678901234567890, "\\\\u00e9\\\\ud83d\\\\ude00"], "a": null, "c": true, "d": false}'
print(json.loads(doc))
print(json.loads(doc, parse_float=str, parse_int=lambda s: "i" + s))
print(json.loads(doc, object_pairs_hook=list))
print(json.loads(doc, object_pairs_hook=OrderedDict))
print(json.loads(doc, object_hook=lambda d: sorted(d)))
print(json.loads(doc, object_hook=len, object_pairs_hook=list))
print(json.loads('[NaN, Infinity, -Infinity]'), json.loads('[NaN]', parse_constant=lambda c: c))
print(json.loads('"a\\tb"', strict=False), json.loads('"\\\\/\\\\b\\\\f\\\\n\\\\r\\\\t\\\\"\\\\\\\\"'))
print(json.loads('  [1 , 2 ]\\n '), json.loads('{}'), json.loads('[]'), json.loads('""'))
print(json.loads(b'{"a": "\\xc3\\xa9"}'), json.loads(b'\\xef\\xbb\\xbf[1]'), json.loads(b'\\xff\\xfe[\\x00]\\x00'))
print(json.loads(b'\\x00[\\x001\\x00]'), json.loads(b'[\\x00\\x00\\x00]\\x00\\x00\\x00'))
print(json.loads('"\\\\ud83d"') == "\\ud83d", json.loads('"\\\\ud83d\\\\u0041"') == "\\ud83dA")
print(json.JSONDecoder().raw_decode('[1] rest'), json.JSONDecoder().raw_decode('x [2]', 2))
class Decoder(json.JSONDecoder):
    def __init__(self, **kw):
        super().__init__(object_hook=lambda d: ("obj", d), **kw)
print(json.loads('{"a": {"b": 1}}', cls=Decoder))
print(json.decoder.JSONDecodeError is json.JSONDecodeError, json.JSONDecodeError.__module__)
print(json.JSONDecodeError.__mro__)`,
    ],
    [
      "loads errors and their positions",
      `import json
bad = ['', ' ', '[1,]', '[1,,2]', '{"a" 1}', '{"a":1,}', '{1: 2}', '[1 2]', '"abc', '"a\\x01"',
       '{"a":1}x', '[', '{', 'nul', 'tru', 'nan', '-', '-x', '01', '1.', '1e', '.5', '"\\\\x"',
       '"\\\\u12"', '"\\\\u12x4"', '"\\\\ud800\\\\u12"', '[1]\\n\\n  ]', '{"a":\\n [1,\\n 2', '"\\\\',
       '\\ufeff[]', '[1] [2]', '{"a": 1 "b": 2}', '[-Infinity, -Inf]', 'Infinity1', '1 2']
for b in bad:
    try:
        print(repr(json.loads(b)))
    except json.JSONDecodeError as e:
        print(repr(b), "|", e, "|", e.msg, e.pos, e.lineno, e.colno, e.doc == b)
for x in [5, None, [1]]:
    try:
        json.loads(x)
    except TypeError as e:
        print(e)
e = json.JSONDecodeError("msg", "ab\\ncd", 4)
print(e.args, e.__reduce__()[1], isinstance(e, ValueError))
try:
    json.loads("1" * 5000)
except ValueError as e:
    print(type(e).__name__, e)`,
    ],
    [
      "the key memo and what loads builds",
      `import gc, json, sys
text = json.dumps([{"name": "n%d" % i, "age": i, "tags": ["a", "bb"]} for i in range(20)])
docs = json.loads(text)
keys = [k for d in docs for k in d]
print(len(keys), len({id(k) for k in keys}))
print(len({id(d["tags"][1]) for d in docs}), len({id(d["tags"][0]) for d in docs}))
other = json.loads(text)
print(next(iter(other[0])) is next(iter(docs[0])))
for n in [0, 1, 4, 5, 6, 8, 11, 12, 30]:
    d = json.loads(json.dumps({"k%d" % i: i for i in range(n)}))
    l = json.loads(json.dumps(list(range(n))))
    built = {}
    for i in range(n):
        built["k%d" % i] = i
    grown = []
    for i in range(n):
        grown.append(i)
    print(n, sys.getsizeof(d), sys.getsizeof(built), sys.getsizeof(l), sys.getsizeof(grown))
print(gc.is_tracked(json.loads('{"a": 1}')), gc.is_tracked(json.loads('{"a": []}')))
print(gc.is_tracked(json.loads('[1]')), gc.is_tracked(json.loads('[]')))
x = json.loads('[1000, 1000, 7, 7, 1.5, 1.5, "é", "é", "", "", "ab", "ab"]')
print([x[i] is x[i + 1] for i in range(0, len(x), 2)])
print(sys.getsizeof(json.loads('"' + "é" * 10 + '"')), sys.getsizeof(json.loads('"ab\\\\u20accd"')))
print(sys.getsizeof(json.loads('"\\\\ud83d\\\\ude00"')), sys.getsizeof(json.loads("123456789012345678901234567890")))
n = json.loads("[NaN, NaN]")
print(n[0] is n[1], n[0] is json.loads("NaN"))`,
    ],
    [
      "nesting against the recursion limit",
      `import json
def deepest(f):
    lo, hi = 1, 3000
    msg = None
    while lo < hi:
        mid = (lo + hi + 1) // 2
        try:
            f(mid)
            lo = mid
        except RecursionError as e:
            msg = str(e)
            hi = mid - 1
    return lo, msg
def nest(n):
    x = []
    for _ in range(n):
        x = [x]
    return x
def nest_dict(n):
    x = {}
    for _ in range(n):
        x = {"k": x}
    return x
def recurse(n):
    if n:
        recurse(n - 1)
# Depths relative to a plain Python recursion's from the same place: the C scanner and encoder
# count one level of the recursion limit per nested container, as a Python call does.
plain, _ = deepest(recurse)
for f in [lambda n: json.loads("[" * n + "]" * n), lambda n: json.loads('{"a":' * n + "1" + "}" * n),
          lambda n: json.dumps(nest(n)), lambda n: json.dumps(nest_dict(n)),
          lambda n: json.dumps(nest(n), default=lambda o: o)]:
    depth, msg = deepest(f)
    print(depth - plain, msg)
`,
    ],
  ],
  { quiet: true },
);

/** A str as a Python literal (JSON's escapes are Python's, lone surrogates included). */
const pyStr = (s: string) => JSON.stringify(s);

const text = fc.string({
  unit: fc.oneof(
    fc.constantFrom("a", "b", "Z", " ", "0"),
    fc.constantFrom('"', "\\", "/", "\n", "\t", "\x00", "\x1f", "\x7f"),
    fc.constantFrom("é", "ß", "€", "\u2028", "😀", "\ud800", "\udfff"),
  ),
  maxLength: 6,
});

const float = fc.oneof(
  fc
    .double({ noNaN: true, noDefaultInfinity: true })
    .map((x) => `float(${JSON.stringify(String(x))})`),
  fc.constantFrom('float("nan")', 'float("inf")', 'float("-inf")', "-0.0", "1e16", "0.1"),
);
const int = fc.oneof(
  fc.integer({ min: -300, max: 300 }).map(String),
  fc.bigInt({ min: -(2n ** 100n), max: 2n ** 100n }).map(String),
);
const key = fc.oneof(
  { weight: 4, arbitrary: text.map(pyStr) },
  { weight: 1, arbitrary: int },
  { weight: 1, arbitrary: float },
  { weight: 1, arbitrary: fc.constantFrom("None", "True", "False", "(1, 2)") },
);
const { value } = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    text.map(pyStr),
    int,
    float,
    fc.constantFrom("None", "True", "False"),
    fc.array(tie("value"), { maxLength: 4 }).map((xs) => `[${xs.join(", ")}]`),
    fc.array(tie("value"), { maxLength: 3 }).map((xs) => `(${xs.map((x) => `${x}, `).join("")})`),
    fc
      .array(fc.tuple(key, tie("value")), { maxLength: 4 })
      .map((kvs) => `{${kvs.map(([k, v]) => `${k}: ${v}`).join(", ")}}`),
  ),
}));

const options = fc
  .record(
    {
      indent: fc.constantFrom("None", "0", "2", '"\\t"', '"--"'),
      separators: fc.constantFrom("None", '(",", ":")', '(", ", ": ")', '(";", "=")'),
      sort_keys: fc.boolean(),
      ensure_ascii: fc.boolean(),
      allow_nan: fc.boolean(),
      skipkeys: fc.boolean(),
      check_circular: fc.boolean(),
    },
    { requiredKeys: [] },
  )
  .map((o) =>
    Object.entries(o)
      .map(([k, v]) => `${k}=${v === true ? "True" : v === false ? "False" : v}`)
      .join(", "),
  );

/** Mutations that break a document: a character dropped, one put in, the end cut off. */
const mutated = fc
  .tuple(
    fc.oneof(fc.json({ maxDepth: 3 }), fc.json({ maxDepth: 2, stringUnit: "binary" })),
    fc.nat(),
    fc.constantFrom("drop", "insert", "cut"),
    fc.constantFrom(
      "[",
      "]",
      "{",
      "}",
      '"',
      ",",
      ":",
      "-",
      "0",
      "e",
      ".",
      "\\",
      "u",
      "x",
      " ",
      "\n",
      "\x01",
    ),
  )
  .map(([doc, at, how, c]) => {
    const i = doc.length === 0 ? 0 : at % doc.length;
    if (how === "drop") return doc.slice(0, i) + doc.slice(i + 1);
    if (how === "cut") return doc.slice(0, i);
    return doc.slice(0, i) + c + doc.slice(i);
  });

/** A document with whitespace of JSON's four kinds (or none) between its tokens. */
const spaced = fc
  .tuple(
    fc.oneof(fc.json({ maxDepth: 4 }), fc.json({ maxDepth: 3, stringUnit: "binary" })),
    fc.constantFrom("", " ", "\n", "\t\r\n "),
  )
  .map(([doc, ws]) => (ws === "" ? doc : doc.replace(/([,:[\]{}])/g, `${ws}$1${ws}`)));

describe("json against python3 on random input", () => {
  let cpython: CPythonForks;
  beforeAll(() => {
    cpython = new CPythonForks();
  });
  afterAll(() => cpython.close());

  const agree = async (source: string) => {
    const want = await cpython.run(source);
    const got = runPython(source, { filename: "prog.py" });
    expect(got.stdout).toBe(want.stdout);
    expect(got.status).toBe(want.status);
  };
  const seeded = (runs: number) => {
    const seed = fcSeed();
    return { numRuns: fcRuns(runs), ...(seed !== undefined ? { seed } : {}) };
  };

  it("dumps random values with random options as python3 does", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(value, options), { minLength: 1, maxLength: 8 }),
        async (cases) => {
          const lines = ["import json"];
          for (const [v, opts] of cases) {
            lines.push("try:");
            lines.push(`    print(repr(json.dumps(${v}, ${opts})))`);
            lines.push("except (TypeError, ValueError) as e:");
            lines.push("    print(type(e).__name__, e)");
          }
          await agree(`${lines.join("\n")}\n`);
        },
      ),
      seeded(40),
    );
  });

  it("loads random documents to the same values, containers of the same sizes", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(spaced, { minLength: 1, maxLength: 8 }), async (docs) => {
        const lines = [
          "import json, sys",
          "def sizes(v):",
          "    if isinstance(v, dict):",
          "        return [sys.getsizeof(v)] + [s for x in v.values() for s in sizes(x)]",
          "    if isinstance(v, list):",
          "        return [sys.getsizeof(v)] + [s for x in v for s in sizes(x)]",
          "    return [sys.getsizeof(v)]",
          "def keys(v):",
          "    if isinstance(v, dict):",
          "        return list(v) + [k for x in v.values() for k in keys(x)]",
          "    if isinstance(v, list):",
          "        return [k for x in v for k in keys(x)]",
          "    return []",
        ];
        for (const doc of docs) {
          lines.push(`v = json.loads(${pyStr(doc)})`);
          lines.push("ks = keys(v)");
          lines.push("print(repr(v), sizes(v), len(ks), len({id(k) for k in ks}))");
        }
        await agree(`${lines.join("\n")}\n`);
      }),
      seeded(40),
    );
  });

  it("refuses random malformed documents with python3's messages", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(mutated, { minLength: 1, maxLength: 10 }), async (docs) => {
        const lines = ["import json"];
        for (const doc of docs) {
          lines.push("try:");
          lines.push(`    print(repr(json.loads(${pyStr(doc)})))`);
          lines.push("except json.JSONDecodeError as e:");
          lines.push("    print(e.msg, e.pos, e.lineno, e.colno, e)");
        }
        await agree(`${lines.join("\n")}\n`);
      }),
      seeded(40),
    );
  });
});

// Keyword arguments of the built-in methods, functions (builtins' and those of the built-in
// modules: `gc.collect(generation=0)`) and types: a method of positional-only
// parameters refuses every keyword with CPython's message, one with named parameters takes them
// by name (`"a\nb".splitlines(keepends=True)`, `round(number=2.5)`), and a wrong keyword gets
// CPython's TypeError. The table comes from scripts/method-keywords.py, which asks python3;
// this file checks that the table is python3's today and that calls made with keywords print
// what python3 prints.

import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { fcRuns, fcSeed } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { METHOD_KEYWORDS } from "../../src/vm/method-keywords.js";
import { runPython } from "../../src/vm/run.js";
import { CPythonForks } from "../fuzz/cpython.js";
import { describeAgainstPython, expectAsPython, printEach } from "./against-python.js";

const seed = fcSeed();
const seeded = seed !== undefined ? { seed } : {};

describe("the table of keyword arguments", () => {
  it("is the one python3 gives now", () => {
    const script = fileURLToPath(new URL("../../scripts/method-keywords.py", import.meta.url));
    const fresh = spawnSync("python3", [script, "--json"], { encoding: "utf8" });
    expect(fresh.status).toBe(0);
    const want = JSON.parse(fresh.stdout);
    expect(Object.keys(want).length).toBeGreaterThan(200);
    expect(METHOD_KEYWORDS).toEqual(want);
  });
});

// The same samples as the generating script.
const SAMPLES =
  'samples = {"str": "x", "int": 5, "float": 1.5, "bool": True, "list": [], "tuple": (), ' +
  '"dict": {}, "set": set(), "frozenset": frozenset(), "bytes": b"", "bytearray": bytearray(), ' +
  '"range": range(1), "generator": (i for i in ())}\n' +
  "import gc, math, sys, time, tracemalloc, weakref\n" +
  'MODULES = ("gc", "math", "sys", "time", "tracemalloc", "weakref")\n';

/** Each call's TypeError when it is about the keywords, else what kind of end it came to. */
const REPORT = `KEYWORD = ("keyword", "given by name", "missing required", "takes at most", "positional argument")
def report(label, f):
    try:
        f()
        print(label, "ran")
    except TypeError as e:
        print(label, e if any(k in str(e) for k in KEYWORD) else "TypeError")
    except Exception as e:
        print(label, type(e).__name__)
`;

/** The table's entries this interpreter has (the others are AttributeErrors here). */
function implemented(): string[] {
  const keys = Object.keys(METHOD_KEYWORDS);
  const probe = `${SAMPLES}for key in ${JSON.stringify(keys)}:
    t, name = key.split(".")
    print(name in dir(__builtins__) if t == "builtins" else hasattr(sys.modules[t], name) if t in MODULES else hasattr(samples[t], name))
`;
  const answers = runPython(probe).stdout.trim().split("\n");
  return keys.filter((_, i) => answers[i] === "True");
}

const entries = implemented();

describe("the entries the interpreter implements", () => {
  it("are most of the table", () => {
    expect(entries.length).toBeGreaterThan(150);
  });
});

describeAgainstPython(
  "unknown and named keywords",
  Array.from({ length: 4 }, (_, part) => {
    const mine = entries.filter((_, i) => i % 4 === part);
    const calls = mine.map((key) => {
      const spec = METHOD_KEYWORDS[key]!;
      return [key, "none" in spec ? [] : [...spec.names, ...spec.kwonly]] as const;
    });
    return [
      `entries ${part + 1} of 4`,
      `${SAMPLES}${REPORT}for key, names in ${JSON.stringify(calls)}:
    t, name = key.split(".")
    o = samples.get(t)
    # Called as \`o.method(...)\` is: through the type's descriptor (whose messages name the
    # type); a class method through the class.
    if t == "builtins":
        f = eval(name)
    elif t in MODULES:
        f = getattr(sys.modules[t], name)
    elif name in ("fromkeys", "fromhex", "from_bytes", "maketrans"):
        f = getattr(o, name)
    else:
        f = lambda *a, _m=getattr(type(o), name), _o=o, **k: _m(_o, *a, **k)
    for n in range(3):
        report(f"{key} {n} zz", lambda: f(*([None] * n), zz=None))
        for k in names:
            report(f"{key} {n} {k}", lambda: f(*([None] * n), **{k: None}))`,
    ] as const;
  }),
);

describeAgainstPython("keywords of the built-in types", [
  [
    "each type called with an unknown keyword, and str and bytes by name",
    `${REPORT}for t in (bool, bytearray, bytes, classmethod, complex, enumerate, filter, float,
          frozenset, int, list, map, range, reversed, set, slice, staticmethod, str, super, tuple):
    report(t.__name__, lambda: t(zz=1))
report("int x", lambda: int(x="12"))
report("int base twice", lambda: int("12", 10, base=10))
print(str(object=5), str(object=b"x"), str(b"ab", encoding="ascii"), repr(str(encoding="ascii")))
print(str(b"a\\xff", "ascii", errors="replace"), str(b"a\\xff", errors="replace"))
report("str of an int with an encoding", lambda: str(5, encoding="ascii"))
report("str given twice", lambda: str(1, object=2))
print(bytes(source=b"a"), bytes("ab", encoding="ascii"), bytes("a\\xe9", "ascii", errors="replace"))
report("bytes encoding of bytes", lambda: bytes(b"a", encoding="ascii"))
report("bytes errors only", lambda: bytes("a", errors="strict"))
report("bytes errors of a list", lambda: bytes([1], errors="strict"))
report("bytes no source", lambda: bytes(encoding="ascii"))
print(list(enumerate(iterable="ab", start=3)))`,
  ],
  [
    "bools under & | ^ stay bools, folded or not",
    `t, f = True, False
print(True | True, True & False, True ^ True, False ^ True, False | False)
print(t | t, t & f, t ^ t, f ^ t, f | f, type(t | f), type(t & 1), t | 2)
x = True
x &= False
print(x, type(x))`,
  ],
]);

describe("keyword and positional forms of a call", () => {
  const cpython = new CPythonForks(20);
  afterAll(() => cpython.close());

  // Texts with line breaks of every kind, separators and non-ASCII characters.
  const text = fc
    .array(fc.constantFrom("a", "b", " ", ",", "\n", "\r\n", "\r", "\x0b", "\u2028", "é", "€"), {
      maxLength: 10,
    })
    .map((parts) => parts.join(""));
  const call = fc.oneof(
    fc
      .tuple(text, fc.boolean(), fc.boolean())
      .map(([s, keep, named]) =>
        named
          ? `${JSON.stringify(s)}.splitlines(keepends=${keep ? "True" : "False"})`
          : `${JSON.stringify(s)}.splitlines(${keep ? "True" : "False"})`,
      ),
    fc
      .tuple(
        text,
        fc.constantFrom("None", '","', '" "'),
        fc.integer({ min: -1, max: 3 }),
        fc.nat(3),
      )
      .map(
        ([s, sep, max, form]) =>
          [
            `${JSON.stringify(s)}.split(${sep}, ${max})`,
            `${JSON.stringify(s)}.split(sep=${sep}, maxsplit=${max})`,
            `${JSON.stringify(s)}.rsplit(maxsplit=${max})`,
            `${JSON.stringify(s)}.split(${sep}, maxsplit=${max})`,
          ][form]!,
      ),
    fc
      .tuple(
        text,
        fc.constantFrom("utf-8", "ascii", "latin-1"),
        fc.constantFrom("strict", "ignore", "replace", "backslashreplace", "xmlcharrefreplace"),
      )
      .map(
        ([s, enc, err]) =>
          `${JSON.stringify(s)}.encode(errors=${JSON.stringify(err)}, encoding=${JSON.stringify(enc)})`,
      ),
    fc
      .tuple(
        fc.uint8Array({ maxLength: 6 }),
        fc.constantFrom("utf-8", "ascii", "latin-1"),
        fc.constantFrom("strict", "ignore", "replace", "backslashreplace", "surrogateescape"),
      )
      .map(([d, enc, err]) => {
        const lit = `bytes(${JSON.stringify([...d])})`;
        return `ascii(str(${lit}, ${JSON.stringify(enc)}, errors=${JSON.stringify(err)}))`;
      }),
    fc
      .tuple(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: -2, max: 3 }))
      .map(([x, n]) => `round(number=${x}, ndigits=${n})`),
    fc
      .tuple(
        fc.integer({ min: -50, max: 50 }),
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 1, max: 9 }),
      )
      .map(([b, e, m]) => `pow(base=${b}, exp=${e}, mod=${m})`),
  );

  it("prints python3's results and errors", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(call, { minLength: 1, maxLength: 10 }), async (calls) => {
        await expectAsPython(cpython, printEach(calls));
      }),
      { numRuns: fcRuns(40), ...seeded },
    );
  }, 120_000);
});

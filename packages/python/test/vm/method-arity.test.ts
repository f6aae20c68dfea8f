// A built-in method, or a function of the built-in modules (`gc`, `sys`, `time`, `math`,
// `weakref`, `tracemalloc`), called with a wrong count of positional arguments raises CPython's
// TypeError, with its exact message, before its own code runs. The messages come from a table
// that scripts/method-arity.py writes by asking python3; this file checks that the table is
// python3's today and that every method and function the interpreter implements raises what
// python3 does for each count the table says is wrong.

import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { METHOD_ARITY } from "../../src/vm/method-arity.js";
import { runPython } from "../../src/vm/run.js";
import { describeAgainstPython } from "./against-python.js";

describe("the table of methods' argument counts", () => {
  it("is the one python3 gives now", () => {
    const script = fileURLToPath(new URL("../../scripts/method-arity.py", import.meta.url));
    const fresh = spawnSync("python3", [script], { encoding: "utf8" });
    expect(fresh.status).toBe(0);
    const want = Object.fromEntries(
      [...fresh.stdout.matchAll(/^ {2}"([\w.]+)": (\[.*\]),$/gm)].map((m) => [
        m[1],
        JSON.parse(m[2]!),
      ]),
    );
    expect(Object.keys(want).length).toBeGreaterThan(150);
    expect(METHOD_ARITY).toEqual(want);
  });
});

// The same samples and modules as the generating script: `owner(t)` is the object whose
// method or function `t.name` is.
const SAMPLES =
  'samples = {"str": "x", "int": 5, "float": 1.5, "bool": True, "list": [], "tuple": (), ' +
  '"dict": {}, "set": set(), "frozenset": frozenset(), "bytes": b"", "bytearray": bytearray(), ' +
  '"range": range(1), ' +
  '"generator": (i for i in ())}\n' +
  "import gc, math, sys, time, tracemalloc, weakref\n" +
  "def owner(t):\n" +
  "    return samples[t] if t in samples else sys.modules[t]\n";

/** The table's methods this interpreter has (the others are AttributeErrors here). */
function implemented(): string[] {
  const keys = Object.keys(METHOD_ARITY);
  const probe = `${SAMPLES}for key in ${JSON.stringify(keys)}:
    t, name = key.split(".")
    print(hasattr(owner(t), name))
`;
  const ran = runPython(probe);
  const answers = ran.stdout.trim().split("\n");
  return keys.filter((_, i) => answers[i] === "True");
}

const methods = implemented();

describe("the methods the interpreter implements", () => {
  it("are most of the table", () => {
    expect(methods.length).toBeGreaterThan(120);
  });
});

/** For each method, the first and last count of each rule (and one past an open end). */
function wrongCounts(key: string): number[] {
  const counts = new Set<number>();
  for (const [first, last] of METHOD_ARITY[key]!) {
    counts.add(first);
    counts.add(last < 0 ? 11 : last);
  }
  return [...counts];
}

describeAgainstPython(
  "wrong counts of arguments",
  // A few programs rather than one per method: each runs by python3 in a fork.
  Array.from({ length: 4 }, (_, part) => {
    const mine = methods.filter((_, i) => i % 4 === part);
    const calls = mine.map((k) => [k, wrongCounts(k)] as const);
    return [
      `methods ${part + 1} of 4`,
      `${SAMPLES}for key, counts in ${JSON.stringify(calls)}:
    t, name = key.split(".")
    for n in counts:
        try:
            getattr(owner(t), name)(*([None] * n))
            print(key, n, "ran")
        except TypeError as e:
            print(key, n, e)`,
    ] as const;
  }),
);

describeAgainstPython("wrong counts at a method's call site", [
  [
    "the evaluator's own method calls",
    `l = [1]
for f in (lambda: l.append(), lambda: l.append(1, 2), lambda: l.pop(1, 2), lambda: "x".upper(1),
          lambda: l.sort(1), lambda: {}.get(), lambda: l.index(), lambda: l.insert(1),
          lambda: "a".join(), lambda: "x".strip(1), lambda: "x".lstrip(2), lambda: len(), lambda: len(l, l)):
    try:
        f()
    except TypeError as e:
        print(e)
print(l)`,
  ],
]);

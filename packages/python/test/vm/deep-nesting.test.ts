// Deeply nested tuples and lists against python3: tuplehash recurses in C without the recursion
// limit, so hash() of any nesting depth is computed (the same value as python3's), while each
// level of == or != is a rich comparison that counts toward the limit (RecursionError "maximum
// recursion depth exceeded in comparison" at python3's depth). Both must run inside a test
// worker, whose JavaScript stack is smaller than the CLI's.

import { fcRuns, fcSeed } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { runPython } from "../../src/vm/run.js";
import { CPythonForks } from "../fuzz/cpython.js";

const seed = fcSeed();
const seeded = seed !== undefined ? { seed } : {};

/** A nest of `depth` levels of `kind` around `leaf`, each level also holding `extra` (if any). */
const nestFunction = [
  "def nest(kind, depth, leaf, extra, differ_at=-1):",
  "    t = leaf",
  "    for level in range(depth):",
  "        item = extra + (1 if level == differ_at else 0) if extra is not None else None",
  "        items = [t] if item is None else [item, t] if level % 2 else [t, item]",
  "        t = tuple(items) if kind == 'tuple' else items",
  "    return t",
];

const comparison = fc
  .record({
    kind: fc.constantFrom("tuple", "list"),
    // Not within a few levels of the limit: python3's driver runs the program a few frames deep.
    depth: fc.oneof(
      fc.nat(60),
      fc.integer({ min: 900, max: 985 }),
      fc.integer({ min: 1005, max: 1100 }),
      fc.integer({ min: 2000, max: 6000 }),
    ),
    extra: fc.option(fc.integer({ min: -3, max: 3 }), { nil: undefined }),
    differAt: fc.integer({ min: -1, max: 1040 }),
    op: fc.constantFrom("==", "!="),
  })
  // The levels == descends before it meets the difference: not within a few of the limit
  // either (python3's driver runs the program a few frames deep).
  .filter((c) => {
    const descends = c.differAt >= 0 && c.differAt < c.depth ? c.depth - c.differAt : c.depth;
    return descends < 960 || descends > 1010;
  });

const hashed = fc.record({
  depth: fc.oneof(
    fc.nat(40),
    fc.integer({ min: 900, max: 1100 }),
    fc.integer({ min: 50_000, max: 100_000 }),
  ),
  // No None: its hash is its address in python3 3.11.
  leaf: fc.constantFrom("()", "7", "-1", "(1, 2)", "2**70", "1.5", "frozenset({3})"),
  extra: fc.option(fc.integer({ min: -2, max: 300 }), { nil: undefined }),
});

describe("deeply nested tuples and lists against python3", () => {
  const cpython = new CPythonForks(20);
  afterAll(() => cpython.close());

  it("compare as python3 compares them, to the depth the recursion limit allows", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(comparison, { minLength: 1, maxLength: 3 }), async (cases) => {
        const lines = [...nestFunction];
        for (const c of cases) {
          const extra = c.extra === undefined ? "None" : String(c.extra);
          lines.push(
            "try:",
            `    a = nest('${c.kind}', ${c.depth}, 0, ${extra})`,
            `    b = nest('${c.kind}', ${c.depth}, 0, ${extra}, ${c.differAt})`,
            `    print(a ${c.op} b, a ${c.op} a)`,
            "except RecursionError as e:",
            "    print('RecursionError', e)",
          );
        }
        const source = `${lines.join("\n")}\n`;
        const want = await cpython.run(source);
        const got = runPython(source, { filename: "prog.py" });
        expect(got.stdout).toBe(want.stdout);
        expect(got.status).toBe(want.status);
      }),
      { numRuns: fcRuns(25), ...seeded },
    );
  }, 180_000);

  it("hash to python3's values at any depth", async () => {
    await fc.assert(
      fc.asyncProperty(hashed, async (h) => {
        const extra = h.extra === undefined ? "None" : String(h.extra);
        const source = [
          ...nestFunction,
          `t = nest('tuple', ${h.depth}, ${h.leaf}, ${extra})`,
          "print(hash(t), hash(t) == hash(nest('tuple', 3, t, None)[0][0][0]))",
          "print(hash(nest('tuple', 2, t, None)), {t: 1}[t])",
        ].join("\n");
        const want = await cpython.run(`${source}\n`);
        const got = runPython(`${source}\n`, { filename: "prog.py" });
        expect(got.stdout).toBe(want.stdout);
        expect(got.status).toBe(want.status);
      }),
      { numRuns: fcRuns(20), ...seeded },
    );
  }, 180_000);
});

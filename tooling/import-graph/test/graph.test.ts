import { join } from "node:path";
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import {
  checkPackages,
  findCycles,
  type ImportGraph,
  readGraph,
  workspacePackage,
} from "../src/index.js";

const fixtures = join(import.meta.dirname, "fixtures");

/** Whether `path` is a closed walk along edges of `graph`. */
function isClosedWalk(graph: ImportGraph, path: readonly string[]): boolean {
  if (path.length < 2 || path[0] !== path[path.length - 1]) return false;
  return path.slice(1).every((to, i) => (graph.get(path[i]!) ?? []).includes(to));
}

/** A random DAG: edges only from a lower to a higher numbered module. */
const dag = fc
  .integer({ min: 1, max: 12 })
  .chain((n) =>
    fc.tuple(fc.constant(n), fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 40 })),
  )
  .map(([n, pairs]) => {
    const graph = new Map<string, string[]>();
    for (let i = 0; i < n; i++) graph.set(`m${i}`, []);
    for (const [x, y] of pairs) {
      if (x === y) continue;
      const [from, to] = x < y ? [x, y] : [y, x];
      const out = graph.get(`m${from}`)!;
      if (!out.includes(`m${to}`)) out.push(`m${to}`);
    }
    return graph;
  });

describe("findCycles", () => {
  test.prop([dag])("finds none in a graph without cycles", (graph) => {
    expect(findCycles(graph)).toEqual([]);
  });

  test.prop([dag, fc.nat(), fc.nat()])(
    "finds a real cycle through a back edge added to a DAG that has a path for it",
    (graph, i, j) => {
      const names = [...graph.keys()];
      const from = names[i % names.length]!;
      const to = names[j % names.length]!;
      // Is `from` reachable from `to`? Then the edge from → to closes a circle.
      const seen = new Set([to]);
      const queue = [to];
      while (queue.length > 0) {
        for (const w of graph.get(queue.shift()!)!) {
          if (seen.has(w)) continue;
          seen.add(w);
          queue.push(w);
        }
      }
      const closed = new Map(graph);
      closed.set(from, [...graph.get(from)!, to]);
      const cycles = findCycles(closed);
      if (seen.has(from)) {
        expect(cycles.length).toBe(1);
        expect(isClosedWalk(closed, cycles[0]!)).toBe(true);
        expect(cycles[0]).toContain(from);
        expect(cycles[0]).toContain(to);
      } else {
        expect(cycles).toEqual([]);
      }
    },
  );

  test("reports a self-import and keeps separate circles apart", () => {
    const graph = new Map([
      ["a", ["a"]],
      ["b", ["c"]],
      ["c", ["b", "d"]],
      ["d", []],
    ]);
    expect(findCycles(graph)).toEqual([
      ["a", "a"],
      ["b", "c", "b"],
    ]);
  });

  it("walks a chain far longer than the call stack would allow recursion", () => {
    const n = 20_000;
    const graph = new Map(
      Array.from({ length: n }, (_, i) => [`m${i}`, i + 1 < n ? [`m${i + 1}`] : ["m0"]]),
    );
    const [cycle] = findCycles(graph);
    // The length alone: an assertion on the array itself would format all of it.
    expect(cycle?.length).toBe(n + 1);
    expect(cycle?.[0]).toBe(cycle?.[n]);
  });
});

describe("a fixture package", () => {
  it("takes an existing JSON file as data, and a missing one as unresolved", () => {
    const { graph, unresolved } = readGraph(join(fixtures, "data/src"));
    expect(Object.fromEntries(graph)).toEqual({ "main.ts": [] });
    expect(unresolved).toEqual(["main.ts: ./missing.json"]);
  });

  test("reads relative imports, type-only imports and re-exports, resolving .js to .ts", () => {
    const { graph, unresolved } = readGraph(join(fixtures, "cycle/src"));
    expect(Object.fromEntries(graph)).toEqual({
      "a.ts": ["b.ts"],
      "b.ts": ["deep/index.ts"],
      "deep/index.ts": ["a.ts"],
      "leaf.ts": ["b.ts"],
    });
    expect(unresolved).toEqual([]);
  });

  test("fails on its circle, naming the path", () => {
    const problems = checkPackages([
      { name: "@mm/heap", src: join(fixtures, "cycle/src"), allowed: [] },
    ]);
    expect(problems).toEqual([
      {
        kind: "cycle",
        package: "@mm/heap",
        message: "@mm/heap: import cycle a.ts → b.ts → deep/index.ts → a.ts",
      },
    ]);
  });

  test("fails on an import up the layers and on a specifier that names no file", () => {
    const src = join(fixtures, "layered/src");
    const problems = checkPackages([
      { name: "@mm/heap", src: join(fixtures, "cycle/src"), allowed: [] },
      { name: "@mm/runtime", src: join(fixtures, "cycle/src"), allowed: "any" },
      { name: "@mm/refcount", src, allowed: ["@mm/heap"] },
    ]);
    const refcount = problems.filter((p) => p.package === "@mm/refcount");
    expect(refcount.map((p) => p.kind)).toEqual(["unresolved", "layer"]);
    expect(refcount[1]!.message).toContain("src/index.ts imports @mm/runtime");
  });

  test("fails on a package without a layer", () => {
    const problems = checkPackages([
      { name: "@mm/new", src: join(fixtures, "layered/src"), allowed: undefined },
    ]);
    expect(problems.map((p) => p.kind)).toEqual(["unresolved", "no-layer"]);
  });

  test("names workspace packages by their base name only", () => {
    const names = new Set(["@mm/heap"]);
    expect(workspacePackage("@mm/heap", names)).toBe("@mm/heap");
    expect(workspacePackage("@mm/heap/internal", names)).toBe("@mm/heap");
    expect(workspacePackage("@mm/heaps", names)).toBeUndefined();
    expect(workspacePackage("node:fs", names)).toBeUndefined();
  });
});

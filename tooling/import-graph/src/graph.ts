// Import graphs of TypeScript sources: which module imports which (relative imports, type-only
// ones included: a type import still ties two modules' declarations together), and the cycles
// in such a graph, found as strongly connected components.

import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";

/** A module graph: each file (a path relative to the graph's root) and the files it imports. */
export type ImportGraph = ReadonlyMap<string, readonly string[]>;

/** Module specifiers of one source text: imports, re-exports and `import()` of literals. */
export function specifiersOf(source: string): string[] {
  return ts.preProcessFile(source, true, true).importedFiles.map((f) => f.fileName);
}

/** Whether a specifier is relative (`./x.js`, `../y.js`): a module of the same package. */
export function isRelative(specifier: string): boolean {
  return specifier.startsWith("./") || specifier.startsWith("../");
}

/** The `.ts` file a relative specifier from `from` names, or undefined when there is none. */
export function resolveRelative(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier);
  const stem = base.replace(/\.(js|mjs|ts|mts)$/, "");
  for (const candidate of [`${stem}.ts`, `${stem}.mts`, `${stem}.tsx`, join(base, "index.ts")])
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  return undefined;
}

/**
 * Whether a relative specifier names a JSON file that exists (a package's own `package.json`,
 * read for its version): data imports nothing back, so it cannot close a cycle.
 */
export function isDataFile(from: string, specifier: string): boolean {
  if (!specifier.endsWith(".json")) return false;
  const path = resolve(dirname(from), specifier);
  return existsSync(path) && statSync(path).isFile();
}

/** Every `.ts` file under `dir`, declarations and tests' fixtures aside. */
export function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "node_modules") out.push(...sourceFiles(path));
    } else if (/\.(m?ts|tsx)$/.test(entry.name) && !entry.name.endsWith(".d.ts")) {
      out.push(path);
    }
  }
  return out.sort();
}

/** What {@link readGraph} finds in a source tree. */
export interface SourceTree {
  /** Relative imports, by file relative to the tree's root. */
  readonly graph: ImportGraph;
  /** Non-relative specifiers (packages), by file relative to the tree's root. */
  readonly external: ReadonlyMap<string, readonly string[]>;
  /** Relative specifiers that name no file, as `file: specifier`. */
  readonly unresolved: readonly string[];
}

/** Reads the import graph of every source file under `root`. */
export function readGraph(root: string): SourceTree {
  const graph = new Map<string, string[]>();
  const external = new Map<string, string[]>();
  const unresolved: string[] = [];
  for (const file of sourceFiles(root)) {
    const name = relative(root, file);
    const local: string[] = [];
    const packages: string[] = [];
    for (const specifier of specifiersOf(readFileSync(file, "utf8"))) {
      if (!isRelative(specifier)) {
        packages.push(specifier);
        continue;
      }
      if (isDataFile(file, specifier)) continue;
      const target = resolveRelative(file, specifier);
      if (target === undefined) unresolved.push(`${name}: ${specifier}`);
      else local.push(relative(root, target));
    }
    graph.set(name, [...new Set(local)]);
    external.set(name, [...new Set(packages)]);
  }
  return { graph, external, unresolved };
}

/**
 * The cycles of `graph`: one per strongly connected component that has a cycle (two or more
 * modules, or one importing itself), each given as a closed path `a → b → … → a` through
 * modules of that component, starting at its first module in sorted order.
 */
export function findCycles(graph: ImportGraph): string[][] {
  // Tarjan's algorithm, iterative so that a long chain of modules cannot overflow the stack.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let next = 0;
  const edges = (v: string) => graph.get(v) ?? [];
  for (const start of [...graph.keys()].sort()) {
    if (index.has(start)) continue;
    const work: Array<{ node: string; edge: number }> = [{ node: start, edge: 0 }];
    index.set(start, next);
    low.set(start, next++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const top = work[work.length - 1]!;
      const out = edges(top.node);
      if (top.edge < out.length) {
        const w = out[top.edge++]!;
        if (!index.has(w)) {
          index.set(w, next);
          low.set(w, next++);
          stack.push(w);
          onStack.add(w);
          work.push({ node: w, edge: 0 });
        } else if (onStack.has(w)) {
          low.set(top.node, Math.min(low.get(top.node)!, index.get(w)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(top.node)!));
      if (low.get(top.node) === index.get(top.node)) {
        const component: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.push(w);
        } while (w !== top.node);
        if (component.length > 1 || edges(top.node).includes(top.node))
          components.push(component.sort());
      }
    }
  }
  return components.map((c) => cycleThrough(graph, new Set(c), c[0]!)).sort();
}

/** A shortest closed path from `start` back to itself inside `members` (breadth first). */
function cycleThrough(graph: ImportGraph, members: ReadonlySet<string>, start: string): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const v = queue[i]!;
    for (const w of graph.get(v) ?? []) {
      if (!members.has(w)) continue;
      if (w === start) {
        const back = [start];
        for (let u = v; u !== start; u = previous.get(u)!) back.push(u);
        back.push(start);
        return back.reverse();
      }
      if (!previous.has(w)) {
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  // Unreachable for a strongly connected component; kept so a bad input is still reported.
  return [start, start];
}

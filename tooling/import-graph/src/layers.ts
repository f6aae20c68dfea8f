// The layering of the workspace's packages: what each may import of the others. The memory
// packages form a stack (heap at the bottom; the allocator, the counter and the process layout
// over it; the collectors over the counter; the runtime over all of them); applications and
// tooling may import anything.

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { findCycles, readGraph } from "./graph.js";

/** What a package may import of the workspace: the packages named, or anything. */
export type Allowed = readonly string[] | "any";

/** The workspace's layers, by package name. */
export const layers: Readonly<Record<string, Allowed>> = {
  "@mm/heap": [],
  "@mm/pool-allocator": ["@mm/heap"],
  "@mm/refcount": ["@mm/heap"],
  "@mm/layout": ["@mm/heap"],
  "@mm/gen-gc": ["@mm/heap", "@mm/refcount"],
  "@mm/runtime": ["@mm/heap", "@mm/pool-allocator", "@mm/refcount", "@mm/layout", "@mm/gen-gc"],
  // Test kits check the packages above them through contracts: heap's types at most, so that
  // every package's tests may use them without a cycle.
  "@mm/testkit": ["@mm/heap"],
  // The Python front end is a client of the runtime's embedding API.
  "@mm/python": ["@mm/heap", "@mm/runtime"],
  // Pictures and their data read every layer's results; only applications sit above them.
  "@mm/views": [
    "@mm/heap",
    "@mm/pool-allocator",
    "@mm/refcount",
    "@mm/layout",
    "@mm/gen-gc",
    "@mm/runtime",
  ],
};

/** The folders whose packages are applications or tooling: they may import anything. */
export const unlayeredFolders: readonly string[] = ["apps", "tooling"];

/** One thing the check found wrong. */
export interface Problem {
  readonly kind: "cycle" | "layer" | "unresolved" | "no-layer";
  /** The package's name. */
  readonly package: string;
  readonly message: string;
}

/** A package of the workspace, as the check sees it. */
export interface PackageInfo {
  readonly name: string;
  /** Its `src` folder. */
  readonly src: string;
  /** What it may import of the workspace. */
  readonly allowed: Allowed | undefined;
}

/** The package in `dir`, when it has a manifest and a `src` folder. */
export function readPackage(dir: string, unlayered: boolean): PackageInfo | undefined {
  const manifest = join(dir, "package.json");
  const src = join(dir, "src");
  if (!existsSync(manifest) || !existsSync(src)) return undefined;
  const name = (JSON.parse(readFileSync(manifest, "utf8")) as { name: string }).name;
  return { name, src, allowed: unlayered ? "any" : layers[name] };
}

/** The workspace package a specifier names (`@mm/heap/sub` names `@mm/heap`), or undefined. */
export function workspacePackage(
  specifier: string,
  names: ReadonlySet<string>,
): string | undefined {
  const [scope, name] = specifier.split("/");
  const base = scope?.startsWith("@") ? `${scope}/${name}` : scope;
  return base !== undefined && names.has(base) ? base : undefined;
}

/**
 * Checks packages: no import cycle inside any package's `src`, no relative import that names no
 * file, and no import of a workspace package its layer does not allow. A package under a layered
 * folder that is missing from {@link layers} is itself a problem: its place must be decided.
 */
export function checkPackages(packages: readonly PackageInfo[]): Problem[] {
  const problems: Problem[] = [];
  const names = new Set(packages.map((p) => p.name));
  for (const pkg of packages) {
    const tree = readGraph(pkg.src);
    for (const cycle of findCycles(tree.graph)) {
      problems.push({
        kind: "cycle",
        package: pkg.name,
        message: `${pkg.name}: import cycle ${cycle.join(" → ")}`,
      });
    }
    for (const missing of tree.unresolved) {
      problems.push({
        kind: "unresolved",
        package: pkg.name,
        message: `${pkg.name}: ${missing} names no source file`,
      });
    }
    if (pkg.allowed === undefined) {
      problems.push({
        kind: "no-layer",
        package: pkg.name,
        message: `${pkg.name} has no layer: add it to the table in tooling/import-graph/src/layers.ts`,
      });
      continue;
    }
    if (pkg.allowed === "any") continue;
    for (const [file, specifiers] of tree.external) {
      for (const specifier of specifiers) {
        const target = workspacePackage(specifier, names);
        if (target === undefined || target === pkg.name || pkg.allowed.includes(target)) continue;
        problems.push({
          kind: "layer",
          package: pkg.name,
          message: `${pkg.name}: src/${file} imports ${target}, which its layer does not allow (allowed: ${pkg.allowed.join(", ") || "nothing of the workspace"})`,
        });
      }
    }
  }
  return problems;
}

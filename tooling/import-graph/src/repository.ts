// The check over this repository: every package under packages/, apps/ and tooling/.

import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import {
  checkPackages,
  type PackageInfo,
  type Problem,
  readPackage,
  unlayeredFolders,
} from "./layers.js";

/** The packages of the workspace rooted at `root`, in folder order. */
export function workspacePackages(root: string): PackageInfo[] {
  const out: PackageInfo[] = [];
  for (const folder of ["packages", ...unlayeredFolders]) {
    const dir = join(root, folder);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) {
      const pkg = readPackage(join(dir, name), unlayeredFolders.includes(folder));
      if (pkg) out.push(pkg);
    }
  }
  return out;
}

/** Every problem of the workspace rooted at `root` (none when the graph is sound). */
export function checkRepository(root: string): Problem[] {
  return checkPackages(workspacePackages(root));
}

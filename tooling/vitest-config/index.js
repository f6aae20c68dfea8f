// Shared vitest settings: every project resolves @mm/* imports to the packages' sources (tests
// run against src/, not dist/), and fast-check reads its run count and seed from the
// environment so a failing property can be replayed.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Aliases from each workspace package name to its src/index.ts. */
function workspaceAliases() {
  const aliases = {};
  for (const group of ["packages", "tooling", "apps"]) {
    const dir = join(root, group);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      const manifest = join(dir, name, "package.json");
      const entry = join(dir, name, "src", "index.ts");
      if (!existsSync(manifest) || !existsSync(entry)) continue;
      aliases[JSON.parse(readFileSync(manifest, "utf8")).name] = entry;
    }
  }
  return aliases;
}

/**
 * The vitest project of the package in `dir`.
 * @param {string} dir the package directory (pass `import.meta.dirname`)
 * @param {import("vitest/config").UserConfig["test"]} [test] extra test options
 */
export function defineMmProject(dir, test = {}) {
  return {
    resolve: { alias: workspaceAliases() },
    test: {
      name: basename(dir),
      root: dir,
      include: ["test/**/*.test.ts"],
      setupFiles: [join(root, "tooling/vitest-config/fast-check-setup.js")],
      testTimeout: 120_000,
      hookTimeout: 120_000,
      ...test,
    },
  };
}

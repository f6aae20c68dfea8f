// Shared vitest settings: every project resolves @mm/* imports to the packages' sources (tests
// run against src/, not dist/), fast-check reads its run count and seed from the environment so
// a failing property can be replayed, and python3 (the reference interpreter of many tests)
// starts without a version manager's launcher in between.

import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, realpathSync } from "node:fs";
import { basename, delimiter, dirname, join, resolve } from "node:path";
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

/** The first `name` on `path`, or undefined. */
function onPath(name, path) {
  for (const dir of path.split(delimiter)) {
    if (dir !== "" && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/**
 * The test environment's PATH when the `python3` on PATH is not the interpreter itself but a
 * version manager's launcher (a shell script that looks up the version and execs it, some 50 ms
 * a start, more than the interpreter's own start): PATH with the interpreter's directory first,
 * so that the thousands of python3 runs of the tests start it directly. The same interpreter
 * runs either way (its `sys.executable` is the launcher's target). Empty when PATH already
 * leads to it, or when there is no python3.
 * @returns {Record<string, string>}
 */
function directPythonEnv() {
  const path = process.env.PATH ?? "";
  const launcher = onPath("python3", path);
  if (launcher === undefined) return {};
  const run = spawnSync(launcher, ["-c", "import sys; print(sys.executable)"], {
    encoding: "utf8",
  });
  const executable = run.status === 0 ? run.stdout.trim() : "";
  if (executable === "" || !existsSync(executable)) return {};
  if (realpathSync(launcher) === realpathSync(executable)) return {};
  if (!existsSync(join(dirname(executable), "python3"))) return {};
  return { PATH: `${dirname(executable)}${delimiter}${path}` };
}

let pythonEnv;

/**
 * The vitest project of the package in `dir`.
 * @param {string} dir the package directory (pass `import.meta.dirname`)
 * @param {import("vitest/config").UserConfig["test"]} [test] extra test options
 */
export function defineMmProject(dir, test = {}) {
  pythonEnv ??= directPythonEnv();
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
      env: { ...pythonEnv, ...test.env },
    },
  };
}

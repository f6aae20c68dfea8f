// The CLI's tests run `node dist/mm.js` as a user would, so dist/mm.js must be built from the
// sources as they are now: a test run started on its own (`npx vitest run`, not through turbo's
// build-then-test) would otherwise test whatever build was left behind, and a stale build could
// pass. Before any test runs, the sources that go into the bundle (this app's and every
// workspace package's, with the build's configuration) are hashed, and the bundle is rebuilt
// with tsup unless dist/ holds the hash of exactly these sources.

import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, relative } from "node:path";

const app = join(import.meta.dirname, "..");
const root = join(app, "..", "..");
/**
 * Where the hash of the sources dist/mm.js was built from is kept: not in dist/, which is
 * packed and published, and which the build empties first.
 */
export const SOURCES_HASH = join(app, "node_modules", ".cache", "mm-cli-tests", "sources.sha256");

/** Every file under `dir`, sorted, skipping build output and dependencies. */
function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name === "node_modules" || name === "dist") continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...files(path));
    else out.push(path);
  }
  return out;
}

/** The inputs of the CLI's bundle: sources, manifests and build configuration. */
function inputs(): string[] {
  const list = [
    join(root, "tsconfig.base.json"),
    join(app, "tsup.config.ts"),
    join(app, "package.json"),
    ...files(join(app, "src")),
  ];
  for (const group of ["packages", "tooling"]) {
    for (const name of readdirSync(join(root, group)).sort()) {
      const pkg = join(root, group, name);
      if (existsSync(join(pkg, "package.json"))) list.push(join(pkg, "package.json"));
      list.push(...files(join(pkg, "src")));
    }
  }
  return list;
}

/** The SHA-256 of the bundle's inputs, names and contents. */
export function sourcesHash(): string {
  const hash = createHash("sha256");
  for (const file of inputs()) {
    hash.update(relative(root, file));
    hash.update("\0");
    hash.update(readFileSync(file));
    hash.update("\0");
  }
  return hash.digest("hex");
}

/** vitest's global setup: builds dist/mm.js unless it is already built from these sources. */
export default function setup(): void {
  const hash = sourcesHash();
  const built = existsSync(SOURCES_HASH) ? readFileSync(SOURCES_HASH, "utf8").trim() : "";
  if (built === hash && existsSync(join(app, "dist", "mm.js"))) return;
  // Built beside dist/ and renamed over dist/mm.js in one step: other packages' tests (the
  // example collector's) run the CLI while these start, and the build empties its output
  // directory first.
  const staging = join(app, "node_modules", ".cache", "mm-cli-tests", "dist");
  const tsup = spawnSync(
    join(app, "node_modules", ".bin", "tsup"),
    ["--silent", "--out-dir", staging],
    { cwd: app, encoding: "utf8" },
  );
  if (tsup.status !== 0)
    throw new Error(`building the CLI for its tests failed:\n${tsup.stdout}${tsup.stderr}`);
  mkdirSync(join(app, "dist"), { recursive: true });
  renameSync(join(staging, "mm.js"), join(app, "dist", "mm.js"));
  mkdirSync(dirname(SOURCES_HASH), { recursive: true });
  writeFileSync(SOURCES_HASH, `${hash}\n`);
}

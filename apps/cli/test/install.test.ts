// The CLI installs as a command: `npm pack` of this package and `npm i -g` of the tarball into
// a fresh prefix give a working `mm`. Every @mm package is bundled into dist/mm.js, so the
// tarball has no dependency to resolve and the install needs no registry (it runs --offline).

import { execFileSync, spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { cleanEnv, TRACES, tempDir } from "./support.js";

const here = join(import.meta.dirname, "..");

/** This environment without the npm settings a parent `pnpm run` exports. */
function npmEnv(cache: string): NodeJS.ProcessEnv {
  const env = cleanEnv();
  for (const key of Object.keys(env)) if (key.toLowerCase().startsWith("npm_")) delete env[key];
  return { ...env, npm_config_cache: cache, npm_config_update_notifier: "false" };
}

it("npm pack, then npm i -g of the tarball, gives an mm that runs", () => {
  const dir = tempDir();
  const env = npmEnv(join(dir, "cache"));
  const npm = (args: string[], cwd: string) =>
    execFileSync("npm", args, { cwd, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

  npm(["pack", "--pack-destination", dir, "--silent"], here);
  const tarball = readdirSync(dir).find((f) => f.endsWith(".tgz"));
  expect(tarball).toBe("mm-cli-0.0.0.tgz");

  // What the tarball holds: the bundle, and a manifest with nothing left to install.
  const listing = execFileSync("tar", ["-tzf", join(dir, tarball!)], { encoding: "utf8" });
  expect(listing).toContain("package/dist/mm.js");
  const packed = JSON.parse(
    execFileSync("tar", ["-xzOf", join(dir, tarball!), "package/package.json"], {
      encoding: "utf8",
    }),
  ) as { dependencies?: Record<string, string>; bin: Record<string, string> };
  expect(packed.dependencies ?? {}).toEqual({});
  expect(packed.bin).toEqual({ mm: "./dist/mm.js" });

  const prefix = join(dir, "prefix");
  npm(
    [
      "install",
      "--global",
      "--prefix",
      prefix,
      "--offline",
      "--no-audit",
      "--no-fund",
      join(dir, tarball!),
    ],
    dir,
  );
  const bin = join(prefix, "bin", "mm");
  const run = (args: string[]) =>
    spawnSync(bin, args, { cwd: dir, env: cleanEnv(), encoding: "utf8" });

  const version = JSON.parse(readFileSync(join(here, "package.json"), "utf8")).version as string;
  expect(run(["--version"])).toMatchObject({ status: 0, stdout: `${version}\n`, stderr: "" });
  const help = run(["help", "run"]);
  expect(help.status).toBe(0);
  expect(help.stdout.startsWith("mm run TRACE.jsonl")).toBe(true);
  // A command that works the runtime, away from the repository's node_modules.
  const ran = run(["run", join(TRACES, "cycle-generations.jsonl"), "--json"]);
  expect(ran.status).toBe(0);
  expect(JSON.parse(ran.stdout)).toMatchObject({ objects: { leaked: 0 } });
}, 60_000);

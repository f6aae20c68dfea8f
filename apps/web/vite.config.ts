import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { defineConfig } from "vite";

const root = resolve(import.meta.dirname, "../..");

/** Each workspace package by its name, to its sources: the page is built from src/, as tested. */
function workspaceAliases(): Record<string, string> {
  const aliases: Record<string, string> = {};
  for (const group of ["packages", "tooling"]) {
    for (const name of readdirSync(join(root, group))) {
      const manifest = join(root, group, name, "package.json");
      const entry = join(root, group, name, "src", "index.ts");
      if (!existsSync(manifest) || !existsSync(entry)) continue;
      aliases[(JSON.parse(readFileSync(manifest, "utf8")) as { name: string }).name] = entry;
    }
  }
  return aliases;
}

// Relative asset paths, so that the built site works from any directory of any static server.
export default defineConfig({
  base: "./",
  resolve: { alias: workspaceAliases() },
  build: { target: "es2022", outDir: "dist", emptyOutDir: true, chunkSizeWarningLimit: 2048 },
  worker: { format: "es" },
});

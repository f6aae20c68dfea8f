import { join } from "node:path";
import { defineMmProject } from "@mm/vitest-config";
import { defineConfig } from "vitest/config";

// The README imports this package by its name: resolve it to the sources, as the @mm/* are.
const project = defineMmProject(import.meta.dirname);
export default defineConfig({
  ...project,
  resolve: {
    alias: {
      ...(project.resolve?.alias as Record<string, string>),
      "@mm/example-mark-sweep-collector": join(import.meta.dirname, "src", "index.ts"),
    },
  },
});

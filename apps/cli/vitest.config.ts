import { defineMmProject } from "@mm/vitest-config";
import { defineConfig } from "vitest/config";

// The tests mostly wait on the CLI's child processes, so three workers keep two cores busy.
// They run dist/mm.js, which the global setup first rebuilds from the current sources.
export default defineConfig(
  defineMmProject(import.meta.dirname, {
    maxWorkers: 3,
    globalSetup: ["./test/build-from-sources.ts"],
  }),
);

import { defineMmProject } from "@mm/vitest-config";
import { defineConfig } from "vitest/config";

// The tests mostly wait on the CLI's child processes, so three workers keep two cores busy.
export default defineConfig(defineMmProject(import.meta.dirname, { maxWorkers: 3 }));

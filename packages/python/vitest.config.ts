import { defineMmProject } from "@mm/vitest-config";
import { defineConfig } from "vitest/config";

// Two test files at a time even on a 2-core machine (vitest's default is one fewer than the
// cores): this package's suite is the longest of the repository's, and with one worker it
// left a core idle for the last quarter of a run.
export default defineConfig(defineMmProject(import.meta.dirname, { maxWorkers: 2 }));

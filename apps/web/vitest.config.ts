import { defineMmProject } from "@mm/vitest-config";
import { defineConfig } from "vitest/config";

export default defineConfig(defineMmProject(import.meta.dirname, { maxWorkers: 2 }));

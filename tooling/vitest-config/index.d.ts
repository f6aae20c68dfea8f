import type { UserConfig } from "vitest/config";

/** The vitest project of the package in `dir` (pass `import.meta.dirname`). */
export declare function defineMmProject(dir: string, test?: UserConfig["test"]): UserConfig;

import type { Options } from "tsup";

/** The tsup options of a published @mm package, built from `src/index.ts`. */
export declare function mmLibrary(overrides?: Options): Options;

/** The factor `MM_FC_RUNS` sets: a positive number, 1 when unset or empty. */
export declare function fcRunsFactor(env?: Record<string, string | undefined>): number;
/** `runs` scaled by `MM_FC_RUNS`, rounded, at least 1: write `numRuns: fcRuns(1000)`. */
export declare function fcRuns(runs: number, env?: Record<string, string | undefined>): number;
/** The seed `MM_FC_SEED` sets, or `undefined`. */
export declare function fcSeed(env?: Record<string, string | undefined>): number | undefined;

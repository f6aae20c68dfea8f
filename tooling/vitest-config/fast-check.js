// The run count and seed of every fast-check property in the workspace. MM_FC_RUNS is a factor
// applied to each property's own run count (`numRuns: fcRuns(1000)`) and to the default of 100;
// MM_FC_SEED replays a failing run from the seed it printed. @mm/testkit reads the two variables
// the same way for its properties (its tests check that the two agree).

/**
 * The factor MM_FC_RUNS sets: a positive number, 1 when unset or empty.
 * @param {Record<string, string | undefined>} [env]
 * @returns {number}
 */
export function fcRunsFactor(env = process.env) {
  const text = env.MM_FC_RUNS;
  if (text === undefined || text.trim() === "") return 1;
  const factor = Number(text);
  if (!Number.isFinite(factor) || factor <= 0) {
    throw new Error(
      `MM_FC_RUNS=${JSON.stringify(text)} is not a positive number (a factor of runs)`,
    );
  }
  return factor;
}

/**
 * `runs` scaled by MM_FC_RUNS, rounded, at least 1: write `numRuns: fcRuns(1000)`.
 * @param {number} runs the property's own run count
 * @param {Record<string, string | undefined>} [env]
 * @returns {number}
 */
export function fcRuns(runs, env = process.env) {
  return Math.max(1, Math.round(runs * fcRunsFactor(env)));
}

/**
 * The seed MM_FC_SEED sets, or undefined.
 * @param {Record<string, string | undefined>} [env]
 * @returns {number | undefined}
 */
export function fcSeed(env = process.env) {
  const text = env.MM_FC_SEED;
  if (text === undefined || text.trim() === "") return undefined;
  const seed = Number(text);
  if (!Number.isSafeInteger(seed)) {
    throw new Error(`MM_FC_SEED=${JSON.stringify(text)} is not an integer seed`);
  }
  return seed;
}

// How many runs a property makes and from which seed, read from the options and the environment,
// so that one variable scales every property of a test suite and another replays a failure.

import type fc from "fast-check";

/** Options shared by the properties of this package. */
export interface RunOptions {
  /**
   * Command sequences to try, before `MM_FC_RUNS` scales it.
   * @defaultValue `100`
   */
  readonly runs?: number;
  /**
   * The seed of the first run. `MM_FC_SEED` takes precedence, so a failure printed by any run
   * can be replayed without editing the test.
   * @defaultValue fast-check's (a new seed each time, unless configured globally)
   */
  readonly seed?: number;
}

/** Thrown when `MM_FC_RUNS` or `MM_FC_SEED` holds something that is not a usable number. */
export class EnvironmentSettingError extends Error {
  override readonly name = "EnvironmentSettingError";
  /** The variable that was read. */
  readonly variable: string;
  /** Its text. */
  readonly value: string;
  constructor(variable: string, value: string, expected: string) {
    super(`${variable}=${JSON.stringify(value)} is not ${expected}`);
    this.variable = variable;
    this.value = value;
  }
}

/** The variables this package reads, from `process.env` where there is one. */
export type Environment = Readonly<Record<string, string | undefined>>;

function processEnv(): Environment {
  // Read through globalThis so that the package also loads where there is no `process`.
  const proc = (globalThis as { process?: { env?: Environment } }).process;
  return proc?.env ?? {};
}

/**
 * The factor `MM_FC_RUNS` sets: a positive number (`10` runs ten times as many sequences as
 * each property asks for, `0.1` a tenth of them). Unset or empty, it is 1.
 * @throws EnvironmentSettingError when it is set to anything else.
 */
export function runsFactor(env: Environment = processEnv()): number {
  const text = env.MM_FC_RUNS;
  if (text === undefined || text.trim() === "") return 1;
  const factor = Number(text);
  if (!Number.isFinite(factor) || factor <= 0) {
    throw new EnvironmentSettingError("MM_FC_RUNS", text, "a positive number (a factor of runs)");
  }
  return factor;
}

/**
 * `runs` scaled by `MM_FC_RUNS`, rounded, and at least 1.
 * @throws EnvironmentSettingError when `MM_FC_RUNS` is not a positive number.
 */
export function scaledRuns(runs: number, env: Environment = processEnv()): number {
  return Math.max(1, Math.round(runs * runsFactor(env)));
}

/**
 * The seed `MM_FC_SEED` sets (an integer, as fast-check prints it), or `undefined`.
 * @throws EnvironmentSettingError when it is set to anything else.
 */
export function seedFromEnvironment(env: Environment = processEnv()): number | undefined {
  const text = env.MM_FC_SEED;
  if (text === undefined || text.trim() === "") return undefined;
  const seed = Number(text);
  if (!Number.isSafeInteger(seed)) {
    throw new EnvironmentSettingError("MM_FC_SEED", text, "an integer seed");
  }
  return seed;
}

/**
 * The fast-check parameters of a property run with `options`: `numRuns` is `options.runs`
 * (default 100) times `MM_FC_RUNS`, the seed is `MM_FC_SEED`, else `options.seed`, and the
 * report includes the error that the shrunk counterexample raised.
 * @throws EnvironmentSettingError when either variable holds something unusable.
 */
export function propertyParameters<T>(
  options: RunOptions = {},
  env: Environment = processEnv(),
): fc.Parameters<T> {
  const seed = seedFromEnvironment(env) ?? options.seed;
  return {
    numRuns: scaledRuns(options.runs ?? 100, env),
    includeErrorInReport: true,
    ...(seed !== undefined ? { seed } : {}),
  };
}

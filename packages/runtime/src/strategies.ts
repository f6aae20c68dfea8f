// The memory-management strategy of a runtime: a gen-gc `Collector` made by the factory the
// registry holds under the configured name. The object layer, the facades and the trace runner
// call the same members whatever the collector, so none of them asks which one it runs on.

import type { Collector, CollectorDefinition, CollectorHost } from "@mm/gen-gc";
import { ConfigError } from "./errors.js";

/** What every strategy does for the runtime: gen-gc's {@link Collector} contract. */
export type Strategy = Collector;

/** Everything a strategy needs from the runtime: gen-gc's {@link CollectorHost}. */
export type StrategyContext = CollectorHost;

/** The members a runtime calls on its strategy: a made collector must have every one. */
const METHODS = [
  "allocate",
  "track",
  "untrack",
  "isTracked",
  "isFinalized",
  "incref",
  "decref",
  "release",
  "collect",
  "enable",
  "disable",
  "isEnabled",
  "getCount",
  "getThreshold",
  "setThreshold",
  "getStats",
  "setDebug",
  "getDebug",
  "freeze",
  "unfreeze",
  "getFreezeCount",
  "getObjects",
  "getReferrers",
  "addUntrackRule",
  "verify",
] as const satisfies ReadonlyArray<keyof Collector>;

/**
 * Makes the strategy of `definition` over `context`, and checks that what its factory made is
 * a collector.
 * @throws ConfigError naming what is missing when the factory returns something else (or
 *   whatever the factory itself throws).
 */
export function createStrategy(
  definition: CollectorDefinition,
  context: StrategyContext,
): Strategy {
  const made: unknown = definition.create(context);
  const what = `collector '${definition.name}': create() returned`;
  if (typeof made !== "object" || made === null) {
    throw new ConfigError(`${what} ${made === null ? "null" : typeof made}, not a Collector`);
  }
  const collector = made as Record<string, unknown>;
  for (const method of METHODS) {
    if (typeof collector[method] !== "function") {
      throw new ConfigError(`${what} an object without a ${method}() method, not a Collector`);
    }
  }
  for (const member of ["rc", "garbage", "callbacks", "history"] as const) {
    if (typeof collector[member] !== "object" || collector[member] === null) {
      throw new ConfigError(`${what} an object without ${member}, not a Collector`);
    }
  }
  if (collector.rc !== undefined && (collector.rc as { space?: unknown }).space !== context.space) {
    throw new ConfigError(`${what} a collector whose rc counts another object space`);
  }
  return made as Strategy;
}

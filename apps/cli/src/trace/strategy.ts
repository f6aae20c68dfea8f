// The strategy options every trace command takes (--collector, --allocator, --preset), checked
// with messages that name the option, and turned into the runtime's options.

import type { AllocatorName, CollectorName, PresetName, RuntimeOptions } from "@mm/runtime";
import { oneOf } from "../command.js";
import type { Io } from "../io.js";

/** Every collector, in the order comparisons list them. */
export const COLLECTORS: readonly CollectorName[] = ["cpython", "refcount", "tracing", "none"];
/** `--allocator` values: the allocator, optionally with CPython's debug hooks (as PYTHONMALLOC). */
export const ALLOCATORS = ["pymalloc", "malloc", "pymalloc_debug", "malloc_debug"] as const;
/** CPython versions whose collector numbers the runtime pins. */
export const PRESETS: readonly PresetName[] = ["3.11", "3.13"];

/** The parseArgs options for a strategy. */
export const strategyOptions = {
  collector: { type: "string", short: "c" },
  allocator: { type: "string", short: "a" },
  preset: { type: "string", short: "p" },
} as const;

/** Help lines for {@link strategyOptions}. */
export const strategyHelp = `  -c, --collector NAME   cpython (default), refcount, tracing or none
  -a, --allocator NAME   pymalloc (default), malloc, pymalloc_debug or malloc_debug
                         (the _debug ones add CPython's debug hooks, as PYTHONMALLOC does)
  -p, --preset VERSION   3.11 (default) or 3.13: the cpython collector's thresholds`;

/**
 * Runtime options from the strategy flags. Flags not given are left out, so the runtime's
 * own defaults and `MM_COLLECTOR`/`MM_ALLOCATOR` apply.
 * @throws UsageError for a value that is not a choice
 */
export function runtimeOptions(
  values: {
    readonly collector?: string | undefined;
    readonly allocator?: string | undefined;
    readonly preset?: string | undefined;
  },
  command: string,
  io: Io,
): RuntimeOptions {
  const collector = oneOf(values.collector, COLLECTORS, "--collector", command);
  const allocator = oneOf(values.allocator, ALLOCATORS, "--allocator", command);
  const preset = oneOf(values.preset, PRESETS, "--preset", command);
  return {
    env: io.env,
    log: (line) => io.stderr.write(`${line}\n`),
    ...(collector ? { collector } : {}),
    ...(allocator
      ? {
          allocator: allocator.replace("_debug", "") as AllocatorName,
          debugHooks: allocator.endsWith("_debug"),
        }
      : {}),
    ...(preset ? { preset } : {}),
  };
}

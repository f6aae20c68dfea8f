// The strategy options every trace command takes (--collector, --allocator, --preset), checked
// with messages that name the option, and turned into the runtime's options.

import {
  type AllocatorName,
  defaultRegistry,
  type PresetName,
  type RuntimeOptions,
  type StrategyRegistry,
} from "@mm/runtime";
import { oneOf } from "../command.js";
import type { Io } from "../io.js";

/**
 * `--allocator` values: each registered allocator, and each with CPython's debug hooks
 * (`_debug`, as PYTHONMALLOC has them).
 */
export function allocatorChoices(registry: StrategyRegistry): string[] {
  const names = registry.allocatorNames();
  return [...names, ...names.map((n) => `${n}_debug`)];
}

/** "a, b or c". */
function either(names: readonly string[]): string {
  return names.length < 2
    ? names.join("")
    : `${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}`;
}

/** CPython versions whose collector numbers the runtime pins. */
export const PRESETS: readonly PresetName[] = ["3.11", "3.13"];

/** The parseArgs options for a strategy. */
export const strategyOptions = {
  collector: { type: "string", short: "c" },
  allocator: { type: "string", short: "a" },
  preset: { type: "string", short: "p" },
} as const;

/** Help lines for {@link strategyOptions}. */
export const strategyHelp = `  -c, --collector NAME   ${either(defaultRegistry.collectorNames()).replace("cpython", "cpython (default)")}
  -a, --allocator NAME   ${either(allocatorChoices(defaultRegistry)).replace("pymalloc", "pymalloc (default)")}
                         (the _debug ones add CPython's debug hooks, as PYTHONMALLOC does)
  -p, --preset VERSION   3.11 (default) or 3.13: the cpython collector's thresholds`;

/**
 * Runtime options from the strategy flags, with names looked up in `registry` (the built-in
 * strategies unless modules added more). Flags not given are left out, so the runtime's own
 * defaults and `MM_COLLECTOR`/`MM_ALLOCATOR` apply.
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
  registry: StrategyRegistry = defaultRegistry,
): RuntimeOptions {
  const collector = oneOf(values.collector, registry.collectorNames(), "--collector", command);
  const allocator = oneOf(values.allocator, allocatorChoices(registry), "--allocator", command);
  const preset = oneOf(values.preset, PRESETS, "--preset", command);
  return {
    env: io.env,
    registry,
    log: (line) => io.stderr.write(`${line}\n`),
    ...(collector ? { collector } : {}),
    ...(allocator
      ? {
          allocator: allocator.replace(/_debug$/, "") as AllocatorName,
          debugHooks: allocator.endsWith("_debug"),
        }
      : {}),
    ...(preset ? { preset } : {}),
  };
}

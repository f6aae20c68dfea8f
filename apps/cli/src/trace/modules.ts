// Collectors and allocators from ES modules (--collector-module FILE, --allocator-module FILE):
// each module is imported, its definition found and registered beside the built-in strategies,
// so that --collector, --allocator and `mm compare` take its name like any other.
//
// A collector module exports its definition, `{ name, capabilities, create(host) }` (a gen-gc
// `CollectorDefinition`), as its default export or as `collector`; an allocator module exports
// `{ name, create(host) }` (the runtime's `AllocatorDefinition`) as its default export or as
// `allocator`.

import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { RegistryError, StrategyRegistry } from "@mm/runtime";
import { UsageError } from "../errors.js";
import type { Io } from "../io.js";

/** The parseArgs options that load strategies from modules (each may be given more than once). */
export const moduleOptions = {
  "collector-module": { type: "string", multiple: true },
  "allocator-module": { type: "string", multiple: true },
} as const;

/** Help lines for {@link moduleOptions}. */
export const moduleHelp = `      --collector-module FILE
                         load a collector from an ES module (default export or 'collector':
                         { name, capabilities, create(host) }) and make its name a choice
      --allocator-module FILE
                         load an allocator from an ES module (default export or 'allocator':
                         { name, create(host) })`;

/** What {@link loadStrategies} returns. */
export interface LoadedStrategies {
  /** The built-in strategies and the loaded ones. */
  readonly registry: StrategyRegistry;
  /** The names of the collectors loaded, in the order given. */
  readonly collectors: readonly string[];
  /** The names of the allocators loaded, in the order given. */
  readonly allocators: readonly string[];
}

/**
 * Imports the modules named by `--collector-module` and `--allocator-module` and registers
 * what they export in a registry of the built-in strategies.
 * @throws UsageError (one line, naming the file) for a file that is missing or not a module,
 *   a module that throws while loading, or one that exports no definition of the right shape
 */
export async function loadStrategies(
  values: {
    readonly "collector-module"?: readonly string[] | undefined;
    readonly "allocator-module"?: readonly string[] | undefined;
  },
  command: string,
  io: Io,
): Promise<LoadedStrategies> {
  const registry = StrategyRegistry.withBuiltins();
  const collectors: string[] = [];
  const allocators: string[] = [];
  for (const file of values["collector-module"] ?? []) {
    const definition = await definitionOf(file, "collector", command, io);
    register(() => registry.registerCollector(definition as never), file, command);
    collectors.push((definition as { name: string }).name);
  }
  for (const file of values["allocator-module"] ?? []) {
    const definition = await definitionOf(file, "allocator", command, io);
    register(() => registry.registerAllocator(definition as never), file, command);
    allocators.push((definition as { name: string }).name);
  }
  return { registry, collectors, allocators };
}

function register(action: () => void, file: string, command: string): void {
  try {
    action();
  } catch (error) {
    if (error instanceof RegistryError) throw new UsageError(`${file}: ${error.message}`, command);
    throw error;
  }
}

/** The module's definition export: `default`, else the named export of its kind. */
async function definitionOf(
  file: string,
  kind: "collector" | "allocator",
  command: string,
  io: Io,
): Promise<unknown> {
  const path = resolve(io.cwd, file);
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw new UsageError(`--${kind}-module: no such file '${file}'`, command);
  }
  let namespace: Record<string, unknown>;
  try {
    namespace = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (error) {
    const why = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new UsageError(`--${kind}-module: '${file}' could not be loaded: ${why}`, command);
  }
  const definition = namespace.default ?? namespace[kind];
  if (typeof definition !== "object" || definition === null) {
    const shape =
      kind === "collector" ? "{ name, capabilities, create(host) }" : "{ name, create(host) }";
    throw new UsageError(
      `--${kind}-module: '${file}' exports no ${kind}: export ${shape} as default or as '${kind}'`,
      command,
    );
  }
  return definition;
}

// Resolving a runtime's configuration from its options and the environment, and refusing the
// combinations that cannot work, with a message that says why.

import type { CollectorDefinition } from "@mm/gen-gc";
import { MAX_MEMORY_BYTES } from "@mm/heap";
import type { ElfImage, FileIdentity } from "@mm/layout";
import type { AllocatorName, CollectorName, PresetName, RuntimeOptions } from "./api.js";
import { ConfigError } from "./errors.js";
import { type AllocatorDefinition, defaultRegistry, type StrategyRegistry } from "./registry.js";

/** A configuration with every choice made. */
export interface ResolvedConfig {
  readonly heapBytes: number;
  readonly reserveHeap: boolean;
  /** Where the reference counter's in-place deaths run (`RuntimeOptions.releases`). */
  readonly releases: "wasm" | "js";
  readonly allocator: AllocatorName;
  readonly debugHooks: boolean;
  readonly collector: CollectorName;
  readonly preset: PresetName;
  /** The process to live in, or undefined for a bare heap. */
  readonly process: ResolvedProcess | undefined;
  readonly recursionLimit: number;
  readonly tracingBytes: number;
  /** Stress mode: a collection at every allocation, every structure verified after every op. */
  readonly stress: boolean;
  /** Under stress, ops between two verifications (1: after every op). */
  readonly stressVerifyEvery: number;
  /** The registry the names were found in. */
  readonly registry: StrategyRegistry;
  /** The collector's registered definition (its factory and capabilities). */
  readonly collectorDefinition: CollectorDefinition;
  /** The allocator's registered definition. */
  readonly allocatorDefinition: AllocatorDefinition;
}

/** A process specification with every choice made. */
export interface ResolvedProcess extends FileIdentity {
  readonly pid: number;
  readonly stackBytes: number;
  readonly constants: readonly string[];
  readonly elf: ElfImage | undefined;
}

const PRESETS: readonly PresetName[] = ["3.11", "3.13"];
/** The least heap the pymalloc stack can live in: one 1 MiB arena and the free store. */
const MIN_HEAP = 4 << 20;

/** Applies the environment and the defaults, then checks the result. */
export function resolveConfig(options: RuntimeOptions): ResolvedConfig {
  const env = options.env ?? (typeof process !== "undefined" ? process.env : {});
  const registry = options.registry ?? defaultRegistry;
  let allocator = options.allocator;
  let debugHooks = options.debugHooks;
  const fromEnv = env.MM_ALLOCATOR;
  if (fromEnv !== undefined && fromEnv !== "") {
    const parsed = parseMalloc(fromEnv, registry);
    if (!parsed) {
      const names = registry.allocatorNames();
      const values = ["default", "debug", ...names, ...names.map((n) => `${n}_debug`)];
      throw new ConfigError(
        `MM_ALLOCATOR=${fromEnv} is not one of ${values.join(", ")} (it works as PYTHONMALLOC does)`,
      );
    }
    allocator ??= parsed[0];
    debugHooks ??= parsed[1];
  }
  let collector = options.collector;
  const collectorEnv = env.MM_COLLECTOR;
  if (collectorEnv !== undefined && collectorEnv !== "") {
    if (!registry.collector(collectorEnv)) {
      throw new ConfigError(
        `MM_COLLECTOR=${collectorEnv} is not one of ${registry.collectorNames().join(", ")}`,
      );
    }
    collector ??= collectorEnv as CollectorName;
  }
  let stress = options.stress;
  const stressEnv = env.MM_GC_STRESS;
  if (stressEnv !== undefined && stressEnv !== "") {
    if (stressEnv !== "0" && stressEnv !== "1") {
      throw new ConfigError(`MM_GC_STRESS=${stressEnv} is not 0 or 1`);
    }
    stress ??= stressEnv === "1";
  }
  let releases = options.releases;
  const releasesEnv = env.MM_RELEASES;
  if (releasesEnv !== undefined && releasesEnv !== "") {
    if (releasesEnv !== "wasm" && releasesEnv !== "js") {
      throw new ConfigError(`MM_RELEASES=${releasesEnv} is not wasm or js`);
    }
    releases ??= releasesEnv;
  }
  const collectorName = collector ?? "cpython";
  const allocatorName = allocator ?? "pymalloc";
  const allocatorDefinition = registry.allocator(allocatorName);
  if (!allocatorDefinition) {
    throw new ConfigError(
      `allocator must be one of ${registry.allocatorNames().join(", ")}, got ${JSON.stringify(allocatorName)}`,
    );
  }
  const collectorDefinition = registry.collector(collectorName);
  if (!collectorDefinition) {
    throw new ConfigError(
      `collector must be one of ${registry.collectorNames().join(", ")}, got ${JSON.stringify(collectorName)}`,
    );
  }
  const config: ResolvedConfig = {
    heapBytes: options.heapBytes ?? 512 << 20,
    reserveHeap: options.reserveHeap ?? false,
    releases: releases ?? "js",
    allocator: allocatorName,
    debugHooks: debugHooks ?? false,
    collector: collectorName,
    preset: options.preset ?? "3.11",
    process: resolveProcess(options.process),
    recursionLimit: options.recursionLimit ?? 1000,
    tracingBytes: options.tracingBytes ?? 4 << 20,
    stress: stress ?? false,
    stressVerifyEvery: options.stressVerifyEvery ?? 1,
    registry,
    collectorDefinition,
    allocatorDefinition,
  };
  if (!PRESETS.includes(config.preset)) {
    throw new ConfigError(`preset must be "3.11" or "3.13", got ${JSON.stringify(config.preset)}`);
  }
  if (
    !Number.isInteger(config.heapBytes) ||
    config.heapBytes < MIN_HEAP ||
    config.heapBytes > MAX_MEMORY_BYTES
  ) {
    throw new ConfigError(
      `heapBytes must be an integer from ${MIN_HEAP} (room for one 1 MiB pymalloc arena and the free store) to ${MAX_MEMORY_BYTES}, got ${config.heapBytes}`,
    );
  }
  if (config.process && config.heapBytes < config.process.stackBytes + MIN_HEAP) {
    throw new ConfigError(
      `heapBytes (${config.heapBytes}) must hold the process's ${config.process.stackBytes}-byte stack as well as ${MIN_HEAP} bytes of heap: every mapped page of the process lives in it`,
    );
  }
  if (typeof config.reserveHeap !== "boolean") {
    throw new ConfigError(
      `reserveHeap must be true or false, got ${JSON.stringify(config.reserveHeap) ?? String(config.reserveHeap)}`,
    );
  }
  if (config.releases !== "wasm" && config.releases !== "js") {
    throw new ConfigError(
      `releases must be "wasm" or "js", got ${JSON.stringify(config.releases) ?? String(config.releases)}`,
    );
  }
  if (!Number.isInteger(config.recursionLimit) || config.recursionLimit < 1) {
    throw new ConfigError(
      `recursionLimit must be a positive integer, got ${config.recursionLimit}`,
    );
  }
  if (!Number.isInteger(config.stressVerifyEvery) || config.stressVerifyEvery < 1) {
    throw new ConfigError(
      `stressVerifyEvery must be a positive integer, got ${config.stressVerifyEvery}`,
    );
  }
  if (options.stressVerifyEvery !== undefined && !config.stress) {
    throw new ConfigError(
      "stressVerifyEvery paces stress mode's verifications, and stress mode is off: set stress (or MM_GC_STRESS=1) too",
    );
  }
  if (!Number.isInteger(config.tracingBytes) || config.tracingBytes < 1) {
    throw new ConfigError(`tracingBytes must be a positive integer, got ${config.tracingBytes}`);
  }
  const capabilities = collectorDefinition.capabilities;
  if (options.preset !== undefined && !capabilities.generational) {
    throw new ConfigError(
      `the ${options.preset} preset pins the generational collector's thresholds, and the ${config.collector} collector has none: use collector "cpython" or drop the preset`,
    );
  }
  if (options.tracingBytes !== undefined && !capabilities.roots) {
    throw new ConfigError(
      `tracingBytes paces the tracing collector only, and this runtime uses the ${config.collector} collector`,
    );
  }
  return config;
}

/**
 * A PYTHONMALLOC-style value: `default`, `debug`, or a registered allocator's name, optionally
 * followed by `_debug`. Returns [allocator, debug hooks], or undefined for anything else.
 */
function parseMalloc(
  value: string,
  registry: StrategyRegistry,
): [AllocatorName, boolean] | undefined {
  if (value === "default") return ["pymalloc", false];
  if (value === "debug") return ["pymalloc", true];
  if (registry.allocator(value)) return [value, false];
  const base = value.endsWith("_debug") ? value.slice(0, -"_debug".length) : undefined;
  if (base !== undefined && registry.allocator(base)) return [base, true];
  return undefined;
}

function resolveProcess(spec: RuntimeOptions["process"]): ResolvedProcess | undefined {
  if (spec === undefined || spec === false) return undefined;
  const given = spec === true ? {} : spec;
  const resolved: ResolvedProcess = {
    ...given,
    pid: given.pid ?? 1,
    stackBytes: given.stackBytes ?? 8 << 20,
    constants: given.constants ?? [],
    elf: given.elf,
  };
  if (resolved.elf && resolved.constants.length > 0) {
    throw new ConfigError(
      "process.constants go into the modelled image's constants area, and an ELF image has none: drop one of them",
    );
  }
  if (!Number.isInteger(resolved.pid) || resolved.pid < 1 || resolved.pid > 4194304) {
    throw new ConfigError(`process.pid must be an integer from 1 to 4194304, got ${resolved.pid}`);
  }
  if (!Number.isInteger(resolved.stackBytes) || resolved.stackBytes < 4096) {
    throw new ConfigError(
      `process.stackBytes must be an integer of at least one 4096-byte page, got ${resolved.stackBytes}`,
    );
  }
  for (const constant of resolved.constants) {
    if (typeof constant !== "string" || constant.includes("\0")) {
      throw new ConfigError(
        `process.constants must be strings without NUL characters (rodata holds them as C strings), got ${JSON.stringify(constant)}`,
      );
    }
  }
  return resolved;
}

// Resolving a runtime's configuration from its options and the environment, and refusing the
// combinations that cannot work, with a message that says why.

import { MAX_MEMORY_BYTES } from "@mm/heap";
import type { ElfImage, FileIdentity } from "@mm/layout";
import type { AllocatorName, CollectorName, PresetName, RuntimeOptions } from "./api.js";
import { ConfigError } from "./errors.js";

/** A configuration with every choice made. */
export interface ResolvedConfig {
  readonly heapBytes: number;
  readonly allocator: AllocatorName;
  readonly debugHooks: boolean;
  readonly collector: CollectorName;
  readonly preset: PresetName;
  /** The process to live in, or undefined for a bare heap. */
  readonly process: ResolvedProcess | undefined;
  readonly recursionLimit: number;
  readonly tracingBytes: number;
}

/** A process specification with every choice made. */
export interface ResolvedProcess extends FileIdentity {
  readonly pid: number;
  readonly stackBytes: number;
  readonly constants: readonly string[];
  readonly elf: ElfImage | undefined;
}

const ALLOCATOR_VALUES: Record<string, [AllocatorName, boolean]> = {
  default: ["pymalloc", false],
  pymalloc: ["pymalloc", false],
  malloc: ["malloc", false],
  debug: ["pymalloc", true],
  pymalloc_debug: ["pymalloc", true],
  malloc_debug: ["malloc", true],
};
const COLLECTORS: readonly CollectorName[] = ["cpython", "refcount", "tracing", "none"];
const PRESETS: readonly PresetName[] = ["3.11", "3.13"];
/** The least heap the pymalloc stack can live in: one 1 MiB arena and the free store. */
const MIN_HEAP = 4 << 20;

/** Applies the environment and the defaults, then checks the result. */
export function resolveConfig(options: RuntimeOptions): ResolvedConfig {
  const env = options.env ?? (typeof process !== "undefined" ? process.env : {});
  let allocator = options.allocator;
  let debugHooks = options.debugHooks;
  const fromEnv = env.MM_ALLOCATOR;
  if (fromEnv !== undefined && fromEnv !== "") {
    const parsed = ALLOCATOR_VALUES[fromEnv];
    if (!parsed) {
      throw new ConfigError(
        `MM_ALLOCATOR=${fromEnv} is not one of ${Object.keys(ALLOCATOR_VALUES).join(", ")} (it works as PYTHONMALLOC does)`,
      );
    }
    allocator ??= parsed[0];
    debugHooks ??= parsed[1];
  }
  let collector = options.collector;
  const collectorEnv = env.MM_COLLECTOR;
  if (collectorEnv !== undefined && collectorEnv !== "") {
    if (!COLLECTORS.includes(collectorEnv as CollectorName)) {
      throw new ConfigError(`MM_COLLECTOR=${collectorEnv} is not one of ${COLLECTORS.join(", ")}`);
    }
    collector ??= collectorEnv as CollectorName;
  }
  const config: ResolvedConfig = {
    heapBytes: options.heapBytes ?? 512 << 20,
    allocator: allocator ?? "pymalloc",
    debugHooks: debugHooks ?? false,
    collector: collector ?? "cpython",
    preset: options.preset ?? "3.11",
    process: resolveProcess(options.process),
    recursionLimit: options.recursionLimit ?? 1000,
    tracingBytes: options.tracingBytes ?? 4 << 20,
  };
  if (!["pymalloc", "malloc"].includes(config.allocator)) {
    throw new ConfigError(
      `allocator must be "pymalloc" or "malloc", got ${JSON.stringify(config.allocator)}`,
    );
  }
  if (!COLLECTORS.includes(config.collector)) {
    throw new ConfigError(
      `collector must be one of ${COLLECTORS.join(", ")}, got ${JSON.stringify(config.collector)}`,
    );
  }
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
  if (!Number.isInteger(config.recursionLimit) || config.recursionLimit < 1) {
    throw new ConfigError(
      `recursionLimit must be a positive integer, got ${config.recursionLimit}`,
    );
  }
  if (!Number.isInteger(config.tracingBytes) || config.tracingBytes < 1) {
    throw new ConfigError(`tracingBytes must be a positive integer, got ${config.tracingBytes}`);
  }
  if (options.preset !== undefined && config.collector !== "cpython") {
    throw new ConfigError(
      `the ${options.preset} preset pins the generational collector's thresholds, and the ${config.collector} collector has none: use collector "cpython" or drop the preset`,
    );
  }
  if (options.tracingBytes !== undefined && config.collector !== "tracing") {
    throw new ConfigError(
      `tracingBytes paces the tracing collector only, and this runtime uses the ${config.collector} collector`,
    );
  }
  return config;
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

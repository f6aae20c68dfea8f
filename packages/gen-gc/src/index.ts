// @mm/gen-gc: CPython 3.11's generational cycle collector with the gc module as its API, a
// tracing mark-sweep collector and the two strategies without a collector (counting only, none),
// all behind one Collector contract, over @mm/heap objects and @mm/refcount counts.

export {
  type CollectionRecord,
  type CollectorOptions,
  DebugFlags,
  type GcCallback,
  type GcCallbackInfo,
  type GcPhase,
  type GenerationalOptions,
  type GenerationStats,
  type Preset,
  Presets,
  type TracingOptions,
  type UntrackRule,
} from "./api.js";
export {
  CAPABILITY_NAMES,
  type Collector,
  type CollectorCapabilities,
  type CollectorDefinition,
  type CollectorFactory,
  type CollectorHost,
  type CollectorSeed,
  directRelease,
} from "./collector.js";
export {
  COUNTING_CAPABILITIES,
  CountingCollector,
  type FlatOptions,
  NO_CAPABILITIES,
  NoCollector,
} from "./counting.js";
export { GcErrorCode, GcInterruptedError, GcValueError } from "./errors.js";
export { FlatCollector, type FlatCollectorOptions, finalizedContainer } from "./flat.js";
export { GarbageList, type GarbageListOptions } from "./garbage.js";
export { GcModuleState, type GcModuleStateOptions } from "./gc-state.js";
export { GENERATIONAL_CAPABILITIES, GenerationalCollector } from "./generational.js";
export { type Traverse, traverseByPointerMap } from "./internal/type-tables.js";
export { TRACING_CAPABILITIES, TracingCollector } from "./tracing.js";

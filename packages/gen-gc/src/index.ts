// @mm/gen-gc: CPython 3.11's generational cycle collector with the gc module as its API, and a
// tracing mark-sweep collector, over @mm/heap objects and @mm/refcount counts.

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
export { GcErrorCode, GcValueError } from "./errors.js";
export { GarbageList, type GarbageListOptions } from "./garbage.js";
export { GenerationalCollector } from "./generational.js";
export { TracingCollector } from "./tracing.js";

// @mm/testkit: model-based property tests for allocators and collectors, with fast-check.

export {
  type AllocatorModel,
  type AllocatorModelOptions,
  type AllocatorReal,
  type AllocatorStats,
  allocatorCommands,
  allocatorModelProperty,
  assertAllocatorModel,
  type ModelBlock,
  mixedSizes,
  type TestedAllocator,
} from "./allocator.js";
export {
  AddressHandles,
  assertCollectorModel,
  type CollectorModel,
  type CollectorModelOptions,
  type CollectorReal,
  type CollectorSystem,
  collectorCommands,
  collectorModelProperty,
} from "./collector.js";
export {
  type Environment,
  EnvironmentSettingError,
  propertyParameters,
  type RunOptions,
  runsFactor,
  scaledRuns,
  seedFromEnvironment,
} from "./parameters.js";
export { expectThat, ModelViolation } from "./violation.js";

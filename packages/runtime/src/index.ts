// @mm/runtime: Python's objects on the @mm heap, with swappable allocators and collectors, the
// gc/sys/tracemalloc/weakref facades, and an mm-trace runner whose event log equals CPython's.

export type {
  Collector,
  CollectorCapabilities,
  CollectorDefinition,
  CollectorFactory,
  CollectorHost,
  CollectorSeed,
  GenerationStats,
} from "@mm/gen-gc";
export type {
  AllocatorName,
  CollectorName,
  PresetName,
  ProcessSpec,
  RuntimeOptions,
  StrategyCapabilities,
} from "./api.js";
export type { ResolvedConfig, ResolvedProcess } from "./config.js";
export {
  ActivationFrame,
  type ClassOptions,
  type ClassRef,
  Embedding,
  type KeyProtocol,
  type NativeType,
  type NativeTypeSpec,
  type Ref,
  type RuntimeModules,
  type SubtypeOptions,
  type SubtypeRef,
} from "./embedding.js";
export {
  ConfigError,
  PythonError,
  type PythonErrorType,
  RuntimeErrorCode,
  StaleHandleError,
  TraceError,
} from "./errors.js";
export { GcModule, SysModule, WeakrefModule } from "./facades/modules.js";
export {
  Domain,
  Snapshot,
  type Statistic,
  type StatisticDiff,
  type StatisticKey,
  type Trace as TracedBlock,
  type TraceFrame,
  Tracemalloc,
} from "./facades/tracemalloc.js";
export { Handle } from "./handle.js";
export {
  type FrameView,
  type GenerationView,
  inspect,
  type ObjectView,
  objectInspector,
  type PoolsView,
  type RuntimeSnapshot,
  type VariableView,
} from "./inspect.js";
export type { FreeCause, RuntimeEvent, RuntimeObserver } from "./internal/events.js";
/**
 * The memory layouts of `int` (`PyLongObject`: signed digit count at `size`, 30-bit digits from
 * `digits`), `float` (`PyFloatObject`: the double at `value`), `tuple` (`PyTupleObject`: the
 * length at `size`, 8-byte item pointers from `items`), `list` (`PyListObject`: the length at
 * `size`, the item block's address at `items`, its slots at `allocated`), `str` (`PyASCIIObject`:
 * the length at `length`, the kind and ASCII bits in `state`, an ASCII str's bytes from
 * `asciiHeader`) and `dict` (`PyDictObject`, whose
 * `ma_version_tag` {@link dictVersion} reads), CPython 3.11's, for embedders' fast paths over
 * {@link Embedding.memory}: a one-digit int's value is
 * `i32[(o + IntLayout.size) >>> 2] * u32[(o + IntLayout.digits) >>> 2]`.
 */
export { Dict as DictLayout, dictVersion } from "./objects/dict.js";
export { Float as FloatLayout } from "./objects/float.js";
export { hashDouble } from "./objects/hash.js";
export { Int as IntLayout } from "./objects/int.js";
export { type DetachedItems, List as ListLayout } from "./objects/list.js";
export { Str as StrLayout } from "./objects/str.js";
export type { SubtypeBase, SubtypeValue } from "./objects/subtype.js";
export { Tuple as TupleLayout } from "./objects/tuple.js";
export {
  type AllocatorDefinition,
  type AllocatorFactory,
  type AllocatorHost,
  capabilities,
  defaultRegistry,
  REGISTRY_ERROR_CODE,
  RegistryError,
  StrategyRegistry,
} from "./registry.js";
export {
  type FrameScope,
  type PyClass,
  type PyValue,
  Runtime,
  type RuntimeStats,
} from "./runtime.js";
export type { Strategy, StrategyContext } from "./strategies.js";
export {
  GC_ACTIONS,
  GC_QUERIES,
  GC_VAR_QUERIES,
  type GcCall,
  type Op,
  parseTrace,
  type Target,
  type Trace,
  type TraceValue,
} from "./trace/format.js";
export { JsonFloat, type JsonValue } from "./trace/json.js";
export { formatEvent, type TraceEvent, TraceRun, type TraceRunOptions } from "./trace/runner.js";

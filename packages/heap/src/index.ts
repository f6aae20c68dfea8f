// @mm/heap: the private heap. Memory, page sources, the Allocator contract, the free store,
// debug hooks, the object header, the type registry, the object space, a range set and a small
// WebAssembly binary writer.

export type { Allocator, AllocatorStats } from "./allocator.js";
export {
  CLEAN_BYTE,
  DEAD_BYTE,
  DEBUG_EXTRA_BYTES,
  DebugAllocator,
  type DebugHooksOptions,
  FORBIDDEN_BYTE,
} from "./debug-hooks.js";
export {
  type AddressOperation,
  type AllocatorApi,
  ApiMismatchError,
  checkSize,
  DebugHookError,
  DoubleFreeError,
  describeValue,
  ErrorCode,
  HeapCorruptionError,
  hex,
  InvalidAddressError,
  type InvalidAddressReason,
  InvalidArgumentError,
  invalidArgument,
  MemoryManagerError,
  OutOfMemoryError,
  UnknownTypeError,
} from "./errors.js";
export { FreeStore, type FreeStoreOptions } from "./free-store.js";
export { AddressBitmap } from "./internal/address-bitmap.js";
export {
  MAX_MEMORY_BYTES,
  MEMORY_GRANULE,
  Memory,
  type MemoryBacking,
  type MemoryOptions,
  type SideTable,
  type WasmMemory,
} from "./memory.js";
export {
  GC_GEN,
  GC_HEAD_SIZE,
  GC_NEXT,
  GC_PREV,
  GC_REFS,
  OB_FLAGS,
  OB_REFCNT,
  OB_SIZE,
  OB_TYPE,
  OB_WEAKLIST,
  OBJECT_HEAD_SIZE,
  ObjectFlags,
  VAR_HEAD_SIZE,
} from "./object-header.js";
export { ObjectSpace } from "./object-space.js";
export {
  MemoryPageSource,
  type MemoryPageSourceOptions,
  type PageSource,
} from "./page-source.js";
export { type AddressRange, RangeSet } from "./range-set.js";
export {
  instanceSize,
  type PointerMap,
  type PointerRun,
  type PointerTable,
  type PointerTableLayout,
  type TypeDescriptor,
  TypeFlags,
  TypeRegistry,
  type TypeSpec,
  type Visit,
} from "./type-registry.js";
/**
 * A small WebAssembly binary writer (every value an i32; code as nested expressions; a module of
 * an imported memory, imported and defined functions and their exports), for walks over the
 * heap's memory written as WebAssembly: `wasm.ModuleWriter`, `wasm.load`, `wasm.whileLoop`, ….
 */
export * as wasm from "./wasm-writer.js";

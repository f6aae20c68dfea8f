// @mm/layout: a working model of one x86-64 Linux process's address space that can host
// @mm/heap's allocators: segments, checked accesses, brk and mmap, stack frames, registers,
// /proc/PID/maps, a summary table and an ELF64 loader.

export {
  type AccessKind,
  type Constant,
  DEFAULT_CONSTANTS_BYTES,
  DEFAULT_STACK_BYTES,
  ELF_ET_DYN_BASE,
  type FileIdentity,
  type FrameOptions,
  INITIAL_RFLAGS,
  INITIAL_STACK_BYTES,
  MAP_FAILED,
  type MapsEntry,
  MMAP_MIN_ADDR,
  MMAP_MIN_GAP,
  type MmapOptions,
  NON_PIE_TEXT_START,
  PAGE_SIZE,
  PROT_EXEC,
  PROT_NONE,
  PROT_READ,
  PROT_WRITE,
  type ProcessOptions,
  type ProgramImage,
  type Registers,
  RFlags,
  type SegmentKind,
  type SegmentSummary,
  STACK_GUARD_GAP,
  type StackFrame,
  TASK_SIZE,
  type Word,
} from "./api.js";
export {
  type ElfImage,
  type ElfProgramHeader,
  ProgramHeaderType,
  parseElf,
  SegmentFlags,
} from "./elf.js";
export {
  BreakBelowStartError,
  ConstantsSealedError,
  type ElfErrorReason,
  ElfFormatError,
  type FaultReason,
  InvalidVirtualAddressError,
  LayoutCorruptionError,
  LayoutError,
  LayoutErrorCode,
  SegmentationFault,
  StackOverflowError,
  StackUnderflowError,
  type VirtualAddressReason,
  vhex,
} from "./errors.js";
export type { BrkPageSource, MmapPageSource, PageSourceChunk } from "./page-sources.js";
export { Process } from "./process.js";
export { formatBytes, renderMaps, renderMapsLine, renderSummary } from "./views.js";

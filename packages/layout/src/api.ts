// The public constants and types of @mm/layout: x86-64 Linux's numbers (with address-space
// randomisation off), protection bits, and the option and record shapes every module shares.

import type { FreeStoreOptions, Memory } from "@mm/heap";

/** The page size of x86-64: every mapping starts and ends on a multiple of it. */
export const PAGE_SIZE = 4096;

/**
 * The end of user space with 4-level paging, `TASK_SIZE_MAX = (1 << 47) - PAGE_SIZE`. The stack
 * ends here when randomisation is off, so its highest byte is `0x7fffffffefff`.
 */
export const TASK_SIZE = 0x7fff_ffff_f000;

/** Where a non-PIE (`ET_EXEC`) executable's text starts, the linker's default for x86-64. */
export const NON_PIE_TEXT_START = 0x40_0000;

/**
 * The kernel's `ELF_ET_DYN_BASE` on x86-64, `DEFAULT_MAP_WINDOW / 3 * 2`: where a PIE
 * (`ET_DYN`) is loaded when randomisation is off, after rounding down to a page
 * (`0x555555554000`).
 */
export const ELF_ET_DYN_BASE = 0x5555_5555_4aaa;

/** The kernel's `stack_guard_gap`: 256 pages kept free below the stack. */
export const STACK_GUARD_GAP = 256 * PAGE_SIZE;

/** `vm.mmap_min_addr`: nothing is ever mapped below it. */
export const MMAP_MIN_ADDR = 0x1_0000;

/** The least gap between the stack top and `mmap_base`, the kernel's `SIZE_128M`. */
export const MMAP_MIN_GAP = 128 << 20;

/** The default stack size limit, as `ulimit -s` shows it on most systems (8192 KiB). */
export const DEFAULT_STACK_BYTES = 8 << 20;

/**
 * How much of the stack is mapped at start: the kernel maps 128 KiB below the page that holds
 * the arguments and environment (`setup_arg_pages`), so a fresh process shows a 132 KiB
 * `[stack]`.
 */
export const INITIAL_STACK_BYTES = 128 * 1024 + PAGE_SIZE;

/** The default capacity of the constants area (rodata). */
export const DEFAULT_CONSTANTS_BYTES = 64 * 1024;

/** What `mmap` returns on failure, C's `MAP_FAILED` (`(void *) -1`). */
export const MAP_FAILED = -1;

/** No access: every read, write or instruction fetch faults (a guard page). */
export const PROT_NONE = 0;
/** Pages may be read. */
export const PROT_READ = 1;
/** Pages may be written. */
export const PROT_WRITE = 2;
/** Pages may be executed (instruction fetches, calls, returns). */
export const PROT_EXEC = 4;

/** The initial `rflags` of a new process: bit 1 (always set) and IF, as the kernel sets them. */
export const INITIAL_RFLAGS = 0x202;

/** The status flags of `rflags` that arithmetic sets: CF, PF, AF, ZF, SF, OF. */
export const RFlags = {
  /** Carry (bit 0). */
  CF: 0x1,
  /** Parity of the low byte of the result (bit 2). */
  PF: 0x4,
  /** Carry or borrow out of bit 3 (bit 4). */
  AF: 0x10,
  /** The result is zero (bit 6). */
  ZF: 0x40,
  /** Bit 63 of the result (bit 7). */
  SF: 0x80,
  /** Signed overflow (bit 11). */
  OF: 0x800,
} as const;

/** What a segment is, in the words of the seed's layout. */
export type SegmentKind = "text" | "rodata" | "data" | "bss" | "heap" | "mmap" | "stack";

/** A kind of memory access. */
export type AccessKind = "read" | "write" | "execute";

/** A value that can be interned in the constants area. */
export type Constant = string | number | bigint | Uint8Array;

/** A 64-bit value: a `bigint`, or a `number` that is a safe integer. */
export type Word = number | bigint;

/** The device and inode shown for a file-backed mapping, as `/proc/PID/maps` shows them. */
export interface FileIdentity {
  /**
   * The path in the last column.
   * @defaultValue `"a.out"`
   */
  readonly path?: string;
  /**
   * The device's major number.
   * @defaultValue `0`
   */
  readonly deviceMajor?: number;
  /**
   * The device's minor number.
   * @defaultValue `0`
   */
  readonly deviceMinor?: number;
  /**
   * The file's inode number.
   * @defaultValue `0`
   */
  readonly inode?: number;
}

/**
 * A program image: what a linker would put in a non-PIE executable. Its text is mapped at
 * `0x400000`, then rodata (the constants area), data and bss, each segment starting on a page.
 */
export interface ProgramImage {
  /**
   * The machine code.
   * @defaultValue one `ret` instruction (`0xc3`)
   */
  readonly code?: Uint8Array;
  /** Constants interned into rodata at load, in order. @defaultValue none */
  readonly constants?: readonly Constant[];
  /** Initialised data. @defaultValue empty */
  readonly data?: Uint8Array;
  /** Zero-initialised data placed right after `data`. @defaultValue `0` */
  readonly bssBytes?: number;
  /** The entry point, an address inside the text. @defaultValue the start of the text */
  readonly entry?: number;
}

/** Options of a {@link Process}. */
export interface ProcessOptions extends FileIdentity {
  /**
   * The process id, as `/proc/PID/maps` and pictures of the process name it.
   * @defaultValue `1`
   */
  readonly pid?: number;
  /**
   * The stack size limit (`ulimit -s`, RLIMIT_STACK), rounded up to whole pages; it also sets
   * `mmap_base`, as the kernel derives it from the limit.
   * @defaultValue `8388608` (8 MiB)
   */
  readonly stackBytes?: number;
  /**
   * The capacity of the constants area (rodata) of a program image, rounded up to whole pages.
   * @defaultValue `65536`, or more when the image's constants need it
   */
  readonly constantsBytes?: number;
  /**
   * The Memory that backs every mapped page. The process owns all of it: give it a fresh one.
   * @defaultValue `new Memory({ maximumBytes: 1 << 30 })`
   */
  readonly memory?: Memory;
  /** Options of the free store that runs over the brk heap. @defaultValue @mm/heap's defaults */
  readonly freeStore?: FreeStoreOptions;
  /**
   * Bytes of the Memory, in whole pages right after its first (NULL) page, that back no page
   * of the process: the Memory's user may keep data there that no segment maps and no figure
   * of the process counts (as a machine's memory holds more than one process's pages).
   * @defaultValue `0`
   */
  readonly reservedBytes?: number;
  /**
   * Where a PIE (`ET_DYN`) is loaded, before the kernel's rounding: the first `PT_LOAD` lands on
   * the page at or below it. Ignored for `ET_EXEC`, which is loaded at its own addresses.
   * @defaultValue {@link ELF_ET_DYN_BASE}
   */
  readonly loadBase?: number;
  /**
   * Whether to make the `PT_GNU_RELRO` range read-only after loading an ELF file, as the
   * dynamic loader does before `main`.
   * @defaultValue `true`
   */
  readonly relro?: boolean;
}

/** Options of {@link Process.mmap}. */
export interface MmapOptions {
  /**
   * A name for the mapping, shown as `[anon:name]` in the maps table (as PR_SET_VMA_ANON_NAME
   * names one).
   * @defaultValue none: an anonymous mapping has no name
   */
  readonly name?: string;
  /**
   * A placement hint, rounded up to a page and used when that range is free, as Linux takes
   * `mmap`'s address without MAP_FIXED; otherwise the mapping goes top-down below mmap_base.
   * @defaultValue `0` (no hint)
   */
  readonly address?: number;
}

/** The registers the model keeps. */
export interface Registers {
  /** The instruction pointer. */
  readonly rip: number;
  /** The stack pointer. */
  readonly rsp: number;
  /** The frame pointer. */
  readonly rbp: number;
  /** The flags register. */
  readonly rflags: number;
}

/** Options of {@link Process.pushFrame}. */
export interface FrameOptions {
  /** The arguments, pushed right to left so that the first lands at `rbp + 16`. @defaultValue none */
  readonly args?: readonly Word[];
  /** Bytes of locals below the saved frame pointer, rounded up to 16. @defaultValue `0` */
  readonly localsBytes?: number;
  /**
   * The address `call` pushes and `ret` jumps back to.
   * @defaultValue `rip + 5`, the instruction after a 5-byte `call rel32`
   */
  readonly returnAddress?: number;
}

/**
 * One stack frame in the System V x86-64 shape. Higher addresses are up:
 *
 * ```
 *   argsAddress + 8·(argCount-1)   last argument
 *   argsAddress = rbp + 16         first argument
 *   rbp + 8                        return address (pushed by call)
 *   rbp                            saved rbp of the caller
 *   localsAddress = rbp - localsBytes
 * ```
 */
export interface StackFrame {
  /** 0 for the outermost frame. */
  readonly depth: number;
  /** The called function's address (rip inside the frame). */
  readonly function: number;
  /** Where `ret` returns to. */
  readonly returnAddress: number;
  /** The frame pointer of the frame: the saved rbp lives at this address. */
  readonly frameAddress: number;
  /** The caller's rbp, saved at `frameAddress`. */
  readonly savedRbp: number;
  /** The address of the first argument (`rbp + 16`). */
  readonly argsAddress: number;
  /** The number of 8-byte arguments. */
  readonly argCount: number;
  /** The lowest address of the locals (`rbp - localsBytes`). */
  readonly localsAddress: number;
  /** Bytes of locals, a multiple of 16. */
  readonly localsBytes: number;
  /** The caller's rsp before the call sequence; `popFrame` restores it. */
  readonly callerRsp: number;
  /** Padding the caller added so that rsp is 16-byte aligned at the call (0 or 8). */
  readonly padding: number;
}

/** A line of `/proc/PID/maps`. */
export interface MapsEntry {
  /** The first address of the mapping. */
  readonly start: number;
  /** One past its last address. */
  readonly end: number;
  /** `r`, `w`, `x` or `-` each, then `p` (every mapping is private). */
  readonly perms: string;
  /** The file offset of `start`, 0 for anonymous mappings. */
  readonly offset: number;
  /** The file's device major number, 0 for anonymous mappings. */
  readonly deviceMajor: number;
  /** The file's device minor number, 0 for anonymous mappings. */
  readonly deviceMinor: number;
  /** The file's inode, 0 for anonymous mappings. */
  readonly inode: number;
  /** The file path, `[heap]`, `[stack]`, `[anon:name]`, or `""` for an anonymous mapping. */
  readonly path: string;
}

/** A row of the per-segment summary. */
export interface SegmentSummary {
  /** `text`, `rodata`, `data`, `bss`, `heap`, `mmap`, `stack` or `stack guard gap`. */
  readonly name: string;
  /** Where the segment starts (the bss starts right after the data's file bytes). */
  readonly start: number;
  /** Where its last page ends. */
  readonly end: number;
  /** Bytes of address space the segment's pages span (`end - start`, or the mapped total). */
  readonly size: number;
  /** Bytes in use: what the image defines, what malloc handed out, or what the stack holds. */
  readonly used: number;
  /** `r`, `w`, `x` or `-` each; `---` for the guard gap; several separated by `,` if mixed. */
  readonly perms: string;
  /** A short remark: the number of mappings, the stack limit. */
  readonly note: string;
}

// Typed errors of the address space. They extend @mm/heap's MemoryManagerError; where the
// meaning is the heap's own (a bad address, a corrupted structure) they keep the heap's code.

import {
  ErrorCode,
  HeapCorruptionError,
  type InvalidAddressReason,
  InvalidArgumentError,
  MemoryManagerError,
} from "@mm/heap";
import type { AccessKind } from "./api.js";

/** Stable codes of the errors that only the address space raises. */
export const LayoutErrorCode = {
  /** An access outside every mapping or against a mapping's permissions. */
  SegmentationFault: "ERR_MM_SEGMENTATION_FAULT",
  /** The stack would grow past its size limit into the guard gap. */
  StackOverflow: "ERR_MM_STACK_OVERFLOW",
  /** A pop with nothing pushed, or a frame popped when there is none. */
  StackUnderflow: "ERR_MM_STACK_UNDERFLOW",
  /** A file that is not a loadable ELF64 little-endian x86-64 executable. */
  InvalidElf: "ERR_MM_INVALID_ELF",
  /** A new constant after the process has started: the constants area is read-only. */
  ConstantsSealed: "ERR_MM_CONSTANTS_SEALED",
} as const;

/** One of the values of {@link LayoutErrorCode}. */
export type LayoutErrorCode = (typeof LayoutErrorCode)[keyof typeof LayoutErrorCode];

/**
 * Formats a 64-bit virtual address as 0x and at least 12 hex digits (user space is 47 bits).
 * Offsets into a `Memory` print with `@mm/heap`'s `hex`.
 */
export function vhex(address: number): string {
  return Number.isSafeInteger(address) && address >= 0
    ? `0x${address.toString(16).padStart(12, "0")}`
    : String(address);
}

/** The protection bits as `r`, `w`, `x` or `-`. */
export function permsString(prot: number): string {
  return `${prot & 1 ? "r" : "-"}${prot & 2 ? "w" : "-"}${prot & 4 ? "x" : "-"}`;
}

/** Base of the errors with a layout code (compare `code` with {@link LayoutErrorCode}). */
export abstract class LayoutError extends MemoryManagerError {
  constructor(code: LayoutErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** Why an access faulted. */
export type FaultReason = "unmapped" | "permission" | "guard-gap";

/**
 * An access outside every mapping, into the stack's guard gap, or against a segment's
 * permissions (a write to text or rodata, an instruction fetch from data, any access to a
 * `PROT_NONE` page). Nothing was read or written: memory and registers are as they were.
 */
export class SegmentationFault extends LayoutError {
  /** The first address of the access. */
  readonly address: number;
  /** The first byte of the access that may not be touched. */
  readonly faultAddress: number;
  /** Bytes the access covered. */
  readonly length: number;
  /** What was attempted. */
  readonly access: AccessKind;
  /** The segment hit (`text`, `rodata`, `data`, `bss`, `heap`, `mmap`, `stack`), `stack guard gap`, or `unmapped`. */
  readonly segment: string;
  /** The segment's permissions (`r-x`), or `---` outside every mapping. */
  readonly perms: string;
  readonly reason: FaultReason;

  constructor(
    address: number,
    faultAddress: number,
    length: number,
    access: AccessKind,
    segment: string,
    perms: string,
    reason: FaultReason,
  ) {
    const what = `${access} of ${length} byte${length === 1 ? "" : "s"} at ${vhex(address)}`;
    const where =
      reason === "permission"
        ? `${segment} (${perms}) does not allow ${access}`
        : reason === "guard-gap"
          ? "it is in the stack guard gap"
          : "it is unmapped";
    const at = faultAddress === address ? "" : ` (byte ${vhex(faultAddress)})`;
    super(LayoutErrorCode.SegmentationFault, `segmentation fault: ${what}${at}: ${where}`);
    this.address = address;
    this.faultAddress = faultAddress;
    this.length = length;
    this.access = access;
    this.segment = segment;
    this.perms = perms;
    this.reason = reason;
  }
}

/**
 * The stack would grow below its limit (`stackBytes` under the top) into the guard gap. The
 * stack, the registers and memory are left as they were.
 */
export class StackOverflowError extends LayoutError {
  /** The lowest address the operation needed. */
  readonly address: number;
  /** The lowest address the stack may reach. */
  readonly limit: number;
  /** The stack size limit. */
  readonly stackBytes: number;
  /** Frames on the stack when it overflowed. */
  readonly depth: number;

  constructor(address: number, limit: number, stackBytes: number, depth: number, what: string) {
    super(
      LayoutErrorCode.StackOverflow,
      `stack overflow: ${what} needs the stack down to ${vhex(address)}, below its limit ${vhex(limit)} (stack size ${stackBytes} bytes, ${depth} frame${depth === 1 ? "" : "s"} deep); the stack is unchanged`,
    );
    this.address = address;
    this.limit = limit;
    this.stackBytes = stackBytes;
    this.depth = depth;
  }
}

/** A `pop` with nothing pushed in the current frame, or a `popFrame` with no frame. */
export class StackUnderflowError extends LayoutError {
  constructor(message: string) {
    super(LayoutErrorCode.StackUnderflow, `stack underflow: ${message}`);
  }
}

/** Why a file was refused by the ELF loader. */
export type ElfErrorReason =
  | "not-elf"
  | "truncated"
  | "32-bit"
  | "big-endian"
  | "unsupported"
  | "inconsistent";

/** A file that cannot be loaded: not ELF, truncated, 32-bit, big-endian, or inconsistent. */
export class ElfFormatError extends LayoutError {
  readonly reason: ElfErrorReason;

  constructor(reason: ElfErrorReason, detail: string) {
    super(LayoutErrorCode.InvalidElf, `cannot load ELF file (${reason}): ${detail}`);
    this.reason = reason;
  }
}

/** A new constant was interned after the process started. */
export class ConstantsSealedError extends LayoutError {
  constructor(what: string) {
    super(
      LayoutErrorCode.ConstantsSealed,
      `cannot intern ${what}: the process has started and its constants area is read-only`,
    );
  }
}

/** Why a virtual address was refused. */
export type VirtualAddressReason =
  | "misaligned"
  | "unmapped"
  | "not-owned"
  | "out-of-range"
  | "sealed";

/**
 * A virtual address given to a system call or to the process's malloc family is not
 * acceptable (`munmap` of an unaligned address, `free` of an address outside the heap). Uses
 * `@mm/heap`'s `ERR_MM_INVALID_ADDRESS` code, or the code of the heap error it wraps.
 */
export class InvalidVirtualAddressError extends MemoryManagerError {
  readonly address: number;
  /** The call that was refused, e.g. `munmap`, `mprotect`, `free`. */
  readonly operation: string;
  readonly reason: VirtualAddressReason | InvalidAddressReason;

  constructor(
    operation: string,
    address: number,
    reason: InvalidVirtualAddressError["reason"],
    detail: string,
    options: { code?: string; cause?: unknown } = {},
  ) {
    super(
      options.code ?? ErrorCode.InvalidAddress,
      `${operation}(${vhex(address)}): ${detail}`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.address = address;
    this.operation = operation;
    this.reason = reason;
  }
}

/** `sbrk` would move the break below the start of the heap. */
export class BreakBelowStartError extends InvalidArgumentError {
  /** The break that was asked for. */
  readonly requested: number;
  /** The start of the heap (`start_brk`). */
  readonly heapStart: number;

  constructor(requested: number, heapStart: number, increment: number) {
    super(
      `sbrk(${increment}) would move the break to ${vhex(requested)}, below the start of the heap ${vhex(heapStart)}`,
    );
    this.requested = requested;
    this.heapStart = heapStart;
  }
}

/**
 * `verify()` or a frame check found a broken structure of the address space (a VMA table out
 * of order, a saved return address overwritten). A `HeapCorruptionError`, with the virtual
 * address printed in full.
 */
export class LayoutCorruptionError extends HeapCorruptionError {
  constructor(structure: string, address: number, message: string) {
    super(structure, address, message);
    // Virtual addresses print with twelve digits, as in /proc/PID/maps.
    this.message = `corruption in ${structure} at ${vhex(address)}: ${message}`;
  }
}

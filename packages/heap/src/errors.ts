// Typed errors for every failure a caller can cause. Each carries a stable `code`, a message
// that names the address or object involved, and leaves the heap as it was before the call.

/** Stable error codes. They are part of the public API and never change meaning. */
export const ErrorCode = {
  /** The heap could not grow to satisfy a request that is not allowed to return 0. */
  OutOfMemory: "ERR_MM_OUT_OF_MEMORY",
  /** An argument is out of range or of the wrong kind (a negative size, a bad option). */
  InvalidArgument: "ERR_MM_INVALID_ARGUMENT",
  /** An address that is NULL, not owned, interior, misaligned or already freed. */
  InvalidAddress: "ERR_MM_INVALID_ADDRESS",
  /** A block that was already freed is freed again. */
  DoubleFree: "ERR_MM_DOUBLE_FREE",
  /** `verify()` or a debug check found a broken internal structure. */
  HeapCorruption: "ERR_MM_HEAP_CORRUPTION",
  /** A block is freed or resized through another API than the one that allocated it. */
  ApiMismatch: "ERR_MM_API_MISMATCH",
  /** A type id that the registry does not know. */
  UnknownType: "ERR_MM_UNKNOWN_TYPE",
} as const;

/** One of the values of {@link ErrorCode}. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * Formats an address the way C programs print pointers: at least eight hex digits, more for
 * addresses past 32 bits (a process's virtual addresses reach 47 bits). A negative integer is
 * shown as its 32-bit pattern; anything that is not an integer at all (NaN, 1.5, a bigint, a
 * string) as itself, since any address printed for it would name a real one it is not.
 */
export function hex(address: number): string {
  if (typeof address !== "number" || !Number.isInteger(address)) return describeValue(address);
  const value = Number.isSafeInteger(address) && address >= 0 ? address : address >>> 0;
  return `0x${value.toString(16).padStart(8, "0")}`;
}

/** A value as a message shows it: bigints with their `n`, strings quoted, others as String. */
export function describeValue(value: unknown): string {
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "string") return JSON.stringify(value);
  return String(value);
}

/**
 * Base class of every error thrown by `@mm/*` packages. Other packages add their own codes
 * (always `ERR_MM_…`), so `code` is typed as a string; this package's are {@link ErrorCode}.
 */
export class MemoryManagerError extends Error {
  /** A stable, machine-readable code. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/**
 * The heap could not provide memory where returning 0 is not an option (for example a
 * `Memory` that is asked to grow by a caller that needs the space).
 */
export class OutOfMemoryError extends MemoryManagerError {
  /** The number of bytes that were asked for. */
  readonly requested: number;

  constructor(requested: number, detail: string) {
    super(ErrorCode.OutOfMemory, `out of memory: cannot provide ${requested} bytes (${detail})`);
    this.requested = requested;
  }
}

/** An argument is out of range or malformed. */
export class InvalidArgumentError extends MemoryManagerError {
  constructor(message: string) {
    super(ErrorCode.InvalidArgument, message);
  }
}

/** Why an address was refused. */
export type InvalidAddressReason =
  | "null"
  | "not-owned"
  | "interior"
  | "misaligned"
  | "freed"
  | "unmapped";

/**
 * The operation that was given a bad address. Other packages name their own operations, so any
 * string is accepted; these are the ones this package uses.
 */
export type AddressOperation =
  | (string & {})
  | "free"
  | "realloc"
  | "usableSize"
  | "unmap"
  | "incref"
  | "decref"
  | "access";

const reasonText: Record<InvalidAddressReason, string> = {
  null: "is NULL",
  "not-owned": "is not owned by this allocator",
  interior: "points inside a block, not at its start",
  misaligned: "is not aligned to a block boundary",
  freed: "refers to a block that is already free",
  unmapped: "is not mapped",
};

/** An address given to the heap is not the start of a live block it owns. */
export class InvalidAddressError extends MemoryManagerError {
  /** The offending address. */
  readonly address: number;
  /** Why it was refused. */
  readonly reason: InvalidAddressReason;
  /** What was attempted with it. */
  readonly operation: AddressOperation;

  constructor(
    operation: AddressOperation,
    address: number,
    reason: InvalidAddressReason,
    detail = "",
    code: string = ErrorCode.InvalidAddress,
  ) {
    super(
      code,
      `${operation}(${hex(address)}): address ${reasonText[reason]}${detail ? ` (${detail})` : ""}`,
    );
    this.address = address;
    this.reason = reason;
    this.operation = operation;
  }
}

/** A block is freed a second time. The heap is left untouched. */
export class DoubleFreeError extends InvalidAddressError {
  constructor(address: number, detail = "") {
    super("free", address, "freed", detail, ErrorCode.DoubleFree);
  }
}

/** An internal structure is broken; names the structure and the address where it was found. */
export class HeapCorruptionError extends MemoryManagerError {
  /** The structure that failed its check, e.g. `"free list"`, `"block header"`. */
  readonly structure: string;
  /** Where the corruption was found. */
  readonly address: number;

  constructor(structure: string, address: number, message: string) {
    super(
      ErrorCode.HeapCorruption,
      `heap corruption in ${structure} at ${hex(address)}: ${message}`,
    );
    this.structure = structure;
    this.address = address;
  }
}

/** The API id letters of CPython's debug hooks: raw, mem and object domains. */
export type AllocatorApi = "r" | "m" | "o";

/**
 * A debug-hook check failed: a guard byte was overwritten (overrun, underrun) or freed
 * memory was written to. Names the block's address, its requested size and its API.
 */
export class DebugHookError extends HeapCorruptionError {
  /** What the check found. */
  readonly kind: "overrun" | "underrun" | "use-after-free";
  /** The requested size of the block. */
  readonly size: number;
  /** The API that allocated the block. */
  readonly api: AllocatorApi;

  constructor(
    kind: "overrun" | "underrun" | "use-after-free",
    address: number,
    size: number,
    api: AllocatorApi,
    detail: string,
  ) {
    super(
      kind === "use-after-free" ? "freed block" : "guard bytes",
      address,
      `${kind} of the ${size}-byte block allocated by API '${api}': ${detail}`,
    );
    this.kind = kind;
    this.size = size;
    this.api = api;
  }
}

/** A block is freed or resized through another API than the one that allocated it. */
export class ApiMismatchError extends MemoryManagerError {
  readonly address: number;
  readonly size: number;
  /** The API that allocated the block. */
  readonly api: AllocatorApi;
  /** The API it was handed to. */
  readonly calledApi: AllocatorApi;

  constructor(address: number, size: number, api: AllocatorApi, calledApi: AllocatorApi) {
    super(
      ErrorCode.ApiMismatch,
      `bad API id at ${hex(address)}: the ${size}-byte block was allocated by API '${api}' but released through API '${calledApi}'`,
    );
    this.address = address;
    this.size = size;
    this.api = api;
    this.calledApi = calledApi;
  }
}

/** A type id that is not in the registry. */
export class UnknownTypeError extends MemoryManagerError {
  readonly typeId: number;

  constructor(typeId: number, where: string) {
    super(ErrorCode.UnknownType, `unknown type id ${typeId} ${where}`);
    this.typeId = typeId;
  }
}

/** Throws an {@link InvalidArgumentError}; typed `never` so callers read as guards. */
export function invalidArgument(message: string): never {
  throw new InvalidArgumentError(message);
}

/** Checks that `value` is a non-negative safe integer, or throws {@link InvalidArgumentError}. */
export function checkSize(what: string, value: number, maximum = 0xffffffff): void {
  if (!Number.isInteger(value) || value < 0 || value > maximum) {
    invalidArgument(`${what} must be an integer in [0, ${maximum}], got ${describeValue(value)}`);
  }
}

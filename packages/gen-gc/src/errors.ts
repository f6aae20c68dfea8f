// Errors of the gc module API, with Python's exception names in their messages.

import { MemoryManagerError } from "@mm/heap";

/** Stable codes of this package's errors. */
export const GcErrorCode = {
  /** A bad argument to a gc function (Python raises ValueError). */
  Value: "ERR_MM_GC_VALUE",
  /** A collection stopped by an exception from the object model (a traverse, a dealloc). */
  Interrupted: "ERR_MM_GC_INTERRUPTED",
} as const;

/** `ValueError` from a gc function, e.g. `collect(3)`: "invalid generation". */
export class GcValueError extends MemoryManagerError {
  constructor(message: string) {
    super(GcErrorCode.Value, message);
    this.name = "GcValueError";
  }
}

/**
 * A collection was stopped by an exception that the object model threw where CPython's
 * collector cannot fail (a traverse, a dealloc, an unraisable hook that throws). The collector
 * has put every object it was working on back on a generation list with its collection marks
 * cleared, so `verify()` passes and the next collection starts afresh; `cause` is the error the
 * model threw.
 */
export class GcInterruptedError extends MemoryManagerError {
  /** The generation that was being collected. */
  readonly generation: number;

  constructor(generation: number, cause: unknown) {
    const why = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    super(
      GcErrorCode.Interrupted,
      `the collection of generation ${generation} was interrupted by the object model: ${why}`,
      { cause },
    );
    this.name = "GcInterruptedError";
    this.generation = generation;
  }
}

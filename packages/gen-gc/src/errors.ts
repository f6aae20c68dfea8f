// Errors of the gc module API, with Python's exception names in their messages.

import { MemoryManagerError } from "@mm/heap";

/** Stable codes of this package's errors. */
export const GcErrorCode = {
  /** A bad argument to a gc function (Python raises ValueError). */
  Value: "ERR_MM_GC_VALUE",
} as const;

/** `ValueError` from a gc function, e.g. `collect(3)`: "invalid generation". */
export class GcValueError extends MemoryManagerError {
  constructor(message: string) {
    super(GcErrorCode.Value, message);
    this.name = "GcValueError";
  }
}

// Errors of reference counting: misuse of counts, weak references to types that refuse them,
// and handles used after release.

import { hex, MemoryManagerError } from "@mm/heap";

/** Stable codes of this package's errors. */
export const RefcountErrorCode = {
  /** A count would go below zero or past 2^32 - 1, or an object being destroyed was revived. */
  Refcount: "ERR_MM_REFCOUNT",
  /** A weak reference to an object whose type does not allow them. */
  NotWeakrefable: "ERR_MM_NOT_WEAKREFABLE",
  /** An {@link OwnedRef} used after it was released or detached. */
  HandleReleased: "ERR_MM_HANDLE_RELEASED",
} as const;

/** What went wrong with a count. */
export type RefcountErrorKind = "underflow" | "overflow" | "dead";

const kindText: Record<RefcountErrorKind, string> = {
  underflow: "decref would take the reference count below zero",
  overflow: "incref would take the reference count past 2^32 - 1",
  dead: "incref of an object whose count already reached zero (it is being destroyed)",
};

/** A reference count was misused; nothing was changed. */
export class RefcountError extends MemoryManagerError {
  readonly kind: RefcountErrorKind;
  readonly address: number;

  constructor(kind: RefcountErrorKind, address: number, typeName: string) {
    super(RefcountErrorCode.Refcount, `${kindText[kind]}: ${typeName} object at ${hex(address)}`);
    this.kind = kind;
    this.address = address;
  }
}

/** `weakref.ref(x)` of an object whose type does not allow weak references (Python's TypeError). */
export class WeakrefTypeError extends MemoryManagerError {
  readonly address: number;

  constructor(address: number, typeName: string) {
    super(RefcountErrorCode.NotWeakrefable, `cannot create weak reference to '${typeName}' object`);
    this.address = address;
  }
}

/** An {@link OwnedRef} was released (or detached) already. */
export class ReleasedHandleError extends MemoryManagerError {
  readonly address: number;

  constructor(address: number) {
    super(
      RefcountErrorCode.HandleReleased,
      `the reference to ${hex(address)} was already released; releasing it again would be a second decref`,
    );
    this.address = address;
  }
}

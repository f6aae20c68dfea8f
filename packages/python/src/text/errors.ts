// The Python exceptions the text and number semantics raise. They are the runtime's
// `PythonError`s, so the evaluator catches one class for every exception a builtin raises.

import { PythonError, type PythonErrorType } from "@mm/runtime";

/**
 * The exception classes these semantics raise: the runtime's, plus the arithmetic ones
 * (ZeroDivisionError, OverflowError) that only numbers raise.
 */
export type TextErrorType = PythonErrorType | "ZeroDivisionError" | "OverflowError";

/**
 * Raises a Python exception of class `type` whose `str()` is `message` (CPython 3.11's wording).
 * Typed `never`, so callers read as guards.
 */
export function raise(type: TextErrorType, message: string): never {
  // The runtime's union names the classes its object layer raises; the arithmetic classes are
  // raised by number semantics only, and travel in the same error class with their own name.
  throw new PythonError(type as PythonErrorType, message);
}

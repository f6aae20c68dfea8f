// Errors of the runtime. Python-level errors keep Python's names and messages (what a trace's
// error event records); runtime misuse (a stale handle, a bad configuration, a bad trace) has
// its own typed errors with stable codes.

import { MemoryManagerError } from "@mm/heap";

/** Stable codes of this package's errors. */
export const RuntimeErrorCode = {
  /** A Python exception raised by the object layer (see `pythonType`). */
  Python: "ERR_MM_PYTHON",
  /** A handle that was released, belongs to another runtime, or was never issued. */
  StaleHandle: "ERR_MM_STALE_HANDLE",
  /** A configuration that cannot work (says why). */
  Config: "ERR_MM_CONFIG",
  /** An mm-trace that cannot be run: bad JSON, unknown op, missing field (names the line). */
  Trace: "ERR_MM_TRACE",
} as const;

/** The Python exception classes the runtime raises. */
export type PythonErrorType =
  | "MemoryError"
  | "RecursionError"
  | "ReferenceError"
  | "TypeError"
  | "ValueError"
  | "NameError"
  | "UnboundLocalError"
  | "AttributeError"
  | "KeyError"
  | "RuntimeError"
  | "IndexError"
  | "OverflowError";

/**
 * A Python exception: `pythonType` is its class name and `message` is `str(e)`, exactly as
 * CPython 3.11 formats them.
 */
export class PythonError extends MemoryManagerError {
  readonly pythonType: PythonErrorType;

  constructor(pythonType: PythonErrorType, message: string) {
    super(RuntimeErrorCode.Python, message);
    this.name = pythonType;
    this.pythonType = pythonType;
  }
}

/** Raises a Python exception; typed `never` so callers read as guards. */
export function raise(type: PythonErrorType, message: string): never {
  throw new PythonError(type, message);
}

/**
 * `PyNumber_AsSsize_t(key, IndexError)`: an int index as a number, or IndexError when it does
 * not fit a C `Py_ssize_t` (64 bits), before any range check of the sequence.
 */
export function indexSized(key: bigint): number {
  if (key < -(2n ** 63n) || key >= 2n ** 63n) {
    raise("IndexError", "cannot fit 'int' into an index-sized integer");
  }
  return Number(key);
}

/** Types whose CPython type has `tp_as_sequence` (user classes have one too, as heap types). */
const SEQUENCE_TYPES: ReadonlySet<string> = new Set([
  "tuple",
  "str",
  "set",
  "frozenset",
  "bytes",
  "range",
]);

/**
 * `del o[key]` on a type that has no item deletion. CPython 3.11 has two wordings: a type with
 * `tp_as_sequence` given an index goes through `PySequence_DelItem` ("doesn't"), after
 * converting the index (IndexError for one of 2**63 or more), and anything else ends in
 * `PyObject_DelItem`'s own message ("does not").
 * @param sequence - whether the type has `tp_as_sequence` beyond {@link SEQUENCE_TYPES} (an
 *   instance of a user class)
 * @param indexKey - whether the key is an int (or a bool)
 * @param index - the int key's value, when it is an int
 */
export function raiseItemDeletion(
  type: string,
  sequence: boolean,
  indexKey: boolean,
  index?: bigint,
): never {
  const sequencePath = indexKey && (sequence || SEQUENCE_TYPES.has(type));
  if (sequencePath && index !== undefined) indexSized(index);
  const word = sequencePath ? "doesn't" : "does not";
  throw new PythonError("TypeError", `'${type}' object ${word} support item deletion`);
}

/** A handle that is stale (released, or its runtime is gone) or forged. */
export class StaleHandleError extends MemoryManagerError {
  constructor(message: string) {
    super(RuntimeErrorCode.StaleHandle, message);
  }
}

/** A runtime configuration that cannot work; the message says why. */
export class ConfigError extends MemoryManagerError {
  constructor(message: string) {
    super(RuntimeErrorCode.Config, message);
  }
}

/** An mm-trace that cannot be run; names the file (when known) and the line. */
export class TraceError extends MemoryManagerError {
  readonly line: number;
  readonly file: string | undefined;

  constructor(line: number, message: string, file?: string) {
    super(RuntimeErrorCode.Trace, `${file ?? "trace"}:${line}: ${message}`);
    this.line = line;
    this.file = file;
  }
}

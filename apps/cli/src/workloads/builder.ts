// Writing an mm-trace line by line: the header, then one JSON object per op (specified in docs/mm-trace.md).

import { MAX_TRACE_BYTES } from "../trace/load.js";

/** A JSON value as a trace line holds it. */
export type Json =
  | null
  | boolean
  | number
  | string
  | readonly Json[]
  | { readonly [key: string]: Json };

/** One op of a trace, as JSON: `{"op": "new", ...}`. */
export type TraceOp = { readonly op: string } & { readonly [field: string]: Json };

/** `{"int": n}`. */
export const int = (value: number): Json => ({ int: value });
/** `{"float": x}`. */
export const float = (value: number): Json => ({ float: value });
/** `{"str": s}`. */
export const str = (value: string): Json => ({ str: value });

/** Thrown by {@link TraceBuilder.op} when the trace would pass its byte limit. */
export class TraceTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`the trace would be larger than ${maxBytes} bytes`);
    this.name = "TraceTooLargeError";
  }
}

/**
 * Accumulates a trace's lines, up to a limit on its bytes: a workload's size is the user's to
 * choose, and a trace past the limit would exhaust the JavaScript heap before it was written
 * (or could not be read back).
 */
export class TraceBuilder {
  readonly #lines: string[];
  readonly #maxBytes: number;
  /** UTF-16 units so far, newlines included: the bytes, near enough (the ops are ASCII). */
  #chars: number;

  /** @param maxBytes - the most the trace may hold; past it {@link op} throws */
  constructor(description: string, maxBytes = MAX_TRACE_BYTES) {
    const header = JSON.stringify({ "mm-trace": 1, description });
    this.#lines = [header];
    this.#chars = header.length + 1;
    this.#maxBytes = maxBytes;
  }

  /**
   * Appends one op.
   * @throws TraceTooLargeError when the trace would pass its byte limit
   */
  op(op: TraceOp): this {
    const line = JSON.stringify(op);
    this.#chars += line.length + 1;
    if (this.#chars > this.#maxBytes) throw new TraceTooLargeError(this.#maxBytes);
    this.#lines.push(line);
    return this;
  }

  /** Lines so far, the header included. */
  get lines(): number {
    return this.#lines.length;
  }

  /** The trace as text, one line per op and a final newline. */
  text(): string {
    return `${this.#lines.join("\n")}\n`;
  }
}

/** `{"op":"new","var":v,"type":"object","name":name}`, with `del` when asked. */
export function newObject(v: string, name: string, del = false): TraceOp {
  return del
    ? { op: "new", var: v, type: "object", name, del: true }
    : { op: "new", var: v, type: "object", name };
}

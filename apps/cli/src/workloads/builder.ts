// Writing an mm-trace line by line: the header, then one JSON object per op (specified in docs/mm-trace.md).

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

/** Accumulates a trace's lines. */
export class TraceBuilder {
  readonly #lines: string[];

  constructor(description: string) {
    this.#lines = [JSON.stringify({ "mm-trace": 1, description })];
  }

  /** Appends one op. */
  op(op: TraceOp): this {
    this.#lines.push(JSON.stringify(op));
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

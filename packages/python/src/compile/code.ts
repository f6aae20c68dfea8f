// A compiled code unit: what CPython keeps in a code object, as plain data. The evaluator
// makes the heap code object from it (its constants become heap objects the code object owns).

import type { ConstantValue } from "../syntax/ast.js";

/** `co_flags` bits that matter here. */
// biome-ignore lint/suspicious/noConstEnum: inlined by the bundler.
export const enum CodeFlags {
  Optimized = 0x1,
  NewLocals = 0x2,
  VarArgs = 0x4,
  VarKeywords = 0x8,
  Nested = 0x10,
  Generator = 0x20,
}

/** An exception handler of the table: where to go, at what stack depth, with lasti or not. */
export interface Handler {
  readonly target: number;
  readonly depth: number;
  readonly lasti: boolean;
}

/** A code constant: a literal, or a nested code unit (a function's body). */
export type CodeConstant = ConstantValue | CodeUnit;

/** One compiled function, class body, comprehension or module. */
export interface CodeUnit {
  readonly kind: "code";
  /** `co_name`. */
  readonly name: string;
  /** `co_qualname`. */
  readonly qualname: string;
  readonly filename: string;
  readonly firstLine: number;
  readonly flags: number;
  readonly argCount: number;
  readonly posOnlyArgCount: number;
  readonly kwOnlyArgCount: number;
  /** Local variables, parameters first (`co_varnames`). */
  readonly varnames: readonly string[];
  /** Locals that nested scopes capture (`co_cellvars`). */
  readonly cellvars: readonly string[];
  /** Variables captured from enclosing scopes (`co_freevars`). */
  readonly freevars: readonly string[];
  /**
   * For each cell variable, the local slot of the parameter it is, or -1 (MAKE_CELL moves a
   * parameter's value into its cell).
   */
  readonly cell2arg: readonly number[];
  /** Global, attribute and imported names (`co_names`). */
  readonly names: readonly string[];
  readonly consts: readonly CodeConstant[];
  /** Instructions: opcode and argument, two words each. */
  readonly code: Int32Array;
  /** The source line of each instruction (0 where it has none). */
  readonly lines: Int32Array;
  /**
   * The column (0-based) where the source of each instruction starts, or -1 where it has none;
   * with {@link endLines} and {@link endCols}, CPython's `co_positions()`, which tracebacks
   * underline.
   */
  readonly cols: Int32Array;
  /** The line where the source of each instruction ends. */
  readonly endLines: Int32Array;
  /** The column (0-based, exclusive) where the source of each instruction ends, or -1. */
  readonly endCols: Int32Array;
  /** The handler of each instruction, as an index into {@link handlers}, or -1. */
  readonly handlerOf: Int32Array;
  readonly handlers: readonly Handler[];
  /** The deepest the value stack gets. */
  readonly stackSize: number;
  /** The instruction count. */
  readonly length: number;
}

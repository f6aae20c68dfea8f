// The compiler's own errors: the SyntaxErrors CPython's symbol table and compiler raise for
// code the parser accepts (a misplaced `nonlocal`, `return` outside a function, …).

import type { Span } from "../syntax/ast.js";

/** A SyntaxError found after parsing, with CPython's message and the 1-based line and column. */
export class CompileError extends Error {
  override readonly name = "CompileError";
  readonly filename: string;
  readonly line: number;
  readonly col: number;
  /** The 1-based line where the offending node ends (`SyntaxError.end_lineno`). */
  readonly endLine: number;
  /** The 1-based column just past the offending node (`SyntaxError.end_offset`), or 0. */
  readonly endCol: number;
  /** The Python exception type CPython raises. */
  readonly pyType = "SyntaxError";

  constructor(
    message: string,
    filename: string,
    line: number,
    col: number,
    endLine = line,
    endCol = 0,
  ) {
    super(message);
    this.filename = filename;
    this.line = line;
    this.col = col;
    this.endLine = endLine;
    this.endCol = endCol;
  }

  /** The error reported at the whole of a node, as CPython's compiler reports its errors. */
  static at(message: string, filename: string, node: Span): CompileError {
    return new CompileError(
      message,
      filename,
      node.line,
      node.col + 1,
      node.endLine,
      node.endCol + 1,
    );
  }
}

// The compiler's own errors: the SyntaxErrors CPython's symbol table and compiler raise for
// code the parser accepts (a misplaced `nonlocal`, `return` outside a function, …).

/** A SyntaxError found after parsing, with CPython's message and the 1-based line and column. */
export class CompileError extends Error {
  override readonly name = "CompileError";
  readonly filename: string;
  readonly line: number;
  readonly col: number;
  /** The Python exception type CPython raises. */
  readonly pyType = "SyntaxError";

  constructor(message: string, filename: string, line: number, col: number) {
    super(message);
    this.filename = filename;
    this.line = line;
    this.col = col;
  }
}

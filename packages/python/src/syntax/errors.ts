// The error the front end raises for a program it will not run: either invalid Python (what
// CPython would report as SyntaxError or IndentationError, with CPython's wording where it is
// cheap to match) or valid Python outside the supported subset.

/** The Python exception class a syntax problem maps to. */
export type SyntaxErrorType = "SyntaxError" | "IndentationError" | "TabError";

/**
 * A program that cannot be compiled. `line` is 1-based and `col` is 1-based too, as in
 * CPython's `SyntaxError.offset` and in `prog.py:3:5`-style locations.
 */
export class PySyntaxError extends Error {
  /** The file name the source was parsed under (`"<string>"` by default). */
  readonly filename: string;
  /** 1-based line of the offending token. */
  readonly line: number;
  /** 1-based column of the offending token. */
  readonly col: number;
  /** 1-based line where the offending node ends (`SyntaxError.end_lineno`). */
  readonly endLine: number;
  /**
   * 1-based column just past the offending node (`SyntaxError.end_offset`), or 0 when the
   * error marks one place rather than a node.
   */
  readonly endCol: number;
  /** True when the program is valid Python that uses a construct this front end does not run. */
  readonly unsupported: boolean;
  /** The Python exception class CPython would raise. */
  readonly pyType: SyntaxErrorType;

  /**
   * @param message - the bare message, as CPython's `SyntaxError.msg` (no location prefix)
   * @param filename - the source's file name
   * @param line - 1-based line
   * @param col - 1-based column
   * @param options - `unsupported` for a valid construct outside the subset, `pyType` for
   *   IndentationError or TabError (SyntaxError otherwise), `endLine` and `endCol` where the
   *   offending node ends
   */
  constructor(
    message: string,
    filename: string,
    line: number,
    col: number,
    options: {
      readonly unsupported?: boolean;
      readonly pyType?: SyntaxErrorType;
      readonly endLine?: number;
      readonly endCol?: number;
    } = {},
  ) {
    super(message);
    this.name = "PySyntaxError";
    this.filename = filename;
    this.line = line;
    this.col = col;
    this.endLine = options.endLine ?? line;
    this.endCol = options.endCol ?? 0;
    this.unsupported = options.unsupported ?? false;
    this.pyType = options.pyType ?? "SyntaxError";
  }

  /** `file:line:col`, the location as compilers print it. */
  get location(): string {
    return `${this.filename}:${this.line}:${this.col}`;
  }
}

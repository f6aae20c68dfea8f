// The lines CPython 3.11 prints for one traceback entry and for a SyntaxError: the source line
// with its indentation removed, and under it the carets that mark the failing instruction's
// source range (PEP 657). A binary operation marks its operands with `~` and its operator with
// `^`; a subscript marks the indexed value with `~` and the brackets with `^`.

import type * as A from "../syntax/ast.js";
import { parse } from "../syntax/parse.js";

/** An instruction's source range: CPython's `co_positions()` entry (columns 0-based, -1 unknown). */
export interface SourceRange {
  readonly line: number;
  readonly endLine: number;
  readonly col: number;
  readonly endCol: number;
}

const isBlank = (c: string | undefined): boolean =>
  c === " " || c === "\t" || c === "\f" || c === "\n" || c === "\r" || c === "\v";

/** The number of blank characters `text` starts with. */
function indentOf(text: string): number {
  let i = 0;
  while (i < text.length && isBlank(text[i])) i++;
  return i;
}

/**
 * The source line and caret line of one traceback entry, as CPython 3.11 prints them after
 * `  File "…", line N, in f`: `"    text\n"`, then `"    ^^^\n"` when the range does not already
 * cover the whole line (an operator or subscript is marked even then). `raw` is the line as the
 * file has it; `range` is the instruction's, or undefined when it has none.
 */
export function tracebackSourceLines(raw: string, range: SourceRange | undefined): string {
  const text = raw.trim();
  if (text === "") return "";
  let out = `    ${text}\n`;
  if (range === undefined || range.col < 0 || range.endCol < 0) return out;
  const indent = indentOf(raw);
  const start = range.col;
  let end = range.endCol;
  let anchors: Anchors | undefined;
  if (range.line === range.endLine) {
    if (end <= start) return out;
    anchors = anchorsOf(raw.slice(start, end));
  } else {
    // An instruction whose source runs over several lines is marked to the end of its first.
    end = raw.trimEnd().length;
  }
  if (end - start === text.length && anchors === undefined) return out;
  let carets = " ".repeat(Math.max(0, start - indent));
  for (let i = Math.max(start, indent); i < end; i++) {
    const j = i - start;
    // Without anchors every place is primary (`^`); with them only the operator's.
    carets += anchors === undefined || (j >= anchors.left && j < anchors.right) ? "^" : "~";
  }
  out += `    ${carets}\n`;
  return out;
}

/** Where the `^` part of a range starts and ends, relative to the range's first character. */
interface Anchors {
  readonly left: number;
  readonly right: number;
}

/**
 * The operator of a binary operation or the brackets of a subscript that `segment` (an
 * instruction's source) consists of, found by parsing it as a module of one expression
 * statement as CPython's traceback printer does; undefined for anything else.
 */
function anchorsOf(segment: string): Anchors | undefined {
  let module: A.Module;
  try {
    module = parse(segment);
  } catch {
    return undefined;
  }
  if (module.body.length !== 1) return undefined;
  const stmt = module.body[0]!;
  if (stmt.kind !== "Expr" || stmt.line !== 1) return undefined;
  const e = stmt.value;
  if (e.kind === "BinOp") return operatorAnchors(segment, e.left, e.right);
  if (e.kind === "Subscript" && e.value.endLine === 1 && e.slice.endLine === 1) {
    let left = e.value.endCol;
    let right = e.slice.endCol + 1;
    while (left < segment.length && segment[left] !== "[") left++;
    while (right < segment.length && segment[right] !== "]") right++;
    if (right < segment.length) right++;
    return { left, right };
  }
  return undefined;
}

/** The operator between `left` and `right`: its first character, and its second if it has one. */
function operatorAnchors(segment: string, left: A.Expr, right: A.Expr): Anchors | undefined {
  if (left.endLine !== 1 || right.line !== 1) return undefined;
  for (let i = left.endCol; i < right.col; i++) {
    if (isBlank(segment[i])) continue;
    // A closing parenthesis of the left operand is not the operator: look further.
    if (segment[i] === ")" && i + 1 < right.col) continue;
    const two = i + 1 < right.col && !isBlank(segment[i + 1]);
    return { left: i, right: i + (two ? 2 : 1) };
  }
  return undefined;
}

/**
 * CPython's report of a SyntaxError (or IndentationError) it finds before running anything:
 * `  File "name", line N`, the line with its indentation removed and carets under the error
 * (from column `col` to `endCol`, both 1-based, the end exclusive; one caret when the end is
 * unknown, to the end of the line when the error runs over several), then `Type: message`.
 */
export function syntaxErrorReport(
  filename: string,
  line: number,
  col: number,
  text: string | undefined,
  type: string,
  message: string,
  end: { readonly endLine: number; readonly endCol: number } = { endLine: line, endCol: 0 },
): string {
  let out = `  File "${filename}", line ${line}\n`;
  if (text !== undefined) {
    // CPython's text keeps its newline, and the end is measured with it.
    const size = text.length + 1;
    let endCol = end.endLine > line ? size : end.endCol;
    if (endCol > size + 1) endCol = size + 1;
    const carets = endCol > 0 && endCol > col ? endCol - col : 1;
    const indent = indentOf(text);
    const shown = text.slice(indent);
    out += `    ${shown}\n`;
    const offset = Math.min(col - 1 - indent, shown.length);
    if (offset >= 0) out += `    ${" ".repeat(offset)}${"^".repeat(carets)}\n`;
  }
  return `${out}${type}: ${message}\n`;
}

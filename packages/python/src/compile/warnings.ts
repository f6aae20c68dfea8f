// The warnings CPython 3.11's compiler gives while it compiles a module: today the one a learner
// meets, `x is 1` ("is" with a literal), which says that identity is not equality.

import type * as A from "../syntax/ast.js";
import { Ellipsis } from "../syntax/ast.js";

/** A warning of the compiler, as `warnings.warn_explicit` reports it. */
export interface CompileWarning {
  readonly category: "SyntaxWarning";
  readonly message: string;
  /** The line of the expression it is about (1-based). */
  readonly line: number;
  readonly col: number;
}

/** check_is_arg: whether `e` may be an operand of `is` (anything but a constant other than a singleton). */
function isArgOk(e: A.Expr): boolean {
  if (e.kind !== "Constant") return true;
  const v = e.value;
  return v === null || v === true || v === false || v === Ellipsis;
}

/** check_compare: the first `is`/`is not` of a chain with a literal operand, if any. */
function compareWarning(e: A.Compare): CompileWarning | undefined {
  let left = isArgOk(e.left);
  for (let i = 0; i < e.ops.length; i++) {
    const right = isArgOk(e.comparators[i]!);
    const op = e.ops[i]!;
    if ((op === "is" || op === "is not") && !(left && right)) {
      const message =
        op === "is"
          ? '"is" with a literal. Did you mean "=="?'
          : '"is not" with a literal. Did you mean "!="?';
      return { category: "SyntaxWarning", message, line: e.line, col: e.col };
    }
    left = right;
  }
  return undefined;
}

/**
 * The warnings compiling `module` (after constant folding, as CPython checks the folded tree)
 * gives, in source order. Each is shown however often its line gives it: the compiler warns
 * without a registry, so the filter's once-per-location never applies.
 */
export function compileWarnings(module: A.Module): CompileWarning[] {
  const found: CompileWarning[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const child of node) walk(child);
      return;
    }
    if (node === null || typeof node !== "object" || node instanceof Uint8Array) return;
    const kind = (node as { kind?: unknown }).kind;
    if (kind === "Constant") return;
    if (kind === "Compare") {
      const w = compareWarning(node as A.Compare);
      if (w) found.push(w);
    }
    for (const value of Object.values(node)) walk(value);
  };
  walk(module.body);
  return found.sort((a, b) => a.line - b.line || a.col - b.col);
}

/**
 * A warning as the warnings module prints it on stderr: `file:line: Category: message`, then
 * the source line stripped when the file has one to show (not `<string>` or `<stdin>`).
 */
export function formatCompileWarning(
  w: CompileWarning,
  filename: string,
  lines: readonly string[],
): string {
  const head = `${filename}:${w.line}: ${w.category}: ${w.message}\n`;
  const text = filename.startsWith("<") ? undefined : lines[w.line - 1]?.trim();
  return text ? `${head}  ${text}\n` : head;
}

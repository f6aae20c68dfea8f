// Python source to the AST of ast.ts: @lezer/python's concrete tree, lowered node by node.
//
// The grammar is error-tolerant and looser than CPython's, so the lowering is where Python's
// rules are enforced: every error node the grammar leaves becomes a SyntaxError, the checks of
// CPython's tokenizer run first (scan.ts), and the checks CPython's parser, symbol table and
// compiler make on a well-formed tree (assignment targets, argument order, `return` outside a
// function …) are made here with CPython 3.11's messages. Errors are raised in CPython's order:
// tokenizer and parser errors as they are met, then symbol-table errors, then compiler errors;
// constructs outside the supported subset are reported only when the program is otherwise
// valid, since CPython would report its syntax error first.

import type { SyntaxNode } from "@lezer/common";
import { parser } from "@lezer/python";
import * as A from "./ast.js";
import { PySyntaxError, type SyntaxErrorType } from "./errors.js";
import { invalidSyntaxHint, KEYWORDS } from "./hints.js";
import { decodeBody, decodeNumber, type LiteralProblem, stringShape } from "./literals.js";
import { type ScanError, type ScanResult, scan, type Token } from "./scan.js";

/**
 * Parses Python 3.11 source into a `Module`.
 *
 * @param source - the program text (any newline convention)
 * @param filename - the name positions are reported under
 * @throws PySyntaxError for invalid Python (CPython's message and position where matched) and,
 *   with `unsupported: true`, for valid Python outside the supported subset
 */
export function parse(source: string, filename = "<string>"): A.Module {
  // CPython reads every newline convention as "\n"; lines and columns are unchanged by this.
  let src = source.includes("\r") ? source.replace(/\r\n?/g, "\n") : source;
  // A byte-order mark opens a file CPython reads as UTF-8; it is no part of the program.
  if (src.startsWith("\ufeff")) src = src.slice(1);
  return new Lowerer(src, filename).module();
}

/** Compound statements whose header can be missing its colon. */
const HEADER_NODES = new Set([
  "IfStatement",
  "WhileStatement",
  "ForStatement",
  "TryStatement",
  "WithStatement",
  "FunctionDefinition",
  "ClassDefinition",
  "Body",
]);

/** Where a statement sits: what `return`, `break`, `continue` and `nonlocal` may do there. */
/** CPython's compiler error for leaving an `except*` clause's body by a jump. */
const EXCEPT_STAR_EXIT = "'break', 'continue' and 'return' cannot appear in an except* block";

interface Scope {
  readonly fn: boolean;
  readonly loop: boolean;
  readonly module: boolean;
  /** Inside an `except*` clause's body, with no loop or function begun within it. */
  readonly exceptStar?: boolean;
}

/** An error whose report waits for the later phases (symbol table, compiler, subset check). */
interface Deferred {
  readonly message: string;
  readonly offset: number;
  /** Where the offending node ends, when the error covers one. */
  readonly end?: number;
  /** How far the parser read to find it, when that is past `offset` (see rankErrors). */
  readonly reach?: number;
  readonly unsupported?: boolean;
}

type Ctx = A.ExprContext;

/** How an invalid assignment target is reported, after the statement it appears in. */
type TargetUse = "assign" | "assign-here" | "for" | "with" | "comp" | "del";

const NO_NODES: readonly SyntaxNode[] = [];

/** Whether an f-string field's text has a `:` or a lone `!` outside brackets and quotes. */
function hasTopLevelColon(text: string): boolean {
  let depth = 0;
  let quote = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quote !== "") {
      if (c === quote) quote = "";
    } else if (c === "'" || c === '"') quote = c;
    else if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") depth--;
    else if (depth === 0 && (c === ":" || (c === "!" && text[i + 1] !== "="))) return true;
  }
  return false;
}

/**
 * Whether an f-string field's expression has a `#` outside its string literals: 3.11's
 * `fstring_find_expr` refuses one as the start of a comment, but reads strings whole.
 */
function hasCommentHash(text: string): boolean {
  let quote = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quote !== "") {
      if (text.startsWith(quote, i)) {
        i += quote.length - 1;
        quote = "";
      }
    } else if (c === "'" || c === '"') {
      quote = text.startsWith(c.repeat(3), i) ? c.repeat(3) : c;
      i += quote.length - 1;
    } else if (c === "#") return true;
  }
  return false;
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

function kids(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c !== null; c = c.nextSibling)
    if (c.name !== "Comment") out.push(c);
  return out;
}

/**
 * The grammar's error inside `cls()`, `[]`, `()` or `{}`: patterns without sub-patterns (its
 * lists want one): an empty error in an empty literal pattern that is the list's only item.
 */
function emptyClassPattern(node: SyntaxNode): boolean {
  const lit = node.parent;
  const list = lit?.parent;
  // `{}`: the closing brace ends up inside the error node.
  if (lit?.name === "MappingPattern" && kids(lit).length === 2) {
    const inner = kids(node);
    return inner.length === 1 && inner[0]?.name === "}";
  }
  return (
    node.from === node.to &&
    lit?.name === "LiteralPattern" &&
    lit.from === lit.to &&
    (list?.name === "PatternArgList" || list?.name === "SequencePattern") &&
    kids(list).length === 3
  );
}

/** Where the first error node under `node` starts, or null. */
function firstError(node: SyntaxNode | undefined): number | null {
  if (node === undefined) return null;
  if (node.type.isError) return node.from;
  for (let c = node.firstChild; c !== null; c = c.nextSibling) {
    const at = firstError(c);
    if (at !== null) return at;
  }
  return null;
}

/**
 * Splits a flat child list at its top-level commas (a trailing comma is reported, not kept as
 * an empty group). With `comprehensions`, a comma between a `for` and its `in` belongs to the
 * loop's target (`f(k for k, v in d)`), as the grammar leaves a call's generator flat.
 */
function splitCommas(
  nodes: readonly SyntaxNode[],
  comprehensions = false,
): { groups: SyntaxNode[][]; trailingComma: boolean } {
  if (nodes.length === 0) return { groups: [], trailingComma: false };
  const groups: SyntaxNode[][] = [[]];
  let inTarget = false;
  for (const n of nodes) {
    if (comprehensions && n.name === "for") inTarget = true;
    else if (n.name === "in") inTarget = false;
    if (n.name === "," && !inTarget) groups.push([]);
    else (groups[groups.length - 1] as SyntaxNode[]).push(n);
  }
  const trailingComma =
    groups.length > 1 && (groups[groups.length - 1] as SyntaxNode[]).length === 0;
  if (trailingComma) groups.pop();
  return { groups, trailingComma };
}

/** CPython's name for an expression kind in "cannot assign to …" messages (`_PyPegen_get_expr_name`). */
function exprName(e: A.Expr): string {
  switch (e.kind) {
    case "Attribute":
      return "attribute";
    case "Subscript":
      return "subscript";
    case "Starred":
      return "starred";
    case "Name":
      return "name";
    case "List":
      return "list";
    case "Tuple":
      return "tuple";
    case "Lambda":
      return "lambda";
    case "Call":
      return "function call";
    case "BoolOp":
    case "BinOp":
    case "UnaryOp":
      return "expression";
    case "GeneratorExp":
      return "generator expression";
    case "ListComp":
      return "list comprehension";
    case "SetComp":
      return "set comprehension";
    case "DictComp":
      return "dict comprehension";
    case "Dict":
      return "dict literal";
    case "Set":
      return "set display";
    case "JoinedStr":
    case "FormattedValue":
      return "f-string expression";
    case "Constant":
      if (e.value === null) return "None";
      if (e.value === true) return "True";
      if (e.value === false) return "False";
      if (e.value === A.Ellipsis) return "ellipsis";
      return "literal";
    case "Compare":
      return "comparison";
    case "IfExp":
      return "conditional expression";
    case "NamedExpr":
      return "named expression";
    case "Slice":
      return "slice";
    case "Yield":
    case "YieldFrom":
      return "yield expression";
  }
}

const BIN_OPS = new Set<string>([
  "+",
  "-",
  "*",
  "@",
  "/",
  "%",
  "**",
  "<<",
  ">>",
  "|",
  "^",
  "&",
  "//",
]);

/** A part of a `match` statement lowered from its tokens (see `Lowerer.matchParts`). */
interface MatchPart {
  readonly kind: "subject" | "emptyClass" | "strings" | "dottedKey";
  /** Where the part ends. */
  readonly to: number;
  /** The names of a class or key (`a`, `b`, `C` of `a.b.C`). */
  readonly names: readonly Token[];
}

class Lowerer {
  private readonly lineStarts: number[] = [0];
  private tokens: readonly Token[] = [];
  /** Where CPython's tokenizer ends each string literal, by its start. */
  private readonly stringEnds = new Map<number, number>();
  private symtableError: Deferred | null = null;
  private compileError: Deferred | null = null;
  private unsupportedError: Deferred | null = null;
  /** Offsets of `as` keywords rewritten to `:=` inside a parenthesized `with`. */
  private readonly rewrittenAs = new Set<number>();
  /** Offsets of `as` keywords rewritten to `==` before a `with` target that is not a name. */
  private readonly rewrittenWithAs = new Set<number>();
  /**
   * PEP 614 decorators the grammar does not read (`@deco[0]`, `@(lambda f: f)`, `@a.b().c`):
   * the end of each expression by the offset it starts at. The grammar is handed a name of the
   * same length there, and the expression is parsed on its own.
   */
  private readonly generalDecorators = new Map<number, number>();
  /**
   * Parts of `match` statements the grammar does not read, by the offset they start at: a
   * tuple subject (`match a, b:`), an empty class pattern inside another pattern
   * (`int(str() | (0) as a)`), implicitly concatenated strings (`case "a" "b":`) and dotted
   * names as mapping keys (`case {Color.RED: x}:`). The grammar is handed a name or a string of
   * the same length there (see matchRewrite), and the lowering reads the part from the tokens.
   */
  private readonly matchParts = new Map<number, MatchPart>();
  /**
   * Starred names among a comprehension's targets (`[x for a, *b in c]`), which the grammar
   * refuses: it is handed a space for the star. The star's offset by the name's.
   */
  private readonly starredTargets = new Map<number, number>();
  /** Where each case's pattern starts and ends (the `if` or `:` after it). */
  private readonly patternSpans: [number, number][] = [];

  constructor(
    private readonly src: string,
    private readonly filename: string,
  ) {
    for (let i = 0; i < src.length; i++) if (src.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
  }

  // ---------------------------------------------------------------- positions and errors

  private lineIndex(offset: number): number {
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private span(from: number, to: number): A.Span {
    const l = this.lineIndex(from);
    const el = to === from ? l : this.lineIndex(to);
    return {
      line: l + 1,
      col: from - (this.lineStarts[l] as number),
      endLine: el + 1,
      endCol: to - (this.lineStarts[el] as number),
    };
  }

  private nspan(node: SyntaxNode): A.Span {
    return this.span(node.from, node.to);
  }

  private errorAt(
    message: string,
    offset: number,
    pyType: SyntaxErrorType = "SyntaxError",
    unsupported = false,
    end?: number,
  ) {
    const l = this.lineIndex(offset);
    const el = end === undefined ? l : this.lineIndex(end);
    return new PySyntaxError(
      message,
      this.filename,
      l + 1,
      offset - (this.lineStarts[l] as number) + 1,
      {
        pyType,
        unsupported,
        ...(end === undefined
          ? {}
          : { endLine: el + 1, endCol: end - (this.lineStarts[el] as number) + 1 }),
      },
    );
  }

  /**
   * A parser-level error: raised at once, as CPython's parser stops at the first. `end` is
   * where the offending node ends, when the error covers one (CPython underlines all of it).
   */
  private fail(message: string, offset: number, end?: number): never {
    throw this.errorAt(message, offset, "SyntaxError", false, end);
  }

  private symtable(message: string, offset: number, end?: number): void {
    this.symtableError ??= end === undefined ? { message, offset } : { message, offset, end };
  }

  private compiler(message: string, offset: number, end?: number): void {
    this.compileError ??= end === undefined ? { message, offset } : { message, offset, end };
  }

  private unsupported(message: string, offset: number): void {
    this.unsupportedError ??= { message, offset };
  }

  private str(node: SyntaxNode): string {
    return this.src.slice(node.from, node.to);
  }

  private identifier(node: SyntaxNode): string {
    const s = this.str(node);
    // Python identifiers are NFKC-normalized; ASCII ones are already.
    return isAscii(s) ? s : s.normalize("NFKC");
  }

  // ---------------------------------------------------------------- the module

  module(): A.Module {
    const scanned = scan(this.src);
    this.tokens = scanned.tokens;
    for (const t of scanned.tokens) if (t.kind === "string") this.stringEnds.set(t.from, t.to);
    this.rewriteParenthesizedWith();
    this.findGeneralDecorators();
    this.findMatchParts();
    this.findStarredTargets();
    const tree = parser.parse(this.grammarText(scanned.trailingDots));

    let bad: SyntaxNode | null = null;
    tree.iterate({
      enter: (n) => {
        if (bad !== null) return false;
        if (n.type.isError && !this.bareYield(n.node) && !emptyClassPattern(n.node)) {
          bad = n.node;
          return false;
        }
        return undefined;
      },
    });
    const grammarError = bad === null ? null : this.grammarError(bad);
    let body: A.Stmt[] = [];
    let lowerError: PySyntaxError | null = null;
    // Lowering raises the parser's own checks (targets, arguments …), which rank with the rest;
    // past the grammar's first error only what lies before it counts.
    try {
      body = this.block(kids(tree.topNode), { fn: false, loop: false, module: true });
    } catch (e) {
      if (e instanceof PySyntaxError) lowerError = e;
      else if (grammarError === null) throw e;
    }
    // (Measured from the error node itself: the lowering meets it there.)
    const firstBad = bad as SyntaxNode | null;
    if (
      lowerError !== null &&
      firstBad !== null &&
      this.offsetOfError(lowerError) >= firstBad.from
    ) {
      lowerError = null;
    }
    this.rankErrors(scanned, grammarError, lowerError);
    for (const d of [this.symtableError, this.compileError])
      if (d !== null) throw this.errorAt(d.message, d.offset, "SyntaxError", false, d.end);
    const u = this.unsupportedError;
    if (u !== null) throw this.errorAt(u.message, u.offset, "SyntaxError", true);
    return { kind: "Module", body };
  }

  /**
   * Throws the error CPython would report first, if the scan or the grammar found any (see
   * scan.ts for CPython's ranking): a tokenizer error replaces any parser error; an unclosed
   * bracket is reported when the parser error is on a later line or at the end; otherwise the
   * first error in the source.
   */
  private rankErrors(
    scanned: ScanResult,
    found: Deferred | null,
    lowered: PySyntaxError | null,
  ): void {
    // A construct the grammar cannot read but Python can (a bare `yield`, a match pattern) is
    // no error position: any real error comes first.
    const real = scanned.positionalError ?? scanned.tokenizerError ?? scanned.neverClosed;
    const grammar = found?.unsupported === true && real !== null ? null : found;
    // The parser's error: one the lowering raised before the grammar's first, or the grammar's.
    const parser =
      lowered !== null
        ? { offset: this.offsetOfError(lowered), error: lowered }
        : grammar !== null
          ? {
              offset: grammar.reach ?? grammar.offset,
              error: this.errorAt(
                grammar.message,
                grammar.offset,
                "SyntaxError",
                grammar.unsupported,
                grammar.end,
              ),
            }
          : null;
    const throwScan = (e: ScanError): never => {
      const at = this.errorAt(e.message, e.offset, e.pyType);
      throw e.col === undefined
        ? at
        : new PySyntaxError(at.message, at.filename, at.line, e.col, { pyType: e.pyType });
    };
    const positional = scanned.positionalError;
    // The first error met in order; the scan's wins a tie (the grammar errs at the same token).
    const first =
      positional !== null &&
      (parser === null || (positional.order ?? positional.offset) <= parser.offset)
        ? {
            scan: positional,
            offset: positional.order ?? positional.offset,
            parserLevel: positional.parserLevel === true,
          }
        : parser === null
          ? null
          : { scan: null, offset: parser.offset, parserLevel: true };
    const t = scanned.tokenizerError;
    if (
      t !== null &&
      (first === null || first.parserLevel || (t.order ?? t.offset) <= first.offset)
    )
      throwScan(t);
    const open = scanned.neverClosed;
    if (open !== null) {
      const atEnd = first === null || this.src.slice(first.offset).trim() === "";
      if (atEnd || this.lineIndex(open.offset) < this.lineIndex(first.offset)) throwScan(open);
    }
    if (first?.scan) throwScan(first.scan);
    if (parser !== null) throw parser.error;
  }

  /**
   * Whether an error node is only the missing value of a bare `yield` (the grammar wants one,
   * Python does not): empty, after the keyword, before what may end the expression.
   */
  private bareYield(node: SyntaxNode): boolean {
    if (node.from !== node.to || node.prevSibling?.name !== "yield") return false;
    const rest = /^[ \t\f]*(.?)/.exec(this.src.slice(node.from))![1]!;
    return rest === "" || "\r\n);#]}".includes(rest);
  }

  /** The message and position for the grammar's first error node. */
  private grammarError(node: SyntaxNode): Deferred {
    const p = node.from;
    const parent = node.parent;
    let lineEnd = this.src.indexOf("\n", p);
    if (lineEnd < 0) lineEnd = this.src.length;
    const rest = this.src.slice(p, lineEnd).replace(/#.*/, "").trim();
    const startsBody = parent?.name === "Body" && parent.firstChild?.from === node.from;
    if (
      parent !== null &&
      HEADER_NODES.has(parent.name) &&
      (rest === "" || startsBody) &&
      !this.src.startsWith(":", p)
    ) {
      const prev = node.prevSibling;
      if (parent.name !== "Body" || startsBody) {
        if (prev === null || prev.name !== ":") return { message: "expected ':'", offset: p };
      }
    }
    let q = p;
    for (;;) {
      const c = this.src[q];
      if (c === " " || c === "\t" || c === "\f") q++;
      else if (c === "\\" && this.src[q + 1] === "\n") q += 2;
      else break;
    }
    // `yield x = 1`: the grammar ends the yield statement before the `=`; CPython's
    // invalid_assignment rule names the yield expression instead (`(star_targets '=')*
    // a=yield_expr '='`), its whole span underlined.
    // A bare `yield = 1` leaves the `=` inside the yield node, right after the keyword.
    const before = node.prevSibling;
    if (
      (before?.name === "YieldStatement" ||
        before?.name === "YieldExpression" ||
        (before?.name === "yield" && parent?.name === "YieldStatement")) &&
      this.src[q] === "=" &&
      this.src[q + 1] !== "="
    ) {
      return {
        message: "assignment to yield expression not possible",
        offset: before.from,
        end: before.to,
        reach: q,
      };
    }
    const tok = /^[A-Za-z_]\w*/.exec(this.src.slice(q, q + 20));
    if (tok !== null && tok[0] === "print" && parent?.name === "PrintStatement") {
      return {
        message: "Missing parentheses in call to 'print'. Did you mean print(...)?",
        offset: parent.from,
      };
    }
    return this.syntaxHint(q) ?? { message: "invalid syntax", offset: q };
  }

  /**
   * What CPython's parser says more precisely than "invalid syntax" at `offset`, if anything:
   * inside a case's pattern not the missing comma, which its rules find only in expressions.
   */
  private syntaxHint(offset: number): ReturnType<typeof invalidSyntaxHint> {
    const hint = invalidSyntaxHint(this.src, this.tokens, offset, (a, b) => this.describe(a, b));
    if (
      hint?.message.endsWith("Perhaps you forgot a comma?") &&
      this.patternSpans.some(([from, to]) => offset >= from && offset < to)
    )
      return null;
    return hint;
  }

  /** "invalid syntax" at `offset`, or what CPython's parser says more precisely there. */
  private failInvalid(offset: number): never {
    const hint = this.syntaxHint(offset);
    if (hint === null) this.fail("invalid syntax", offset);
    this.fail(hint.message, hint.offset, hint.end);
  }

  /** The kind CPython's messages give the expression written at `from`..`to`, if it is one. */
  private describe(from: number, to: number): string | null {
    try {
      const text = this.src.slice(from, to).replace(/\\?\n/g, " ");
      const body = new Lowerer(text, this.filename).module().body;
      const only = body[0];
      return body.length === 1 && only?.kind === "Expr" ? exprName(only.value) : null;
    } catch {
      return null;
    }
  }

  /**
   * `with (a as b, c):` is Python 3.9+ syntax the grammar lacks. Inside such parentheses each
   * `as` becomes `:=` (same length), so the grammar reads a tuple of named expressions; the
   * `with` lowering turns those back into items, recognizing them by these offsets.
   */
  private rewriteParenthesizedWith(): void {
    const toks = this.tokens;
    const text = (t: Token | undefined) => (t === undefined ? "" : this.src.slice(t.from, t.to));
    for (let i = 0; i + 1 < toks.length; i++) {
      const t = toks[i] as Token;
      if (t.kind !== "name" || text(t) !== "with") continue;
      // The header's tokens up to its `:`, with their bracket depth.
      let depth = 0;
      let j = i + 1;
      const asTokens: { tok: Token; depth: number; index: number }[] = [];
      let closeOfFirst = -1;
      for (; j < toks.length; j++) {
        const u = toks[j] as Token;
        const ch = this.src[u.from];
        if (u.kind === "op" && (ch === "(" || ch === "[" || ch === "{")) depth++;
        else if (u.kind === "op" && (ch === ")" || ch === "]" || ch === "}")) {
          depth--;
          if (depth === 0 && closeOfFirst < 0 && j > i + 1) closeOfFirst = j;
        } else if (u.kind === "op" && ch === ":" && depth === 0) break;
        else if (u.kind === "name" && text(u) === "as") asTokens.push({ tok: u, depth, index: j });
      }
      const open = toks[i + 1] as Token;
      const parenthesized = this.src[open.from] === "(" && closeOfFirst === j - 1;
      for (const a of asTokens) {
        if (parenthesized && a.depth === 1) {
          this.rewrittenAs.add(a.tok.from);
        } else if (a.depth === 0) {
          // `as name` the grammar reads; any other target (`as (a, b)`, `as self.f`) is handed
          // to it as `== target`, and the item is rebuilt from the comparison.
          const next = toks[a.index + 1];
          const after = toks[a.index + 2];
          const plain = next?.kind === "name" && (text(after) === "," || text(after) === ":");
          if (!plain) this.rewrittenWithAs.add(a.tok.from);
        }
      }
    }
  }

  /**
   * Finds the decorators whose expression is more than a dotted name with one call at its end
   * (see {@link Parser.generalDecorators}): an `@` that starts a line outside brackets, up to
   * the end of its logical line.
   */
  private findGeneralDecorators(): void {
    const toks = this.tokens;
    const ch = (t: Token | undefined) => (t === undefined ? "" : this.src[t.from]);
    const opens = (t: Token | undefined) =>
      t?.kind === "op" && (ch(t) === "(" || ch(t) === "[" || ch(t) === "{");
    const closes = (t: Token | undefined) =>
      t?.kind === "op" && (ch(t) === ")" || ch(t) === "]" || ch(t) === "}");
    /** Whether a new logical line starts between two tokens (a newline not continued by `\`). */
    const newLine = (a: Token, b: Token) => {
      const gap = this.src.slice(a.to, b.from);
      return gap.includes("\n") && !/\\[ \t\f]*\r?\n/.test(gap);
    };
    let depth = 0;
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i] as Token;
      if (opens(t)) depth++;
      else if (closes(t)) depth = Math.max(0, depth - 1);
      if (depth > 0 || t.kind !== "op" || ch(t) !== "@" || this.src[t.from + 1] === "=") continue;
      const prev = toks[i - 1];
      if (prev !== undefined && !newLine(prev, t)) continue;
      // The expression's tokens, to the end of the logical line.
      let inner = 0;
      let j = i + 1;
      for (; j < toks.length; j++) {
        const u = toks[j] as Token;
        if (opens(u)) inner++;
        else if (closes(u)) inner = Math.max(0, inner - 1);
        const next = toks[j + 1];
        if (inner === 0 && (next === undefined || newLine(u, next))) break;
      }
      if (j >= toks.length || j === i) continue;
      // What the grammar reads itself: name(.name)* and at most a call closing the line.
      const isName = (u: Token | undefined) =>
        u?.kind === "name" && !KEYWORDS.has(this.src.slice(u.from, u.to));
      let k = i + 1;
      let plain = isName(toks[k]);
      if (plain) {
        k++;
        while (k + 1 <= j && ch(toks[k]) === "." && isName(toks[k + 1])) k += 2;
        if (k <= j) {
          let d = 0;
          let close = -1;
          if (ch(toks[k]) === "(" && toks[k]?.kind === "op")
            for (let m = k; m <= j; m++) {
              if (opens(toks[m])) d++;
              else if (closes(toks[m]) && --d === 0) {
                close = m;
                break;
              }
            }
          plain = close === j;
        }
      }
      if (!plain) this.generalDecorators.set((toks[i + 1] as Token).from, (toks[j] as Token).to);
      i = j;
    }
  }

  /**
   * Finds the parts of `match` statements the grammar refuses (see `matchParts`): a logical
   * line `match …:` with a block after it is a match statement, and the lines of its block
   * that start with `case` are its cases, whose pattern runs to the first `if` or `:` outside
   * brackets.
   */
  private findMatchParts(): void {
    const toks = this.tokens;
    const ch = (t: Token | undefined) => (t === undefined ? "" : this.src.slice(t.from, t.to));
    const isOp = (t: Token | undefined, c: string) => t?.kind === "op" && ch(t) === c;
    const opens = (t: Token) => t.kind === "op" && "([{".includes(ch(t));
    const closes = (t: Token) => t.kind === "op" && ")]}".includes(ch(t));
    const isName = (t: Token | undefined) => t?.kind === "name" && !KEYWORDS.has(ch(t));
    const newLine = (a: Token, b: Token) => {
      const gap = this.src.slice(a.to, b.from);
      return gap.includes("\n") && !/\\[ \t\f]*\r?\n/.test(gap);
    };
    // Logical lines: first and last token, and the column of the first.
    const lines: { first: number; last: number; indent: number }[] = [];
    let depth = 0;
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i] as Token;
      const prev = toks[i - 1];
      if (prev === undefined || (depth === 0 && newLine(prev, t))) {
        const lineStart = this.src.lastIndexOf("\n", t.from - 1) + 1;
        lines.push({ first: i, last: i, indent: t.from - lineStart });
      } else (lines[lines.length - 1] as { last: number }).last = i;
      if (opens(t)) depth++;
      else if (closes(t)) depth = Math.max(0, depth - 1);
    }
    for (let l = 0; l < lines.length; l++) {
      const header = lines[l] as (typeof lines)[number];
      if (ch(toks[header.first]) !== "match" || toks[header.first]?.kind !== "name") continue;
      // The subject runs to the first `:` outside brackets; a comma outside them makes it a
      // tuple. A line going on after that colon (`match a, b: pass`, which CPython refuses) is
      // a match statement unless it assigns.
      let d = 0;
      let comma = false;
      let colon = -1;
      let assigns = false;
      let lambdas = 0;
      for (let i = header.first + 1; i <= header.last; i++) {
        const t = toks[i] as Token;
        if (t.kind === "name" && ch(t) === "lambda") lambdas++;
        else if (d === 0 && isOp(t, ":") && lambdas > 0) lambdas--;
        else if (opens(t)) d++;
        else if (closes(t)) d--;
        else if (d === 0 && isOp(t, ",") && colon < 0) comma = true;
        else if (d === 0 && isOp(t, ":") && colon < 0) colon = i;
        else if (d === 0 && isOp(t, "=") && colon >= 0) assigns = true;
      }
      if (colon < header.first + 2 || (colon !== header.last && assigns)) continue;
      if (comma) {
        const first = toks[header.first + 1] as Token;
        const last = toks[colon - 1] as Token;
        this.matchParts.set(first.from, { kind: "subject", to: last.to, names: [] });
      }
      const body = lines[l + 1];
      if (colon !== header.last || body === undefined || body.indent <= header.indent) continue;
      for (let c = l + 1; c < lines.length; c++) {
        const line = lines[c] as (typeof lines)[number];
        if (line.indent <= header.indent) break;
        if (line.indent !== body.indent || ch(toks[line.first]) !== "case") continue;
        if (toks[line.first]?.kind !== "name") continue;
        this.findPatternParts(line.first + 1, line.last, { ch, isOp, opens, closes, isName });
      }
    }
  }

  /**
   * Finds `*name` among the targets of a comprehension's `for` (between a `for` inside brackets
   * and its `in`, in nested brackets too).
   */
  private findStarredTargets(): void {
    const toks = this.tokens;
    const text = (t: Token | undefined) => (t === undefined ? "" : this.src.slice(t.from, t.to));
    // Whether each open bracket's level is inside a comprehension's targets.
    const levels: boolean[] = [false];
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i] as Token;
      const s = text(t);
      const top = levels.length - 1;
      if (t.kind === "op" && (s === "(" || s === "[" || s === "{")) levels.push(levels[top]!);
      else if (t.kind === "op" && (s === ")" || s === "]" || s === "}")) {
        if (levels.length > 1) levels.pop();
      } else if (t.kind === "name" && s === "for" && top > 0) levels[top] = true;
      else if (t.kind === "name" && s === "in" && top > 0) levels[top] = false;
      else if (t.kind === "op" && s === "*" && levels[top] === true) {
        const before = text(toks[i - 1]);
        const next = toks[i + 1];
        if (
          (before === "," || before === "for" || before === "(" || before === "[") &&
          next?.kind === "name" &&
          !this.src.slice(t.to, next.from).includes("\n") &&
          !KEYWORDS.has(text(next)) &&
          [",", ")", "]", "in"].includes(text(toks[i + 2]))
        )
          this.starredTargets.set(next.from, t.from);
      }
    }
  }

  /** The parts of one case's pattern (tokens `from` up to its `if` or `:`) to lower by hand. */
  private findPatternParts(
    from: number,
    last: number,
    t: {
      ch: (t: Token | undefined) => string;
      isOp: (t: Token | undefined, c: string) => boolean;
      opens: (t: Token) => boolean;
      closes: (t: Token) => boolean;
      isName: (t: Token | undefined) => boolean;
    },
  ): void {
    const toks = this.tokens;
    const brackets: string[] = [];
    const span: [number, number] = [(toks[from] as Token).from, (toks[last] as Token).to];
    this.patternSpans.push(span);
    for (let i = from; i <= last; i++) {
      const tok = toks[i] as Token;
      if (
        brackets.length === 0 &&
        (t.isOp(tok, ":") || (tok.kind === "name" && t.ch(tok) === "if"))
      ) {
        span[1] = tok.from;
        return;
      }
      if (t.opens(tok)) {
        brackets.push(t.ch(tok));
        continue;
      }
      if (t.closes(tok)) {
        brackets.pop();
        continue;
      }
      if (tok.kind === "string" && toks[i + 1]?.kind === "string") {
        let j = i + 1;
        while (toks[j + 1]?.kind === "string") j++;
        this.matchParts.set(tok.from, {
          kind: "strings",
          to: (toks[j] as Token).to,
          names: [],
        });
        i = j;
        continue;
      }
      if (!t.isName(tok) || t.isOp(toks[i - 1], ".")) continue;
      // name(.name)*, then `()` or (as a mapping's key) `:`.
      const names = [tok];
      let j = i;
      while (t.isOp(toks[j + 1], ".") && t.isName(toks[j + 2])) {
        names.push(toks[j + 2] as Token);
        j += 2;
      }
      const before = toks[i - 1];
      const keyPlace =
        brackets[brackets.length - 1] === "{" && (t.isOp(before, "{") || t.isOp(before, ","));
      // (Not a key, nor called or read further: those are errors the grammar reports.)
      if (
        t.isOp(toks[j + 1], "(") &&
        t.isOp(toks[j + 2], ")") &&
        !keyPlace &&
        ![".", "(", "["].includes(t.ch(toks[j + 3]))
      ) {
        this.matchParts.set(tok.from, {
          kind: "emptyClass",
          to: (toks[j + 2] as Token).to,
          names,
        });
        i = j + 2;
        continue;
      }
      if (names.length > 1 && keyPlace && t.isOp(toks[j + 1], ":")) {
        this.matchParts.set(tok.from, { kind: "dottedKey", to: (toks[j] as Token).to, names });
      }
      i = j;
    }
  }

  /** `a.b.c` of a class or key read from its name tokens, loaded. */
  private dottedFromTokens(names: readonly Token[]): A.Expr {
    const first = names[0] as Token;
    let e: A.Expr = {
      kind: "Name",
      id: this.identifierAt(first.from, first.to),
      ctx: "load",
      ...this.span(first.from, first.to),
    };
    for (const n of names.slice(1)) {
      e = {
        kind: "Attribute",
        value: e,
        attr: this.identifierAt(n.from, n.to),
        ctx: "load",
        ...this.span(first.from, n.to),
      };
    }
    return e;
  }

  private identifierAt(from: number, to: number): string {
    const s = this.src.slice(from, to);
    return isAscii(s) ? s : s.normalize("NFKC");
  }

  /**
   * An expression of the source at `from`..`to` parsed on its own, with the offsets it has
   * here (in parentheses, which a tuple's span does not include).
   */
  private expressionAt(from: number, to: number): A.Expr {
    const blank = this.src.slice(1, from).replace(/[^\n]/g, " ");
    const tree = parser.parse(`(${blank}${this.src.slice(from, to)})`);
    let bad: SyntaxNode | null = null;
    tree.iterate({
      enter: (n) => {
        if (bad !== null) return false;
        if (n.type.isError) bad = n.node;
        return undefined;
      },
    });
    if (bad !== null) return this.failInvalid(Math.min((bad as SyntaxNode).from, to));
    const statement = kids(tree.topNode)[0];
    const paren = statement && kids(statement)[0];
    if (paren?.name === "TupleExpression") {
      const e = this.expr(paren);
      return { ...e, ...this.span(from, to) };
    }
    const inner = paren && kids(paren).filter((c) => c.name !== "(" && c.name !== ")");
    if (paren?.name !== "ParenthesizedExpression" || inner?.length !== 1)
      return this.fail("invalid syntax", from);
    return this.expr(inner[0] as SyntaxNode);
  }

  /** A PEP 614 decorator's expression, parsed on its own with the offsets it has here. */
  private generalDecorator(from: number, to: number): A.Expr {
    const blank = this.src.slice(1, from).replace(/[^\n]/g, " ");
    const tree = parser.parse(`(${blank}${this.src.slice(from, to)})`);
    let bad: SyntaxNode | null = null;
    tree.iterate({
      enter: (n) => {
        if (bad !== null) return false;
        if (n.type.isError) bad = n.node;
        return undefined;
      },
    });
    if (bad !== null) return this.fail("invalid syntax", Math.min((bad as SyntaxNode).from, to));
    const statement = kids(tree.topNode)[0];
    const paren = statement && kids(statement)[0];
    const inner = paren && kids(paren).filter((c) => c.name !== "(" && c.name !== ")");
    if (paren?.name !== "ParenthesizedExpression" || inner?.length !== 1)
      return this.fail("invalid syntax", from);
    return this.expr(inner[0] as SyntaxNode);
  }

  /**
   * The grammar reads a statement-initial `print` not followed by `(` or `.` as Python 2's print
   * statement, which also catches `print = f` or `print;`. Where an operator follows, the
   * grammar is handed `Print` instead (the name is read back from the source); before a name,
   * number or string the print statement stays, for CPython's "Missing parentheses" error.
   */
  private printNames(): number[] {
    const out: number[] = [];
    const toks = this.tokens;
    toks.forEach((t, i) => {
      if (t.kind !== "name" || this.src.slice(t.from, t.to) !== "print") return;
      const next = toks[i + 1];
      const sameLine = next !== undefined && !this.src.slice(t.to, next.from).includes("\n");
      if (
        !sameLine ||
        (next.kind === "op" && this.src[next.from] !== "(" && this.src[next.from] !== ".")
      ) {
        out.push(t.from);
      }
    });
    return out;
  }

  /**
   * Two spots where the grammar reads an f-string otherwise than CPython 3.11: a backslash
   * right before a brace (`rf"\{x}"`, `f"\{x}"`) hides the field from it, so it is handed an
   * `x` there (the literal text is read back from the source); and a float written `1.` inside
   * a field gets the same `0` as outside.
   */
  private fstringEdits(): [number, string][] {
    const out: [number, string][] = [];
    for (const t of this.tokens) {
      if (t.kind !== "string") continue;
      const text = this.src.slice(t.from, t.to);
      const quote = text.search(/['"]/);
      if (!/f/i.test(text.slice(0, quote))) continue;
      for (let i = quote; i < text.length - 1; i++) {
        if (text[i] === "\\" && (text[i + 1] === "{" || text[i + 1] === "}"))
          out.push([t.from + i, "x"]);
      }
      for (const m of text.matchAll(/(?<![\w.])[0-9][0-9_]*\.(?![0-9_a-df-iA-DF-Ik-zK-Z.])/g)) {
        out.push([t.from + (m.index as number) + m[0].length - 1, "0"]);
      }
    }
    return out;
  }

  /** The text the grammar reads: the source with same-length substitutions at some offsets. */
  private grammarText(trailingDots: readonly number[]): string {
    const edits: [number, string][] = [
      ...[...this.rewrittenAs].map((at): [number, string] => [at, ":="]),
      ...[...this.rewrittenWithAs].map((at): [number, string] => [at, "=="]),
      ...this.printNames().map((at): [number, string] => [at, "P"]),
      ...this.fstringEdits(),
      ...trailingDots.map((at): [number, string] => [at, "0"]),
      ...[...this.generalDecorators].map(([at, end]): [number, string] => [
        at,
        "_".repeat(end - at),
      ]),
      ...[...this.starredTargets.values()].map((at): [number, string] => [at, " "]),
      ...[...this.matchParts].map(([at, part]): [number, string] => [
        at,
        part.kind === "subject" || part.kind === "emptyClass"
          ? "_".repeat(part.to - at)
          : `"${"_".repeat(part.to - at - 2)}"`,
      ]),
    ];
    if (edits.length === 0) return this.src;
    edits.sort((a, b) => a[0] - b[0]);
    // Nothing else is edited inside a decorator the grammar is handed as a name.
    for (let i = 1; i < edits.length; i++) {
      const [at, text] = edits[i - 1] as [number, string];
      if ((edits[i] as [number, string])[0] < at + text.length) edits.splice(i--, 1);
    }
    let out = "";
    let last = 0;
    for (const [at, text] of edits) {
      out += this.src.slice(last, at) + text;
      last = at + text.length;
    }
    return out + this.src.slice(last);
  }

  // ---------------------------------------------------------------- statements

  private block(nodes: readonly SyntaxNode[], scope: Scope): A.Stmt[] {
    const out: A.Stmt[] = [];
    for (const n of nodes) this.statement(n, scope, out);
    return out;
  }

  private body(node: SyntaxNode | undefined, scope: Scope): A.Stmt[] {
    if (node === undefined || node.name !== "Body")
      return this.fail("invalid syntax", node?.from ?? this.src.length);
    const stmts = this.block(
      kids(node).filter((k) => k.name !== ":"),
      scope,
    );
    if (stmts.length === 0) this.fail("invalid syntax", node.to);
    return stmts;
  }

  /**
   * Where a block ends: its last statement's end, or the `;` after it (CPython ends a block at
   * its last token before the newline).
   */
  private lastEnd(stmts: readonly A.Stmt[]): { endLine: number; endCol: number } {
    const last = stmts[stmts.length - 1] as A.Stmt;
    let at = (this.lineStarts[last.endLine - 1] as number) + last.endCol;
    while (this.src[at] === " " || this.src[at] === "\t" || this.src[at] === "\f") at++;
    if (this.src[at] === ";")
      return {
        endLine: last.endLine,
        endCol: at + 1 - (this.lineStarts[last.endLine - 1] as number),
      };
    return { endLine: last.endLine, endCol: last.endCol };
  }

  /** A compound statement's span: from its first keyword to the end of its last statement. */
  private compoundSpan(from: number, last: readonly A.Stmt[]): A.Span {
    const s = this.span(from, from);
    return { line: s.line, col: s.col, ...this.lastEnd(last) };
  }

  private statement(node: SyntaxNode, scope: Scope, out: A.Stmt[]): void {
    const k = kids(node);
    const sp = (): A.Span => this.nspan(node);
    switch (node.name) {
      case "StatementGroup": {
        let prev: SyntaxNode | null = null;
        for (const c of k) {
          // The grammar lets `;` repeat; Python allows one between statements.
          if (c.name === ";" && prev?.name === ";") this.fail("invalid syntax", c.from);
          if (c.name !== ";") this.statement(c, scope, out);
          prev = c;
        }
        return;
      }
      case "ExpressionStatement": {
        const value = this.loadList(k, node);
        out.push({ kind: "Expr", value, ...sp() });
        return;
      }
      case "AssignStatement":
        out.push(this.assign(node, k));
        return;
      case "UpdateStatement": {
        const opIndex = k.findIndex((c) => c.name === "UpdateOp");
        const opNode = k[opIndex] as SyntaxNode;
        const targetNodes = k.slice(0, opIndex);
        const target = this.exprList(targetNodes, node);
        if (target.kind !== "Name" && target.kind !== "Attribute" && target.kind !== "Subscript") {
          this.fail(
            `'${exprName(target)}' is an illegal expression for augmented assignment`,
            node.from,
            (targetNodes[targetNodes.length - 1] ?? node).to,
          );
        }
        const valueNodes = k.slice(opIndex + 1);
        const value = this.valueList(valueNodes, node);
        const op = this.str(opNode).slice(0, -1);
        if (!BIN_OPS.has(op)) this.fail("invalid syntax", opNode.from);
        out.push({
          kind: "AugAssign",
          target: this.toTarget(target, "store", "assign"),
          op: op as A.BinOpKind,
          value,
          ...sp(),
        });
        return;
      }
      case "DeleteStatement": {
        const { groups } = splitCommas(k.slice(1));
        const targets = groups.map((g) => this.toTarget(this.single(g, node), "del", "del"));
        out.push({ kind: "Delete", targets, ...sp() });
        return;
      }
      case "PassStatement":
        out.push({ kind: "Pass", ...sp() });
        return;
      case "BreakStatement":
        if (scope.exceptStar) this.compiler(EXCEPT_STAR_EXIT, node.from, node.to);
        if (!scope.loop) this.compiler("'break' outside loop", node.from, node.to);
        out.push({ kind: "Break", ...sp() });
        return;
      case "ContinueStatement":
        if (scope.exceptStar) this.compiler(EXCEPT_STAR_EXIT, node.from, node.to);
        if (!scope.loop) this.compiler("'continue' not properly in loop", node.from, node.to);
        out.push({ kind: "Continue", ...sp() });
        return;
      case "ReturnStatement": {
        if (!scope.fn) this.compiler("'return' outside function", node.from, node.to);
        const rest = k.slice(1);
        const value = rest.length === 0 ? null : this.loadList(rest, node);
        // CPython's compiler reports it where it stands after compiling the value.
        if (scope.exceptStar)
          value
            ? this.compiler(EXCEPT_STAR_EXIT, this.offsetOf(value), this.endOf(value))
            : this.compiler(EXCEPT_STAR_EXIT, node.from, node.to);
        out.push({ kind: "Return", value, ...sp() });
        return;
      }
      case "YieldStatement":
        out.push({ kind: "Expr", value: this.yieldExpr(node), ...sp() });
        return;
      case "PrintStatement":
        this.fail(
          "Missing parentheses in call to 'print'. Did you mean print(...)?",
          node.from,
          node.to,
        );
        return;
      case "RaiseStatement": {
        const comma = k.find((c) => c.name === ",");
        if (comma !== undefined) this.fail("invalid syntax", comma.from);
        const fromAt = k.findIndex((c) => c.name === "from");
        const exc = k[1] !== undefined && k[1].name !== "from" ? this.expr(k[1]) : null;
        const cause = fromAt >= 0 ? this.expr(k[fromAt + 1] as SyntaxNode) : null;
        out.push({ kind: "Raise", exc, cause, ...sp() });
        return;
      }
      case "ImportStatement":
        out.push(this.importStatement(node, k, scope));
        return;
      case "ScopeStatement": {
        const names = k
          .slice(1)
          .filter((c) => c.name === "VariableName")
          .map((c) => this.identifier(c));
        if ((k[0] as SyntaxNode).name === "nonlocal") {
          if (scope.module)
            this.symtable("nonlocal declaration not allowed at module level", node.from, node.to);
          out.push({ kind: "Nonlocal", names, ...sp() });
        } else {
          out.push({ kind: "Global", names, ...sp() });
        }
        return;
      }
      case "AssertStatement": {
        const { groups, trailingComma } = splitCommas(k.slice(1));
        if (groups.length > 2 || trailingComma) this.fail("invalid syntax", node.to);
        const test = this.single(groups[0] ?? [], node);
        const msg = groups[1] === undefined ? null : this.single(groups[1], node);
        out.push({ kind: "Assert", test, msg, ...sp() });
        return;
      }
      case "TypeDefinition":
        this.fail("invalid syntax", (k[1] ?? node).from);
        return;
      case "IfStatement":
        out.push(this.ifStatement(k, 0, scope));
        return;
      case "WhileStatement": {
        const test = this.expr(k[1] as SyntaxNode);
        const body = this.body(k[2], { ...scope, loop: true, exceptStar: false });
        const orelse = k[3]?.name === "else" ? this.body(k[4], scope) : [];
        out.push({
          kind: "While",
          test,
          body,
          orelse,
          ...this.compoundSpan(node.from, orelse.length > 0 ? orelse : body),
        });
        return;
      }
      case "ForStatement":
        out.push(this.forStatement(node, k, scope));
        return;
      case "TryStatement":
        out.push(this.tryStatement(node, k, scope));
        return;
      case "WithStatement":
        out.push(this.withStatement(node, k, scope));
        return;
      case "FunctionDefinition":
        out.push(this.functionDef(node, k, []));
        return;
      case "ClassDefinition":
        out.push(this.classDef(node, k, []));
        return;
      case "DecoratedStatement": {
        const decorators = k.filter((c) => c.name === "Decorator").map((d) => this.decorator(d));
        const def = k[k.length - 1] as SyntaxNode;
        if (def.name === "FunctionDefinition")
          out.push(this.functionDef(def, kids(def), decorators));
        else out.push(this.classDef(def, kids(def), decorators));
        return;
      }
      case "MatchStatement":
        out.push(this.matchStatement(node, k, scope));
        return;
      default:
        this.fail("invalid syntax", node.from);
    }
  }

  /** `match subject:` and its cases (the grammar takes one expression as the subject). */
  private matchStatement(node: SyntaxNode, k: readonly SyntaxNode[], scope: Scope): A.Match {
    const tuple = k[1] === undefined ? undefined : this.matchParts.get(k[1].from);
    // A tuple subject was handed to the grammar as one name; what is left here is invalid
    // (`match *a:`).
    if (k[1]?.name === "*") this.failInvalid((k[3] ?? node).from);
    if (k[2]?.name !== "MatchBody") this.failInvalid((k[2] ?? node).from);
    const subject =
      tuple?.kind === "subject" && k[1]!.to === tuple.to
        ? this.expressionAt(k[1]!.from, tuple.to)
        : this.expr(k[k[1]?.name === "*" ? 2 : 1] as SyntaxNode);
    const body = k.find((c) => c.name === "MatchBody");
    if (body === undefined) return this.fail("invalid syntax", node.to);
    const cases: A.MatchCase[] = [];
    for (const clause of kids(body)) {
      if (clause.name !== "MatchClause") continue;
      const parts = kids(clause).filter((c) => c.name !== "case");
      const pats: SyntaxNode[] = [];
      let guard: A.Expr | null = null;
      let block: SyntaxNode | undefined;
      for (const c of parts) {
        if (c.name === "Guard") guard = this.expr(kids(c)[1] as SyntaxNode);
        else if (c.name === "Body") block = c;
        else if (c.name !== ",") pats.push(c);
      }
      if (pats.length === 0) this.fail("invalid syntax", clause.from);
      const trailing = parts.findIndex((c) => c.name === "Guard" || c.name === "Body");
      const open = pats.length > 1 || parts[trailing - 1]?.name === ",";
      const pattern: A.Pattern = open
        ? {
            kind: "MatchSequence",
            patterns: pats.map((p) => this.pattern(p)),
            ...this.span(pats[0]!.from, pats[pats.length - 1]!.to),
          }
        : this.pattern(pats[0]!);
      cases.push({ pattern, guard, body: this.body(block, scope) });
    }
    const last = cases[cases.length - 1]!.body;
    return { kind: "Match", subject, cases, ...this.compoundSpan(node.from, last) };
  }

  /** A pattern node of the grammar as an AST pattern (Python's own rules checked here). */
  private pattern(node: SyntaxNode): A.Pattern {
    const k = kids(node);
    const sp = this.nspan(node);
    const part = this.matchParts.get(node.from);
    if (part?.kind === "emptyClass" && part.to === node.to) {
      const names = part.names;
      return {
        kind: "MatchClass",
        cls: this.dottedFromTokens(names),
        patterns: [],
        kwdAttrs: [],
        kwdPatterns: [],
        ...sp,
      };
    }
    switch (node.name) {
      case "CapturePattern": {
        const name = this.identifier(k[0] as SyntaxNode);
        return { kind: "MatchAs", pattern: null, name: name === "_" ? null : name, ...sp };
      }
      case "AsPattern": {
        const inner = this.pattern(k[0] as SyntaxNode);
        const target = k[k.length - 1] as SyntaxNode;
        const name = this.identifier(target);
        if (name === "_") this.fail("cannot use '_' as a target", target.from, target.to);
        return { kind: "MatchAs", pattern: inner, name, ...sp };
      }
      case "OrPattern": {
        // The grammar binds `as` tighter than `|`; Python's `a | b as n` names the whole or.
        const alts = k.filter((c) => c.name !== "LogicOp");
        const lastAlt = alts[alts.length - 1] as SyntaxNode;
        if (lastAlt.name === "AsPattern") {
          const ak = kids(lastAlt);
          const inner = ak[0] as SyntaxNode;
          const or: A.Pattern = {
            kind: "MatchOr",
            patterns: [...alts.slice(0, -1).map((c) => this.pattern(c)), this.pattern(inner)],
            ...this.span(node.from, inner.to),
          };
          const target = ak[ak.length - 1] as SyntaxNode;
          const name = this.identifier(target);
          if (name === "_") this.fail("cannot use '_' as a target", target.from, target.to);
          return { kind: "MatchAs", pattern: or, name, ...sp };
        }
        return {
          kind: "MatchOr",
          patterns: alts.map((c) => this.pattern(c)),
          ...sp,
        };
      }
      case "StarPattern": {
        const inner = k[1] as SyntaxNode;
        if (inner.name !== "CapturePattern") this.fail("invalid syntax", inner.from);
        const name = this.identifier(kids(inner)[0] as SyntaxNode);
        return { kind: "MatchStar", name: name === "_" ? null : name, ...sp };
      }
      case "SequencePattern": {
        const items = k.filter(
          (c) =>
            !["[", "]", "(", ")", ","].includes(c.name) &&
            !(c.name === "LiteralPattern" && c.from === c.to),
        );
        const commas = k.some((c) => c.name === ",");
        if (k[0]?.name === "(" && items.length === 1 && !commas) return this.pattern(items[0]!);
        return { kind: "MatchSequence", patterns: items.map((c) => this.pattern(c)), ...sp };
      }
      case "AttributePattern":
        return { kind: "MatchValue", value: this.dotted(node), ...sp };
      case "LiteralPattern":
        return this.literalPattern(node, k, sp);
      case "MappingPattern": {
        const keys: A.Expr[] = [];
        const patterns: A.Pattern[] = [];
        let rest: string | null = null;
        for (let i = 1; i < k.length - 1; i++) {
          const c = k[i] as SyntaxNode;
          if (c.name === ",") continue;
          if (c.name === "**") {
            const target = k[i + 1] as SyntaxNode;
            if (target.name !== "CapturePattern") this.fail("invalid syntax", target.from);
            rest = this.identifier(kids(target)[0] as SyntaxNode);
            if (rest === "_") this.fail("invalid syntax", target.from);
            i++;
            if (k[i + 1]?.name === "," && k[i + 2]?.name !== "}")
              this.fail("invalid syntax", (k[i + 2] as SyntaxNode).from);
            continue;
          }
          // A bare name is no key: CPython's parser stops at the colon after it.
          if (c.name === "VariableName") this.fail("invalid syntax", (k[i + 1] ?? c).from);
          const key = this.literalPattern(c, kids(c), this.nspan(c));
          keys.push(key.kind === "MatchValue" ? key.value : this.singletonExpr(key, c));
          patterns.push(this.pattern(k[i + 2] as SyntaxNode));
          i += 2;
        }
        return { kind: "MatchMapping", keys, patterns, rest, ...sp };
      }
      case "ClassPattern": {
        const cls = k[0] as SyntaxNode;
        const clsExpr: A.Expr =
          cls.name === "VariableName"
            ? { kind: "Name", id: this.identifier(cls), ctx: "load", ...this.nspan(cls) }
            : this.dotted(cls);
        const patterns: A.Pattern[] = [];
        const kwdAttrs: string[] = [];
        const kwdPatterns: A.Pattern[] = [];
        for (const a of kids(k[1] as SyntaxNode)) {
          if (a.name === "(" || a.name === ")" || a.name === ",") continue;
          if (a.name === "LiteralPattern" && a.from === a.to) continue;
          if (a.name === "KeywordPattern") {
            const [n, p] = kids(a).filter((c) => c.name !== "=");
            kwdAttrs.push(this.identifier(n as SyntaxNode));
            kwdPatterns.push(this.pattern(p as SyntaxNode));
          } else {
            if (kwdAttrs.length > 0)
              this.fail("positional patterns follow keyword patterns", a.from, a.to);
            patterns.push(this.pattern(a));
          }
        }
        return { kind: "MatchClass", cls: clsExpr, patterns, kwdAttrs, kwdPatterns, ...sp };
      }
      default:
        return this.fail("invalid syntax", node.from);
    }
  }

  /** `a.b.c` of a value or class pattern, loaded. */
  private dotted(node: SyntaxNode): A.Expr {
    const k = kids(node);
    let e: A.Expr = {
      kind: "Name",
      id: this.identifier(k[0] as SyntaxNode),
      ctx: "load",
      ...this.nspan(k[0] as SyntaxNode),
    };
    for (const c of k) {
      if (c.name !== "PropertyName") continue;
      e = {
        kind: "Attribute",
        value: e,
        attr: this.identifier(c),
        ctx: "load",
        ...this.span(node.from, c.to),
      };
    }
    return e;
  }

  /** A literal pattern: a singleton compared by `is`, or a value (signed and complex numbers too). */
  private literalPattern(node: SyntaxNode, k: readonly SyntaxNode[], sp: A.Span): A.Pattern {
    const first = k[0];
    if (first === undefined) return this.fail("invalid syntax", node.from);
    if (first.name === "None") return { kind: "MatchSingleton", value: null, ...sp };
    if (first.name === "Boolean")
      return { kind: "MatchSingleton", value: this.str(first) === "True", ...sp };
    const part = this.matchParts.get(first.from);
    if (part !== undefined && part.to === first.to && first.name === "String") {
      if (part.kind === "dottedKey")
        return { kind: "MatchValue", value: this.dottedFromTokens(part.names), ...sp };
      if (part.kind === "strings") {
        const value = this.expressionAt(first.from, first.to);
        if (value.kind === "JoinedStr")
          this.fail("patterns may only match literals and attribute lookups", first.from, first.to);
        return { kind: "MatchValue", value, ...sp };
      }
    }
    if (first.name === "String" || first.name === "FormatString") {
      if (first.name === "FormatString" || /^[a-zA-Z]*[fF]/.test(this.str(first)))
        this.fail("patterns may only match literals and attribute lookups", first.from, first.to);
      return { kind: "MatchValue", value: this.expr(first), ...sp };
    }
    let i = 0;
    let neg = false;
    if (first.name === "ArithOp") {
      neg = true;
      i = 1;
    }
    const num = k[i] as SyntaxNode;
    let value: A.Expr = this.expr(num);
    if (neg) value = { kind: "UnaryOp", op: "-", operand: value, ...this.span(first.from, num.to) };
    const op = k[i + 1];
    if (op !== undefined) {
      const imag = k[i + 2] as SyntaxNode;
      const text = this.str(imag);
      if (!/[jJ]$/.test(text))
        this.fail("imaginary number required in complex literal", imag.from, imag.to);
      if (/[jJ]$/.test(this.str(num)))
        this.fail("real number required in complex literal", num.from, num.to);
      value = {
        kind: "BinOp",
        left: value,
        op: this.str(op) === "+" ? "+" : "-",
        right: this.expr(imag),
        ...this.span(first.from, imag.to),
      };
    }
    return { kind: "MatchValue", value, ...sp };
  }

  /** A mapping pattern's `None`/`True`/`False` key as the constant it looks up. */
  private singletonExpr(p: A.Pattern, node: SyntaxNode): A.Expr {
    if (p.kind !== "MatchSingleton") return this.fail("invalid syntax", node.from);
    return { kind: "Constant", value: p.value, ...this.nspan(node) };
  }

  private assign(node: SyntaxNode, k: readonly SyntaxNode[]): A.Stmt {
    const segs: SyntaxNode[][] = [[]];
    let annotation: SyntaxNode | null = null;
    for (const c of k) {
      if (c.name === "AssignOp") segs.push([]);
      else if (c.name === "TypeDef" && segs.length === 1) annotation = c;
      else (segs[segs.length - 1] as SyntaxNode[]).push(c);
    }
    const sp = this.nspan(node);
    if (annotation !== null) {
      const ann = this.expr(kids(annotation).filter((c) => c.name !== ":")[0] as SyntaxNode);
      if (segs.length > 2)
        this.fail("invalid syntax", (k.filter((c) => c.name === "AssignOp")[1] as SyntaxNode).from);
      const targetNodes = segs[0] as SyntaxNode[];
      const t = this.exprList(targetNodes, node);
      if (t.kind === "Tuple" || t.kind === "List") {
        this.fail(
          `only single target (not ${t.kind === "Tuple" ? "tuple" : "list"}) can be annotated`,
          node.from,
        );
      }
      if (t.kind !== "Name" && t.kind !== "Attribute" && t.kind !== "Subscript") {
        this.fail("illegal target for annotation", node.from);
      }
      const simple = t.kind === "Name" && (targetNodes[0] as SyntaxNode).name === "VariableName";
      const valueNodes = segs[1];
      const value = valueNodes === undefined ? null : this.valueList(valueNodes, node);
      return {
        kind: "AnnAssign",
        target: this.toTarget(t, "store", "assign"),
        annotation: ann,
        value,
        simple,
        ...sp,
      };
    }
    const value = this.valueList(segs[segs.length - 1] as SyntaxNode[], node);
    const targetSegs = segs.slice(0, -1);
    const targets = targetSegs.map((seg) => {
      const t = this.exprList(seg, node);
      const use: TargetUse = targetSegs.length === 1 ? "assign-here" : "assign";
      return this.toTarget(t, "store", use, true);
    });
    return { kind: "Assign", targets, value, ...sp };
  }

  /**
   * `yield`, `yield value(s)` or `yield from value`, as a statement or an expression (the
   * grammar's YieldStatement and YieldExpression have the same children).
   */
  private yieldExpr(node: SyntaxNode): A.Yield | A.YieldFrom {
    const rest = kids(node)
      .slice(1)
      .filter((c) => !c.type.isError);
    // A bare `yield` spans its keyword (the grammar's node takes in the space after it).
    const sp = this.span(node.from, rest.length === 0 ? node.from + 5 : node.to);
    if (rest[0]?.name === "from") return { kind: "YieldFrom", value: this.expr(rest[1]!), ...sp };
    return { kind: "Yield", value: rest.length === 0 ? null : this.loadList(rest, node), ...sp };
  }

  /** The right side of an assignment: an expression list, or a `yield` expression. */
  private valueList(nodes: readonly SyntaxNode[], parent: SyntaxNode): A.Expr {
    const first = nodes[0];
    if (first?.name === "YieldExpression") return this.expr(first);
    return this.loadList(nodes, parent);
  }

  private ifStatement(k: readonly SyntaxNode[], at: number, scope: Scope): A.If {
    // k[at] is `if` or `elif`; then the test and the body.
    const kw = k[at] as SyntaxNode;
    const testNode = k[at + 1] as SyntaxNode;
    if (testNode.name === "Body") return this.fail("invalid syntax", testNode.from);
    const test = this.expr(testNode);
    const body = this.body(k[at + 2], scope);
    const next = k[at + 3];
    let orelse: A.Stmt[] = [];
    if (next?.name === "elif") orelse = [this.ifStatement(k, at + 3, scope)];
    else if (next?.name === "else") orelse = this.body(k[at + 4], scope);
    return {
      kind: "If",
      test,
      body,
      orelse,
      ...this.compoundSpan(kw.from, orelse.length > 0 ? orelse : body),
    };
  }

  private forStatement(node: SyntaxNode, k: readonly SyntaxNode[], scope: Scope): A.For {
    let i = 0;
    if (k[0]?.name === "async") {
      this.unsupported("async for is not supported", node.from);
      i = 1;
    }
    const inAt = k.findIndex((c) => c.name === "in");
    const bodyAt = k.findIndex((c) => c.name === "Body");
    const target = this.toTarget(this.exprList(k.slice(i + 1, inAt), node), "store", "for");
    const iter = this.loadList(k.slice(inAt + 1, bodyAt), node);
    const body = this.body(k[bodyAt], { ...scope, loop: true, exceptStar: false });
    const orelse = k[bodyAt + 1]?.name === "else" ? this.body(k[bodyAt + 2], scope) : [];
    return {
      kind: "For",
      target,
      iter,
      body,
      orelse,
      ...this.compoundSpan(node.from, orelse.length > 0 ? orelse : body),
    };
  }

  private tryStatement(node: SyntaxNode, k: readonly SyntaxNode[], scope: Scope): A.Try {
    const body = this.body(k[1], scope);
    const handlers: A.ExceptHandler[] = [];
    let orelse: A.Stmt[] = [];
    let finalbody: A.Stmt[] = [];
    let starred = false;
    let i = 2;
    while (i < k.length) {
      const kw = k[i] as SyntaxNode;
      if (kw.name === "except") {
        let j = i + 1;
        const parts: SyntaxNode[] = [];
        while (j < k.length && (k[j] as SyntaxNode).name !== "Body")
          parts.push(k[j++] as SyntaxNode);
        const star = parts[0]?.name === "*";
        if (star) {
          parts.shift();
          // `except*` needs a type: CPython's parser stops at the colon.
          if (parts.length === 0 || parts[0]?.name === "as")
            this.fail("expected one or more exception types", (k[j] as SyntaxNode).from);
        }
        if (handlers.length > 0 && starred !== star)
          this.fail(
            "cannot have both 'except' and 'except*' on the same 'try'",
            kw.from,
            star ? (k[i + 1] as SyntaxNode).to : kw.to,
          );
        starred = star;
        const comma = parts.findIndex((c) => c.name === ",");
        if (comma >= 0)
          this.fail(
            "multiple exception types must be parenthesized",
            (parts[0] as SyntaxNode).from,
            (parts[parts.length - 1] as SyntaxNode).to,
          );
        const asAt = parts.findIndex((c) => c.name === "as");
        const type =
          parts.length > 0 && parts[0]?.name !== "as" ? this.expr(parts[0] as SyntaxNode) : null;
        const name = asAt >= 0 ? this.identifier(parts[asAt + 1] as SyntaxNode) : null;
        const hbody = this.body(k[j], star ? { ...scope, exceptStar: true } : scope);
        const last = handlers[handlers.length - 1];
        if (last !== undefined && last.type === null)
          this.compiler("default 'except:' must be last", this.offsetOf(last));
        handlers.push({
          kind: "ExceptHandler",
          type,
          name,
          body: hbody,
          ...this.compoundSpan(kw.from, hbody),
        });
        i = j + 1;
      } else if (kw.name === "else") {
        orelse = this.body(k[i + 1], scope);
        i += 2;
      } else if (kw.name === "finally") {
        finalbody = this.body(k[i + 1], scope);
        i += 2;
      } else {
        return this.fail("invalid syntax", kw.from);
      }
    }
    if (handlers.length === 0 && finalbody.length === 0) this.noHandler(node);
    const last =
      finalbody.length > 0
        ? finalbody
        : orelse.length > 0
          ? orelse
          : handlers.length > 0
            ? []
            : body;
    const span =
      last.length > 0
        ? this.compoundSpan(node.from, last)
        : { ...this.span(node.from, node.from), ...this.handlerEnd(handlers) };
    // CPython's TryStar node is a Try marked here (the mark left off a plain try).
    return {
      kind: "Try",
      body,
      handlers,
      orelse,
      finalbody,
      ...(starred ? { star: true } : {}),
      ...span,
    };
  }

  private handlerEnd(handlers: readonly A.ExceptHandler[]): { endLine: number; endCol: number } {
    const h = handlers[handlers.length - 1] as A.ExceptHandler;
    return { endLine: h.endLine, endCol: h.endCol };
  }

  /**
   * A `try` without handlers: CPython stops at the token after its block, or at the end of the
   * file, whose last line it reports with no column (so no caret).
   */
  private noHandler(node: SyntaxNode): never {
    const message = "expected 'except' or 'finally' block";
    const next = this.tokens.find((t) => t.from >= node.to);
    if (next !== undefined) this.fail(message, next.from, next.to);
    const lines = this.lineStarts.length - (this.src.endsWith("\n") ? 1 : 0);
    throw new PySyntaxError(message, this.filename, Math.max(1, lines), 0);
  }

  private offsetOfError(e: PySyntaxError): number {
    return (this.lineStarts[e.line - 1] as number) + e.col - 1;
  }

  private offsetOf(s: A.Span): number {
    return (this.lineStarts[s.line - 1] as number) + s.col;
  }

  private endOf(s: A.Span): number {
    return (this.lineStarts[s.endLine - 1] as number) + s.endCol;
  }

  private withStatement(node: SyntaxNode, k: readonly SyntaxNode[], scope: Scope): A.With {
    let i = 1;
    if (k[0]?.name === "async") {
      this.unsupported("async with is not supported", node.from);
      i = 2;
    }
    const bodyAt = k.findIndex((c) => c.name === "Body");
    const { groups } = splitCommas(k.slice(i, bodyAt));
    const items: A.WithItem[] = [];
    const only = groups.length === 1 ? (groups[0] as SyntaxNode[]) : null;
    if (only !== null && only.length === 1 && (only[0] as SyntaxNode).name === "TupleExpression") {
      // `with (a, b as c):` — the parentheses group the items.
      const tuple = only[0] as SyntaxNode;
      const inner = kids(tuple).filter((c) => c.name !== "(" && c.name !== ")");
      for (const g of splitCommas(inner).groups) items.push(this.withItem(g, node));
    } else {
      for (const g of groups) items.push(this.withItem(g, node));
    }
    const body = this.body(k[bodyAt], scope);
    return { kind: "With", items, body, ...this.compoundSpan(node.from, body) };
  }

  private withItem(g: readonly SyntaxNode[], parent: SyntaxNode): A.WithItem {
    let first = g[0];
    if (first === undefined) return this.fail("invalid syntax", parent.from);
    if (first.name === "ParenthesizedExpression" && g.length === 1) {
      const inner = kids(first).filter((c) => c.name !== "(" && c.name !== ")");
      if (
        inner.length === 1 &&
        (inner[0] as SyntaxNode).name === "NamedExpression" &&
        this.isRewrittenAs(inner[0] as SyntaxNode)
      ) {
        first = inner[0] as SyntaxNode;
      }
    }
    if (first.name === "NamedExpression" && this.isRewrittenAs(first)) {
      const [lhs, , rhs] = kids(first);
      return {
        contextExpr: this.expr(lhs as SyntaxNode),
        optionalVars: this.toTarget(this.expr(rhs as SyntaxNode), "store", "with"),
      };
    }
    if (first.name === "*") return this.fail("invalid syntax", first.from);
    const op = first.name === "BinaryExpression" ? kids(first)[1] : undefined;
    if (g.length === 1 && op !== undefined && this.rewrittenWithAs.has(op.from)) {
      const [lhs, , rhs] = kids(first);
      return {
        contextExpr: this.expr(lhs as SyntaxNode),
        optionalVars: this.toTarget(this.expr(rhs as SyntaxNode), "store", "with"),
      };
    }
    const contextExpr = this.expr(first);
    if (g.length === 1) return { contextExpr, optionalVars: null };
    if (g[1]?.name !== "as" || g.length !== 3)
      return this.fail("invalid syntax", (g[1] as SyntaxNode).from);
    return {
      contextExpr,
      optionalVars: this.toTarget(this.expr(g[2] as SyntaxNode), "store", "with"),
    };
  }

  private isRewrittenAs(named: SyntaxNode): boolean {
    const op = kids(named)[1];
    return op !== undefined && this.rewrittenAs.has(op.from);
  }

  private functionDef(
    node: SyntaxNode,
    k: readonly SyntaxNode[],
    decorators: A.Expr[],
  ): A.FunctionDef {
    let i = 0;
    if (k[0]?.name === "async") {
      this.unsupported("async functions are not supported", node.from);
      i = 1;
    }
    const nameNode = k[i + 1] as SyntaxNode;
    let j = i + 2;
    if (k[j]?.name === "TypeParamList") this.fail("invalid syntax", (k[j] as SyntaxNode).from);
    const params = k[j] as SyntaxNode;
    const args = this.parameters(
      kids(params).filter((c) => c.name !== "(" && c.name !== ")"),
      params,
      false,
    );
    j++;
    let returns: A.Expr | null = null;
    if (k[j]?.name === "TypeDef") {
      returns = this.expr(kids(k[j] as SyntaxNode).filter((c) => c.name !== ":")[0] as SyntaxNode);
      j++;
    }
    // A function body starts a new scope: no enclosing loop, `return` allowed.
    const body = this.body(k[j], { fn: true, loop: false, module: false });
    return {
      kind: "FunctionDef",
      name: this.identifier(nameNode),
      args,
      body,
      decorators,
      returns,
      ...this.compoundSpan(node.from, body),
    };
  }

  private classDef(node: SyntaxNode, k: readonly SyntaxNode[], decorators: A.Expr[]): A.ClassDef {
    const nameNode = k[1] as SyntaxNode;
    let j = 2;
    if (k[j]?.name === "TypeParamList") this.fail("invalid syntax", (k[j] as SyntaxNode).from);
    let bases: A.Expr[] = [];
    let keywords: A.Keyword[] = [];
    if (k[j]?.name === "ArgList") {
      const call = this.argList(k[j] as SyntaxNode, true);
      bases = call.args;
      keywords = call.keywords;
      j++;
    }
    // A class body is no function and no loop: `return`, `break` there are errors.
    const body = this.body(k[j], { fn: false, loop: false, module: false });
    return {
      kind: "ClassDef",
      name: this.identifier(nameNode),
      bases,
      keywords,
      body,
      decorators,
      ...this.compoundSpan(node.from, body),
    };
  }

  /** `@a.b(args)`: the grammar allows a dotted name with an optional call. */
  private decorator(node: SyntaxNode): A.Expr {
    const k = kids(node).filter((c) => c.name !== "At");
    const general = k[0] && this.generalDecorators.get(k[0].from);
    if (general !== undefined && k[0]) return this.generalDecorator(k[0].from, general);
    let e: A.Expr | null = null;
    let start = 0;
    for (const c of k) {
      if (c.name === "VariableName") {
        if (e === null) {
          e = { kind: "Name", id: this.identifier(c), ctx: "load", ...this.nspan(c) };
          start = c.from;
        } else {
          e = {
            kind: "Attribute",
            value: e,
            attr: this.identifier(c),
            ctx: "load",
            ...this.span(start, c.to),
          };
        }
      } else if (c.name === "ArgList" && e !== null) {
        const { args, keywords } = this.argList(c);
        e = { kind: "Call", func: e, args, keywords, ...this.span(start, c.to) };
      }
    }
    return e ?? this.fail("invalid syntax", node.from);
  }

  private importStatement(
    node: SyntaxNode,
    k: readonly SyntaxNode[],
    scope: Scope,
  ): A.Import | A.ImportFrom {
    const sp = this.nspan(node);
    if ((k[0] as SyntaxNode).name === "import") {
      const names = splitCommas(k.slice(1)).groups.map((g) => this.alias(g, node));
      return { kind: "Import", names, ...sp };
    }
    let i = 1;
    let level = 0;
    for (; i < k.length; i++) {
      const c = k[i] as SyntaxNode;
      if (c.name === ".") level++;
      else if (c.name === "Ellipsis") level += 3;
      else break;
    }
    const importAt = k.findIndex((c) => c.name === "import");
    const modParts = k.slice(i, importAt);
    const module =
      modParts.length === 0
        ? null
        : modParts
            .filter((c) => c.name === "VariableName")
            .map((c) => this.identifier(c))
            .join(".");
    const rest = k.slice(importAt + 1).filter((c) => c.name !== "(" && c.name !== ")");
    if (rest.length === 1 && (rest[0] as SyntaxNode).name === "*") {
      if (!scope.module)
        this.symtable("import * only allowed at module level", (rest[0] as SyntaxNode).from);
      return {
        kind: "ImportFrom",
        module,
        names: [{ name: "*", asname: null, ...this.nspan(rest[0] as SyntaxNode) }],
        level,
        ...sp,
      };
    }
    const names = splitCommas(rest).groups.map((g) => {
      const dot = g.find((c) => c.name === ".");
      if (dot !== undefined) this.fail("invalid syntax", dot.from);
      return this.alias(g, node);
    });
    return { kind: "ImportFrom", module, names, level, ...sp };
  }

  private alias(g: readonly SyntaxNode[], parent: SyntaxNode): A.Alias {
    const first = g[0];
    const last = g[g.length - 1];
    if (first === undefined || last === undefined) return this.fail("invalid syntax", parent.to);
    const asAt = g.findIndex((c) => c.name === "as");
    const nameParts = (asAt >= 0 ? g.slice(0, asAt) : g).filter((c) => c.name === "VariableName");
    const asname = asAt >= 0 ? this.identifier(g[asAt + 1] as SyntaxNode) : null;
    return {
      name: nameParts.map((c) => this.identifier(c)).join("."),
      asname,
      ...this.span(first.from, last.to),
    };
  }

  // ---------------------------------------------------------------- parameters and arguments

  /** A parameter list (a `def`'s, inside its parentheses, or a `lambda`'s). */
  private parameters(
    nodes: readonly SyntaxNode[],
    container: SyntaxNode,
    isLambda: boolean,
  ): A.Arguments {
    let posonlyargs: A.Arg[] = [];
    const args: A.Arg[] = [];
    const defaults: A.Expr[] = [];
    let vararg: A.Arg | null = null;
    const kwonlyargs: A.Arg[] = [];
    const kwDefaults: (A.Expr | null)[] = [];
    let kwarg: A.Arg | null = null;
    let sawStar = false;
    let bareStar: SyntaxNode | null = null;
    let sawSlash = false;
    // Separators bound each group; the text between them shows a `/` the tree has no node for.
    const groups: { nodes: SyntaxNode[]; from: number; to: number }[] = [];
    let cur: SyntaxNode[] = [];
    let from = isLambda ? container.from : container.from + 1;
    for (const n of nodes) {
      if (n.name === ",") {
        groups.push({ nodes: cur, from, to: n.from });
        cur = [];
        from = n.to;
      } else cur.push(n);
    }
    groups.push({ nodes: cur, from, to: isLambda ? container.to : container.to - 1 });
    const seen = new Set<string>();
    const arg = (name: SyntaxNode, typedef: SyntaxNode | undefined): A.Arg => {
      const id = this.identifier(name);
      if (seen.has(id))
        this.symtable(`duplicate argument '${id}' in function definition`, name.from);
      seen.add(id);
      if (typedef === undefined) return { arg: id, annotation: null, ...this.nspan(name) };
      const annNode = kids(typedef).filter((c) => c.name !== ":")[0] as SyntaxNode;
      return { arg: id, annotation: this.expr(annNode), ...this.span(name.from, typedef.to) };
    };
    for (const g of groups) {
      const [a, b, c, d] = g.nodes;
      if (a === undefined) {
        const gap = this.src.slice(g.from, g.to).replace(/#[^\n]*/g, "");
        if (!gap.includes("/")) continue;
        const at = g.from + gap.indexOf("/");
        if (sawSlash) this.fail("/ may appear only once", at);
        if (sawStar) this.fail("/ must be ahead of *", at);
        if (args.length === 0) this.fail("at least one argument must precede /", at);
        sawSlash = true;
        posonlyargs = args.splice(0);
        continue;
      }
      if (kwarg !== null) this.fail("arguments cannot follow var-keyword argument", a.from);
      if (a.name === "*") {
        if (sawStar) this.fail("* argument may appear only once", a.from);
        sawStar = true;
        if (b === undefined) bareStar = a;
        else vararg = arg(b, c?.name === "TypeDef" ? c : undefined);
        continue;
      }
      if (a.name === "**") {
        if (bareStar !== null && kwonlyargs.length === 0)
          this.fail("named arguments must follow bare *", bareStar.from);
        kwarg = arg(b as SyntaxNode, c?.name === "TypeDef" ? c : undefined);
        continue;
      }
      const typedef = b?.name === "TypeDef" ? b : undefined;
      const eq = typedef === undefined ? b : c;
      const dflt = typedef === undefined ? c : d;
      const p = arg(a, typedef);
      const value = eq?.name === "AssignOp" && dflt !== undefined ? this.expr(dflt) : null;
      if (sawStar) {
        kwonlyargs.push(p);
        kwDefaults.push(value);
      } else {
        if (value !== null) defaults.push(value);
        else if (defaults.length > 0)
          this.fail("non-default argument follows default argument", a.from);
        args.push(p);
      }
    }
    if (bareStar !== null && kwonlyargs.length === 0)
      this.fail("named arguments must follow bare *", bareStar.from);
    return { posonlyargs, args, vararg, kwonlyargs, kwDefaults, kwarg, defaults };
  }

  /** A call's arguments, in CPython's order checks. */
  private argList(node: SyntaxNode, isClass = false): { args: A.Expr[]; keywords: A.Keyword[] } {
    const inner = kids(node).filter((c) => c.name !== "(" && c.name !== ")");
    // CPython points "positional argument follows …" just past the call's last argument.
    const lastTo = inner.filter((c) => c.name !== ",").at(-1)?.to ?? node.to;
    const { groups, trailingComma } = splitCommas(inner, true);
    const args: A.Expr[] = [];
    const keywords: A.Keyword[] = [];
    let sawKeyword = false;
    let sawDoubleStar = false;
    const names = new Set<string>();
    for (const g of groups) {
      const [a, b, c] = g as [SyntaxNode, SyntaxNode | undefined, SyntaxNode | undefined];
      if (g.some((x) => x.name === "for" || x.name === "async")) {
        // A class's bases are no call: `class C(x for x in y)` is invalid at the `for`.
        if (isClass) this.fail("invalid syntax", (g.find((x) => x.name === "for") ?? a).from);
        // A lone generator argument borrows the call's parentheses (its span is theirs).
        const gen = this.comprehension("GeneratorExp", g, node);
        if (groups.length !== 1 || trailingComma) {
          this.fail(
            "Generator expression must be parenthesized",
            a.from,
            (g[g.length - 1] ?? a).to,
          );
        }
        args.push(gen);
        continue;
      }
      if (a.name === "*" && b !== undefined) {
        if (sawDoubleStar)
          this.fail("iterable argument unpacking follows keyword argument unpacking", a.from);
        args.push({
          kind: "Starred",
          value: this.expr(b),
          ctx: "load",
          ...this.span(a.from, b.to),
        });
        continue;
      }
      if (a.name === "**" && b !== undefined) {
        sawDoubleStar = true;
        keywords.push({ arg: null, value: this.expr(b), ...this.span(a.from, b.to) });
        continue;
      }
      if (b?.name === "AssignOp" && c !== undefined) {
        if (this.str(b) === "=") {
          const name = this.identifier(a);
          if (name === "True" || name === "False" || name === "None")
            this.fail(`cannot assign to ${name}`, a.from, a.to);
          if (names.has(name)) this.compiler(`keyword argument repeated: ${name}`, a.from);
          names.add(name);
          sawKeyword = true;
          keywords.push({ arg: name, value: this.expr(c), ...this.span(a.from, c.to) });
          continue;
        }
      }
      const e =
        g.length === 1
          ? this.expr(a)
          : b?.name === "AssignOp"
            ? this.namedExpr(a, b, c, a.from, c?.to ?? a.to)
            : null;
      if (e === null) return this.fail("invalid syntax", (b as SyntaxNode).from);
      if (sawDoubleStar)
        this.fail("positional argument follows keyword argument unpacking", lastTo);
      if (sawKeyword) this.fail("positional argument follows keyword argument", lastTo);
      args.push(e);
    }
    return { args, keywords };
  }

  // ---------------------------------------------------------------- expressions

  /** One expression from a group that must hold exactly one. */
  private single(g: readonly SyntaxNode[], parent: SyntaxNode): A.Expr {
    const [a, b] = g;
    if (a === undefined) return this.fail("invalid syntax", parent.to);
    if (a.name === "*" && b !== undefined) {
      return { kind: "Starred", value: this.expr(b), ctx: "load", ...this.span(a.from, b.to) };
    }
    if (b !== undefined) return this.fail("invalid syntax", b.from);
    return this.expr(a);
  }

  /** An expression list whose value is used: a bare `*a` is only allowed inside a display. */
  private loadList(nodes: readonly SyntaxNode[], parent: SyntaxNode): A.Expr {
    const e = this.exprList(nodes, parent);
    if (e.kind === "Starred")
      this.compiler("can't use starred expression here", this.offsetOf(e), this.endOf(e));
    return e;
  }

  /** `a, *b, c` (a tuple, unparenthesized) or a single expression. */
  private exprList(nodes: readonly SyntaxNode[], parent: SyntaxNode): A.Expr {
    const { groups, trailingComma } = splitCommas(nodes);
    if (groups.length === 1 && !trailingComma)
      return this.single(groups[0] as SyntaxNode[], parent);
    const first = nodes[0] as SyntaxNode;
    const last = nodes[nodes.length - 1] as SyntaxNode;
    const elts = groups.map((g) => this.single(g, parent));
    return { kind: "Tuple", elts, ctx: "load", ...this.span(first.from, last.to) };
  }

  private namedExpr(
    t: SyntaxNode,
    op: SyntaxNode,
    v: SyntaxNode | undefined,
    from: number,
    to: number,
  ): A.NamedExpr {
    if (v === undefined) return this.fail("invalid syntax", to);
    // An `as` read as `:=` only belongs to a parenthesized `with` item.
    if (this.rewrittenAs.has(op.from)) return this.fail("invalid syntax", op.from);
    const target = this.expr(t);
    if (target.kind !== "Name")
      return this.fail(`cannot use assignment expressions with ${exprName(target)}`, t.from);
    return {
      kind: "NamedExpr",
      target: { ...target, ctx: "store" },
      value: this.expr(v),
      ...this.span(from, to),
    };
  }

  /** One expression node of the grammar's tree, in "load" context. */
  private expr(node: SyntaxNode): A.Expr {
    const sp = (): A.Span => this.nspan(node);
    switch (node.name) {
      case "VariableName": {
        const star = this.starredTargets.get(node.from);
        if (star !== undefined) {
          const value: A.Expr = { kind: "Name", id: this.identifier(node), ctx: "load", ...sp() };
          return { kind: "Starred", value, ctx: "load", ...this.span(star, node.to) };
        }
        return { kind: "Name", id: this.identifier(node), ctx: "load", ...sp() };
      }
      case "Number": {
        const r = decodeNumber(this.str(node));
        if (!r.ok)
          return this.literalProblem(r.problem, node.from, {
            kind: "Constant",
            value: 0n,
            ...sp(),
          });
        return { kind: "Constant", value: r.value, ...sp() };
      }
      case "String":
      case "FormatString":
        return this.strings([node], node);
      case "ContinuedString":
        return this.strings(kids(node), node);
      case "Ellipsis":
        return { kind: "Constant", value: A.Ellipsis, ...sp() };
      case "None":
        return { kind: "Constant", value: null, ...sp() };
      case "Boolean":
        return { kind: "Constant", value: this.str(node) === "True", ...sp() };
      case "BinaryExpression":
        return this.binary(node);
      case "UnaryExpression": {
        const [op, operand] = kids(node) as [SyntaxNode, SyntaxNode];
        if (op.name === "not") return this.boolCluster(node);
        const sym = op.name === "not" ? "not" : this.str(op);
        return {
          kind: "UnaryOp",
          op: sym as A.UnaryOp["op"],
          operand: this.expr(operand),
          ...sp(),
        };
      }
      case "AwaitExpression":
        this.unsupported("await is not supported", node.from);
        return { kind: "Constant", value: null, ...sp() };
      case "YieldExpression":
        return this.yieldExpr(node);
      case "ParenthesizedExpression": {
        const inner = kids(node).filter((c) => c.name !== "(" && c.name !== ")");
        const [a, b] = inner;
        if (a === undefined) return this.fail("invalid syntax", node.from);
        if (a.name === "*") return this.fail("cannot use starred expression here", a.from);
        if (b !== undefined) return this.fail("invalid syntax", b.from);
        return this.expr(a);
      }
      case "TupleExpression": {
        const inner = kids(node).filter((c) => c.name !== "(" && c.name !== ")");
        const elts = splitCommas(inner).groups.map((g) => this.single(g, node));
        return { kind: "Tuple", elts, ctx: "load", ...sp() };
      }
      case "ArrayExpression": {
        const inner = kids(node).filter((c) => c.name !== "[" && c.name !== "]");
        const elts = splitCommas(inner).groups.map((g) => this.single(g, node));
        return { kind: "List", elts, ctx: "load", ...sp() };
      }
      case "SetExpression": {
        const inner = kids(node).filter((c) => c.name !== "{" && c.name !== "}");
        const elts = splitCommas(inner).groups.map((g) => this.single(g, node));
        return { kind: "Set", elts, ...sp() };
      }
      case "DictionaryExpression":
        return this.dict(node);
      case "ComprehensionExpression":
        return this.comprehension("GeneratorExp", kids(node).slice(1, -1), node);
      case "ArrayComprehensionExpression":
        return this.comprehension("ListComp", kids(node).slice(1, -1), node);
      case "SetComprehensionExpression":
        return this.comprehension("SetComp", kids(node).slice(1, -1), node);
      case "DictionaryComprehensionExpression":
        return this.comprehension("DictComp", kids(node).slice(1, -1), node);
      case "CallExpression": {
        const [f, argList] = kids(node) as [SyntaxNode, SyntaxNode];
        const { args, keywords } = this.argList(argList);
        return { kind: "Call", func: this.expr(f), args, keywords, ...sp() };
      }
      case "MemberExpression":
        return this.member(node);
      case "ConditionalExpression": {
        const [body, , test, , orelse] = kids(node) as SyntaxNode[];
        return {
          kind: "IfExp",
          test: this.expr(test as SyntaxNode),
          body: this.expr(body as SyntaxNode),
          orelse: this.expr(orelse as SyntaxNode),
          ...sp(),
        };
      }
      case "LambdaExpression": {
        const k = kids(node);
        const colon = k.findIndex((c) => c.name === ":");
        const params = k.find((c) => c.name === "ParamList");
        const args = this.parameters(
          params === undefined ? NO_NODES : kids(params),
          params ?? node,
          true,
        );
        return { kind: "Lambda", args, body: this.expr(k[colon + 1] as SyntaxNode), ...sp() };
      }
      case "NamedExpression": {
        const [t, op, v] = kids(node);
        return this.namedExpr(t as SyntaxNode, op as SyntaxNode, v, node.from, node.to);
      }
      default:
        return this.fail("invalid syntax", node.from);
    }
  }

  private literalProblem<T>(p: LiteralProblem, base: number, placeholder: T): T {
    if (p.unsupported) {
      this.unsupported(p.message, base + p.offset);
      return placeholder;
    }
    if (p.lineOnly) {
      const at = this.errorAt(p.message, base + p.offset);
      throw new PySyntaxError(p.message, at.filename, at.line, 0);
    }
    return this.fail(p.message, base + p.offset);
  }

  private binary(node: SyntaxNode): A.Expr {
    const k = kids(node);
    const left = k[0] as SyntaxNode;
    const right = k[k.length - 1] as SyntaxNode;
    const op = k[1] as SyntaxNode;
    const sp = this.nspan(node);
    if (op.name === "and" || op.name === "or") return this.boolCluster(node);
    const cmp = this.compareOp(k);
    if (cmp !== null) {
      const l = this.expr(left);
      const r = this.expr(right);
      // `a < b < c` arrives as `(a < b) < c`; CPython keeps one chain.
      if (l.kind === "Compare" && left.name === "BinaryExpression") {
        return {
          kind: "Compare",
          left: l.left,
          ops: [...l.ops, cmp],
          comparators: [...l.comparators, r],
          ...sp,
        };
      }
      return { kind: "Compare", left: l, ops: [cmp], comparators: [r], ...sp };
    }
    const sym = this.str(op);
    if (!BIN_OPS.has(sym)) return this.fail("invalid syntax", op.from);
    return {
      kind: "BinOp",
      left: this.expr(left),
      op: sym as A.BinOpKind,
      right: this.expr(right),
      ...sp,
    };
  }

  /**
   * `not`, `and` and `or` together. The grammar gives `not` the whole rest of the expression
   * (`not a or b` as `not (a or b)`), so the cluster is read back as its token sequence and
   * re-parsed with Python's precedences (`or` < `and` < `not`), chains flattened as CPython's
   * BoolOp does.
   */
  private boolCluster(node: SyntaxNode): A.Expr {
    const items: (SyntaxNode | "and" | "or")[] = [];
    const walk = (n: SyntaxNode): void => {
      const k = kids(n);
      const op = k[0]?.name === "not" ? "not" : k[1]?.name;
      if (n.name === "BinaryExpression" && (op === "and" || op === "or")) {
        walk(k[0] as SyntaxNode);
        items.push(op);
        walk(k[2] as SyntaxNode);
      } else if (n.name === "UnaryExpression" && op === "not") {
        items.push(k[0] as SyntaxNode);
        walk(k[1] as SyntaxNode);
      } else items.push(n);
    };
    walk(node);
    let at = 0;
    // Each operand with its source range (a parenthesized operand's parentheses count).
    type Part = { readonly e: A.Expr; readonly from: number; readonly to: number };
    const chain = (op: "and" | "or", operand: () => Part): Part => {
      const parts = [operand()];
      while (items[at] === op) {
        at++;
        parts.push(operand());
      }
      if (parts.length === 1) return parts[0] as Part;
      const from = (parts[0] as Part).from;
      const to = (parts[parts.length - 1] as Part).to;
      return {
        e: { kind: "BoolOp", op, values: parts.map((p) => p.e), ...this.span(from, to) },
        from,
        to,
      };
    };
    const notExpr = (): Part => {
      const item = items[at++];
      if (typeof item !== "object") return this.fail("invalid syntax", node.from);
      if (item.name !== "not") return { e: this.expr(item), from: item.from, to: item.to };
      const operand = notExpr();
      return {
        e: { kind: "UnaryOp", op: "not", operand: operand.e, ...this.span(item.from, operand.to) },
        from: item.from,
        to: operand.to,
      };
    };
    return chain("or", () => chain("and", notExpr)).e;
  }

  private compareOp(k: readonly SyntaxNode[]): A.CmpOpKind | null {
    const op = k[1] as SyntaxNode;
    if (op.name === "CompareOp") {
      // A `with … as target` read as `==` that did not end up as the item itself.
      if (this.rewrittenWithAs.has(op.from)) return this.fail("invalid syntax", op.from);
      const s = this.str(op);
      if (s === "<>") return this.fail("invalid syntax", op.from);
      return s as A.CmpOpKind;
    }
    if (op.name === "in") return "in";
    if (op.name === "not") return "not in";
    if (op.name === "is") return k[2]?.name === "not" ? "is not" : "is";
    return null;
  }

  private dict(node: SyntaxNode): A.DictExpr {
    const inner = kids(node).filter((c) => c.name !== "{" && c.name !== "}");
    const keys: (A.Expr | null)[] = [];
    const values: A.Expr[] = [];
    for (const g of splitCommas(inner).groups) {
      const [a, b, c] = g;
      if (a?.name === "**" && b !== undefined) {
        keys.push(null);
        values.push(this.expr(b));
      } else if (a !== undefined && b?.name === ":" && c !== undefined) {
        keys.push(this.expr(a));
        values.push(this.expr(c));
      } else {
        return this.fail("invalid syntax", (b ?? a ?? node).from);
      }
    }
    return { kind: "Dict", keys, values, ...this.nspan(node) };
  }

  /**
   * A comprehension from the flat node list `elt for … in … if …` (the grammar does not group
   * the clauses); its span is `container`'s.
   */
  private comprehension(
    kind: "GeneratorExp" | "ListComp" | "SetComp" | "DictComp",
    nodes: readonly SyntaxNode[],
    container: SyntaxNode,
  ): A.Expr {
    let i = nodes.findIndex((c) => c.name === "for" || c.name === "async");
    // Without a clause the grammar has already stopped inside: its error is the one to report.
    if (i < 0) {
      const stopped = kids(container).find((c) => c.type.isError);
      return this.fail("invalid syntax", stopped?.from ?? container.from);
    }
    const head = nodes.slice(0, i);
    const generators: A.Comprehension[] = [];
    while (i < nodes.length) {
      const kw = nodes[i] as SyntaxNode;
      if (kw.name === "async") {
        this.unsupported("asynchronous comprehensions are not supported", kw.from);
        i++;
        continue;
      }
      if (kw.name !== "for") return this.fail("invalid syntax", kw.from);
      const inAt = nodes.findIndex((c, j) => j > i && c.name === "in");
      if (inAt < 0) {
        // Where the targets stop without an `in`: CPython reads them as expressions there.
        let j = i + 1;
        while (nodes[j + 1]?.name === ",") j += 2;
        const after = nodes[j + 1];
        if (after !== undefined) return this.failInvalid(after.from);
        // The grammar read the rest as one target and stopped inside it.
        const stopped = firstError(nodes[i + 1]);
        return stopped === null ? this.fail("invalid syntax", kw.to) : this.failInvalid(stopped);
      }
      let targets = this.exprList(nodes.slice(i + 1, inAt), container);
      // A bare tuple starts at its first item's star, which the grammar was handed as a space.
      const first = targets.kind === "Tuple" ? targets.elts[0] : undefined;
      if (first?.kind === "Starred" && this.offsetOf(first) < this.offsetOf(targets))
        targets = { ...targets, line: first.line, col: first.col };
      const target = this.toTarget(targets, "store", "comp");
      const iterNode = nodes[inAt + 1] as SyntaxNode;
      const iter = this.expr(iterNode);
      const ifs: A.Expr[] = [];
      i = inAt + 2;
      while (nodes[i]?.name === "if") {
        ifs.push(this.expr(nodes[i + 1] as SyntaxNode));
        i += 2;
      }
      generators.push({ target, iter, ifs });
    }
    const sp = this.nspan(container);
    if (kind === "DictComp") {
      const [k, colon, v] = head;
      if (k?.name === "**")
        return this.fail("dict unpacking cannot be used in dict comprehension", k.from);
      if (k === undefined || colon?.name !== ":" || v === undefined)
        return this.fail("invalid syntax", container.from);
      return { kind, key: this.expr(k), value: this.expr(v), generators, ...sp };
    }
    if (head[0]?.name === "*")
      return this.fail("iterable unpacking cannot be used in comprehension", head[0].from);
    if (head.length !== 1) return this.fail("invalid syntax", (head[1] ?? container).from);
    return { kind, elt: this.expr(head[0] as SyntaxNode), generators, ...sp };
  }

  private member(node: SyntaxNode): A.Expr {
    const k = kids(node);
    const value = this.expr(k[0] as SyntaxNode);
    const sp = this.nspan(node);
    if (k[1]?.name === ".") {
      const prop = k[2] as SyntaxNode;
      const attr = this.identifier(prop);
      // The grammar reads any word after a dot; a keyword there is invalid (`x.None`).
      if (KEYWORDS.has(attr)) this.fail("invalid syntax", prop.from);
      return { kind: "Attribute", value, attr, ctx: "load", ...sp };
    }
    const inner = k.slice(2, -1);
    const { groups, trailingComma } = splitCommas(inner);
    const items = groups.map((g) => this.sliceItem(g, node));
    let slice: A.Expr;
    if (groups.length === 1 && !trailingComma) slice = items[0] as A.Expr;
    else {
      const first = inner[0] as SyntaxNode;
      const last = inner[inner.length - 1] as SyntaxNode;
      slice = { kind: "Tuple", elts: items, ctx: "load", ...this.span(first.from, last.to) };
    }
    return { kind: "Subscript", value, slice, ctx: "load", ...sp };
  }

  private sliceItem(g: readonly SyntaxNode[], parent: SyntaxNode): A.Expr {
    if (!g.some((c) => c.name === ":")) return this.single(g, parent);
    const parts: (A.Expr | null)[] = [null, null, null];
    let at = 0;
    for (const c of g) {
      if (c.name === ":") at++;
      else if (at > 2 || parts[at] !== null) return this.fail("invalid syntax", c.from);
      else parts[at] = this.expr(c);
    }
    const first = g[0] as SyntaxNode;
    const last = g[g.length - 1] as SyntaxNode;
    return {
      kind: "Slice",
      lower: parts[0] ?? null,
      upper: parts[1] ?? null,
      step: parts[2] ?? null,
      ...this.span(first.from, last.to),
    };
  }

  // ---------------------------------------------------------------- strings

  /** Adjacent string literals: one str, bytes or f-string (`JoinedStr`) constant. */
  private strings(pieces: readonly SyntaxNode[], whole: SyntaxNode): A.Expr {
    const sp = this.nspan(whole);
    let anyBytes = false;
    let anyStr = false;
    let anyFormat = false;
    for (const p of pieces) {
      const end = this.stringEnds.get(p.from);
      if (end !== undefined && end !== p.to) {
        // CPython 3.11's tokenizer ends an f-string at its first matching quote, nested or not.
        return this.fail("f-string: expecting '}'", end);
      }
      const shape = stringShape(this.str(p));
      if (shape.bytes) anyBytes = true;
      else anyStr = true;
      if (shape.format) anyFormat = true;
    }
    if (anyBytes && anyStr) return this.fail("cannot mix bytes and nonbytes literals", whole.to);
    if (!anyFormat) {
      let text = "";
      for (const p of pieces) text += this.plainString(p);
      if (anyBytes) {
        const bytes = new Uint8Array(text.length);
        for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
        return { kind: "Constant", value: bytes, ...sp };
      }
      return { kind: "Constant", value: text, ...sp };
    }
    const values: (A.Constant | A.FormattedValue)[] = [];
    const pending = { text: "" };
    for (const p of pieces) {
      if (p.name === "String") pending.text += this.plainString(p);
      else this.formatString(p, sp, values, pending);
    }
    if (pending.text !== "") values.push({ kind: "Constant", value: pending.text, ...sp });
    return { kind: "JoinedStr", values, ...sp };
  }

  private plainString(p: SyntaxNode): string {
    const text = this.str(p);
    const shape = stringShape(text);
    const body = text.slice(shape.bodyStart, shape.bodyEnd);
    if (shape.bytes && !isAscii(body))
      this.fail("bytes can only contain ASCII literal characters", p.from);
    const r = decodeBody(
      body,
      { raw: shape.raw, bytes: shape.bytes, format: false },
      p.from + shape.bodyStart,
    );
    if (r.ok) return r.value;
    // CPython reports a bad escape just past the literal.
    return r.problem.unsupported
      ? this.literalProblem(r.problem, 0, "")
      : this.fail(r.problem.message, p.to);
  }

  /** The literal runs and replacement fields of one f-string piece, appended to `values`. */
  private formatString(
    p: SyntaxNode,
    sp: A.Span,
    values: (A.Constant | A.FormattedValue)[],
    pending: { text: string },
  ): void {
    const text = this.str(p);
    const shape = stringShape(text);
    const bodyFrom = p.from + shape.bodyStart;
    const bodyTo = p.from + shape.bodyEnd;
    // CPython reports an f-string's errors just past the literal piece.
    const piece = p;
    let at = bodyFrom;
    for (const c of kids(p)) {
      if (c.name !== "FormatReplacement") continue;
      pending.text += this.literalRun(at, c.from, shape.raw);
      const fv = this.replacement(c, sp, pending, piece);
      if (pending.text !== "") values.push({ kind: "Constant", value: pending.text, ...sp });
      pending.text = "";
      values.push(fv);
      at = c.to;
    }
    pending.text += this.literalRun(at, bodyTo, shape.raw);
  }

  private literalRun(from: number, to: number, raw: boolean): string {
    if (to <= from) return "";
    const r = decodeBody(this.src.slice(from, to), { raw, bytes: false, format: true }, from);
    return r.ok ? r.value : this.literalProblem(r.problem, 0, "");
  }

  /** `{expr=!r:spec}`: `pending` receives the `expr=` text of a self-documenting field. */
  private replacement(
    node: SyntaxNode,
    sp: A.Span,
    pending: { text: string },
    piece: SyntaxNode,
  ): A.FormattedValue {
    const k = kids(node);
    const open = k[0] as SyntaxNode;
    let i = 1;
    const exprNodes: SyntaxNode[] = [];
    const isEnd = (c: SyntaxNode) =>
      c.name === "FormatSelfDoc" ||
      c.name === "FormatConversion" ||
      c.name === "FormatSpec" ||
      c.name === "}";
    while (i < k.length && !isEnd(k[i] as SyntaxNode)) exprNodes.push(k[i++] as SyntaxNode);
    const exprEnd = k[i]?.from ?? node.to;
    const exprText = this.src.slice(open.to, exprEnd);
    // CPython 3.11 ends a field's expression at its first top-level `:` or `!` (so a lambda or
    // a slice-less colon needs parentheses); the grammar reads further.
    if (hasTopLevelColon(exprText)) this.fail("f-string: invalid syntax", piece.to);
    if (exprText.includes("\\"))
      this.fail("f-string expression part cannot include a backslash", open.to);
    if (hasCommentHash(exprText)) this.fail("f-string expression part cannot include '#'", open.to);
    if (exprNodes.length === 0) this.fail("f-string: empty expression not allowed", open.to);
    let value =
      exprNodes[0]?.name === "YieldExpression"
        ? this.expr(exprNodes[0])
        : this.loadList(exprNodes, node);
    if (value.kind === "Tuple" && exprNodes.length > 1) {
      // CPython 3.11 compiles the field as `(expr)` in place of its braces: a bare tuple spans them.
      value = { ...value, ...this.span(open.from, exprEnd + 1) };
    }
    let conversion = -1;
    let formatSpec: A.JoinedStr | null = null;
    let selfDoc = false;
    for (; i < k.length; i++) {
      const c = k[i] as SyntaxNode;
      if (c.name === "FormatSelfDoc") {
        selfDoc = true;
        // The field's own text, `=` and the spaces after it included, precedes its value.
        pending.text += this.src.slice(open.to, k[i + 1]?.from ?? c.to);
      } else if (c.name === "FormatConversion") {
        conversion = this.src.charCodeAt(c.to - 1);
      } else if (c.name === "FormatSpec") {
        formatSpec = this.formatSpec(c, sp, piece);
      }
    }
    if (selfDoc && conversion === -1 && formatSpec === null) conversion = "r".charCodeAt(0);
    return { kind: "FormattedValue", value, conversion, formatSpec, ...sp };
  }

  private formatSpec(node: SyntaxNode, sp: A.Span, piece: SyntaxNode): A.JoinedStr {
    const values: (A.Constant | A.FormattedValue)[] = [];
    const pending = { text: "" };
    let at = node.from + 1;
    for (const c of kids(node)) {
      if (c.name !== "FormatReplacement") continue;
      pending.text += this.literalRun(at, c.from, false);
      const fv = this.replacement(c, sp, pending, piece);
      if (pending.text !== "") values.push({ kind: "Constant", value: pending.text, ...sp });
      pending.text = "";
      values.push(fv);
      at = c.to;
    }
    pending.text += this.literalRun(at, node.to, false);
    // CPython 3.11 gives a spec, and the literal text ending it, the span of the literal piece
    // holding them; the parts before a nested field get the whole concatenation's.
    const own = this.nspan(piece);
    if (pending.text !== "") values.push({ kind: "Constant", value: pending.text, ...own });
    return { kind: "JoinedStr", values, ...own };
  }

  // ---------------------------------------------------------------- assignment targets

  /**
   * An expression as an assignment or `del` target: `ctx` set through tuples, lists and starred
   * items; anything else gets CPython's "cannot assign to …" / "cannot delete …".
   */
  private toTarget(e: A.Expr, ctx: Ctx, use: TargetUse, top = true): A.Expr {
    switch (e.kind) {
      case "Name":
      case "Attribute":
      case "Subscript":
        return { ...e, ctx };
      case "Starred":
        if (ctx === "del") return this.fail("cannot delete starred", this.offsetOf(e));
        if (top && use !== "with" && use !== "del") {
          this.compiler(
            "starred assignment target must be in a list or tuple",
            this.offsetOf(e),
            this.endOf(e),
          );
        }
        return { ...e, value: this.toTarget(e.value, ctx, use, false), ctx };
      case "Tuple":
      case "List": {
        if (use === "assign-here" && top) use = "assign";
        const elts = e.elts.map((x) => this.toTarget(x, ctx, use, false));
        if (ctx === "store" && e.elts.filter((x) => x.kind === "Starred").length > 1) {
          this.compiler(
            "multiple starred expressions in assignment",
            this.offsetOf(e),
            this.endOf(e),
          );
        }
        return { ...e, elts, ctx };
      }
      default: {
        const what = exprName(e);
        // An unparenthesized `yield` as a whole target has a rule of its own in CPython's parser.
        const yieldTarget =
          (e.kind === "Yield" || e.kind === "YieldFrom") &&
          top &&
          (use === "assign" || use === "assign-here") &&
          !/\(\s*$/.test(this.src.slice(0, this.offsetOf(e)));
        if (yieldTarget)
          return this.fail(
            "assignment to yield expression not possible",
            this.offsetOf(e),
            this.endOf(e),
          );
        if (ctx === "del")
          return this.fail(`cannot delete ${what}`, this.offsetOf(e), this.endOf(e));
        const plain =
          e.kind === "Compare" ||
          e.kind === "BoolOp" ||
          e.kind === "IfExp" ||
          e.kind === "Lambda" ||
          (e.kind === "UnaryOp" && e.op === "not") ||
          (e.kind === "Constant" && (e.value === null || typeof e.value === "boolean"));
        if (use === "assign-here" && top && !plain) {
          return this.fail(
            `cannot assign to ${what} here. Maybe you meant '==' instead of '='?`,
            this.offsetOf(e),
            this.endOf(e),
          );
        }
        return this.fail(`cannot assign to ${what}`, this.offsetOf(e), this.endOf(e));
      }
    }
  }
}

// A light tokenizer run before the grammar. @lezer/python is error-tolerant and tracks
// indentation loosely (a dedent to a column no block opened at is accepted, an indented line
// after a simple statement is not flagged), so the checks CPython's tokenizer makes (unexpected
// indent, inconsistent dedent, tabs mixed with spaces, unterminated strings, unbalanced
// brackets, stray line continuations) and the "expected an indented block" check are made here,
// over the same logical lines CPython's tokenizer sees. The token list also serves the
// rewrites in parse.ts.
//
// CPython ranks these errors in three ways, which the result keeps apart:
// - the tokenizer's own errors (strings, brackets, continuations) win over any parser error,
//   even one earlier in the file: after a parser error CPython tokenizes the rest of the source
//   and reports a tokenizer error found there instead;
// - indentation and continuation errors are met in order, like parser errors; of these
//   "expected an indented block" and the f-string checks are parser errors (overridable as
//   above), while an unexpected indent, a dedent to an unknown column, mixed tabs and a stray
//   character after a backslash are final;
// - a bracket never closed is reported when the parser error comes on a later line.

import type { SyntaxErrorType } from "./errors.js";

/** A token: names (keywords too), numbers, strings, and single-character operators. */
export interface Token {
  readonly kind: "name" | "number" | "string" | "op";
  readonly from: number;
  readonly to: number;
}

/** A tokenizer-level error at a source offset. */
export interface ScanError {
  readonly message: string;
  readonly offset: number;
  /** Overrides the column derived from `offset` (1-based), where CPython reports another one. */
  readonly col?: number;
  /**
   * Where the error sits when it is weighed against the grammar's first error: the start of the
   * literal for f-string errors (CPython reports those after the literal, at `offset`).
   */
  readonly order?: number;
  readonly pyType: SyntaxErrorType;
  /** A parser error in CPython (a later tokenizer error replaces it). */
  readonly parserLevel?: boolean;
}

/** The tokens of a source and its tokenizer-level errors, ranked as described above. */
export interface ScanResult {
  readonly tokens: readonly Token[];
  /** The first tokenizer error proper (strings, brackets, continuations), anywhere. */
  readonly tokenizerError: ScanError | null;
  /** The first error met in order: indentation, block bodies, f-strings. */
  readonly positionalError: ScanError | null;
  /** The innermost bracket still open at the end of the source. */
  readonly neverClosed: ScanError | null;
  /**
   * Offsets of the dots of floats written `1.` or `1.e5`, which the grammar's number token
   * lacks; the parser hands it a `0` there (same length, the value is read from the source).
   */
  readonly trailingDots: readonly number[];
}

const STRING_PREFIXES = new Set(["r", "u", "b", "br", "rb", "f", "fr", "rf"]);
const OPENERS: Readonly<Record<string, string>> = { ")": "(", "]": "[", "}": "{" };

/** What CPython calls each block header in "expected an indented block after …". */
const HEADERS: Readonly<Record<string, string>> = {
  if: "'if' statement",
  elif: "'elif' statement",
  else: "'else' statement",
  while: "'while' statement",
  for: "'for' statement",
  try: "'try' statement",
  except: "'except' statement",
  finally: "'finally' statement",
  with: "'with' statement",
  match: "'match' statement",
  case: "'case' statement",
  def: "function definition",
  class: "class definition",
};

function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c >= 128;
}

function isIdentChar(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57);
}

/** 1-based line of an offset, by counting newlines (used only on the error path). */
function lineOf(source: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < source.length; i++) if (source.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * Tokenizes `source` (newlines already normalized to `\n`) far enough to check its indentation,
 * strings and brackets.
 */
export function scan(source: string): ScanResult {
  const tokens: Token[] = [];
  const trailingDots: number[] = [];
  const n = source.length;
  // The indentation stack, in columns with tabs to multiples of 8 and with tabs as 1 (CPython
  // compares both to detect inconsistent tabs and spaces).
  const indents: number[] = [0];
  const altIndents: number[] = [0];
  const brackets: { ch: string; offset: number }[] = [];
  let i = 0;
  let atLineStart = true;
  // The logical line being read: its first token index.
  let lineFirstToken = 0;
  // A block header whose body has not started yet: its description and where it starts.
  let pendingHeader: { what: string; offset: number } | null = null;
  let positionalError: ScanError | null = null;

  // Wherever the tokenizer stops, a bracket still open there counts as never closed.
  const result = (tokenizerError: ScanError | null): ScanResult => {
    const open = brackets[brackets.length - 1];
    return {
      tokens,
      tokenizerError,
      positionalError,
      neverClosed:
        open === undefined
          ? null
          : {
              message: `'${open.ch}' was never closed`,
              offset: open.offset,
              pyType: "SyntaxError",
            },
      trailingDots,
    };
  };
  const tokenizerFail = (message: string, offset: number, order = offset): ScanResult =>
    result({ message, offset, order, pyType: "SyntaxError" });
  /** Records a parser-level error met in order; scanning goes on to find tokenizer errors. */
  const parserError = (message: string, offset: number, col?: number): void => {
    if (positionalError !== null) return;
    positionalError =
      col === undefined
        ? { message, offset, pyType: "IndentationError", parserLevel: true }
        : { message, offset, col, pyType: "IndentationError", parserLevel: true };
  };
  /**
   * A tokenizer indentation error: final, and the tokenizer stops there (CPython's search for
   * a tokenizer error after a parser error stops at it too).
   */
  const indentFail = (
    message: string,
    offset: number,
    pyType: SyntaxErrorType,
    col: number,
  ): ScanResult => {
    positionalError ??= { message, offset, col, pyType };
    return result(null);
  };
  const noBody = (offset: number): void => {
    const h = pendingHeader as { what: string; offset: number };
    parserError(
      `expected an indented block after ${h.what} on line ${lineOf(source, h.offset)}`,
      offset,
    );
  };

  const endLogicalLine = (): void => {
    if (tokens.length > lineFirstToken) {
      const last = tokens[tokens.length - 1] as Token;
      const first = tokens[lineFirstToken] as Token;
      let word = source.slice(first.from, first.to);
      if (word === "async" && tokens.length > lineFirstToken + 1) {
        const second = tokens[lineFirstToken + 1] as Token;
        word = source.slice(second.from, second.to);
      }
      const what = HEADERS[word];
      if (
        last.kind === "op" &&
        source[last.from] === ":" &&
        what !== undefined &&
        first.kind === "name"
      ) {
        pendingHeader = { what, offset: first.from };
      } else {
        pendingHeader = null;
      }
    }
    lineFirstToken = tokens.length;
  };

  while (i < n) {
    if (atLineStart && brackets.length === 0) {
      // Measure the indentation of a new logical line.
      let col = 0;
      let alt = 0;
      const lineStart = i;
      let j = i;
      for (; j < n; j++) {
        const c = source.charCodeAt(j);
        if (c === 32) {
          col++;
          alt++;
        } else if (c === 9) {
          col = (Math.floor(col / 8) + 1) * 8;
          alt++;
        } else if (c === 12) {
          col = 0;
          alt = 0;
        } else break;
      }
      const c = source.charCodeAt(j);
      atLineStart = false;
      i = j;
      if (j >= n || c === 10 || c === 35) {
        // Blank and comment-only lines do not count for indentation.
        if (c === 35) while (i < n && source.charCodeAt(i) !== 10) i++;
        if (i < n) i++;
        atLineStart = true;
        continue;
      }
      const top = indents[indents.length - 1] as number;
      const altTop = altIndents[altIndents.length - 1] as number;
      const tabError = "inconsistent use of tabs and spaces in indentation";
      if (col === top) {
        if (alt !== altTop) return indentFail(tabError, j, "TabError", 1);
        if (pendingHeader !== null) noBody(j);
      } else if (col > top) {
        if (alt <= altTop) return indentFail(tabError, j, "TabError", 1);
        // CPython's parser reports this one as it meets it, and no later error replaces it;
        // the tokenizer reads on (a parser error before it lets a tokenizer error after win).
        // Its offset counts the indentation's characters, so no caret is drawn under the text.
        if (pendingHeader === null)
          positionalError ??= {
            message: "unexpected indent",
            offset: j,
            col: j - lineStart,
            pyType: "IndentationError",
          };
        indents.push(col);
        altIndents.push(alt);
      } else {
        // A dedent to a column no block opened at fails in the tokenizer, before the parser
        // sees that a header's block is missing.
        while (indents.length > 1 && col < (indents[indents.length - 1] as number)) {
          indents.pop();
          altIndents.pop();
        }
        if (col !== indents[indents.length - 1]) {
          // CPython reports this one just past the end of the line.
          let lineEnd = source.indexOf("\n", j);
          if (lineEnd < 0) lineEnd = n;
          const lineStart = source.lastIndexOf("\n", j - 1) + 1;
          return indentFail(
            "unindent does not match any outer indentation level",
            j,
            "IndentationError",
            lineEnd - lineStart + 1,
          );
        }
        if (pendingHeader !== null) noBody(j);
        if (alt !== altIndents[altIndents.length - 1])
          return indentFail(tabError, j, "TabError", 1);
      }
      pendingHeader = null;
    }
    const c = source.charCodeAt(i);
    if (c === 10) {
      i++;
      if (brackets.length === 0) {
        endLogicalLine();
        atLineStart = true;
      }
      continue;
    }
    if (c === 32 || c === 9 || c === 12) {
      i++;
      continue;
    }
    if (c === 35) {
      while (i < n && source.charCodeAt(i) !== 10) i++;
      continue;
    }
    if (c === 92) {
      // Both continuation errors reach the parser as an error token: final, met in order.
      if (i + 1 >= n) {
        positionalError ??= {
          message: "unexpected EOF while parsing",
          offset: i,
          pyType: "SyntaxError",
        };
        return result(null);
      }
      if (source.charCodeAt(i + 1) !== 10) {
        // Weighed from the backslash, which the grammar stumbles on first.
        positionalError ??= {
          message: "unexpected character after line continuation character",
          offset: i + 1,
          order: i,
          pyType: "SyntaxError",
        };
        return result(null);
      }
      i += 2;
      continue;
    }
    if (isIdentStart(c) || c === 34 || c === 39) {
      const start = i;
      while (i < n && isIdentChar(source.charCodeAt(i))) i++;
      const q = source.charCodeAt(i);
      if (
        (q === 34 || q === 39) &&
        (i === start || STRING_PREFIXES.has(source.slice(start, i).toLowerCase()))
      ) {
        const err = scanString(source, start, i, tokens);
        if (err !== null) {
          if (!err.parserLevel) return result(err);
          positionalError ??= err;
        }
        i = (tokens[tokens.length - 1] as Token).to;
        continue;
      }
      const bad = badIdentifierChar(source, start, i);
      if (bad !== null) return tokenizerFail(bad.message, bad.offset);
      tokens.push({ kind: "name", from: start, to: i });
      continue;
    }
    if (
      (c >= 48 && c <= 57) ||
      (c === 46 && source.charCodeAt(i + 1) >= 48 && source.charCodeAt(i + 1) <= 57)
    ) {
      const start = i;
      const num = scanNumber(source, i);
      if (num.error !== null) return tokenizerFail(num.error.message, num.error.offset);
      i = num.end;
      tokens.push({ kind: "number", from: start, to: i });
      const dot = /^[0-9][0-9_]*\.(?:[eEjJ]|$)/.exec(source.slice(start, i));
      if (dot !== null) trailingDots.push(start + dot[0].search(/\./));
      continue;
    }
    const ch = source[i] as string;
    if (ch === "(" || ch === "[" || ch === "{") {
      brackets.push({ ch, offset: i });
    } else if (ch === ")" || ch === "]" || ch === "}") {
      const open = brackets.pop();
      if (open === undefined) return tokenizerFail(`unmatched '${ch}'`, i);
      if (open.ch !== OPENERS[ch]) {
        const openLine = lineOf(source, open.offset);
        const where = openLine === lineOf(source, i) ? "" : ` on line ${openLine}`;
        return tokenizerFail(
          `closing parenthesis '${ch}' does not match opening parenthesis '${open.ch}'${where}`,
          i,
        );
      }
    }
    tokens.push({ kind: "op", from: i, to: i + 1 });
    i++;
  }
  if (brackets.length > 0) return result(null);
  endLogicalLine();
  if (pendingHeader !== null) noBody(n);
  return result(null);
}

const ID_START = /^[\p{ID_Start}_]$/u;
const ID_CONTINUE = /^[\p{ID_Continue}]$/u;
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}\p{Zs}]$/u;

/**
 * The tokenizer's check of a word with non-ASCII characters: each must be a Unicode identifier
 * character (the first a starting one), else CPython's "invalid character" error at it.
 */
function badIdentifierChar(
  s: string,
  from: number,
  to: number,
): { message: string; offset: number } | null {
  for (let i = from; i < to; ) {
    const cp = s.codePointAt(i) as number;
    const ch = String.fromCodePoint(cp);
    if (cp >= 128 && !(i === from ? ID_START : ID_CONTINUE).test(ch)) {
      const hex = cp.toString(16).toUpperCase().padStart(4, "0");
      const message = PRINTABLE.test(ch)
        ? `invalid character '${ch}' (U+${hex})`
        : `invalid non-printable character U+${hex}`;
      return { message, offset: i };
    }
    i += ch.length;
  }
  return null;
}

/** Python's keywords that may directly follow a number (`1if x else 2`). */
const AFTER_NUMBER = ["and", "else", "for", "if", "in", "is", "not", "or"];

/**
 * Reads a number literal as CPython's tokenizer does (greedy, `_` only between digits, a letter
 * right after it only if a keyword starts there) and reports its malformations with CPython's
 * messages and positions.
 */
function scanNumber(
  s: string,
  start: number,
): { end: number; error: { message: string; offset: number } | null } {
  let i = start;
  const isDigit = (ch: string | undefined) => ch !== undefined && ch >= "0" && ch <= "9";
  const fail = (message: string, offset: number) => ({ end: i, error: { message, offset } });
  // A letter (or digit) glued to the literal, unless a keyword starts there.
  const end = (kind: string) => {
    if (
      i < s.length &&
      isIdentChar(s.charCodeAt(i)) &&
      !AFTER_NUMBER.some((k) => s.startsWith(k, i))
    ) {
      return fail(`invalid ${kind} literal`, i - 1);
    }
    return { end: i, error: null };
  };
  // Digits with single underscores between them.
  const tail = (): boolean => {
    for (;;) {
      while (isDigit(s[i])) i++;
      if (s[i] !== "_") return true;
      i++;
      if (!isDigit(s[i])) return false;
    }
  };
  const prefix = s[start] === "0" ? (s[start + 1] ?? "").toLowerCase() : "";
  if (prefix === "x" || prefix === "o" || prefix === "b") {
    const kind = prefix === "x" ? "hexadecimal" : prefix === "o" ? "octal" : "binary";
    const ok = prefix === "x" ? /[0-9a-fA-F]/ : prefix === "o" ? /[0-7]/ : /[01]/;
    const fits = (ch: string | undefined) => ch !== undefined && ok.test(ch);
    i += 2;
    for (;;) {
      if (s[i] === "_") i++;
      if (!fits(s[i])) {
        if (kind !== "hexadecimal" && isDigit(s[i])) {
          return fail(`invalid digit '${s[i]}' in ${kind} literal`, i);
        }
        return fail(`invalid ${kind} literal`, i - 1);
      }
      while (fits(s[i])) i++;
      if (s[i] !== "_") break;
    }
    if (kind !== "hexadecimal" && isDigit(s[i])) {
      return fail(`invalid digit '${s[i]}' in ${kind} literal`, i);
    }
    return end(kind);
  }
  let fraction = s[i] === ".";
  if (!fraction) {
    if (s[i] === "0") {
      // Zeros alone are an int; more digits after them must turn out to be a float.
      for (;;) {
        if (s[i] === "_") {
          i++;
          if (!isDigit(s[i])) return fail("invalid decimal literal", i - 1);
        }
        if (s[i] !== "0") break;
        i++;
      }
      let nonzero = false;
      if (isDigit(s[i])) {
        nonzero = true;
        if (!tail()) return fail("invalid decimal literal", i - 1);
      }
      const next = s[i];
      if (nonzero && next !== "." && next !== "e" && next !== "E" && next !== "j" && next !== "J") {
        return fail(
          "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers",
          start,
        );
      }
    } else if (!tail()) {
      return fail("invalid decimal literal", i - 1);
    }
    fraction = s[i] === ".";
  }
  if (fraction) {
    i++;
    if (isDigit(s[i]) && !tail()) return fail("invalid decimal literal", i - 1);
  }
  if (s[i] === "e" || s[i] === "E") {
    const e = i;
    i++;
    if (s[i] === "+" || s[i] === "-") {
      i++;
      if (!isDigit(s[i])) return fail("invalid decimal literal", i - 1);
    } else if (!isDigit(s[i])) {
      // `1else`: the number ends before the `e` when a keyword starts there.
      i = e;
      return end("decimal");
    }
    if (!tail()) return fail("invalid decimal literal", i - 1);
  }
  if (s[i] === "j" || s[i] === "J") {
    i++;
    return end("imaginary");
  }
  return end("decimal");
}

/** Scans one string literal whose prefix starts at `start` and quote at `q`; pushes its token. */
function scanString(source: string, start: number, q: number, tokens: Token[]): ScanError | null {
  const n = source.length;
  const quote = source[q] as string;
  const triple = source[q + 1] === quote && source[q + 2] === quote;
  let i = q + (triple ? 3 : 1);
  for (;;) {
    if (i >= n) {
      const at = Math.max(0, n - 1);
      return {
        message: triple
          ? `unterminated triple-quoted string literal (detected at line ${lineOf(source, at)})`
          : `unterminated string literal (detected at line ${lineOf(source, at)})`,
        offset: start,
        pyType: "SyntaxError",
      };
    }
    const c = source[i];
    if (c === "\\") {
      i += 2;
      continue;
    }
    if (c === "\n" && !triple) {
      return {
        message: `unterminated string literal (detected at line ${lineOf(source, i)})`,
        offset: start,
        pyType: "SyntaxError",
      };
    }
    if (c === quote && (!triple || (source[i + 1] === quote && source[i + 2] === quote))) {
      const to = i + (triple ? 3 : 1);
      tokens.push({ kind: "string", from: start, to });
      const prefix = source.slice(start, q).toLowerCase();
      if (!prefix.includes("f")) return null;
      const problem = checkFString(source.slice(q + (triple ? 3 : 1), i), prefix.includes("r"));
      return problem === null
        ? null
        : { message: problem, offset: to, order: start, pyType: "SyntaxError", parserLevel: true };
    }
    i++;
  }
}

/** Signals the first problem of an f-string body; caught by `checkFString`. */
class FStringProblem {
  constructor(readonly message: string) {}
}

/**
 * Checks an f-string literal's body as CPython 3.11's string parser does before compiling its
 * fields (Parser/string_parser.c): brace pairing, conversions, nesting depth, and the 3.11 bans
 * on backslashes and comments inside fields. Returns the message of the first problem.
 */
function checkFString(body: string, raw: boolean): string | null {
  const n = body.length;
  const fail = (message: string): never => {
    throw new FStringProblem(message);
  };
  // A literal run (level 0) or a format spec (level 1+, ended by the field's `}`).
  const literal = (start: number, level: number): number => {
    let i = start;
    while (i < n) {
      const c = body[i];
      if (c === "\\" && !raw && body[i + 1] !== "{" && body[i + 1] !== "}") {
        // An escape; `\N{name}` keeps its braces, while `\{` leaves its brace to open a field.
        if (body[i + 1] === "N" && body[i + 2] === "{") {
          const close = body.indexOf("}", i + 3);
          i = close < 0 ? n : close + 1;
        } else i += 2;
      } else if (c === "\\" && !raw) {
        i++;
      } else if (c === "{") {
        if (level === 0 && body[i + 1] === "{") i += 2;
        else i = field(i + 1, level);
      } else if (c === "}") {
        if (level > 0) return i;
        if (body[i + 1] !== "}") fail("f-string: single '}' is not allowed");
        i += 2;
      } else i++;
    }
    if (level > 0) fail("f-string: expecting '}'");
    return i;
  };
  const field = (start: number, level: number): number => {
    if (level >= 2) fail("f-string: expressions nested too deeply");
    const stack: string[] = [];
    let quote: string | null = null;
    let i = start;
    for (; i < n; i++) {
      const c = body[i] as string;
      if (c === "\\") fail("f-string expression part cannot include a backslash");
      if (quote !== null) {
        if (body.startsWith(quote, i)) {
          i += quote.length - 1;
          quote = null;
        }
        continue;
      }
      if (c === "'" || c === '"') {
        quote = body.startsWith(c.repeat(3), i) ? c.repeat(3) : c;
        i += quote.length - 1;
        continue;
      }
      if (c === "(" || c === "[" || c === "{") {
        stack.push(c);
        continue;
      }
      if (c === ")" || c === "]" || c === "}") {
        if (stack.length === 0) {
          if (c === "}") break;
          fail(`f-string: unmatched '${c}'`);
        }
        const open = stack.pop() as string;
        if ("([{".indexOf(open) !== ")]}".indexOf(c)) {
          fail(`f-string: closing parenthesis '${c}' does not match opening parenthesis '${open}'`);
        }
        continue;
      }
      if (c === "#") fail("f-string expression part cannot include '#'");
      if (stack.length > 0) continue;
      const next = body[i + 1];
      if (c === "!" && next !== "=") break;
      if (c === ":") break;
      if (c === "=" && next !== "=" && !"=!<>".includes(body[i - 1] ?? "")) break;
      if ((c === "!" || c === "=" || c === "<" || c === ">") && next === "=") i++;
    }
    if (quote !== null) fail("f-string: unterminated string");
    if (i >= n)
      fail(
        stack.length > 0
          ? `f-string: unmatched '${stack[stack.length - 1]}'`
          : "f-string: expecting '}'",
      );
    if (body.slice(start, i).trim() === "") {
      fail(
        body[i] === "="
          ? "f-string: expression required before '='"
          : "f-string: empty expression not allowed",
      );
    }
    if (body[i] === "=") {
      i++;
      while (body[i] === " ") i++;
    }
    if (body[i] === "!") {
      const conv = body[i + 1];
      if (conv === undefined) fail("f-string: expecting '}'");
      if (conv !== "s" && conv !== "r" && conv !== "a") {
        fail("f-string: invalid conversion character: expected 's', 'r', or 'a'");
      }
      i += 2;
    }
    if (i >= n) fail("f-string: expecting '}'");
    if (body[i] === ":") i = literal(i + 1, level + 1);
    if (body[i] !== "}") fail("f-string: expecting '}'");
    return i + 1;
  };
  try {
    literal(0, 0);
    return null;
  } catch (e) {
    if (e instanceof FStringProblem) return e.message;
    throw e;
  }
}

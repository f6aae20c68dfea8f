// CPython 3.11's parser does not stop at "invalid syntax" when it can say more: on its second
// pass it tries rules written only to describe common mistakes (a missing comma inside
// brackets, a conditional expression without `else`, `=` where a comparison was meant), and
// it underlines the whole token it stopped at rather than one character. The grammar this
// package parses with recovers from errors its own way, so these descriptions are rebuilt here
// from the tokens around the place the grammar stopped: a small reader of expression extents
// over CPython's tokens (names, numbers, strings, operators of one to three characters, with
// their bracket depth) finds the operands those rules name.

import type { Token } from "./scan.js";

/** A token as CPython's tokenizer cuts it, with its bracket depth. */
interface PyToken {
  readonly kind: Token["kind"];
  readonly from: number;
  readonly to: number;
  readonly text: string;
  /** Open brackets around the token (a bracket itself counts the level outside it). */
  readonly level: number;
}

/** What the error path reports: a message and the range it underlines. */
export interface Hint {
  readonly message: string;
  readonly offset: number;
  readonly end: number;
  /**
   * The furthest the parser read to find it (the token after the range, or where the grammar
   * stopped): CPython weighs it against an unclosed bracket's line.
   */
  readonly reach: number;
}

// CPython's operators of two and three characters; any other operator character is one token.
const OPERATORS = new Set(
  "** // << >> == != <= >= -> += -= *= /= %= &= |= ^= @= := **= //= >>= <<= ...".split(" "),
);

/** Python's reserved words. */
export const KEYWORDS = new Set(
  "False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield".split(
    " ",
  ),
);

/**
 * Whether CPython's parser takes a name for a soft keyword when it tests for one: it compares
 * only the name's own length, so any prefix of `match`, `case` or `_` counts (`m`, `ca`).
 */
function softKeyword(name: string): boolean {
  return name.length > 0 && ["match", "case", "_"].some((k) => k.startsWith(name));
}

const BINARY = new Set(
  "+ - * / // % ** @ << >> & | ^ < > == != <= >= and or in is".split(" ").filter(Boolean),
);

const CLOSERS: Readonly<Record<string, string>> = { "(": ")", "[": "]", "{": "}" };

/** Merges the scanner's one-character operators into CPython's tokens and records depths. */
function pyTokens(src: string, tokens: readonly Token[]): PyToken[] {
  const out: PyToken[] = [];
  let level = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (t.kind !== "op") {
      out.push({ kind: t.kind, from: t.from, to: t.to, text: src.slice(t.from, t.to), level });
      continue;
    }
    let to = t.to;
    // The longest operator the following adjacent characters make.
    for (let n = 3; n >= 2; n--) {
      if (OPERATORS.has(src.slice(t.from, t.from + n))) {
        const last = tokens[i + n - 1];
        if (last !== undefined && last.kind === "op" && last.to === t.from + n) {
          to = t.from + n;
          i += n - 1;
          break;
        }
      }
    }
    const text = src.slice(t.from, to);
    if (text === ")" || text === "]" || text === "}") level = Math.max(0, level - 1);
    out.push({ kind: "op", from: t.from, to, text, level });
    if (text === "(" || text === "[" || text === "{") level++;
  }
  return out;
}

/** Reads expression extents over a token list: each returns the index just past, or -1. */
class Extents {
  constructor(readonly toks: readonly PyToken[]) {}

  private text(i: number): string {
    return this.toks[i]?.text ?? "";
  }

  isName(i: number): boolean {
    const t = this.toks[i];
    return t !== undefined && t.kind === "name" && !KEYWORDS.has(t.text);
  }

  /** Past the bracket that closes the one at `i`, or -1 if it is never closed. */
  closing(i: number): number {
    const open = this.toks[i] as PyToken;
    const want = CLOSERS[open.text];
    for (let j = i + 1; j < this.toks.length; j++) {
      const t = this.toks[j] as PyToken;
      if (t.level === open.level && t.text === want) return j + 1;
    }
    return -1;
  }

  private atom(i: number): number {
    const t = this.toks[i];
    if (t === undefined) return -1;
    if (t.kind === "number") return i + 1;
    if (t.kind === "string") {
      let j = i + 1;
      while (this.toks[j]?.kind === "string") j++;
      return j;
    }
    if (t.kind === "name") {
      return this.isName(i) || t.text === "True" || t.text === "False" || t.text === "None"
        ? i + 1
        : -1;
    }
    if (t.text === "...") return i + 1;
    if (t.text in CLOSERS) return this.closing(i);
    return -1;
  }

  private primary(i: number): number {
    let j = this.atom(i);
    if (j < 0) return -1;
    for (;;) {
      const s = this.text(j);
      if (s === "." && this.isName(j + 1)) j += 2;
      else if (s === "(" || s === "[") {
        const k = this.closing(j);
        if (k < 0) return j;
        j = k;
      } else return j;
    }
  }

  /** An or-test (CPython's `disjunction`): operands joined by binary and boolean operators. */
  disjunction(i: number): number {
    let end = -1;
    let j = i;
    for (;;) {
      while (["not", "+", "-", "~", "await"].includes(this.text(j))) j++;
      const k = this.primary(j);
      if (k < 0) return end;
      end = k;
      const op = this.text(k);
      if (op === "not" && this.text(k + 1) === "in") j = k + 2;
      else if (op === "is" && this.text(k + 1) === "not") j = k + 2;
      else if (BINARY.has(op)) j = k + 1;
      else return end;
    }
  }

  /** A bitwise-or operand of a comparison: a disjunction cut at the first comparison. */
  bitwiseOr(i: number): number {
    let end = -1;
    let j = i;
    for (;;) {
      while (["+", "-", "~", "await"].includes(this.text(j))) j++;
      const k = this.primary(j);
      if (k < 0) return end;
      end = k;
      const op = this.text(k);
      if (
        BINARY.has(op) &&
        !["<", ">", "==", "!=", "<=", ">=", "and", "or", "in", "is"].includes(op)
      )
        j = k + 1;
      else return end;
    }
  }

  /** A whole expression: a conditional one, a lambda, or a disjunction. */
  expression(i: number): number {
    if (this.text(i) === "lambda") {
      for (let j = i + 1; j < this.toks.length; j++) {
        const t = this.toks[j] as PyToken;
        if (t.level === (this.toks[i] as PyToken).level && t.text === ":")
          return this.expression(j + 1);
      }
      return -1;
    }
    const a = this.disjunction(i);
    if (a < 0 || this.text(a) !== "if") return a;
    const b = this.disjunction(a + 1);
    if (b < 0 || this.text(b) !== "else") return a;
    const c = this.expression(b + 1);
    return c < 0 ? a : c;
  }
}

/**
 * The statement's tokens start after the last NEWLINE-like break at bracket level 0 before `i`
 * (a colon of a compound header, a semicolon, or a new line).
 */
function statementStart(src: string, toks: readonly PyToken[], i: number, at: number): number {
  for (let j = i - 1; j >= 0; j--) {
    const t = toks[j] as PyToken;
    if (t.level > 0) continue;
    if (t.text === ";") return j + 1;
    const gap = src.slice(t.to, j + 1 < i ? (toks[j + 1] as PyToken).from : at);
    if (gap.replace(/\\\n/g, "").includes("\n")) return j + 1;
  }
  return 0;
}

/** The index of the first token that ends past `offset` (the one covering it, if any). */
function tokenFrom(toks: readonly PyToken[], offset: number): number {
  let lo = 0;
  let hi = toks.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((toks[mid] as PyToken).to <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Tokens after which CPython's parser reads a whole `expression` (where its hints apply). */
const EXPRESSION_AFTER = new Set(
  "( [ { , = : else return assert += -= *= /= //= %= **= @= &= |= ^= >>= <<=".split(" "),
);

/**
 * What CPython's parser reports where the grammar stopped at `offset` with nothing more precise
 * than "invalid syntax": one of its descriptive rules when its pattern is there, else "invalid
 * syntax" over the whole token. `describe` names an expression's kind from its source text
 * (as CPython's messages do: "attribute", "function call" …), or null when it is no expression.
 */
export function invalidSyntaxHint(
  src: string,
  scanned: readonly Token[],
  offset: number,
  describe: (from: number, to: number) => string | null,
): Hint | null {
  const toks = pyTokens(src, scanned);
  // The token the grammar stopped at, or the end of the line (CPython's NEWLINE) before it.
  const at = tokenFrom(toks, offset);
  const covered = at < toks.length && (toks[at] as PyToken).from <= offset;
  const x = new Extents(toks);
  const start = statementStart(src, toks, at, offset);
  const text = (i: number) => toks[i]?.text ?? "";
  const range = (message: string, a: number, b: number): Hint => ({
    message,
    offset: (toks[a] as PyToken).from,
    end: (toks[b - 1] as PyToken).to,
    reach: Math.max(offset, readTo(b)),
  });
  // Where the parser's look past token `b - 1` ends: the next token, or the NEWLINE that ends
  // the line when the next token is on another logical line.
  const readTo = (b: number): number => {
    const last = toks[b - 1] as PyToken;
    const next = toks[b];
    if (next === undefined) return last.level > 0 ? src.length : last.to;
    const gap = src.slice(last.to, next.from).replace(/\\\n/g, "");
    return next.level === 0 && gap.includes("\n") ? last.to : next.from;
  };
  // The bracket that opens the level of token `i`, or -1 at the statement's own level.
  const opener = (i: number): number => {
    const level = (toks[i] as PyToken).level;
    for (let j = i - 1; j >= start; j--) {
      const t = toks[j] as PyToken;
      if (t.level === level - 1 && t.text in CLOSERS) return j;
    }
    return -1;
  };
  // Whether the bracket at `j` holds a call's arguments (or a subscript), not a display.
  const trailer = (j: number) =>
    j > 0 &&
    (x.isName(j - 1) || [")", "]", "}"].includes(text(j - 1)) || toks[j - 1]?.kind === "string");
  // Whether CPython reads a whole expression at `s` (where its descriptive rules are tried): a
  // comprehension's `for … in` clause and a `def`'s parameters are not such places.
  const expressionStart = (s: number, until = s): boolean => {
    if (s === start) return true;
    const before = text(s - 1);
    if ((before === "*" || before === "**") && s - 1 > start) return expressionStart(s - 1, until);
    if (!EXPRESSION_AFTER.has(before) && before !== "for") return false;
    const open = opener(s);
    if (open >= 0 && text(open - 2) === "def" && before !== "=") return false;
    // A comprehension's targets are read as expressions on the second pass; what follows its
    // `in` is an or-test, where the descriptive rules are not tried.
    const level = (toks[s] as PyToken).level;
    let clause = "";
    // Past a clause's `in` its targets are committed (CPython's cut), however they were read.
    for (let j = Math.max(open, start); j < until; j++) {
      const t = toks[j] as PyToken;
      if (t.level === level && (t.text === "for" || t.text === "in") && t.kind === "name")
        clause = t.text;
    }
    return clause !== "in";
  };

  // `a if b` with no `else`: the operands are the disjunctions around the last such `if`.
  const hereText = covered ? text(at) : "";
  if (hereText !== "else" && hereText !== ":") {
    for (let k = at - 1; k > start; k--) {
      const t = toks[k] as PyToken;
      if (t.text !== "if" || t.kind !== "name") continue;
      if (x.disjunction(k + 1) !== at) break;
      for (let s = start; s < k; s++) {
        if (x.disjunction(s) === k && expressionStart(s, at))
          return range("expected 'else' after 'if' expression", s, at);
      }
      break;
    }
  }
  if (!covered) return null;
  const e = at;
  const here = toks[e] as PyToken;

  // Tokens CPython's grammar demands outright (`&&'('`, `&&':'`): their absence is named.
  const keyword = text(start);
  if (keyword === "def" && x.isName(start + 1) && e === start + 2 && here.text !== "(")
    return range("expected '('", e, e + 1);
  if (keyword === "def" && text(start + 2) === "(") {
    let close = x.closing(start + 2);
    if (close > 0 && text(close) === "->") close = x.expression(close + 1);
    if (close === e && here.text !== ":") return range("expected ':'", e, e + 1);
  }
  if (["try", "finally", "else"].includes(keyword) && e === start + 1 && here.text !== ":")
    return range("expected ':'", e, e + 1);

  // `print x` inside an expression, or two expressions side by side inside brackets.
  const b = x.expression(e);
  if (b > e) {
    for (let s = start; s < e; s++) {
      if (x.disjunction(s) !== e || !expressionStart(s, e)) continue;
      const first = toks[s] as PyToken;
      if (s + 1 === e && (first.text === "print" || first.text === "exec") && text(e) !== "(") {
        let end = b;
        while (text(end) === "," && x.expression(end + 1) > end + 1) end = x.expression(end + 1);
        return range(
          `Missing parentheses in call to '${first.text}'. Did you mean ${first.text}(...)?`,
          s,
          end,
        );
      }
      const prefixed = first.kind === "name" && toks[s + 1]?.kind === "string";
      const inside = here.level > 0 && (toks[b - 1] as PyToken).level > 0;
      if (inside && !prefixed && !(first.kind === "name" && softKeyword(first.text)))
        return range("invalid syntax. Perhaps you forgot a comma?", s, b);
      break;
    }
  }

  // `=` where a comparison was meant: in a condition, a display, a group or a subscript, or
  // after an argument that is no name.
  if (here.text === "=") {
    const keyword = text(start);
    const condition = (s: number) => s === start + 1 && ["if", "elif", "while"].includes(keyword);
    for (let s = start; s < e; s++) {
      const open = opener(s);
      const inItem = s > start && (text(s - 1) === "," || text(s - 1) in CLOSERS) && open >= 0;
      if (!condition(s) && !inItem) continue;
      const call = inItem && text(open) === "(" && trailer(open);
      if (call) {
        if (x.disjunction(s) !== e || (s + 1 === e && x.isName(s))) continue;
        return range('expression cannot contain assignment, perhaps you meant "=="?', s, e + 1);
      }
      if (x.bitwiseOr(s) !== e) continue;
      const rhs = x.bitwiseOr(e + 1);
      if (rhs <= e + 1 || text(rhs) === "=" || text(rhs) === ":=") break;
      if (s + 1 === e && x.isName(s))
        return range("invalid syntax. Maybe you meant '==' or ':=' instead of '='?", s, rhs);
      const name = describe((toks[s] as PyToken).from, (toks[e - 1] as PyToken).to);
      const excluded = ["True", "False", "None"].includes(text(s));
      if (name !== null && !excluded && !["list", "tuple", "generator expression"].includes(name))
        return range(`cannot assign to ${name} here. Maybe you meant '==' instead of '='?`, s, e);
      break;
    }
  }
  return { message: "invalid syntax", offset: here.from, end: here.to, reach: offset };
}

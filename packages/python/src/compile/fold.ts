// Constant folding, as CPython 3.11's AST optimizer (Python/ast_opt.c) does it: an operator on
// constants becomes a constant (`1.5 * 2` is the constant 3.0, `-1` the constant -1), a tuple
// of constants becomes one constant tuple, the iterable of a `for` or of a containment test
// becomes a constant tuple (a list) or frozenset (a set). The limits are CPython's, so that
// what a display allocates at run time is what CPython allocates: a folded constant lives in
// the code object, an unfolded expression is computed (and allocated) each time.

import type * as A from "../syntax/ast.js";
import { floatPow } from "../text/float.js";
import {
  type Complex,
  complexDiff,
  complexPow,
  complexProd,
  complexQuot,
  complexSum,
} from "../vm/complex-math.js";

type Value = A.ConstantValue;

/** Ints larger than this many bits are not made by folding (`MAX_INT_SIZE`). */
const MAX_INT_BITS = 128n;
/** Longest folded str or bytes (`MAX_STR_SIZE`). */
const MAX_STR_SIZE = 4096;
/** Largest folded tuple from `*` (`MAX_COLLECTION_SIZE`). */
const MAX_COLLECTION_SIZE = 256;
/** PY_SSIZE_T_MAX. */
const SSIZE_MAX = 2n ** 63n - 1n;

/** Folds the constants of `module` (a new tree; the input is not changed). */
export function foldModule(module: A.Module): A.Module {
  return { kind: "Module", body: module.body.map(foldStmt) };
}

function foldStmts(body: readonly A.Stmt[]): A.Stmt[] {
  return body.map(foldStmt);
}

function foldStmt(s: A.Stmt): A.Stmt {
  switch (s.kind) {
    case "FunctionDef":
      return {
        ...s,
        args: foldArgs(s.args),
        body: foldStmts(s.body),
        decorators: s.decorators.map(fold),
        returns: s.returns && fold(s.returns),
      };
    case "ClassDef":
      return {
        ...s,
        bases: s.bases.map(fold),
        keywords: s.keywords.map((k) => ({ ...k, value: fold(k.value) })),
        body: foldStmts(s.body),
        decorators: s.decorators.map(fold),
      };
    case "Return":
      return { ...s, value: s.value && fold(s.value) };
    case "Delete":
      return { ...s, targets: s.targets.map(fold) };
    case "Assign":
      return { ...s, targets: s.targets.map(fold), value: fold(s.value) };
    case "AugAssign":
      return { ...s, target: fold(s.target), value: fold(s.value) };
    case "AnnAssign":
      return {
        ...s,
        target: fold(s.target),
        annotation: fold(s.annotation),
        value: s.value && fold(s.value),
      };
    case "For":
      return {
        ...s,
        target: fold(s.target),
        iter: foldIter(fold(s.iter)),
        body: foldStmts(s.body),
        orelse: foldStmts(s.orelse),
      };
    case "While":
    case "If":
      return { ...s, test: fold(s.test), body: foldStmts(s.body), orelse: foldStmts(s.orelse) };
    case "With":
      return {
        ...s,
        items: s.items.map((i) => ({
          contextExpr: fold(i.contextExpr),
          optionalVars: i.optionalVars && fold(i.optionalVars),
        })),
        body: foldStmts(s.body),
      };
    case "Raise":
      return { ...s, exc: s.exc && fold(s.exc), cause: s.cause && fold(s.cause) };
    case "Try":
      return {
        ...s,
        body: foldStmts(s.body),
        handlers: s.handlers.map((h) => ({
          ...h,
          type: h.type && fold(h.type),
          body: foldStmts(h.body),
        })),
        orelse: foldStmts(s.orelse),
        finalbody: foldStmts(s.finalbody),
      };
    case "Assert":
      return { ...s, test: fold(s.test), msg: s.msg && fold(s.msg) };
    case "Expr":
      return { ...s, value: fold(s.value) };
    case "Match":
      return {
        ...s,
        subject: fold(s.subject),
        cases: s.cases.map((c) => ({
          pattern: foldPattern(c.pattern),
          guard: c.guard && fold(c.guard),
          body: foldStmts(c.body),
        })),
      };
    default:
      return s;
  }
}

/** A pattern's values and keys folded (`-1`, `1+2j` become constants, as astfold_pattern). */
function foldPattern(p: A.Pattern): A.Pattern {
  switch (p.kind) {
    case "MatchValue":
      return { ...p, value: fold(p.value) };
    case "MatchSequence":
    case "MatchOr":
      return { ...p, patterns: p.patterns.map(foldPattern) };
    case "MatchMapping":
      return { ...p, keys: p.keys.map(fold), patterns: p.patterns.map(foldPattern) };
    case "MatchClass":
      return {
        ...p,
        cls: fold(p.cls),
        patterns: p.patterns.map(foldPattern),
        kwdPatterns: p.kwdPatterns.map(foldPattern),
      };
    case "MatchAs":
      return p.pattern ? { ...p, pattern: foldPattern(p.pattern) } : p;
    default:
      return p;
  }
}

function foldArgs(args: A.Arguments): A.Arguments {
  return {
    ...args,
    defaults: args.defaults.map(fold),
    kwDefaults: args.kwDefaults.map((d) => d && fold(d)),
  };
}

function foldComprehensions(gens: readonly A.Comprehension[]): A.Comprehension[] {
  return gens.map((g) => ({
    target: fold(g.target),
    iter: foldIter(fold(g.iter)),
    ifs: g.ifs.map(fold),
  }));
}

/** Folds an expression bottom-up. */
export function fold(e: A.Expr): A.Expr {
  switch (e.kind) {
    case "Name":
      // CPython's AST optimizer reads `__debug__` as True (False only under `python -O`).
      return e.id === "__debug__" && e.ctx === "load" ? constant(true, e) : e;
    case "BoolOp":
      return { ...e, values: e.values.map(fold) };
    case "NamedExpr":
      return { ...e, value: fold(e.value) };
    case "BinOp": {
      const left = fold(e.left);
      const right = fold(e.right);
      if (left.kind === "Constant" && right.kind === "Constant") {
        const value = foldBinary(e.op, left.value, right.value);
        if (value !== undefined) return constant(value, e);
      }
      return { ...e, left, right };
    }
    case "UnaryOp": {
      const operand = fold(e.operand);
      if (operand.kind === "Constant") {
        const value = foldUnary(e.op, operand.value);
        if (value !== undefined) return constant(value, e);
      }
      // `not (a in b)` is `a not in b`, `not (a is b)` is `a is not b` (fold_unaryop).
      if (e.op === "not" && operand.kind === "Compare" && operand.ops.length === 1) {
        const inverted = invert(operand.ops[0]!);
        if (inverted) return { ...operand, ops: [inverted], line: e.line, col: e.col };
      }
      return { ...e, operand };
    }
    case "Lambda":
      return { ...e, args: foldArgs(e.args), body: fold(e.body) };
    case "Yield":
      return { ...e, value: e.value && fold(e.value) };
    case "YieldFrom":
      return { ...e, value: fold(e.value) };
    case "IfExp":
      return { ...e, test: fold(e.test), body: fold(e.body), orelse: fold(e.orelse) };
    case "Dict":
      return { ...e, keys: e.keys.map((k) => k && fold(k)), values: e.values.map(fold) };
    case "Set":
      return { ...e, elts: e.elts.map(fold) };
    case "ListComp":
    case "SetComp":
    case "GeneratorExp":
      return { ...e, elt: fold(e.elt), generators: foldComprehensions(e.generators) };
    case "DictComp":
      return {
        ...e,
        key: fold(e.key),
        value: fold(e.value),
        generators: foldComprehensions(e.generators),
      };
    case "Compare": {
      const comparators = e.comparators.map(fold);
      const last = comparators.length - 1;
      const op = e.ops[last]!;
      if (op === "in" || op === "not in") comparators[last] = foldIter(comparators[last]!);
      return { ...e, left: fold(e.left), comparators };
    }
    case "Call":
      return {
        ...e,
        func: fold(e.func),
        args: e.args.map(fold),
        keywords: e.keywords.map((k) => ({ ...k, value: fold(k.value) })),
      };
    case "FormattedValue":
      return {
        ...e,
        value: fold(e.value),
        formatSpec: e.formatSpec && (fold(e.formatSpec) as A.JoinedStr),
      };
    case "JoinedStr":
      return { ...e, values: e.values.map((v) => fold(v) as A.Constant | A.FormattedValue) };
    case "Attribute":
      return { ...e, value: fold(e.value) };
    case "Subscript": {
      const value = fold(e.value);
      const slice = fold(e.slice);
      if (e.ctx === "load" && value.kind === "Constant" && slice.kind === "Constant") {
        const folded = foldSubscript(value.value, slice.value);
        if (folded !== undefined) return constant(folded, e);
      }
      return { ...e, value, slice };
    }
    case "Starred":
      return { ...e, value: fold(e.value) };
    case "List":
      return { ...e, elts: e.elts.map(fold) };
    case "Tuple": {
      const elts = e.elts.map(fold);
      if (e.ctx === "load" && elts.every((x) => x.kind === "Constant")) {
        return constant({ tuple: elts.map((x) => (x as A.Constant).value) }, e);
      }
      return { ...e, elts };
    }
    case "Slice":
      return {
        ...e,
        lower: e.lower && fold(e.lower),
        upper: e.upper && fold(e.upper),
        step: e.step && fold(e.step),
      };
    default:
      return e;
  }
}

function constant(value: Value, at: A.Span): A.Constant {
  return {
    kind: "Constant",
    value,
    line: at.line,
    col: at.col,
    endLine: at.endLine,
    endCol: at.endCol,
  };
}

function invert(op: A.CmpOpKind): A.CmpOpKind | undefined {
  switch (op) {
    case "is":
      return "is not";
    case "is not":
      return "is";
    case "in":
      return "not in";
    case "not in":
      return "in";
    default:
      return undefined;
  }
}

/** `fold_iter`: a list of constants iterated is a tuple, a set of constants a frozenset. */
function foldIter(e: A.Expr): A.Expr {
  if (e.kind === "List" && e.elts.every((x) => x.kind === "Constant")) {
    return constant({ tuple: e.elts.map((x) => (x as A.Constant).value) }, e);
  }
  if (e.kind === "Set" && e.elts.every((x) => x.kind === "Constant")) {
    return constant({ frozenset: e.elts.map((x) => (x as A.Constant).value) }, e);
  }
  return e;
}

// ------------------------------------------------------------------ values

/** A number for arithmetic: ints (and bools) as bigints, floats as numbers. */
function numeric(v: Value): bigint | number | undefined {
  if (typeof v === "boolean") return v ? 1n : 0n;
  if (typeof v === "bigint" || typeof v === "number") return v;
  return undefined;
}

function bits(n: bigint): bigint {
  return BigInt((n < 0n ? -n : n).toString(2).length);
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

function floatMod(a: number, b: number): number {
  const m = a % b;
  if (m === 0) return b < 0 ? -0 : 0;
  return m !== 0 && m < 0 !== b < 0 ? m + b : m;
}

/** `safe_*` of ast_opt.c: the result of `left op right`, or undefined where CPython does not fold. */
function foldBinary(op: A.BinOpKind, left: Value, right: Value): Value | undefined {
  // Sequences first: `"a" + "b"`, `"ab" * 3`, `(1,) * 2`, `(1,) + (2,)`.
  if (typeof left === "string" || left instanceof Uint8Array || isTuple(left)) {
    return foldSequence(op, left, right);
  }
  if ((typeof right === "string" || right instanceof Uint8Array || isTuple(right)) && op === "*") {
    return foldSequence(op, right, left);
  }
  if (isComplex(left) || isComplex(right)) return foldComplex(op, left, right);
  // bool_and, bool_or, bool_xor: two bools give a bool.
  if (typeof left === "boolean" && typeof right === "boolean") {
    if (op === "&") return left && right;
    if (op === "|") return left || right;
    if (op === "^") return left !== right;
  }
  const a = numeric(left);
  const b = numeric(right);
  if (a === undefined || b === undefined) return undefined;
  if (typeof a === "bigint" && typeof b === "bigint") return foldInt(op, a, b);
  const x = Number(a);
  const y = Number(b);
  if (typeof a === "bigint" && !Number.isFinite(x)) return undefined;
  if (typeof b === "bigint" && !Number.isFinite(y)) return undefined;
  switch (op) {
    case "+":
      return x + y;
    case "-":
      return x - y;
    case "*":
      return x * y;
    case "/":
      return y === 0 ? undefined : x / y;
    case "//":
      return y === 0 ? undefined : Math.floor(x / y) === x / y ? x / y : floatFloorDiv(x, y);
    case "%":
      return y === 0 ? undefined : floatMod(x, y);
    case "**": {
      if (x === 0 && y < 0) return undefined;
      // float_pow: a negative base to a finite fractional power is a complex number.
      if (x < 0 && Number.isFinite(x) && Number.isFinite(y) && !Number.isInteger(y))
        return foldComplex(op, { complex: [x, 0] }, { complex: [y, 0] });
      return foldedPow(x, y);
    }
    default:
      return undefined;
  }
}

/** `x ** y` as the evaluator computes it, or undefined where it raises (an overflow). */
function foldedPow(x: number, y: number): number | undefined {
  try {
    return floatPow(x, y);
  } catch {
    return undefined;
  }
}

function floatFloorDiv(x: number, y: number): number {
  const mod = x % y;
  let div = (x - mod) / y;
  if (mod !== 0 && y < 0 !== mod < 0) div -= 1;
  const floor = Math.floor(div);
  return div - floor > 0.5 ? floor + 1 : floor;
}

function foldInt(op: A.BinOpKind, a: bigint, b: bigint): Value | undefined {
  let r: bigint;
  switch (op) {
    case "+":
      r = a + b;
      break;
    case "-":
      r = a - b;
      break;
    case "*":
      if (bits(a) + bits(b) > MAX_INT_BITS) return undefined;
      r = a * b;
      break;
    case "//":
      if (b === 0n) return undefined;
      r = floorDiv(a, b);
      break;
    case "%":
      if (b === 0n) return undefined;
      r = a - floorDiv(a, b) * b;
      break;
    case "/": {
      if (b === 0n) return undefined;
      const limit = 2n ** 53n;
      if (a > limit || a < -limit || b > limit || b < -limit) return undefined;
      return Number(a) / Number(b);
    }
    case "**":
      if (b < 0n) {
        if (a === 0n) return undefined;
        const limit = 2n ** 53n;
        if (a > limit || a < -limit || b < -1074n) return undefined;
        return foldedPow(Number(a), Number(b));
      }
      if (a !== 0n && a !== 1n && a !== -1n && bits(a) * b > MAX_INT_BITS) return undefined;
      r = a ** b;
      break;
    case "<<":
      if (b < 0n) return undefined;
      if (a !== 0n && (b > MAX_INT_BITS || bits(a) + b > MAX_INT_BITS)) return undefined;
      r = a << b;
      break;
    case ">>":
      if (b < 0n) return undefined;
      r = a >> b;
      break;
    case "&":
      r = a & b;
      break;
    case "|":
      r = a | b;
      break;
    case "^":
      r = a ^ b;
      break;
    default:
      return undefined;
  }
  return r;
}

function isComplex(v: Value): v is A.ConstantComplex {
  return typeof v === "object" && v !== null && "complex" in v;
}

/**
 * `left op right` when an operand is complex, as complexobject.c computes it, or undefined where
 * the operator is not defined or raises (division by zero, an overflowing power).
 */
function foldComplex(op: A.BinOpKind, left: Value, right: Value): Value | undefined {
  const part = (v: Value): Complex | undefined => {
    if (isComplex(v)) return { real: v.complex[0], imag: v.complex[1] };
    const n = numeric(v);
    if (n === undefined) return undefined;
    const x = Number(n);
    return Number.isFinite(x) || typeof n === "number" ? { real: x, imag: 0 } : undefined;
  };
  const a = part(left);
  const b = part(right);
  if (a === undefined || b === undefined) return undefined;
  let r: Complex | string;
  switch (op) {
    case "+":
      r = complexSum(a, b);
      break;
    case "-":
      r = complexDiff(a, b);
      break;
    case "*":
      r = complexProd(a, b);
      break;
    case "/":
      r = complexQuot(a, b);
      break;
    case "**":
      r = complexPow(a, b);
      break;
    default:
      return undefined;
  }
  return typeof r === "string" ? undefined : { complex: [r.real, r.imag] };
}

function isTuple(v: Value): v is A.ConstantTuple {
  return typeof v === "object" && v !== null && "tuple" in v;
}

function foldSequence(op: A.BinOpKind, seq: Value, other: Value): Value | undefined {
  if (op === "+") {
    if (typeof seq === "string" && typeof other === "string") return seq + other;
    if (seq instanceof Uint8Array && other instanceof Uint8Array) {
      const out = new Uint8Array(seq.length + other.length);
      out.set(seq);
      out.set(other, seq.length);
      return out;
    }
    if (isTuple(seq) && isTuple(other)) return { tuple: [...seq.tuple, ...other.tuple] };
    return undefined;
  }
  if (op !== "*") return undefined;
  const n = typeof other === "boolean" ? (other ? 1n : 0n) : other;
  if (typeof n !== "bigint") return undefined;
  // safe_multiply: a non-empty sequence is folded only for a count from 0 to the limit over
  // its size; an empty one as PyNumber_Multiply would make it, which refuses a count no
  // Py_ssize_t holds (then the multiplication is left to run, and raise, at run time).
  const size =
    typeof seq === "string"
      ? Array.from(seq).length
      : isTuple(seq)
        ? seq.tuple.length
        : seq instanceof Uint8Array
          ? seq.length
          : 0;
  const limit = BigInt(isTuple(seq) ? MAX_COLLECTION_SIZE : MAX_STR_SIZE);
  if (size > 0 ? n < 0n || n > limit / BigInt(size) : n > SSIZE_MAX || n < -SSIZE_MAX - 1n)
    return undefined;
  const count = size > 0 ? Number(n) : 0;
  if (typeof seq === "string") return seq.repeat(count);
  if (seq instanceof Uint8Array) {
    const out = new Uint8Array(seq.length * count);
    for (let i = 0; i < count; i++) out.set(seq, i * seq.length);
    return out;
  }
  if (isTuple(seq)) {
    const out: Value[] = [];
    for (let i = 0; i < count; i++) out.push(...seq.tuple);
    return { tuple: out };
  }
  return undefined;
}

/** The truth of a constant (`bool(v)`). */
export function truthy(v: Value): boolean {
  if (v === null) return false;
  if (typeof v === "boolean") return v;
  if (typeof v === "bigint") return v !== 0n;
  if (typeof v === "number") return v !== 0;
  if (typeof v === "string" || v instanceof Uint8Array) return v.length > 0;
  if (isTuple(v)) return v.tuple.length > 0;
  if (typeof v === "object" && "frozenset" in v) return v.frozenset.length > 0;
  if (isComplex(v)) return v.complex[0] !== 0 || v.complex[1] !== 0;
  return true;
}

function foldUnary(op: A.UnaryOp["op"], v: Value): Value | undefined {
  if (op === "not") return !truthy(v);
  if (isComplex(v)) {
    if (op === "~") return undefined;
    const [real, imag] = v.complex;
    return op === "-" ? { complex: [-real, -imag] } : v;
  }
  const n = numeric(v);
  if (n === undefined) return undefined;
  if (op === "-") return typeof n === "bigint" ? -n : -n;
  if (op === "+") return n;
  // `~`: ints (and bools) only.
  return typeof n === "bigint" ? ~n : undefined;
}

/** `"abc"[1]`, `(1, 2)[0]`: a constant indexed by an int constant, where it is in range. */
function foldSubscript(value: Value, index: Value): Value | undefined {
  if (typeof index !== "bigint") return undefined;
  if (typeof value === "string") {
    const chars = Array.from(value);
    const i = Number(index < 0n ? index + BigInt(chars.length) : index);
    return i >= 0 && i < chars.length ? chars[i] : undefined;
  }
  if (isTuple(value)) {
    const i = Number(index < 0n ? index + BigInt(value.tuple.length) : index);
    return i >= 0 && i < value.tuple.length ? value.tuple[i] : undefined;
  }
  return undefined;
}

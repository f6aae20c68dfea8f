// The abstract syntax tree of the Python subset @mm/python runs. Node kinds and field names
// follow CPython's `ast` module (Python/Python.asdl), so that the compiler can follow
// Python/compile.c closely; positions are 1-based lines and 0-based columns, as `ast` gives
// them. Every node is a plain object with a `kind` tag, so a tree survives `structuredClone`
// and JSON.

/** Where a node starts and ends in the source: 1-based lines, 0-based UTF-16 columns. */
export interface Span {
  readonly line: number;
  readonly col: number;
  readonly endLine: number;
  readonly endCol: number;
}

/** A parsed module: its statements. */
export interface Module {
  readonly kind: "Module";
  readonly body: readonly Stmt[];
}

// ------------------------------------------------------------------ statements

export type Stmt =
  | FunctionDef
  | ClassDef
  | Return
  | Delete
  | Assign
  | AugAssign
  | AnnAssign
  | For
  | While
  | If
  | With
  | Raise
  | Try
  | Assert
  | Import
  | ImportFrom
  | Global
  | Nonlocal
  | ExprStmt
  | Pass
  | Break
  | Continue
  | Match;

/** `def name(args): body`, with its decorators (outermost first). */
export interface FunctionDef extends Span {
  readonly kind: "FunctionDef";
  readonly name: string;
  readonly args: Arguments;
  readonly body: readonly Stmt[];
  readonly decorators: readonly Expr[];
  /** The return annotation, kept for `__annotations__`-free evaluation order only. */
  readonly returns: Expr | null;
}

/** `class name(bases, keywords): body`. */
export interface ClassDef extends Span {
  readonly kind: "ClassDef";
  readonly name: string;
  readonly bases: readonly Expr[];
  readonly keywords: readonly Keyword[];
  readonly body: readonly Stmt[];
  readonly decorators: readonly Expr[];
}

export interface Return extends Span {
  readonly kind: "Return";
  readonly value: Expr | null;
}

/** `del a, b[0], c.d`. */
export interface Delete extends Span {
  readonly kind: "Delete";
  readonly targets: readonly Expr[];
}

/** `a = b = value`: targets left to right. */
export interface Assign extends Span {
  readonly kind: "Assign";
  readonly targets: readonly Expr[];
  readonly value: Expr;
}

/** `target op= value`. */
export interface AugAssign extends Span {
  readonly kind: "AugAssign";
  readonly target: Expr;
  readonly op: BinOpKind;
  readonly value: Expr;
}

/** `target: annotation = value` (the annotation is not evaluated for locals). */
export interface AnnAssign extends Span {
  readonly kind: "AnnAssign";
  readonly target: Expr;
  readonly annotation: Expr;
  readonly value: Expr | null;
  /** Whether the target is a plain name (`x: int`, not `(x): int` or `a.b: int`). */
  readonly simple: boolean;
}

export interface For extends Span {
  readonly kind: "For";
  readonly target: Expr;
  readonly iter: Expr;
  readonly body: readonly Stmt[];
  readonly orelse: readonly Stmt[];
}

export interface While extends Span {
  readonly kind: "While";
  readonly test: Expr;
  readonly body: readonly Stmt[];
  readonly orelse: readonly Stmt[];
}

/** `if`; an `elif` is an `If` alone in `orelse`. */
export interface If extends Span {
  readonly kind: "If";
  readonly test: Expr;
  readonly body: readonly Stmt[];
  readonly orelse: readonly Stmt[];
}

export interface With extends Span {
  readonly kind: "With";
  readonly items: readonly WithItem[];
  readonly body: readonly Stmt[];
}

export interface WithItem {
  readonly contextExpr: Expr;
  readonly optionalVars: Expr | null;
}

/** `raise`, `raise exc` or `raise exc from cause`. */
export interface Raise extends Span {
  readonly kind: "Raise";
  readonly exc: Expr | null;
  readonly cause: Expr | null;
}

export interface Try extends Span {
  readonly kind: "Try";
  readonly body: readonly Stmt[];
  readonly handlers: readonly ExceptHandler[];
  readonly orelse: readonly Stmt[];
  readonly finalbody: readonly Stmt[];
  /** Whether the handlers are `except*` clauses (PEP 654's TryStar). */
  readonly star?: boolean;
}

/** `except type as name:` (`type` null for a bare `except:`). */
export interface ExceptHandler extends Span {
  readonly kind: "ExceptHandler";
  readonly type: Expr | null;
  readonly name: string | null;
  readonly body: readonly Stmt[];
}

export interface Assert extends Span {
  readonly kind: "Assert";
  readonly test: Expr;
  readonly msg: Expr | null;
}

/** `import a.b as c, d`. */
export interface Import extends Span {
  readonly kind: "Import";
  readonly names: readonly Alias[];
}

/** `from module import a as b, c` (`level` counts leading dots; `*` is an alias named `*`). */
export interface ImportFrom extends Span {
  readonly kind: "ImportFrom";
  readonly module: string | null;
  readonly names: readonly Alias[];
  readonly level: number;
}

export interface Alias extends Span {
  readonly name: string;
  readonly asname: string | null;
}

export interface Global extends Span {
  readonly kind: "Global";
  readonly names: readonly string[];
}

export interface Nonlocal extends Span {
  readonly kind: "Nonlocal";
  readonly names: readonly string[];
}

/** An expression statement (its value is discarded; a docstring too). */
export interface ExprStmt extends Span {
  readonly kind: "Expr";
  readonly value: Expr;
}

export interface Pass extends Span {
  readonly kind: "Pass";
}

export interface Break extends Span {
  readonly kind: "Break";
}

export interface Continue extends Span {
  readonly kind: "Continue";
}

/** `match subject:` with its cases, tried in order. */
export interface Match extends Span {
  readonly kind: "Match";
  readonly subject: Expr;
  readonly cases: readonly MatchCase[];
}

/** `case pattern if guard: body`. */
export interface MatchCase {
  readonly pattern: Pattern;
  readonly guard: Expr | null;
  readonly body: readonly Stmt[];
}

/** A pattern of a `case` (PEP 634), as CPython's `ast` gives them. */
export type Pattern =
  | MatchValue
  | MatchSingleton
  | MatchSequence
  | MatchMapping
  | MatchClass
  | MatchStar
  | MatchAs
  | MatchOr;

/** A literal or dotted name compared with `==`. */
export interface MatchValue extends Span {
  readonly kind: "MatchValue";
  readonly value: Expr;
}

/** `None`, `True` or `False`, compared with `is`. */
export interface MatchSingleton extends Span {
  readonly kind: "MatchSingleton";
  readonly value: null | boolean;
}

/** `[p, …]` or `(p, …)` or an open `p, …`. */
export interface MatchSequence extends Span {
  readonly kind: "MatchSequence";
  readonly patterns: readonly Pattern[];
}

/** `{key: p, …, **rest}`. */
export interface MatchMapping extends Span {
  readonly kind: "MatchMapping";
  readonly keys: readonly Expr[];
  readonly patterns: readonly Pattern[];
  readonly rest: string | null;
}

/** `cls(p, …, name=p, …)`. */
export interface MatchClass extends Span {
  readonly kind: "MatchClass";
  readonly cls: Expr;
  readonly patterns: readonly Pattern[];
  readonly kwdAttrs: readonly string[];
  readonly kwdPatterns: readonly Pattern[];
}

/** `*name` (`*_`: name null) inside a sequence pattern. */
export interface MatchStar extends Span {
  readonly kind: "MatchStar";
  readonly name: string | null;
}

/** `p as name`, a capture `name` (pattern null) or the wildcard `_` (both null). */
export interface MatchAs extends Span {
  readonly kind: "MatchAs";
  readonly pattern: Pattern | null;
  readonly name: string | null;
}

/** `p | q | …`. */
export interface MatchOr extends Span {
  readonly kind: "MatchOr";
  readonly patterns: readonly Pattern[];
}

// ------------------------------------------------------------------ expressions

export type Expr =
  | BoolOp
  | NamedExpr
  | BinOp
  | UnaryOp
  | Lambda
  | IfExp
  | DictExpr
  | SetExpr
  | ListComp
  | SetComp
  | DictComp
  | GeneratorExp
  | Yield
  | YieldFrom
  | Compare
  | Call
  | FormattedValue
  | JoinedStr
  | Constant
  | Attribute
  | Subscript
  | Starred
  | Name
  | ListExpr
  | TupleExpr
  | Slice;

/** Whether an expression is read, assigned or deleted (`ast.Load`, `Store`, `Del`). */
export type ExprContext = "load" | "store" | "del";

/** `a and b and c` / `a or b`. */
export interface BoolOp extends Span {
  readonly kind: "BoolOp";
  readonly op: "and" | "or";
  readonly values: readonly Expr[];
}

/** `(target := value)`. */
export interface NamedExpr extends Span {
  readonly kind: "NamedExpr";
  readonly target: Name;
  readonly value: Expr;
}

/** The binary operators, by their symbol. */
export type BinOpKind =
  | "+"
  | "-"
  | "*"
  | "@"
  | "/"
  | "%"
  | "**"
  | "<<"
  | ">>"
  | "|"
  | "^"
  | "&"
  | "//";

export interface BinOp extends Span {
  readonly kind: "BinOp";
  readonly left: Expr;
  readonly op: BinOpKind;
  readonly right: Expr;
}

/** `not x`, `-x`, `+x`, `~x`. */
export interface UnaryOp extends Span {
  readonly kind: "UnaryOp";
  readonly op: "not" | "-" | "+" | "~";
  readonly operand: Expr;
}

export interface Lambda extends Span {
  readonly kind: "Lambda";
  readonly args: Arguments;
  readonly body: Expr;
}

/** `body if test else orelse`. */
export interface IfExp extends Span {
  readonly kind: "IfExp";
  readonly test: Expr;
  readonly body: Expr;
  readonly orelse: Expr;
}

/** `{k: v, **m}`: a `null` key marks a `**m` unpacking whose mapping is the value. */
export interface DictExpr extends Span {
  readonly kind: "Dict";
  readonly keys: readonly (Expr | null)[];
  readonly values: readonly Expr[];
}

export interface SetExpr extends Span {
  readonly kind: "Set";
  readonly elts: readonly Expr[];
}

export interface ListComp extends Span {
  readonly kind: "ListComp";
  readonly elt: Expr;
  readonly generators: readonly Comprehension[];
}

export interface SetComp extends Span {
  readonly kind: "SetComp";
  readonly elt: Expr;
  readonly generators: readonly Comprehension[];
}

export interface DictComp extends Span {
  readonly kind: "DictComp";
  readonly key: Expr;
  readonly value: Expr;
  readonly generators: readonly Comprehension[];
}

export interface GeneratorExp extends Span {
  readonly kind: "GeneratorExp";
  readonly elt: Expr;
  readonly generators: readonly Comprehension[];
}

/** `yield` or `yield value`: makes the enclosing function a generator function. */
export interface Yield extends Span {
  readonly kind: "Yield";
  readonly value: Expr | null;
}

/** `yield from value`: delegates to the iterator of `value` until it is exhausted. */
export interface YieldFrom extends Span {
  readonly kind: "YieldFrom";
  readonly value: Expr;
}

/** `for target in iter if cond …` of a comprehension. */
export interface Comprehension {
  readonly target: Expr;
  readonly iter: Expr;
  readonly ifs: readonly Expr[];
}

/** The comparison operators. */
export type CmpOpKind = "==" | "!=" | "<" | "<=" | ">" | ">=" | "is" | "is not" | "in" | "not in";

/** `left op0 c0 op1 c1 …` (a chain). */
export interface Compare extends Span {
  readonly kind: "Compare";
  readonly left: Expr;
  readonly ops: readonly CmpOpKind[];
  readonly comparators: readonly Expr[];
}

/** `func(args, keywords)`; a `Starred` argument is `*it`, a keyword without `arg` is `**m`. */
export interface Call extends Span {
  readonly kind: "Call";
  readonly func: Expr;
  readonly args: readonly Expr[];
  readonly keywords: readonly Keyword[];
}

export interface Keyword extends Span {
  /** The name, or null for `**mapping`. */
  readonly arg: string | null;
  readonly value: Expr;
}

/**
 * One `{value!conversion:format_spec}` of an f-string. `conversion` is -1 (none) or the code
 * of `s`, `r` or `a`; `formatSpec` is itself a `JoinedStr` (it may hold nested fields).
 */
export interface FormattedValue extends Span {
  readonly kind: "FormattedValue";
  readonly value: Expr;
  readonly conversion: number;
  readonly formatSpec: JoinedStr | null;
}

/** An f-string: its literal parts (`Constant` strs) and fields, in order. */
export interface JoinedStr extends Span {
  readonly kind: "JoinedStr";
  readonly values: readonly (Constant | FormattedValue)[];
}

/** The value of a literal, `None`, `True`, `False` or `...` (folded tuples hold them too). */
export type ConstantValue =
  | null
  | boolean
  | bigint
  | number
  | string
  | Uint8Array
  | typeof Ellipsis
  | ConstantTuple
  | ConstantFrozenset
  | ConstantComplex;

/** A complex number: an imaginary literal (`2j`), or made by constant folding (`1+2j`). */
export interface ConstantComplex {
  readonly complex: readonly [real: number, imag: number];
}

/** A tuple of constants, made only by constant folding. */
export interface ConstantTuple {
  readonly tuple: readonly ConstantValue[];
}

/** A frozenset of constants, made only by constant folding (`x in {1, 2}`). */
export interface ConstantFrozenset {
  readonly frozenset: readonly ConstantValue[];
}

/** The `...` constant. */
export const Ellipsis: unique symbol = Symbol("Ellipsis");

/**
 * A literal. Ints are bigints (any size), so a number is always a float; strs are JS strings,
 * bytes are `Uint8Array`s, `null` is `None`, an imaginary literal (`1j`) a {@link ConstantComplex}.
 */
export interface Constant extends Span {
  readonly kind: "Constant";
  readonly value: ConstantValue;
}

/** `value.attr`. */
export interface Attribute extends Span {
  readonly kind: "Attribute";
  readonly value: Expr;
  readonly attr: string;
  readonly ctx: ExprContext;
}

/** `value[slice]`. */
export interface Subscript extends Span {
  readonly kind: "Subscript";
  readonly value: Expr;
  readonly slice: Expr;
  readonly ctx: ExprContext;
}

/** `*value` in a call, a display or an assignment target. */
export interface Starred extends Span {
  readonly kind: "Starred";
  readonly value: Expr;
  readonly ctx: ExprContext;
}

export interface Name extends Span {
  readonly kind: "Name";
  readonly id: string;
  readonly ctx: ExprContext;
}

export interface ListExpr extends Span {
  readonly kind: "List";
  readonly elts: readonly Expr[];
  readonly ctx: ExprContext;
}

export interface TupleExpr extends Span {
  readonly kind: "Tuple";
  readonly elts: readonly Expr[];
  readonly ctx: ExprContext;
}

/** `lower:upper:step` inside a subscript. */
export interface Slice extends Span {
  readonly kind: "Slice";
  readonly lower: Expr | null;
  readonly upper: Expr | null;
  readonly step: Expr | null;
}

/**
 * A function's parameters (`ast.arguments`): positional-only, then positional-or-keyword, `*args`,
 * keyword-only, `**kwargs`. `defaults` belong to the last positional parameters; `kwDefaults`
 * line up with `kwonlyargs` (null where one has none).
 */
export interface Arguments {
  readonly posonlyargs: readonly Arg[];
  readonly args: readonly Arg[];
  readonly vararg: Arg | null;
  readonly kwonlyargs: readonly Arg[];
  readonly kwDefaults: readonly (Expr | null)[];
  readonly kwarg: Arg | null;
  readonly defaults: readonly Expr[];
}

export interface Arg extends Span {
  readonly arg: string;
  readonly annotation: Expr | null;
}

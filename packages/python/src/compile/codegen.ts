// The code generator: an AST (folded) to code units, statement by statement as CPython 3.11's
// Python/compile.c emits them, so that the value stack holds what CPython's holds when memory
// is observed: method calls without bound methods (LOAD_METHOD), constant displays built from
// one constant (`[1, 2, 3]` is BUILD_LIST 0 + LIST_EXTEND of the tuple), short displays
// built from the stack and long ones (30 items or more) appended item by item, comprehensions
// as nested functions called with the outer iterator, `with` calling `__exit__` with three
// Nones, exception handlers through a table with the stack depth at which each starts.

import type * as A from "../syntax/ast.js";
import { complexKey } from "../vm/complex-math.js";
import { type CodeConstant, CodeFlags, type CodeUnit, type Handler } from "./code.js";
import { CompileError } from "./errors.js";
import { fold, foldModule, truthy } from "./fold.js";
import { compileMatch, type MatchEmitter } from "./match.js";
import { BinaryOp, CompareOp, INPLACE, MakeFunction, Op } from "./opcodes.js";
import {
  buildSymbolTable,
  isFreeInClass,
  mangle,
  type Scope,
  type SymbolTable,
} from "./symtable.js";
import { type CompileWarning, compileWarnings } from "./warnings.js";

/** CPython's `STACK_USE_GUIDELINE`: displays this long or longer are built item by item. */
const STACK_USE_GUIDELINE = 30;

/** Compiles a parsed module to its code unit. @throws CompileError */
export function compileModule(
  module: A.Module,
  filename: string,
  onWarning?: (warning: CompileWarning) => void,
): CodeUnit {
  const folded = foldModule(module);
  if (onWarning) for (const w of compileWarnings(folded)) onWarning(w);
  const table = buildSymbolTable(folded, filename);
  const compiler = new Compiler(table, filename);
  return compiler.module(folded);
}

/**
 * Compiles `module` as interactive code (`compile(…, "single")`, one input of the REPL): as a
 * module, but with no docstring, and each expression statement outside functions and classes
 * shows its value through `sys.displayhook` (PRINT_EXPR), a bare constant too.
 */
export function compileInteractive(
  module: A.Module,
  filename: string,
  onWarning?: (warning: CompileWarning) => void,
): CodeUnit {
  const folded = foldModule(module);
  if (onWarning) for (const w of compileWarnings(folded)) onWarning(w);
  const table = buildSymbolTable(folded, filename);
  return new Compiler(table, filename).interactive(folded);
}

/**
 * Compiles a parsed module whose body is one expression statement in CPython's `eval` mode: a
 * `<module>` code whose value is the expression's. @throws CompileError
 */
export function compileExpression(
  module: A.Module,
  filename: string,
  onWarning?: (warning: CompileWarning) => void,
): CodeUnit {
  const folded = foldModule(module);
  const first = folded.body[0];
  if (folded.body.length !== 1 || first?.kind !== "Expr")
    throw new TypeError("compileExpression: the module must be one expression statement");
  if (onWarning) for (const w of compileWarnings(folded)) onWarning(w);
  const table = buildSymbolTable(folded, filename);
  return new Compiler(table, filename).expression(first.value);
}

const binaryOps: Record<A.BinOpKind, BinaryOp> = {
  "+": BinaryOp.Add,
  "&": BinaryOp.And,
  "//": BinaryOp.FloorDivide,
  "<<": BinaryOp.LShift,
  "@": BinaryOp.MatMul,
  "*": BinaryOp.Multiply,
  "%": BinaryOp.Remainder,
  "|": BinaryOp.Or,
  "**": BinaryOp.Power,
  ">>": BinaryOp.RShift,
  "-": BinaryOp.Subtract,
  "/": BinaryOp.TrueDivide,
  "^": BinaryOp.Xor,
};

const compareOps: Partial<Record<A.CmpOpKind, CompareOp>> = {
  "<": CompareOp.Lt,
  "<=": CompareOp.Le,
  "==": CompareOp.Eq,
  "!=": CompareOp.Ne,
  ">": CompareOp.Gt,
  ">=": CompareOp.Ge,
};

/** A jump target; its position is known once it is placed. */
class Label {
  at = -1;
}

/** The kinds of block a `break`, `continue` or `return` must unwind (compile.c's fblocks). */
type BlockKind =
  | "while"
  | "for"
  | "try"
  | "finallyTry"
  | "finallyEnd"
  | "with"
  | "handlerCleanup"
  | "exceptionHandler"
  | "popValue";

interface Block {
  readonly kind: BlockKind;
  readonly start: Label | undefined;
  readonly exit: Label | undefined;
  /** finallyTry: the finally body, compiled again at each exit; handlerCleanup: the name. */
  readonly datum?: readonly A.Stmt[] | string | null;
}

interface Instr {
  op: Op;
  arg: number;
  target: Label | undefined;
  line: number;
  col: number;
  endLine: number;
  endCol: number;
}

/** The code being generated for one scope. */
class Unit {
  readonly scope: Scope;
  readonly name: string;
  readonly qualname: string;
  readonly firstLine: number;
  readonly instrs: Instr[] = [];
  readonly consts: CodeConstant[] = [];
  readonly #constIndex = new Map<string, number>();
  readonly names: string[] = [];
  readonly #nameIndex = new Map<string, number>();
  readonly varnames: string[] = [];
  readonly #varIndex = new Map<string, number>();
  readonly cellvars: string[];
  readonly freevars: string[];
  readonly blocks: Block[] = [];
  argCount = 0;
  posOnlyArgCount = 0;
  kwOnlyArgCount = 0;
  flags = 0;
  line = 0;
  col = -1;
  endLine = 0;
  endCol = -1;
  /** A label placed since the last instruction (a jump may arrive here). */
  labelled = false;
  /** The instruction index the last label was placed at (-1 before any). */
  lastLabel = -1;

  constructor(scope: Scope, name: string, qualname: string, firstLine: number) {
    this.scope = scope;
    this.name = name;
    this.qualname = qualname;
    this.firstLine = firstLine;
    this.line = firstLine;
    if (scope.isFunction) for (const p of scope.params) this.varIndex(p);
    this.cellvars = scope.namesOf("cell");
    if (scope.kind === "class" && scope.hasClassCell) this.cellvars.push("__class__");
    const free = scope.namesOf("free");
    if (scope.kind === "class")
      for (const [name] of scope.flags)
        if (isFreeInClass(scope, name) && !free.includes(name)) free.push(name);
    this.freevars = free.sort();
    this.cellvars.sort();
  }

  varIndex(name: string): number {
    let i = this.#varIndex.get(name);
    if (i === undefined) {
      i = this.varnames.length;
      this.varnames.push(name);
      this.#varIndex.set(name, i);
    }
    return i;
  }

  nameIndex(name: string): number {
    let i = this.#nameIndex.get(name);
    if (i === undefined) {
      i = this.names.length;
      this.names.push(name);
      this.#nameIndex.set(name, i);
    }
    return i;
  }

  constIndex(value: CodeConstant): number {
    const key = constKey(value);
    let i = key === undefined ? undefined : this.#constIndex.get(key);
    if (i === undefined) {
      i = this.consts.length;
      this.consts.push(value);
      if (key !== undefined) this.#constIndex.set(key, i);
    }
    return i;
  }

  derefIndex(name: string): number {
    const cell = this.cellvars.indexOf(name);
    if (cell >= 0) return cell;
    const free = this.freevars.indexOf(name);
    if (free < 0) throw new Error(`internal error: '${name}' is neither a cell nor free`);
    return this.cellvars.length + free;
  }
}

/**
 * A key telling constants apart the way `_PyCode_ConstantKey` does: by type and value, so that
 * `1`, `1.0` and `True` stay distinct and `0.0` differs from `-0.0`.
 */
function constKey(value: CodeConstant): string | undefined {
  if (value === null) return "N";
  switch (typeof value) {
    case "boolean":
      return value ? "T" : "F";
    case "bigint":
      return `i${value}`;
    case "number":
      return Object.is(value, -0) ? "f-0" : `f${value}`;
    case "string":
      return `s${value}`;
    case "symbol":
      return "E";
    default:
      break;
  }
  if (value instanceof Uint8Array) return `b${Array.from(value).join(",")}`;
  if ("tuple" in value) {
    const parts = value.tuple.map(constKey);
    return parts.includes(undefined) ? undefined : `(${parts.join(";")})`;
  }
  if ("frozenset" in value) {
    const parts = value.frozenset.map(constKey);
    return parts.includes(undefined) ? undefined : `{${parts.join(";")}}`;
  }
  if ("complex" in value) return `c${complexKey(value.complex)}`;
  return undefined; // code units are never merged
}

function isConstant(e: A.Expr): e is A.Constant {
  return e.kind === "Constant";
}

function hasStarred(elts: readonly A.Expr[]): boolean {
  return elts.some((e) => e.kind === "Starred");
}

class Compiler {
  readonly #table: SymbolTable;
  readonly #filename: string;
  #u!: Unit;
  readonly #stack: Unit[] = [];
  /** Interactive code: the module's expression statements are echoed (c_interactive). */
  #interactive = false;

  constructor(table: SymbolTable, filename: string) {
    this.#table = table;
    this.#filename = filename;
  }

  #error(message: string, at: A.Span): never {
    throw CompileError.at(message, this.#filename, at);
  }

  // ------------------------------------------------------------------ units

  module(module: A.Module): CodeUnit {
    this.#u = new Unit(this.#table.top, "<module>", "<module>", 1);
    this.#body(module.body, true);
    this.#setLine(lastLine(module.body));
    this.#loadConst(null);
    this.#emit(Op.RETURN_VALUE);
    return this.#assemble();
  }

  /** Interactive mode (compiler_mod's Interactive_kind): no docstring, values echoed. */
  interactive(module: A.Module): CodeUnit {
    this.#u = new Unit(this.#table.top, "<module>", "<module>", 1);
    this.#interactive = true;
    this.#body(module.body, false);
    this.#setLine(lastLine(module.body));
    this.#loadConst(null);
    this.#emit(Op.RETURN_VALUE);
    return this.#assemble();
  }

  /** `eval` mode: the expression's value is the code's (compiler_mod's Expression_kind). */
  expression(expression: A.Expr): CodeUnit {
    this.#u = new Unit(this.#table.top, "<module>", "<module>", 1);
    this.#at(expression);
    this.#expr(expression);
    this.#emit(Op.RETURN_VALUE);
    return this.#assemble();
  }

  #enter(scope: Scope, name: string, qualname: string, firstLine: number): void {
    this.#stack.push(this.#u);
    this.#u = new Unit(scope, name, qualname, firstLine);
  }

  #leave(): CodeUnit {
    const code = this.#assemble();
    this.#u = this.#stack.pop()!;
    return code;
  }

  /** The qualified name of a new scope named `name` (compiler_set_qualname). */
  #qualname(name: string, scope: Scope): string {
    const parent = this.#u;
    if (parent.scope.kind === "module") return name;
    // A global function or class nested anywhere is named from the module.
    if (scope.kind === "function" || scope.kind === "class") {
      const s = parent.scope.lookup(name);
      if (s === "globalExplicit") return name;
    }
    const base =
      parent.scope.kind === "function" || parent.scope.kind === "comprehension"
        ? `${parent.qualname}.<locals>`
        : parent.qualname;
    return `${base}.${name}`;
  }

  // ------------------------------------------------------------------ emission

  /** Instructions emitted from here on belong to `line`, with no columns (no carets). */
  #setLine(line: number): void {
    const u = this.#u;
    u.line = line;
    u.col = -1;
    u.endLine = line;
    u.endCol = -1;
  }

  /** Instructions emitted from here on belong to the node spanning `at` (`co_positions`). */
  #at(at: A.Span): void {
    const u = this.#u;
    u.line = at.line;
    u.col = at.col;
    u.endLine = at.endLine;
    u.endCol = at.endCol;
  }

  #emit(op: Op, arg = 0, target?: Label): void {
    const u = this.#u;
    u.instrs.push({
      op,
      arg,
      target,
      line: u.line,
      col: u.col,
      endLine: u.endLine,
      endCol: u.endCol,
    });
    u.labelled = false;
  }

  #jump(op: Op, target: Label): void {
    this.#emit(op, 0, target);
  }

  #place(label: Label): void {
    label.at = this.#u.instrs.length;
    this.#u.labelled = true;
    this.#u.lastLabel = label.at;
  }

  #loadConst(value: CodeConstant): void {
    this.#emit(Op.LOAD_CONST, this.#u.constIndex(value));
  }

  /**
   * BUILD_TUPLE of constants only is one constant tuple (fold_tuple_on_constants), and a
   * BUILD_TUPLE n right before UNPACK_SEQUENCE n is a swap (the flowgraph optimizer's).
   */
  #buildTuple(n: number): void {
    const u = this.#u;
    const instrs = u.instrs;
    // No jump may land inside the run being folded (`(a or 2, 3)` jumps to the 3).
    if (n > 0 && u.lastLabel <= instrs.length - n && instrs.length >= n) {
      const tail = instrs.slice(instrs.length - n);
      if (tail.every((i) => i.op === Op.LOAD_CONST)) {
        const values = tail.map((i) => u.consts[i.arg]!) as A.ConstantValue[];
        if (values.every((v) => typeof v !== "object" || v === null || !("kind" in v))) {
          instrs.length -= n;
          this.#loadConst({ tuple: values });
          return;
        }
      }
    }
    this.#emit(Op.BUILD_TUPLE, n);
  }

  // ------------------------------------------------------------------ names

  /** The index in `co_names` of attribute `attr`, mangled as the scope mangles private names. */
  #attrName(attr: string): number {
    return this.#u.nameIndex(mangle(this.#u.scope.private, attr));
  }

  #nameOp(plain: string, ctx: A.ExprContext, at: A.Span): void {
    // `__debug__` is read as a constant (see fold.ts) and can never be bound or deleted.
    if (plain === "__debug__" && ctx !== "load")
      this.#error(ctx === "del" ? "cannot delete __debug__" : "cannot assign to __debug__", at);
    const u = this.#u;
    const name = mangle(u.scope.private, plain);
    const scope = u.scope.lookup(name);
    let kind: "fast" | "deref" | "global" | "name";
    if (scope === "free" || scope === "cell") kind = "deref";
    else if (scope === "local") kind = u.scope.isFunction ? "fast" : "name";
    else if (scope === "globalImplicit") kind = u.scope.isFunction ? "global" : "name";
    else kind = "global";
    if (u.scope.kind === "class" && kind === "deref" && scope === "free" && ctx === "load") {
      this.#emit(Op.LOAD_CLASSDEREF, u.derefIndex(name));
      return;
    }
    // A class body binds its own names even when a method captures an outer one.
    if (u.scope.kind === "class" && scope === "local") kind = "name";
    switch (kind) {
      case "fast": {
        const i = u.varIndex(name);
        this.#emit(
          ctx === "load" ? Op.LOAD_FAST : ctx === "store" ? Op.STORE_FAST : Op.DELETE_FAST,
          i,
        );
        return;
      }
      case "deref": {
        const i = u.derefIndex(name);
        this.#emit(
          ctx === "load" ? Op.LOAD_DEREF : ctx === "store" ? Op.STORE_DEREF : Op.DELETE_DEREF,
          i,
        );
        return;
      }
      case "global": {
        const i = u.nameIndex(name);
        if (ctx === "load") this.#emit(Op.LOAD_GLOBAL, i << 1);
        else this.#emit(ctx === "store" ? Op.STORE_GLOBAL : Op.DELETE_GLOBAL, i);
        return;
      }
      case "name": {
        const i = u.nameIndex(name);
        this.#emit(
          ctx === "load" ? Op.LOAD_NAME : ctx === "store" ? Op.STORE_NAME : Op.DELETE_NAME,
          i,
        );
        return;
      }
    }
    void at;
  }

  // ------------------------------------------------------------------ statements

  /** A body of statements; a module's or class's docstring is stored as `__doc__`. */
  /**
   * A module's or class's body: SETUP_ANNOTATIONS first when it annotates names, then (with
   * `docstring`; interactive input has none) a leading string stored as `__doc__`.
   */
  #body(body: readonly A.Stmt[], docstring: boolean): void {
    let rest = body;
    const first = body[0];
    if (first && findAnnotations(body) && !this.#u.scope.isFunction) {
      this.#setLine(first.line);
      this.#emit(Op.SETUP_ANNOTATIONS);
    }
    if (
      docstring &&
      first?.kind === "Expr" &&
      first.value.kind === "Constant" &&
      typeof first.value.value === "string"
    ) {
      this.#at(first);
      this.#loadConst(first.value.value);
      this.#nameOp("__doc__", "store", first);
      rest = body.slice(1);
    }
    for (const s of rest) this.#stmt(s);
  }

  #stmts(body: readonly A.Stmt[]): void {
    for (const s of body) this.#stmt(s);
  }

  #stmt(s: A.Stmt): void {
    this.#at(s);
    switch (s.kind) {
      case "FunctionDef":
        this.#functionDef(s);
        return;
      case "ClassDef":
        this.#classDef(s);
        return;
      case "Return":
        this.#return(s);
        return;
      case "Delete":
        for (const t of s.targets) this.#delete(t);
        return;
      case "Assign": {
        this.#expr(s.value);
        s.targets.forEach((t, i) => {
          if (i < s.targets.length - 1) this.#emit(Op.COPY, 1);
          this.#store(t);
        });
        return;
      }
      case "AugAssign":
        this.#augAssign(s);
        return;
      case "AnnAssign":
        this.#annAssign(s);
        return;
      case "For":
        this.#for(s);
        return;
      case "While":
        this.#while(s);
        return;
      case "If":
        this.#if(s);
        return;
      case "With":
        this.#with(s, 0);
        return;
      case "Raise": {
        let n = 0;
        if (s.exc) {
          this.#expr(s.exc);
          n = 1;
          if (s.cause) {
            this.#expr(s.cause);
            n = 2;
          }
        }
        this.#at(s);
        this.#emit(Op.RAISE_VARARGS, n);
        return;
      }
      case "Try":
        if (s.finalbody.length > 0) {
          this.#tryFinally(s);
          return;
        }
        if (s.star) this.#tryStar(s);
        else this.#tryExcept(s);
        return;
      case "Assert":
        this.#assert(s);
        return;
      case "Import":
        this.#import(s);
        return;
      case "ImportFrom":
        this.#importFrom(s);
        return;
      case "Global":
      case "Nonlocal":
      case "Pass":
        return;
      case "Expr":
        // Interactive code shows the module level's values, constants too (nestlevel <= 1).
        if (this.#interactive && this.#stack.length === 0) {
          this.#expr(s.value);
          this.#emit(Op.PRINT_EXPR);
          return;
        }
        if (s.value.kind === "Constant") return; // a docstring or a bare literal: no code
        this.#expr(s.value);
        this.#emit(Op.POP_TOP);
        return;
      case "Break":
        this.#break(s);
        return;
      case "Match":
        compileMatch(s, this.#matchEmitter());
        return;
      case "Continue":
        this.#continue(s);
        return;
    }
  }

  /** The compiler's primitives that the `match` statement's code generation (match.ts) uses. */
  #matchEmitter(): MatchEmitter {
    return {
      emit: (op, arg = 0) => this.#emit(op, arg),
      jump: (op, target) => this.#jump(op, target),
      place: (label) => this.#place(label),
      label: () => new Label(),
      loadConst: (value) => this.#loadConst(value),
      buildTuple: (n) => this.#buildTuple(n),
      expr: (e) => this.#expr(e),
      store: (name, at) => this.#nameOp(name, "store", at),
      jumpIf: (test, target, cond) => this.#jumpIf(test, target, cond),
      stmts: (body) => this.#stmts(body),
      at: (at) => this.#at(at),
      error: (message, at) => this.#error(message, at),
    };
  }

  /** A parameter named `__debug__` is refused where the function is defined, as CPython does. */
  #checkDebugParams(args: A.Arguments, at: A.Span): void {
    const params = [...args.posonlyargs, ...args.args, args.vararg, ...args.kwonlyargs, args.kwarg];
    if (params.some((p) => p?.arg === "__debug__")) this.#error("cannot assign to __debug__", at);
  }

  #functionDef(s: A.FunctionDef): void {
    this.#checkDebugParams(s.args, s);
    for (const d of s.decorators) this.#expr(d);
    this.#at(s);
    const scope = this.#table.scopeOf(s);
    const flags = this.#defaults(s.args) | this.#annotations(s.args, s.returns);
    const qualname = this.#qualname(s.name, scope);
    const firstLine = s.decorators.length > 0 ? s.decorators[0]!.line : s.line;
    this.#enter(scope, s.name, qualname, firstLine);
    this.#signature(s.args);
    const first = s.body[0];
    const docstring =
      first?.kind === "Expr" &&
      first.value.kind === "Constant" &&
      typeof first.value.value === "string"
        ? first.value.value
        : null;
    // co_consts[0] is the docstring, or None (3.11 keeps None there for functions without one).
    this.#u.constIndex(docstring);
    this.#stmts(docstring === null ? s.body : s.body.slice(1));
    this.#implicitReturn(s.body);
    const code = this.#leave();
    this.#at(s);
    this.#makeClosure(code, flags);
    for (let i = 0; i < s.decorators.length; i++) this.#emit(Op.CALL, 0);
    this.#nameOp(s.name, "store", s);
  }

  /** A function's parameter counts and flags on the unit just entered. */
  #signature(args: A.Arguments): void {
    const u = this.#u;
    u.posOnlyArgCount = args.posonlyargs.length;
    u.argCount = args.posonlyargs.length + args.args.length;
    u.kwOnlyArgCount = args.kwonlyargs.length;
    u.flags |= CodeFlags.Optimized | CodeFlags.NewLocals;
    if (args.vararg) u.flags |= CodeFlags.VarArgs;
    if (args.kwarg) u.flags |= CodeFlags.VarKeywords;
    if (isNested(u.scope)) u.flags |= CodeFlags.Nested;
    if (u.scope.generator) {
      // A function that yields is a generator function: calling it makes the generator of its
      // new frame (RETURN_GENERATOR), and the first resumption goes on from the POP_TOP.
      u.flags |= CodeFlags.Generator;
      this.#emit(Op.RETURN_GENERATOR);
      this.#emit(Op.POP_TOP);
    }
  }

  /** Pushes the defaults and keyword defaults of a function; returns MAKE_FUNCTION's flags. */
  #defaults(args: A.Arguments): number {
    let flags = 0;
    if (args.defaults.length > 0) {
      for (const d of args.defaults) this.#expr(d);
      this.#buildTuple(args.defaults.length);
      flags |= MakeFunction.Defaults;
    }
    const kw = args.kwonlyargs
      .map((a, i) => [a.arg, args.kwDefaults[i] ?? null] as const)
      .filter(([, d]) => d !== null);
    if (kw.length > 0) {
      for (const [name, d] of kw) {
        this.#loadConst(name);
        this.#expr(d!);
      }
      this.#emit(Op.BUILD_MAP, kw.length);
      flags |= MakeFunction.KwDefaults;
    }
    return flags;
  }

  /**
   * compiler_visit_annotations: each annotated parameter's (mangled) name and annotation, in
   * 3.11's order (`args` before `posonlyargs`, then `*args`, the keyword-only ones, `**kwargs`,
   * the return), evaluated now in the enclosing scope and pushed as one tuple of pairs, which
   * the function turns into its `__annotations__` dict when first asked. Returns
   * MAKE_FUNCTION's annotations flag, or 0 when nothing is annotated.
   */
  #annotations(args: A.Arguments, returns: A.Expr | null): number {
    const annotated = [
      ...args.args,
      ...args.posonlyargs,
      ...(args.vararg ? [args.vararg] : []),
      ...args.kwonlyargs,
      ...(args.kwarg ? [args.kwarg] : []),
    ].filter((a) => a.annotation !== null);
    let n = 0;
    for (const a of annotated) {
      this.#loadConst(mangle(this.#u.scope.private, a.arg));
      this.#expr(a.annotation!);
      n += 2;
    }
    if (returns) {
      this.#loadConst("return");
      this.#expr(returns);
      n += 2;
    }
    if (n === 0) return 0;
    this.#buildTuple(n);
    return MakeFunction.Annotations;
  }

  /** LOAD_CLOSURE of each free variable, the code, MAKE_FUNCTION (compiler_make_closure). */
  #makeClosure(code: CodeUnit, flags: number): void {
    if (code.freevars.length > 0) {
      for (const name of code.freevars) {
        // The closure takes the cell of the same name from this scope.
        const u = this.#u;
        const inCell = u.cellvars.includes(name) || u.freevars.includes(name);
        if (!inCell) throw new Error(`internal error: no cell for '${name}' in ${u.name}`);
        this.#emit(Op.LOAD_CLOSURE, u.derefIndex(name));
      }
      this.#emit(Op.BUILD_TUPLE, code.freevars.length);
      flags |= MakeFunction.Closure;
    }
    this.#loadConst(code);
    this.#emit(Op.MAKE_FUNCTION, flags);
  }

  #implicitReturn(body: readonly A.Stmt[]): void {
    const last = body.at(-1);
    if (last?.kind === "Return") return;
    this.#setLine(lastLine(body));
    this.#loadConst(null);
    this.#emit(Op.RETURN_VALUE);
  }

  #classDef(s: A.ClassDef): void {
    for (const d of s.decorators) this.#expr(d);
    this.#at(s);
    const scope = this.#table.scopeOf(s);
    const qualname = this.#qualname(s.name, scope);
    const firstLine = s.decorators.length > 0 ? s.decorators[0]!.line : s.line;
    this.#enter(scope, s.name, qualname, firstLine);
    const u = this.#u;
    this.#emit(Op.LOAD_NAME, u.nameIndex("__name__"));
    this.#emit(Op.STORE_NAME, u.nameIndex("__module__"));
    this.#loadConst(qualname);
    this.#emit(Op.STORE_NAME, u.nameIndex("__qualname__"));
    this.#body(s.body, true);
    this.#setLine(lastLine(s.body));
    if (scope.hasClassCell) {
      this.#emit(Op.LOAD_CLOSURE, u.derefIndex("__class__"));
      this.#emit(Op.COPY, 1);
      this.#emit(Op.STORE_NAME, u.nameIndex("__classcell__"));
    } else {
      this.#loadConst(null);
    }
    this.#emit(Op.RETURN_VALUE);
    const code = this.#leave();
    this.#at(s);
    this.#emit(Op.PUSH_NULL);
    this.#emit(Op.LOAD_BUILD_CLASS);
    this.#makeClosure(code, 0);
    this.#loadConst(s.name);
    this.#callHelper(2, s.bases, s.keywords);
    for (let i = 0; i < s.decorators.length; i++) this.#emit(Op.CALL, 0);
    this.#nameOp(s.name, "store", s);
  }

  #return(s: A.Return): void {
    const u = this.#u;
    if (!u.scope.isFunction) this.#error("'return' outside function", s);
    const preserve = s.value !== null && s.value.kind !== "Constant";
    if (preserve) this.#expr(s.value!);
    this.#unwindAll(preserve, s);
    if (!preserve) this.#loadConst(s.value ? (s.value as A.Constant).value : null);
    this.#at(s);
    this.#emit(Op.RETURN_VALUE);
  }

  #break(s: A.Break): void {
    const loop = this.#unwindToLoop(s);
    if (!loop) this.#error("'break' outside loop", s);
    this.#unwind(loop, false);
    this.#jump(Op.JUMP, loop.exit!);
  }

  #continue(s: A.Continue): void {
    const loop = this.#unwindToLoop(s);
    if (!loop) this.#error("'continue' not properly in loop", s);
    this.#jump(Op.JUMP, loop.start!);
  }

  /** Unwinds the blocks inside the innermost loop; returns the loop block. */
  #unwindToLoop(at: A.Span): Block | undefined {
    const blocks = this.#u.blocks;
    const saved = [...blocks];
    for (let i = blocks.length - 1; i >= 0; i--) {
      const b = blocks[i]!;
      if (b.kind === "while" || b.kind === "for") {
        this.#restore(saved);
        return b;
      }
      blocks.length = i;
      this.#unwind(b, false);
      this.#at(at);
    }
    this.#restore(saved);
    return undefined;
  }

  #restore(saved: Block[]): void {
    const blocks = this.#u.blocks;
    blocks.length = 0;
    blocks.push(...saved);
  }

  /** Unwinds every block, for a `return`. */
  #unwindAll(preserve: boolean, at: A.Span): void {
    const blocks = this.#u.blocks;
    const saved = [...blocks];
    for (let i = blocks.length - 1; i >= 0; i--) {
      const b = blocks[i]!;
      blocks.length = i;
      this.#unwind(b, preserve);
      this.#at(at);
    }
    this.#restore(saved);
  }

  /** Leaves block `b` on a jump out of it (compiler_unwind_fblock). */
  #unwind(b: Block, preserve: boolean): void {
    switch (b.kind) {
      case "while":
      case "exceptionHandler":
        return;
      case "try":
        this.#emit(Op.POP_BLOCK);
        return;
      case "finallyTry":
        this.#emit(Op.POP_BLOCK);
        // A `return` inside the finally body drops the value being returned.
        if (preserve) this.#pushBlock("popValue");
        this.#stmts(b.datum as readonly A.Stmt[]);
        if (preserve) this.#popBlock();
        return;
      case "for":
        if (preserve) this.#emit(Op.SWAP, 2);
        this.#emit(Op.POP_TOP);
        return;
      case "finallyEnd":
        if (preserve) this.#emit(Op.SWAP, 2);
        this.#emit(Op.POP_TOP); // the exception
        if (preserve) this.#emit(Op.SWAP, 2);
        this.#emit(Op.POP_BLOCK);
        this.#emit(Op.POP_EXCEPT);
        return;
      case "with":
        this.#emit(Op.POP_BLOCK);
        if (preserve) this.#emit(Op.SWAP, 2);
        this.#callExitWithNones();
        this.#emit(Op.POP_TOP);
        return;
      case "handlerCleanup": {
        const name = b.datum as string | null;
        if (name !== null) this.#emit(Op.POP_BLOCK);
        if (preserve) this.#emit(Op.SWAP, 2);
        this.#emit(Op.POP_BLOCK);
        this.#emit(Op.POP_EXCEPT);
        if (name !== null) {
          this.#loadConst(null);
          this.#nameOp(name, "store", { line: 0, col: 0, endLine: 0, endCol: 0 });
          this.#nameOp(name, "del", { line: 0, col: 0, endLine: 0, endCol: 0 });
        }
        return;
      }
      case "popValue":
        if (preserve) this.#emit(Op.SWAP, 2);
        this.#emit(Op.POP_TOP);
        return;
    }
  }

  #callExitWithNones(): void {
    this.#loadConst(null);
    this.#loadConst(null);
    this.#loadConst(null);
    this.#emit(Op.CALL, 2);
  }

  #pushBlock(kind: BlockKind, start?: Label, exit?: Label, datum?: Block["datum"]): void {
    this.#u.blocks.push({ kind, start, exit, ...(datum !== undefined ? { datum } : {}) });
  }

  #popBlock(): void {
    this.#u.blocks.pop();
  }

  #augAssign(s: A.AugAssign): void {
    const op = binaryOps[s.op] + INPLACE;
    const t = s.target;
    switch (t.kind) {
      case "Name":
        this.#nameOp(t.id, "load", t);
        this.#expr(s.value);
        this.#at(s);
        this.#emit(Op.BINARY_OP, op);
        this.#nameOp(t.id, "store", t);
        return;
      case "Attribute": {
        this.#expr(t.value);
        this.#emit(Op.COPY, 1);
        const name = this.#attrName(t.attr);
        this.#emit(Op.LOAD_ATTR, name);
        this.#expr(s.value);
        this.#at(s);
        this.#emit(Op.BINARY_OP, op);
        this.#emit(Op.SWAP, 2);
        this.#emit(Op.STORE_ATTR, name);
        return;
      }
      case "Subscript":
        this.#expr(t.value);
        this.#expr(t.slice);
        this.#emit(Op.COPY, 2);
        this.#emit(Op.COPY, 2);
        this.#emit(Op.BINARY_SUBSCR);
        this.#expr(s.value);
        this.#at(s);
        this.#emit(Op.BINARY_OP, op);
        this.#emit(Op.SWAP, 3);
        this.#emit(Op.SWAP, 2);
        this.#emit(Op.STORE_SUBSCR);
        return;
      default:
        this.#error(`'${describe(t)}' is an illegal expression for augmented assignment`, t);
    }
  }

  #annAssign(s: A.AnnAssign): void {
    if (s.value) {
      this.#expr(s.value);
      this.#store(s.target);
    }
    if (s.target.kind === "Name" && s.simple && !this.#u.scope.isFunction) {
      // `__annotations__['x'] = annotation` in module and class bodies.
      this.#expr(s.annotation);
      this.#emit(Op.LOAD_NAME, this.#u.nameIndex("__annotations__"));
      this.#loadConst(s.target.id);
      this.#emit(Op.STORE_SUBSCR);
    } else if (s.target.kind !== "Name") {
      // A complex target is evaluated for its side effects when there is no value.
      if (!s.value) {
        if (s.target.kind === "Attribute") {
          this.#expr(s.target.value);
          this.#emit(Op.POP_TOP);
        } else if (s.target.kind === "Subscript") {
          this.#expr(s.target.value);
          this.#emit(Op.POP_TOP);
          this.#expr(s.target.slice);
          this.#emit(Op.POP_TOP);
        }
      }
    }
  }

  #for(s: A.For): void {
    const start = new Label();
    const cleanup = new Label();
    const end = new Label();
    this.#expr(s.iter);
    this.#at(s);
    this.#emit(Op.GET_ITER);
    this.#place(start);
    this.#pushBlock("for", start, end);
    this.#jump(Op.FOR_ITER, cleanup);
    this.#store(s.target);
    this.#stmts(s.body);
    this.#at(s);
    this.#jump(Op.JUMP, start);
    this.#popBlock();
    this.#place(cleanup);
    this.#stmts(s.orelse);
    this.#place(end);
  }

  #while(s: A.While): void {
    const start = new Label();
    const body = new Label();
    const anchor = new Label();
    const end = new Label();
    this.#place(start);
    this.#pushBlock("while", start, end);
    this.#jumpIf(s.test, anchor, false);
    this.#place(body);
    this.#stmts(s.body);
    this.#at(s);
    // As CPython 3.11's compiler_while: the test again at the bottom, jumping back into the
    // body while it holds (POP_JUMP_BACKWARD_IF_TRUE), so that a round of the loop is not a
    // JUMP_BACKWARD, which would count towards the code's warm-up (the evaluator quickens a
    // code after eight; `while True:` and `continue` do jump backwards unconditionally).
    if (s.test.kind === "Constant" && truthy(s.test.value)) {
      this.#jump(Op.JUMP, start);
    } else {
      this.#jumpIf(s.test, body, true);
    }
    this.#popBlock();
    this.#place(anchor);
    this.#stmts(s.orelse);
    this.#place(end);
  }

  #if(s: A.If): void {
    const end = new Label();
    const next = s.orelse.length > 0 ? new Label() : end;
    this.#jumpIf(s.test, next, false);
    this.#stmts(s.body);
    if (s.orelse.length > 0) {
      this.#jump(Op.JUMP, end);
      this.#place(next);
      this.#stmts(s.orelse);
    }
    this.#place(end);
  }

  /** Jumps to `target` when `test` is `cond` (compiler_jump_if), without building bools. */
  #jumpIf(test: A.Expr, target: Label, cond: boolean): void {
    // Only a comparison leaves its span on what follows (as compiler_jump_if's SET_LOC does):
    // an assertion's raise is marked under the comparison, not the whole statement.
    if (test.kind === "Compare") this.#at(test);
    if (test.kind === "UnaryOp" && test.op === "not") {
      this.#jumpIf(test.operand, target, !cond);
      return;
    }
    if (test.kind === "BoolOp") {
      const isOr = test.op === "or";
      const next = isOr === cond ? target : new Label();
      const values = test.values;
      for (let i = 0; i < values.length - 1; i++) this.#jumpIf(values[i]!, next, isOr);
      this.#jumpIf(values.at(-1)!, target, cond);
      if (next !== target) this.#place(next);
      return;
    }
    if (test.kind === "IfExp") {
      const end = new Label();
      const next = new Label();
      this.#jumpIf(test.test, next, false);
      this.#jumpIf(test.body, target, cond);
      this.#jump(Op.JUMP, end);
      this.#place(next);
      this.#jumpIf(test.orelse, target, cond);
      this.#place(end);
      return;
    }
    if (test.kind === "Compare" && test.ops.length > 1) {
      const cleanup = new Label();
      this.#expr(test.left);
      const n = test.ops.length - 1;
      for (let i = 0; i < n; i++) {
        this.#expr(test.comparators[i]!);
        this.#emit(Op.SWAP, 2);
        this.#emit(Op.COPY, 2);
        this.#compareOp(test.ops[i]!);
        this.#jump(Op.POP_JUMP_IF_FALSE, cleanup);
      }
      this.#expr(test.comparators[n]!);
      this.#compareOp(test.ops[n]!);
      this.#jump(cond ? Op.POP_JUMP_IF_TRUE : Op.POP_JUMP_IF_FALSE, target);
      const end = new Label();
      this.#jump(Op.JUMP, end);
      this.#place(cleanup);
      this.#emit(Op.POP_TOP);
      if (!cond) this.#jump(Op.JUMP, target);
      this.#place(end);
      return;
    }
    this.#expr(test);
    this.#jump(cond ? Op.POP_JUMP_IF_TRUE : Op.POP_JUMP_IF_FALSE, target);
  }

  #with(s: A.With, pos: number): void {
    const item = s.items[pos]!;
    const block = new Label();
    const final = new Label();
    const exit = new Label();
    const cleanup = new Label();
    this.#expr(item.contextExpr);
    this.#at(s);
    this.#emit(Op.BEFORE_WITH);
    this.#jump(Op.SETUP_WITH, final);
    this.#place(block);
    this.#pushBlock("with", block, final);
    if (item.optionalVars) this.#store(item.optionalVars);
    else this.#emit(Op.POP_TOP);
    if (pos + 1 === s.items.length) this.#stmts(s.body);
    else this.#with(s, pos + 1);
    this.#popBlock();
    this.#at(s);
    this.#emit(Op.POP_BLOCK);
    this.#callExitWithNones();
    this.#emit(Op.POP_TOP);
    this.#jump(Op.JUMP, exit);
    // The exception path: exit lasti exc on the stack.
    this.#place(final);
    this.#jump(Op.SETUP_CLEANUP, cleanup);
    this.#emit(Op.PUSH_EXC_INFO);
    this.#emit(Op.WITH_EXCEPT_START);
    const suppress = new Label();
    this.#jump(Op.POP_JUMP_IF_TRUE, suppress);
    this.#emit(Op.RERAISE, 2);
    this.#place(suppress);
    this.#emit(Op.POP_TOP);
    this.#emit(Op.POP_BLOCK);
    this.#emit(Op.POP_EXCEPT);
    this.#emit(Op.POP_TOP);
    this.#emit(Op.POP_TOP);
    this.#jump(Op.JUMP, exit);
    this.#cleanupHandler(cleanup);
    this.#place(exit);
  }

  /** `cleanup: COPY 3; POP_EXCEPT; RERAISE 1`: restores the handled exception, re-raises. */
  #cleanupHandler(cleanup: Label): void {
    this.#place(cleanup);
    this.#emit(Op.COPY, 3);
    this.#emit(Op.POP_EXCEPT);
    this.#emit(Op.RERAISE, 1);
  }

  #tryFinally(s: A.Try): void {
    const body = new Label();
    const end = new Label();
    const exit = new Label();
    const cleanup = new Label();
    this.#jump(Op.SETUP_FINALLY, end);
    this.#place(body);
    this.#pushBlock("finallyTry", body, end, s.finalbody);
    if (s.handlers.length > 0 && s.star) this.#tryStar(s);
    else if (s.handlers.length > 0) this.#tryExcept(s);
    else this.#stmts(s.body);
    this.#emit(Op.POP_BLOCK);
    this.#popBlock();
    this.#stmts(s.finalbody);
    this.#jump(Op.JUMP, exit);
    // The exception path.
    this.#place(end);
    this.#setLine(s.finalbody[0]!.line);
    this.#jump(Op.SETUP_CLEANUP, cleanup);
    this.#emit(Op.PUSH_EXC_INFO);
    this.#pushBlock("finallyEnd", end, undefined, null);
    this.#stmts(s.finalbody);
    this.#popBlock();
    this.#emit(Op.RERAISE, 0);
    this.#cleanupHandler(cleanup);
    this.#place(exit);
  }

  #tryExcept(s: A.Try): void {
    const body = new Label();
    const except = new Label();
    const orelse = new Label();
    const end = new Label();
    const cleanup = new Label();
    this.#jump(Op.SETUP_FINALLY, except);
    this.#place(body);
    this.#pushBlock("try", body);
    this.#stmts(s.body);
    this.#popBlock();
    this.#emit(Op.POP_BLOCK);
    this.#place(orelse);
    this.#stmts(s.orelse);
    this.#jump(Op.JUMP, end);
    this.#place(except);
    this.#jump(Op.SETUP_CLEANUP, cleanup);
    this.#emit(Op.PUSH_EXC_INFO);
    this.#pushBlock("exceptionHandler", undefined);
    s.handlers.forEach((h, i) => {
      this.#at(h);
      if (!h.type && i < s.handlers.length - 1) this.#error("default 'except:' must be last", h);
      const next = new Label();
      if (h.type) {
        this.#expr(h.type);
        this.#emit(Op.CHECK_EXC_MATCH);
        this.#jump(Op.POP_JUMP_IF_FALSE, next);
      }
      if (h.name !== null) {
        const cleanupEnd = new Label();
        const cleanupBody = new Label();
        this.#nameOp(h.name, "store", h);
        this.#jump(Op.SETUP_CLEANUP, cleanupEnd);
        this.#place(cleanupBody);
        this.#pushBlock("handlerCleanup", cleanupBody, undefined, h.name);
        this.#stmts(h.body);
        this.#popBlock();
        this.#emit(Op.POP_BLOCK);
        this.#emit(Op.POP_BLOCK);
        this.#emit(Op.POP_EXCEPT);
        this.#loadConst(null);
        this.#nameOp(h.name, "store", h);
        this.#nameOp(h.name, "del", h);
        this.#jump(Op.JUMP, end);
        // The handler's body raised: clear the name, re-raise.
        this.#place(cleanupEnd);
        this.#loadConst(null);
        this.#nameOp(h.name, "store", h);
        this.#nameOp(h.name, "del", h);
        this.#emit(Op.RERAISE, 1);
      } else {
        const cleanupBody = new Label();
        this.#emit(Op.POP_TOP);
        this.#place(cleanupBody);
        this.#pushBlock("handlerCleanup", cleanupBody, undefined, null);
        this.#stmts(h.body);
        this.#popBlock();
        this.#emit(Op.POP_BLOCK);
        this.#emit(Op.POP_EXCEPT);
        this.#jump(Op.JUMP, end);
      }
      this.#place(next);
    });
    this.#popBlock();
    // No handler matched: re-raise (the exception is still on the stack).
    this.#emit(Op.RERAISE, 0);
    this.#cleanupHandler(cleanup);
    this.#place(end);
  }

  /**
   * `try: … except* T as e: …` (compiler_try_star_except): the caught exception is kept below
   * a list of what the clauses raise or re-raise; each clause splits what is left with
   * CHECK_EG_MATCH and runs on the part that matched; PREP_RERAISE_STAR makes what is raised
   * at the end from the original and the list (nothing when every part was handled).
   */
  #tryStar(s: A.Try): void {
    const body = new Label();
    const orelse = new Label();
    const end = new Label();
    const cleanup = new Label();
    const reraiseStar = new Label();
    let except = new Label();
    this.#jump(Op.SETUP_FINALLY, except);
    this.#place(body);
    this.#pushBlock("try", body);
    this.#stmts(s.body);
    this.#popBlock();
    this.#emit(Op.POP_BLOCK);
    this.#jump(Op.JUMP, orelse);
    this.#place(except);
    this.#jump(Op.SETUP_CLEANUP, cleanup);
    this.#emit(Op.PUSH_EXC_INFO);
    this.#pushBlock("exceptionHandler", undefined);
    s.handlers.forEach((h, i) => {
      this.#at(h);
      except = new Label();
      const exceptWithError = new Label();
      const noMatch = new Label();
      if (i === 0) {
        // [exc] -> [orig, [], exc]
        this.#emit(Op.COPY, 1);
        this.#emit(Op.BUILD_LIST, 0);
        this.#emit(Op.SWAP, 2);
      }
      this.#expr(h.type!);
      this.#emit(Op.CHECK_EG_MATCH);
      this.#emit(Op.COPY, 1);
      this.#jump(Op.POP_JUMP_IF_NONE, noMatch);
      const cleanupEnd = new Label();
      const cleanupBody = new Label();
      if (h.name !== null) this.#nameOp(h.name, "store", h);
      else this.#emit(Op.POP_TOP);
      this.#jump(Op.SETUP_CLEANUP, cleanupEnd);
      this.#place(cleanupBody);
      this.#pushBlock("handlerCleanup", cleanupBody, undefined, h.name);
      this.#stmts(h.body);
      this.#popBlock();
      this.#emit(Op.POP_BLOCK);
      if (h.name !== null) {
        this.#loadConst(null);
        this.#nameOp(h.name, "store", h);
        this.#nameOp(h.name, "del", h);
      }
      this.#jump(Op.JUMP, except);
      // The clause's body raised: clear the name, add what it raised to the list.
      this.#place(cleanupEnd);
      if (h.name !== null) {
        this.#loadConst(null);
        this.#nameOp(h.name, "store", h);
        this.#nameOp(h.name, "del", h);
      }
      this.#emit(Op.LIST_APPEND, 3);
      this.#emit(Op.POP_TOP);
      this.#jump(Op.JUMP, exceptWithError);
      this.#place(except);
      this.#emit(Op.NOP);
      this.#jump(Op.JUMP, exceptWithError);
      this.#place(noMatch);
      this.#emit(Op.POP_TOP);
      this.#place(exceptWithError);
      if (i === s.handlers.length - 1) {
        // What no clause matched (None when nothing is left) joins the list.
        this.#emit(Op.LIST_APPEND, 1);
        this.#jump(Op.JUMP, reraiseStar);
      }
    });
    this.#popBlock();
    const reraise = new Label();
    this.#place(reraiseStar);
    this.#emit(Op.PREP_RERAISE_STAR);
    this.#emit(Op.COPY, 1);
    this.#jump(Op.POP_JUMP_IF_NOT_NONE, reraise);
    // Nothing to re-raise.
    this.#emit(Op.POP_TOP);
    this.#emit(Op.POP_BLOCK);
    this.#emit(Op.POP_EXCEPT);
    this.#jump(Op.JUMP, end);
    this.#place(reraise);
    this.#emit(Op.POP_BLOCK);
    this.#emit(Op.SWAP, 2);
    this.#emit(Op.POP_EXCEPT);
    this.#emit(Op.RERAISE, 0);
    this.#cleanupHandler(cleanup);
    this.#place(orelse);
    this.#stmts(s.orelse);
    this.#place(end);
  }

  #assert(s: A.Assert): void {
    if (s.test.kind === "Tuple" && s.test.elts.length > 0) {
      // CPython warns ("assertion is always true"); the assertion is kept.
    }
    const end = new Label();
    this.#jumpIf(s.test, end, true);
    this.#emit(Op.LOAD_ASSERTION_ERROR);
    if (s.msg) {
      this.#expr(s.msg);
      this.#emit(Op.CALL, 0);
    }
    this.#emit(Op.RAISE_VARARGS, 1);
    this.#place(end);
  }

  #import(s: A.Import): void {
    // CPython 3.11 gives every instruction of an import the statement's
    // location, so a failed import's traceback underlines the statement.
    for (const alias of s.names) {
      this.#loadConst(0n);
      this.#loadConst(null);
      this.#emit(Op.IMPORT_NAME, this.#u.nameIndex(alias.name));
      const parts = alias.name.split(".");
      if (alias.asname) {
        for (const part of parts.slice(1)) {
          this.#emit(Op.IMPORT_FROM, this.#u.nameIndex(part));
          this.#emit(Op.SWAP, 2);
          this.#emit(Op.POP_TOP);
        }
        this.#nameOp(alias.asname, "store", alias);
      } else {
        this.#nameOp(parts[0]!, "store", alias);
      }
    }
  }

  #importFrom(s: A.ImportFrom): void {
    this.#loadConst(BigInt(s.level));
    this.#loadConst({ tuple: s.names.map((a) => a.name) });
    this.#emit(Op.IMPORT_NAME, this.#u.nameIndex(s.module ?? ""));
    for (const alias of s.names) {
      if (alias.name === "*") {
        this.#emit(Op.IMPORT_STAR);
        return;
      }
      this.#emit(Op.IMPORT_FROM, this.#u.nameIndex(alias.name));
      this.#nameOp(alias.asname ?? alias.name, "store", alias);
    }
    this.#emit(Op.POP_TOP);
  }

  // ------------------------------------------------------------------ targets

  #store(t: A.Expr): void {
    this.#at(t);
    switch (t.kind) {
      case "Name":
        this.#nameOp(t.id, "store", t);
        return;
      case "Attribute":
        if (t.attr === "__debug__") this.#error("cannot assign to __debug__", t);
        this.#expr(t.value);
        this.#emit(Op.STORE_ATTR, this.#attrName(t.attr));
        return;
      case "Subscript":
        this.#expr(t.value);
        this.#expr(t.slice);
        this.#emit(Op.STORE_SUBSCR);
        return;
      case "Tuple":
      case "List":
        this.#unpack(t.elts, t);
        return;
      case "Starred":
        this.#error("starred assignment target must be in a list or tuple", t);
        break;
      default:
        this.#error(`cannot assign to ${describe(t)}`, t);
    }
  }

  #unpack(elts: readonly A.Expr[], at: A.Span): void {
    const star = elts.findIndex((e) => e.kind === "Starred");
    if (star < 0) {
      // BUILD_TUPLE n + UNPACK_SEQUENCE n is a swap (no tuple is made).
      const u = this.#u;
      const last = u.instrs.at(-1);
      if (last?.op === Op.BUILD_TUPLE && last.arg === elts.length && !u.labelled) {
        u.instrs.pop();
        if (elts.length === 2) this.#emit(Op.SWAP, 2);
        else if (elts.length === 3) this.#emit(Op.SWAP, 3);
        else if (elts.length !== 1) {
          this.#emit(Op.BUILD_TUPLE, elts.length);
          this.#emit(Op.UNPACK_SEQUENCE, elts.length);
        }
      } else {
        this.#emit(Op.UNPACK_SEQUENCE, elts.length);
      }
    } else {
      if (elts.slice(star + 1).some((e) => e.kind === "Starred"))
        this.#error("multiple starred expressions in assignment", at);
      this.#emit(Op.UNPACK_EX, star | ((elts.length - star - 1) << 8));
    }
    for (const e of elts) this.#store(e.kind === "Starred" ? e.value : e);
  }

  #delete(t: A.Expr): void {
    this.#at(t);
    switch (t.kind) {
      case "Name":
        this.#nameOp(t.id, "del", t);
        return;
      case "Attribute":
        this.#expr(t.value);
        this.#emit(Op.DELETE_ATTR, this.#attrName(t.attr));
        return;
      case "Subscript":
        this.#expr(t.value);
        this.#expr(t.slice);
        this.#emit(Op.DELETE_SUBSCR);
        return;
      case "Tuple":
      case "List":
        for (const e of t.elts) this.#delete(e);
        return;
      default:
        this.#error(`cannot delete ${describe(t)}`, t);
    }
  }

  // ------------------------------------------------------------------ expressions

  /**
   * Compiles an expression; its instructions carry its span, and what the caller emits after
   * it carries the caller's again (compiler_visit_expr saves and restores the location).
   */
  #expr(e: A.Expr): void {
    const u = this.#u;
    const { line, col, endLine, endCol } = u;
    this.#at(e);
    this.#exprBody(e);
    u.line = line;
    u.col = col;
    u.endLine = endLine;
    u.endCol = endCol;
  }

  #exprBody(e: A.Expr): void {
    switch (e.kind) {
      case "Constant":
        this.#loadConst(e.value);
        return;
      case "Name":
        this.#nameOp(e.id, "load", e);
        return;
      case "BoolOp": {
        const end = new Label();
        const op = e.op === "and" ? Op.JUMP_IF_FALSE_OR_POP : Op.JUMP_IF_TRUE_OR_POP;
        e.values.forEach((v, i) => {
          this.#expr(v);
          if (i < e.values.length - 1) this.#jump(op, end);
        });
        this.#place(end);
        return;
      }
      case "NamedExpr":
        this.#expr(e.value);
        this.#emit(Op.COPY, 1);
        this.#store(e.target);
        return;
      case "BinOp":
        this.#expr(e.left);
        this.#expr(e.right);
        this.#at(e);
        this.#emit(Op.BINARY_OP, binaryOps[e.op]);
        return;
      case "UnaryOp":
        this.#expr(e.operand);
        this.#at(e);
        this.#emit(
          e.op === "not"
            ? Op.UNARY_NOT
            : e.op === "-"
              ? Op.UNARY_NEGATIVE
              : e.op === "+"
                ? Op.UNARY_POSITIVE
                : Op.UNARY_INVERT,
        );
        return;
      case "Yield":
        if (e.value) this.#expr(e.value);
        else this.#loadConst(null);
        this.#at(e);
        this.#emit(Op.YIELD_VALUE, 0);
        return;
      case "YieldFrom": {
        // compiler_add_yield_from: send into the iterator until it returns; what it yields
        // passes out through this frame's YIELD_VALUE (argument 1: gi_yieldfrom is on the stack).
        this.#expr(e.value);
        this.#at(e);
        this.#emit(Op.GET_YIELD_FROM_ITER);
        this.#loadConst(null);
        const send = new Label();
        const exit = new Label();
        this.#place(send);
        this.#jump(Op.SEND, exit);
        this.#emit(Op.YIELD_VALUE, 1);
        this.#jump(Op.JUMP, send);
        this.#place(exit);
        return;
      }
      case "Lambda": {
        this.#checkDebugParams(e.args, e);
        const scope = this.#table.scopeOf(e);
        const flags = this.#defaults(e.args);
        const qualname = this.#qualname("<lambda>", scope);
        this.#enter(scope, "<lambda>", qualname, e.line);
        this.#signature(e.args);
        // A lambda has no docstring: co_consts[0] is None.
        this.#u.constIndex(null);
        this.#expr(e.body);
        this.#emit(Op.RETURN_VALUE);
        const code = this.#leave();
        this.#at(e);
        this.#makeClosure(code, flags);
        return;
      }
      case "IfExp": {
        const end = new Label();
        const next = new Label();
        this.#jumpIf(e.test, next, false);
        this.#expr(e.body);
        this.#jump(Op.JUMP, end);
        this.#place(next);
        this.#expr(e.orelse);
        this.#place(end);
        return;
      }
      case "Dict":
        this.#dict(e);
        return;
      case "Set":
        this.#starUnpack(e.elts, Op.BUILD_SET, Op.SET_ADD, Op.SET_UPDATE, false);
        return;
      case "List":
        this.#starUnpack(e.elts, Op.BUILD_LIST, Op.LIST_APPEND, Op.LIST_EXTEND, false);
        return;
      case "Tuple":
        this.#starUnpack(e.elts, Op.BUILD_LIST, Op.LIST_APPEND, Op.LIST_EXTEND, true);
        return;
      case "ListComp":
      case "SetComp":
      case "DictComp":
      case "GeneratorExp":
        this.#comprehension(e);
        return;
      case "Compare":
        this.#compare(e);
        return;
      case "Call":
        this.#call(e);
        return;
      case "FormattedValue":
        this.#formattedValue(e);
        return;
      case "JoinedStr": {
        const parts = e.values.filter((v) => !(v.kind === "Constant" && v.value === ""));
        if (parts.length === 0) {
          this.#loadConst("");
          return;
        }
        for (const v of parts) this.#expr(v);
        if (parts.length > 1 || parts[0]!.kind === "Constant")
          this.#emit(Op.BUILD_STRING, parts.length);
        return;
      }
      case "Attribute":
        this.#expr(e.value);
        this.#at(e);
        this.#emit(Op.LOAD_ATTR, this.#attrName(e.attr));
        return;
      case "Subscript":
        this.#expr(e.value);
        this.#expr(e.slice);
        this.#at(e);
        this.#emit(Op.BINARY_SUBSCR);
        return;
      case "Slice": {
        let n = 2;
        if (e.lower) this.#expr(e.lower);
        else this.#loadConst(null);
        if (e.upper) this.#expr(e.upper);
        else this.#loadConst(null);
        if (e.step) {
          this.#expr(e.step);
          n = 3;
        }
        this.#emit(Op.BUILD_SLICE, n);
        return;
      }
      case "Starred":
        this.#error("can't use starred expression here", e);
    }
  }

  #formattedValue(e: A.FormattedValue): void {
    this.#expr(e.value);
    let flags = 0;
    if (e.conversion === 115) flags = 1;
    else if (e.conversion === 114) flags = 2;
    else if (e.conversion === 97) flags = 3;
    if (e.formatSpec) {
      this.#expr(e.formatSpec);
      flags |= 4;
    }
    this.#at(e);
    this.#emit(Op.FORMAT_VALUE, flags);
  }

  /**
   * A list, tuple or set display (starunpack_helper): constant items from one constant,
   * short displays from the stack, long ones and starred ones item by item.
   */
  #starUnpack(elts: readonly A.Expr[], build: Op, add: Op, extend: Op, tuple: boolean): void {
    const n = elts.length;
    if (n > 2 && elts.every(isConstant)) {
      const values = elts.map((x) => x.value);
      if (tuple) {
        this.#loadConst({ tuple: values });
        return;
      }
      this.#emit(build, 0);
      this.#loadConst(build === Op.BUILD_SET ? { frozenset: values } : { tuple: values });
      this.#emit(extend, 1);
      return;
    }
    const big = n >= STACK_USE_GUIDELINE;
    if (!hasStarred(elts) && !big) {
      for (const x of elts) this.#expr(x);
      if (tuple) this.#buildTuple(n);
      else this.#emit(build, n);
      return;
    }
    let sequenceBuilt = false;
    let pushed = 0;
    for (const x of elts) {
      if (x.kind === "Starred") {
        if (!sequenceBuilt) {
          this.#emit(build, pushed);
          sequenceBuilt = true;
        }
        this.#expr(x.value);
        this.#emit(extend, 1);
      } else if (sequenceBuilt || big) {
        if (!sequenceBuilt) {
          this.#emit(build, pushed);
          sequenceBuilt = true;
        }
        this.#expr(x);
        this.#emit(add, 1);
      } else {
        this.#expr(x);
        pushed++;
      }
    }
    if (!sequenceBuilt) this.#emit(build, pushed);
    if (tuple) this.#emit(Op.LIST_TO_TUPLE);
  }

  #dict(e: A.DictExpr): void {
    const n = e.keys.length;
    let have = false;
    let elements = 0;
    let i = 0;
    const flush = (begin: number, end: number) => {
      this.#subdict(e, begin, end);
      if (have) this.#emit(Op.DICT_UPDATE, 1);
      have = true;
    };
    let begin = 0;
    for (i = 0; i < n; i++) {
      const key = e.keys[i];
      if (key === null) {
        if (elements > 0) {
          flush(begin, i);
          elements = 0;
        }
        if (!have) {
          this.#emit(Op.BUILD_MAP, 0);
          have = true;
        }
        this.#expr(e.values[i]!);
        this.#emit(Op.DICT_UPDATE, 1);
        begin = i + 1;
      } else {
        if (elements * 2 > STACK_USE_GUIDELINE) {
          flush(begin, i);
          begin = i;
          elements = 0;
        }
        elements++;
      }
    }
    if (elements > 0) flush(begin, n);
    if (!have) this.#emit(Op.BUILD_MAP, 0);
  }

  /** `compiler_subdict`: keys begin…end as BUILD_CONST_KEY_MAP or BUILD_MAP. */
  #subdict(e: A.DictExpr, begin: number, end: number): void {
    const n = end - begin;
    const keys = e.keys.slice(begin, end) as A.Expr[];
    const big = n * 2 > STACK_USE_GUIDELINE;
    if (n > 1 && !big && keys.every(isConstant)) {
      for (let i = begin; i < end; i++) this.#expr(e.values[i]!);
      this.#loadConst({ tuple: keys.map((k) => (k as A.Constant).value) });
      this.#emit(Op.BUILD_CONST_KEY_MAP, n);
      return;
    }
    if (big) {
      this.#emit(Op.BUILD_MAP, 0);
      for (let i = begin; i < end; i++) {
        this.#expr(e.keys[i]!);
        this.#expr(e.values[i]!);
        this.#emit(Op.MAP_ADD, 1);
      }
      return;
    }
    for (let i = begin; i < end; i++) {
      this.#expr(e.keys[i]!);
      this.#expr(e.values[i]!);
    }
    this.#emit(Op.BUILD_MAP, n);
  }

  #compareOp(op: A.CmpOpKind): void {
    switch (op) {
      case "is":
        this.#emit(Op.IS_OP, 0);
        return;
      case "is not":
        this.#emit(Op.IS_OP, 1);
        return;
      case "in":
        this.#emit(Op.CONTAINS_OP, 0);
        return;
      case "not in":
        this.#emit(Op.CONTAINS_OP, 1);
        return;
      default:
        this.#emit(Op.COMPARE_OP, compareOps[op]!);
    }
  }

  #compare(e: A.Compare): void {
    this.#expr(e.left);
    const n = e.ops.length - 1;
    if (n === 0) {
      this.#expr(e.comparators[0]!);
      this.#at(e);
      this.#compareOp(e.ops[0]!);
      return;
    }
    const cleanup = new Label();
    for (let i = 0; i < n; i++) {
      this.#expr(e.comparators[i]!);
      this.#emit(Op.SWAP, 2);
      this.#emit(Op.COPY, 2);
      this.#compareOp(e.ops[i]!);
      this.#jump(Op.JUMP_IF_FALSE_OR_POP, cleanup);
    }
    this.#expr(e.comparators[n]!);
    this.#compareOp(e.ops[n]!);
    const end = new Label();
    this.#jump(Op.JUMP, end);
    this.#place(cleanup);
    this.#emit(Op.SWAP, 2);
    this.#emit(Op.POP_TOP);
    this.#place(end);
  }

  #call(e: A.Call): void {
    // `o.m(…)` without `*`/`**`: LOAD_METHOD, no bound method (maybe_optimize_method_call).
    if (
      e.func.kind === "Attribute" &&
      e.func.ctx === "load" &&
      !hasStarred(e.args) &&
      !e.keywords.some((k) => k.arg === null) &&
      e.args.length + e.keywords.length < STACK_USE_GUIDELINE
    ) {
      this.#expr(e.func.value);
      this.#at(e.func);
      this.#emit(Op.LOAD_METHOD, this.#attrName(e.func.attr));
      for (const a of e.args) this.#expr(a);
      this.#keywordNames(e.keywords);
      this.#at(e);
      this.#emit(Op.CALL, e.args.length + e.keywords.length);
      return;
    }
    // A global function: LOAD_GLOBAL pushes the NULL itself.
    const u = this.#u;
    if (
      e.func.kind === "Name" &&
      u.scope.isFunction &&
      (u.scope.lookup(e.func.id) === "globalImplicit" ||
        u.scope.lookup(e.func.id) === "globalExplicit")
    ) {
      this.#at(e.func);
      this.#emit(Op.LOAD_GLOBAL, (u.nameIndex(e.func.id) << 1) | 1);
    } else {
      this.#emit(Op.PUSH_NULL);
      this.#expr(e.func);
    }
    this.#callHelper(0, e.args, e.keywords, e);
  }

  #keywordNames(keywords: readonly A.Keyword[]): void {
    if (keywords.length === 0) return;
    const seen = new Set<string>();
    for (const k of keywords) {
      if (seen.has(k.arg!)) this.#error(`keyword argument repeated: ${k.arg}`, k);
      seen.add(k.arg!);
      this.#expr(k.value);
    }
    this.#emit(Op.KW_NAMES, this.#u.constIndex({ tuple: keywords.map((k) => k.arg!) }));
  }

  /** The arguments of a call whose callable (and NULL) are pushed (compiler_call_helper). */
  #callHelper(
    pushed: number,
    args: readonly A.Expr[],
    keywords: readonly A.Keyword[],
    at?: A.Span,
  ): void {
    for (const k of keywords)
      if (k.arg === "__debug__") this.#error("cannot assign to __debug__", at ?? k);
    const simple =
      !hasStarred(args) &&
      !keywords.some((k) => k.arg === null) &&
      args.length + keywords.length + pushed < STACK_USE_GUIDELINE;
    if (simple) {
      for (const a of args) this.#expr(a);
      this.#keywordNames(keywords);
      if (at) this.#at(at);
      this.#emit(Op.CALL, pushed + args.length + keywords.length);
      return;
    }
    // CALL_FUNCTION_EX: the positional arguments as one tuple, the keywords as one dict.
    if (pushed > 0 || args.length !== 1 || args[0]!.kind !== "Starred") {
      // Items already pushed (a class's body function and name) join the tuple.
      this.#starUnpackPushed(pushed, args);
    } else {
      this.#expr((args[0] as A.Starred).value);
    }
    let kwargs = 0;
    if (keywords.length > 0) {
      let have = false;
      let run: A.Keyword[] = [];
      const flushRun = () => {
        if (run.length === 0) return;
        for (const k of run) {
          this.#loadConst(k.arg!);
          this.#expr(k.value);
        }
        this.#emit(Op.BUILD_MAP, run.length);
        if (have) this.#emit(Op.DICT_MERGE, 1);
        have = true;
        run = [];
      };
      for (const k of keywords) {
        if (k.arg === null) {
          flushRun();
          if (!have) {
            this.#emit(Op.BUILD_MAP, 0);
            have = true;
          }
          this.#expr(k.value);
          this.#emit(Op.DICT_MERGE, 1);
        } else {
          run.push(k);
        }
      }
      flushRun();
      kwargs = 1;
    }
    if (at) this.#at(at);
    this.#emit(Op.CALL_FUNCTION_EX, kwargs);
  }

  /** The positional tuple of CALL_FUNCTION_EX, with `pushed` values already on the stack. */
  #starUnpackPushed(pushed: number, args: readonly A.Expr[]): void {
    let built = false;
    let count = pushed;
    for (const a of args) {
      if (a.kind === "Starred") {
        if (!built) {
          this.#emit(Op.BUILD_LIST, count);
          built = true;
        }
        this.#expr(a.value);
        this.#emit(Op.LIST_EXTEND, 1);
      } else if (built) {
        this.#expr(a);
        this.#emit(Op.LIST_APPEND, 1);
      } else {
        this.#expr(a);
        count++;
      }
    }
    if (built) this.#emit(Op.LIST_TO_TUPLE);
    else this.#emit(Op.BUILD_TUPLE, count);
  }

  #comprehension(e: A.ListComp | A.SetComp | A.DictComp | A.GeneratorExp): void {
    const scope = this.#table.scopeOf(e);
    const name =
      e.kind === "ListComp"
        ? "<listcomp>"
        : e.kind === "SetComp"
          ? "<setcomp>"
          : e.kind === "DictComp"
            ? "<dictcomp>"
            : "<genexpr>";
    const qualname = this.#qualname(name, scope);
    const outer = e.generators[0]!;
    this.#enter(scope, name, qualname, e.line);
    const u = this.#u;
    u.argCount = 1;
    u.flags |= CodeFlags.Optimized | CodeFlags.NewLocals;
    if (isNested(scope)) u.flags |= CodeFlags.Nested;
    const generator = e.kind === "GeneratorExp";
    if (generator) {
      u.flags |= CodeFlags.Generator;
      this.#emit(Op.RETURN_GENERATOR);
      this.#emit(Op.POP_TOP);
    } else {
      this.#emit(
        e.kind === "ListComp" ? Op.BUILD_LIST : e.kind === "SetComp" ? Op.BUILD_SET : Op.BUILD_MAP,
        0,
      );
    }
    this.#comprehensionGenerator(e, 0, 0);
    if (!generator) this.#emit(Op.RETURN_VALUE);
    else {
      this.#loadConst(null);
      this.#emit(Op.RETURN_VALUE);
    }
    const code = this.#leave();
    this.#at(e);
    this.#makeClosure(code, 0);
    this.#expr(outer.iter);
    this.#emit(Op.GET_ITER);
    this.#at(e);
    this.#emit(Op.CALL, 0);
  }

  #comprehensionGenerator(
    e: A.ListComp | A.SetComp | A.DictComp | A.GeneratorExp,
    index: number,
    depth: number,
  ): void {
    const gen = e.generators[index]!;
    const start = new Label();
    const ifCleanup = new Label();
    const anchor = new Label();
    if (index === 0) {
      this.#emit(Op.LOAD_FAST, 0); // `.0`: the outer iterator
    } else {
      this.#expr(gen.iter);
      this.#emit(Op.GET_ITER);
    }
    depth++;
    this.#place(start);
    this.#jump(Op.FOR_ITER, anchor);
    this.#store(gen.target);
    // The target's store leaves no span behind (compiler_visit_expr restores the location):
    // a nested loop's GET_ITER and FOR_ITER belong to the whole comprehension.
    this.#at(e);
    for (const cond of gen.ifs) this.#jumpIf(cond, ifCleanup, false);
    if (index + 1 < e.generators.length) {
      this.#comprehensionGenerator(e, index + 1, depth);
    } else {
      switch (e.kind) {
        case "GeneratorExp":
          this.#expr(e.elt);
          this.#emit(Op.YIELD_VALUE);
          this.#emit(Op.POP_TOP);
          break;
        case "ListComp":
          this.#expr(e.elt);
          this.#emit(Op.LIST_APPEND, depth + 1);
          break;
        case "SetComp":
          this.#expr(e.elt);
          this.#emit(Op.SET_ADD, depth + 1);
          break;
        case "DictComp":
          this.#expr(e.key);
          this.#expr(e.value);
          this.#emit(Op.MAP_ADD, depth + 1);
          break;
      }
    }
    this.#place(ifCleanup);
    this.#jump(Op.JUMP, start);
    this.#place(anchor);
  }

  // ------------------------------------------------------------------ assembly

  #assemble(): CodeUnit {
    const u = this.#u;
    const instrs = u.instrs;
    const n = instrs.length;
    const code = new Int32Array(n * 2);
    const lines = new Int32Array(n);
    const cols = new Int32Array(n);
    const endLines = new Int32Array(n);
    const endCols = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const ins = instrs[i]!;
      code[2 * i] = ins.op;
      code[2 * i + 1] = ins.target ? ins.target.at : ins.arg;
      lines[i] = ins.line;
      cols[i] = ins.col;
      endLines[i] = ins.endLine;
      endCols[i] = ins.endCol;
      if (ins.target && ins.target.at < 0) throw new Error("internal error: an unplaced label");
    }
    const { handlerOf, handlers, stackSize } = exceptionTable(code, n);
    // The pseudo-instructions have done their work.
    for (let i = 0; i < n; i++) {
      const op = code[2 * i]!;
      if (op >= Op.SETUP_FINALLY) {
        code[2 * i] = Op.NOP;
        code[2 * i + 1] = 0;
      }
    }
    const scope = u.scope;
    const cell2arg = u.cellvars.map((name) => u.varnames.indexOf(name));
    // A cell that is not a parameter is not a local slot either.
    const varnames = u.varnames.filter(
      (name, i) => i < scope.params.length || !u.cellvars.includes(name),
    );
    return {
      kind: "code",
      name: u.name,
      qualname: u.qualname,
      filename: this.#filename,
      firstLine: u.firstLine,
      flags: u.flags,
      argCount: u.argCount,
      posOnlyArgCount: u.posOnlyArgCount,
      kwOnlyArgCount: u.kwOnlyArgCount,
      varnames,
      cellvars: u.cellvars,
      freevars: u.freevars,
      cell2arg,
      names: u.names,
      consts: u.consts,
      code,
      lines,
      cols,
      endLines,
      endCols,
      handlerOf,
      handlers,
      stackSize,
      length: n,
    };
  }
}

/**
 * The exception table: which handler covers each instruction, found by walking the control
 * flow with the stack of handlers the SETUP_* and POP_BLOCK pseudo-instructions build (as
 * compile.c's label_exception_targets does), and the stack depth at each point.
 */
function exceptionTable(
  code: Int32Array,
  n: number,
): { handlerOf: Int32Array; handlers: Handler[]; stackSize: number } {
  const handlerOf = new Int32Array(n).fill(-1);
  const handlers: Handler[] = [];
  const handlerKey = new Map<string, number>();
  const depthAt = new Int32Array(n).fill(-1);
  const stackAt: Array<readonly number[] | undefined> = new Array(n);
  let maxDepth = 0;
  const work: number[] = [];
  const visit = (i: number, depth: number, stack: readonly number[]) => {
    if (i >= n) return;
    if (depthAt[i]! >= 0) return;
    depthAt[i] = depth;
    stackAt[i] = stack;
    work.push(i);
  };
  visit(0, 0, []);
  while (work.length > 0) {
    const i = work.pop()!;
    let depth = depthAt[i]!;
    let stack = stackAt[i]!;
    const op = code[2 * i]!;
    const arg = code[2 * i + 1]!;
    if (stack.length > 0) handlerOf[i] = stack.at(-1)!;
    if (op === Op.SETUP_FINALLY || op === Op.SETUP_CLEANUP || op === Op.SETUP_WITH) {
      const lasti = op !== Op.SETUP_FINALLY;
      const hDepth = op === Op.SETUP_WITH ? depth - 1 : depth;
      const key = `${arg}:${hDepth}:${lasti}`;
      let h = handlerKey.get(key);
      if (h === undefined) {
        h = handlers.length;
        handlers.push({ target: arg, depth: hDepth, lasti });
        handlerKey.set(key, h);
      }
      // The handler starts with the exception (and lasti) on the stack, under the outer handlers.
      visit(arg, hDepth + (lasti ? 2 : 1), stack);
      stack = [...stack, h];
      handlerOf[i] = -1;
      visit(i + 1, depth, stack);
      continue;
    }
    if (op === Op.POP_BLOCK) {
      stack = stack.slice(0, -1);
      handlerOf[i] = -1;
      visit(i + 1, depth, stack);
      continue;
    }
    const [popped, pushed, jumpPushed] = stackEffect(op, arg);
    const after = depth - popped + pushed;
    maxDepth = Math.max(maxDepth, after, depth - popped + jumpPushed);
    switch (op) {
      case Op.JUMP:
        visit(arg, after, stack);
        break;
      case Op.RETURN_VALUE:
      case Op.RERAISE:
      case Op.RAISE_VARARGS:
        break;
      case Op.FOR_ITER:
        visit(arg, depth - 1, stack);
        visit(i + 1, after, stack);
        break;
      case Op.SEND:
        // The receiver returned: it and the value sent are replaced by the result.
        visit(arg, depth - 1, stack);
        visit(i + 1, after, stack);
        break;
      case Op.JUMP_IF_FALSE_OR_POP:
      case Op.JUMP_IF_TRUE_OR_POP:
        visit(arg, depth, stack);
        visit(i + 1, depth - 1, stack);
        break;
      case Op.POP_JUMP_IF_FALSE:
      case Op.POP_JUMP_IF_TRUE:
      case Op.POP_JUMP_IF_NONE:
      case Op.POP_JUMP_IF_NOT_NONE:
        visit(arg, after, stack);
        visit(i + 1, after, stack);
        break;
      default:
        visit(i + 1, after, stack);
    }
    depth = after;
  }
  return { handlerOf, handlers, stackSize: maxDepth + 2 };
}

/** `[popped, pushed, pushed when jumping]` of an instruction (the depth change, by parts). */
function stackEffect(op: Op, arg: number): [number, number, number] {
  switch (op) {
    case Op.NOP:
    case Op.JUMP:
    case Op.KW_NAMES:
    case Op.SETUP_ANNOTATIONS:
    case Op.MAKE_CELL:
    case Op.COPY_FREE_VARS:
      return [0, 0, 0];
    case Op.POP_TOP:
    case Op.PRINT_EXPR:
    case Op.STORE_FAST:
    case Op.STORE_NAME:
    case Op.STORE_GLOBAL:
    case Op.STORE_DEREF:
    case Op.POP_JUMP_IF_FALSE:
    case Op.POP_JUMP_IF_TRUE:
    case Op.POP_JUMP_IF_NONE:
    case Op.POP_JUMP_IF_NOT_NONE:
    case Op.RETURN_VALUE:
    case Op.POP_EXCEPT:
    case Op.IMPORT_STAR:
    case Op.DELETE_ATTR:
      return [1, 0, 0];
    case Op.COPY:
      return [arg, arg + 1, 0];
    case Op.GET_LEN:
    case Op.MATCH_MAPPING:
    case Op.MATCH_SEQUENCE:
      return [1, 2, 0];
    case Op.MATCH_KEYS:
      return [2, 3, 0];
    case Op.MATCH_CLASS:
      return [3, 1, 0];
    case Op.SWAP:
      return [arg, arg, 0];
    case Op.PUSH_NULL:
    case Op.LOAD_CONST:
    case Op.LOAD_FAST:
    case Op.LOAD_NAME:
    case Op.LOAD_DEREF:
    case Op.LOAD_CLOSURE:
    case Op.LOAD_CLASSDEREF:
    case Op.LOAD_BUILD_CLASS:
    case Op.LOAD_ASSERTION_ERROR:
      return [0, 1, 0];
    case Op.DELETE_FAST:
    case Op.DELETE_NAME:
    case Op.DELETE_GLOBAL:
    case Op.DELETE_DEREF:
      return [0, 0, 0];
    case Op.LOAD_GLOBAL:
      return [0, 1 + (arg & 1), 0];
    case Op.LOAD_ATTR:
    case Op.UNARY_NEGATIVE:
    case Op.UNARY_POSITIVE:
    case Op.UNARY_INVERT:
    case Op.UNARY_NOT:
    case Op.GET_ITER:
    case Op.LIST_TO_TUPLE:
      return [1, 1, 0];
    case Op.STORE_ATTR:
      return [2, 0, 0];
    case Op.LOAD_METHOD:
      return [1, 2, 0];
    case Op.BINARY_SUBSCR:
    case Op.BINARY_OP:
    case Op.COMPARE_OP:
    case Op.IS_OP:
    case Op.CONTAINS_OP:
      return [2, 1, 0];
    case Op.STORE_SUBSCR:
      return [3, 0, 0];
    case Op.DELETE_SUBSCR:
      return [2, 0, 0];
    case Op.BUILD_SLICE:
      return [arg, 1, 0];
    case Op.BUILD_TUPLE:
    case Op.BUILD_LIST:
    case Op.BUILD_SET:
    case Op.BUILD_STRING:
      return [arg, 1, 0];
    case Op.BUILD_MAP:
      return [2 * arg, 1, 0];
    case Op.BUILD_CONST_KEY_MAP:
      return [arg + 1, 1, 0];
    case Op.LIST_APPEND:
    case Op.SET_ADD:
    case Op.LIST_EXTEND:
    case Op.SET_UPDATE:
    case Op.DICT_UPDATE:
    case Op.DICT_MERGE:
      return [1, 0, 0];
    case Op.MAP_ADD:
      return [2, 0, 0];
    case Op.FORMAT_VALUE:
      return [arg & 4 ? 2 : 1, 1, 0];
    case Op.UNPACK_SEQUENCE:
      return [1, arg, 0];
    case Op.UNPACK_EX:
      return [1, (arg & 0xff) + (arg >> 8) + 1, 0];
    case Op.JUMP_IF_FALSE_OR_POP:
    case Op.JUMP_IF_TRUE_OR_POP:
      return [1, 0, 1];
    case Op.FOR_ITER:
      return [1, 2, 0];
    case Op.CALL:
      return [arg + 2, 1, 0];
    case Op.CALL_FUNCTION_EX:
      return [3 + (arg & 1), 1, 0];
    case Op.MAKE_FUNCTION: {
      let n = 1;
      if (arg & MakeFunction.Defaults) n++;
      if (arg & MakeFunction.KwDefaults) n++;
      if (arg & MakeFunction.Annotations) n++;
      if (arg & MakeFunction.Closure) n++;
      return [n, 1, 0];
    }
    case Op.PUSH_EXC_INFO:
      return [1, 2, 0];
    case Op.CHECK_EXC_MATCH:
      return [2, 2, 0];
    case Op.CHECK_EG_MATCH:
      return [2, 2, 0];
    case Op.PREP_RERAISE_STAR:
      return [2, 1, 0];
    case Op.RERAISE:
      return [1, 0, 0];
    case Op.RAISE_VARARGS:
      return [arg, 0, 0];
    case Op.BEFORE_WITH:
      return [1, 2, 0];
    case Op.WITH_EXCEPT_START:
      return [4, 5, 0];
    case Op.IMPORT_NAME:
      return [2, 1, 0];
    case Op.IMPORT_FROM:
      return [1, 2, 0];
    case Op.RETURN_GENERATOR:
      return [0, 1, 0];
    case Op.YIELD_VALUE:
    case Op.GET_YIELD_FROM_ITER:
      return [1, 1, 0];
    case Op.SEND:
      return [2, 2, 1];
    default:
      return [0, 0, 0];
  }
}

function lastLine(body: readonly A.Stmt[]): number {
  const last = body.at(-1);
  return last ? last.endLine : 1;
}

/** Whether a body has annotations to store (`find_ann`). */
function findAnnotations(body: readonly A.Stmt[]): boolean {
  for (const s of body) {
    switch (s.kind) {
      case "AnnAssign":
        return true;
      case "For":
      case "While":
      case "If":
        if (findAnnotations(s.body) || findAnnotations(s.orelse)) return true;
        break;
      case "With":
        if (findAnnotations(s.body)) return true;
        break;
      case "Try":
        if (
          findAnnotations(s.body) ||
          findAnnotations(s.orelse) ||
          findAnnotations(s.finalbody) ||
          s.handlers.some((h) => findAnnotations(h.body))
        )
          return true;
        break;
      default:
        break;
    }
  }
  return false;
}

/** How CPython names an expression in "cannot assign to …" messages. */
function describe(e: A.Expr): string {
  switch (e.kind) {
    case "Call":
      return "function call";
    case "Constant":
      return "literal";
    case "BinOp":
    case "UnaryOp":
      return "expression";
    case "Compare":
      return "comparison";
    case "Lambda":
      return "lambda";
    default:
      return "expression";
  }
}

export { fold };

/**
 * `ste_nested`: whether a block lies inside a function or comprehension at any depth, which
 * gives a function's code `CO_NESTED` (a method of a module-level class is not nested; one of a
 * class made inside a function is).
 */
function isNested(scope: Scope): boolean {
  for (let p = scope.parent; p; p = p.parent)
    if (p.kind === "function" || p.kind === "comprehension") return true;
  return false;
}

// The symbol table: which names of each scope are local, global, free or cells, as CPython's
// Python/symtable.c decides it. Pass one records how each scope binds and uses each name; pass
// two resolves every name against the enclosing function scopes (class scopes are skipped by
// nested functions), marks the captured locals as cells and threads free variables through
// the scopes in between, class bodies included.

import type * as A from "../syntax/ast.js";
import { CompileError } from "./errors.js";

/** How a scope resolves a name. */
export type NameScope = "local" | "globalExplicit" | "globalImplicit" | "free" | "cell";

/** The kinds of scope. */
export type ScopeKind = "module" | "class" | "function" | "comprehension";

// Bits of what a scope does with a name.
const DEF_GLOBAL = 1;
const DEF_LOCAL = 2;
const DEF_PARAM = 4;
const DEF_NONLOCAL = 8;
const USE = 16;
const DEF_FREE_CLASS = 32;
const DEF_COMP_ITER = 64;
const DEF_BOUND = DEF_LOCAL | DEF_PARAM;

/** One scope: a module, a class body, a function (or lambda), or a comprehension. */
/**
 * `_Py_Mangle`: inside class `C`, a name that starts with two underscores and does not end with
 * two (`__x`, not `__x__`) and has no dot is `_C__x`, with the class name's leading underscores
 * dropped; a class named only with underscores mangles nothing.
 */
export function mangle(privateName: string | undefined, name: string): string {
  if (privateName === undefined || !name.startsWith("__") || name.endsWith("__")) return name;
  if (name.includes(".")) return name;
  const stripped = privateName.replace(/^_+/, "");
  return stripped === "" ? name : `_${stripped}${name}`;
}

export class Scope {
  readonly kind: ScopeKind;
  readonly name: string;
  readonly parent: Scope | undefined;
  readonly children: Scope[] = [];
  /** What the scope does with each name, in first-seen order. */
  readonly flags = new Map<string, number>();
  /** Parameters in order (co_varnames starts with them). */
  readonly params: string[] = [];
  /** The resolution of each name (filled by the analysis). */
  readonly scopes = new Map<string, NameScope>();
  /** Whether a method needs the implicit `__class__` cell (it uses `super` or `__class__`). */
  needsClassClosure = false;
  /** Whether this class body must make the `__class__` cell. */
  hasClassCell = false;
  /** Whether the scope is a generator (a generator expression, or a function that yields). */
  generator = false;
  /** The `nonlocal` statement that declared each nonlocal name (where its error is reported). */
  readonly nonlocals = new Map<string, A.Span>();
  readonly line: number;
  /**
   * The class whose private names (`__x`) this scope mangles: a class body's own name, and the
   * innermost enclosing class's for the scopes inside it; undefined outside every class.
   */
  readonly private: string | undefined;

  constructor(kind: ScopeKind, name: string, parent: Scope | undefined, line: number) {
    this.kind = kind;
    this.name = name;
    this.parent = parent;
    this.line = line;
    this.private = kind === "class" ? name : parent?.private;
  }

  /** Whether the scope's locals live in fast slots (functions and comprehensions). */
  get isFunction(): boolean {
    return this.kind === "function" || this.kind === "comprehension";
  }

  /** How the scope resolves `name` (names it never saw are implicit globals). */
  lookup(name: string): NameScope {
    return this.scopes.get(name) ?? "globalImplicit";
  }

  /** Names in a given resolution, in first-seen order. */
  namesOf(scope: NameScope): string[] {
    const out: string[] = [];
    for (const [name, s] of this.scopes) if (s === scope) out.push(name);
    return out;
  }
}

/** The symbol table of a module: its scopes by the node that opens each. */
export class SymbolTable {
  readonly top: Scope;
  readonly #scopes = new Map<object, Scope>();

  constructor(top: Scope, scopes: Map<object, Scope>) {
    this.top = top;
    this.#scopes = scopes;
  }

  /** The scope opened by a function, lambda, class or comprehension node. */
  scopeOf(node: object): Scope {
    const scope = this.#scopes.get(node);
    if (!scope) throw new Error("internal error: a node without a scope");
    return scope;
  }
}

/** Builds the symbol table of `module`. @throws CompileError for misused global/nonlocal */
export function buildSymbolTable(module: A.Module, filename: string): SymbolTable {
  const builder = new Builder(filename);
  const top = builder.module(module);
  analyze(top, filename);
  return new SymbolTable(top, builder.scopes);
}

/** What symtable.c calls each comprehension in its "'yield' inside …" message. */
const COMPREHENSION_NAMES: Readonly<Record<string, string>> = {
  "<listcomp>": "list comprehension",
  "<setcomp>": "set comprehension",
  "<dictcomp>": "dict comprehension",
  "<genexpr>": "generator expression",
};

class Builder {
  readonly scopes = new Map<object, Scope>();
  readonly #filename: string;
  #scope!: Scope;

  constructor(filename: string) {
    this.#filename = filename;
  }

  module(module: A.Module): Scope {
    const scope = new Scope("module", "top", undefined, 1);
    this.scopes.set(module, scope);
    this.#scope = scope;
    this.#stmts(module.body);
    return scope;
  }

  #error(message: string, at: A.Span): never {
    throw CompileError.at(message, this.#filename, at);
  }

  #add(plain: string, flag: number, at: A.Span): void {
    const scope = this.#scope;
    const name = mangle(scope.private, plain);
    const old = scope.flags.get(name) ?? 0;
    if (flag & DEF_PARAM && old & DEF_PARAM)
      this.#error(`duplicate argument '${name}' in function definition`, at);
    scope.flags.set(name, old | flag);
    if (flag & DEF_PARAM) scope.params.push(name);
  }

  #enter(kind: ScopeKind, name: string, node: object, line: number): Scope {
    const scope = new Scope(kind, name, this.#scope, line);
    this.#scope.children.push(scope);
    this.scopes.set(node, scope);
    this.#scope = scope;
    return scope;
  }

  #leave(scope: Scope): void {
    this.#scope = scope.parent!;
  }

  #stmts(body: readonly A.Stmt[]): void {
    for (const s of body) this.#stmt(s);
  }

  #stmt(s: A.Stmt): void {
    switch (s.kind) {
      case "FunctionDef": {
        this.#exprs(s.decorators);
        this.#defaults(s.args);
        this.#annotations(s.args, s.returns);
        this.#add(s.name, DEF_LOCAL, s);
        const scope = this.#enter("function", s.name, s, s.line);
        this.#params(s.args);
        this.#stmts(s.body);
        this.#leave(scope);
        return;
      }
      case "ClassDef": {
        this.#exprs(s.decorators);
        this.#exprs(s.bases);
        for (const k of s.keywords) this.#expr(k.value);
        this.#add(s.name, DEF_LOCAL, s);
        const scope = this.#enter("class", s.name, s, s.line);
        this.#stmts(s.body);
        this.#leave(scope);
        return;
      }
      case "Return":
        if (s.value) this.#expr(s.value);
        return;
      case "Delete":
        this.#exprs(s.targets);
        return;
      case "Assign":
        this.#expr(s.value);
        this.#exprs(s.targets);
        return;
      case "AugAssign":
        this.#expr(s.target);
        this.#expr(s.value);
        if (s.target.kind === "Name") this.#add(s.target.id, USE, s.target);
        return;
      case "AnnAssign":
        if (s.target.kind === "Name") {
          const old = this.#scope.flags.get(s.target.id) ?? 0;
          if (old & (DEF_GLOBAL | DEF_NONLOCAL) && s.simple)
            this.#error(
              `annotated name '${s.target.id}' can't be ${old & DEF_GLOBAL ? "global" : "nonlocal"}`,
              s,
            );
        }
        if (this.#scope.kind !== "function") this.#expr(s.annotation);
        if (s.value) this.#expr(s.value);
        this.#expr(s.target);
        return;
      case "For":
        this.#expr(s.iter);
        this.#expr(s.target);
        this.#stmts(s.body);
        this.#stmts(s.orelse);
        return;
      case "While":
        this.#expr(s.test);
        this.#stmts(s.body);
        this.#stmts(s.orelse);
        return;
      case "If":
        this.#expr(s.test);
        this.#stmts(s.body);
        this.#stmts(s.orelse);
        return;
      case "With":
        for (const item of s.items) {
          this.#expr(item.contextExpr);
          if (item.optionalVars) this.#expr(item.optionalVars);
        }
        this.#stmts(s.body);
        return;
      case "Raise":
        if (s.exc) this.#expr(s.exc);
        if (s.cause) this.#expr(s.cause);
        return;
      case "Try":
        this.#stmts(s.body);
        for (const h of s.handlers) {
          if (h.type) this.#expr(h.type);
          if (h.name !== null) this.#add(h.name, DEF_LOCAL, h);
          this.#stmts(h.body);
        }
        this.#stmts(s.orelse);
        this.#stmts(s.finalbody);
        return;
      case "Assert":
        this.#expr(s.test);
        if (s.msg) this.#expr(s.msg);
        return;
      case "Match":
        this.#expr(s.subject);
        for (const c of s.cases) {
          this.#pattern(c.pattern);
          if (c.guard) this.#expr(c.guard);
          this.#stmts(c.body);
        }
        return;
      case "Import":
      case "ImportFrom":
        for (const alias of s.names) {
          if (alias.name === "*") {
            if (this.#scope.kind !== "module")
              this.#error("import * only allowed at module level", s);
            continue;
          }
          const bound = alias.asname ?? alias.name.split(".")[0]!;
          this.#add(bound, DEF_LOCAL, alias);
        }
        return;
      case "Global":
      case "Nonlocal": {
        const isGlobal = s.kind === "Global";
        for (const name of s.names) {
          const old = this.#scope.flags.get(name) ?? 0;
          if (old & (DEF_PARAM | DEF_LOCAL | USE)) {
            const what = old & DEF_PARAM ? "parameter" : old & USE ? "used" : "assigned to";
            const kw = isGlobal ? "global" : "nonlocal";
            const message =
              old & DEF_PARAM
                ? `name '${name}' is ${what} and ${kw}`
                : `name '${name}' is ${what} ${old & USE ? "prior to" : "before"} ${kw} declaration`;
            this.#error(message, s);
          }
          if (!isGlobal && this.#scope.kind === "module")
            this.#error("nonlocal declaration not allowed at module level", s);
          this.#add(name, isGlobal ? DEF_GLOBAL : DEF_NONLOCAL, s);
          if (!isGlobal && !this.#scope.nonlocals.has(name)) this.#scope.nonlocals.set(name, s);
        }
        return;
      }
      case "Expr":
        this.#expr(s.value);
        return;
      case "Pass":
      case "Break":
      case "Continue":
        return;
    }
  }

  #defaults(args: A.Arguments): void {
    this.#exprs(args.defaults);
    for (const d of args.kwDefaults) if (d) this.#expr(d);
  }

  #annotations(args: A.Arguments, returns: A.Expr | null): void {
    for (const a of [
      ...args.posonlyargs,
      ...args.args,
      ...(args.vararg ? [args.vararg] : []),
      ...args.kwonlyargs,
      ...(args.kwarg ? [args.kwarg] : []),
    ])
      if (a.annotation) this.#expr(a.annotation);
    if (returns) this.#expr(returns);
  }

  #params(args: A.Arguments): void {
    for (const a of args.posonlyargs) this.#add(a.arg, DEF_PARAM, a);
    for (const a of args.args) this.#add(a.arg, DEF_PARAM, a);
    for (const a of args.kwonlyargs) this.#add(a.arg, DEF_PARAM, a);
    if (args.vararg) this.#add(args.vararg.arg, DEF_PARAM, args.vararg);
    if (args.kwarg) this.#add(args.kwarg.arg, DEF_PARAM, args.kwarg);
  }

  #exprs(exprs: readonly A.Expr[]): void {
    for (const e of exprs) this.#expr(e);
  }

  /** A pattern's names: captures bind (symtable_visit_pattern), values and classes load. */
  #pattern(p: A.Pattern): void {
    switch (p.kind) {
      case "MatchValue":
        this.#expr(p.value);
        return;
      case "MatchSingleton":
        return;
      case "MatchSequence":
      case "MatchOr":
        for (const q of p.patterns) this.#pattern(q);
        return;
      case "MatchStar":
        if (p.name !== null) this.#add(p.name, DEF_LOCAL, p);
        return;
      case "MatchAs":
        if (p.pattern) this.#pattern(p.pattern);
        if (p.name !== null) this.#add(p.name, DEF_LOCAL, p);
        return;
      case "MatchMapping":
        this.#exprs(p.keys);
        for (const q of p.patterns) this.#pattern(q);
        if (p.rest !== null) this.#add(p.rest, DEF_LOCAL, p);
        return;
      case "MatchClass":
        this.#expr(p.cls);
        for (const q of p.patterns) this.#pattern(q);
        for (const q of p.kwdPatterns) this.#pattern(q);
        return;
    }
  }

  #expr(e: A.Expr): void {
    switch (e.kind) {
      case "Name":
        this.#add(e.id, e.ctx === "load" ? USE : DEF_LOCAL, e);
        if (e.ctx === "load" && e.id === "super" && this.#scope.kind === "function")
          this.#scope.needsClassClosure = true;
        if (e.id === "__class__" && this.#scope.kind === "function")
          this.#scope.needsClassClosure = true;
        return;
      case "BoolOp":
        this.#exprs(e.values);
        return;
      case "NamedExpr":
        this.#expr(e.value);
        this.#namedTarget(e.target);
        return;
      case "BinOp":
        this.#expr(e.left);
        this.#expr(e.right);
        return;
      case "UnaryOp":
        this.#expr(e.operand);
        return;
      case "Lambda": {
        this.#defaults(e.args);
        const scope = this.#enter("function", "<lambda>", e, e.line);
        this.#params(e.args);
        this.#expr(e.body);
        this.#leave(scope);
        return;
      }
      case "IfExp":
        this.#expr(e.test);
        this.#expr(e.body);
        this.#expr(e.orelse);
        return;
      case "Dict":
        for (const k of e.keys) if (k) this.#expr(k);
        this.#exprs(e.values);
        return;
      case "Set":
        this.#exprs(e.elts);
        return;
      case "ListComp":
        this.#comprehension(e, "<listcomp>", e.generators, [e.elt]);
        return;
      case "SetComp":
        this.#comprehension(e, "<setcomp>", e.generators, [e.elt]);
        return;
      case "DictComp":
        this.#comprehension(e, "<dictcomp>", e.generators, [e.key, e.value]);
        return;
      case "GeneratorExp":
        this.#comprehension(e, "<genexpr>", e.generators, [e.elt]).generator = true;
        return;
      case "Yield":
      case "YieldFrom": {
        // As symtable.c: a comprehension's scope is named in the message, whatever encloses it.
        const scope = this.#scope;
        if (scope.kind === "comprehension")
          this.#error(`'yield' inside ${COMPREHENSION_NAMES[scope.name]}`, e);
        if (scope.kind !== "function") this.#error("'yield' outside function", e);
        scope.generator = true;
        if (e.value) this.#expr(e.value);
        return;
      }
      case "Compare":
        this.#expr(e.left);
        this.#exprs(e.comparators);
        return;
      case "Call":
        this.#expr(e.func);
        this.#exprs(e.args);
        for (const k of e.keywords) this.#expr(k.value);
        return;
      case "FormattedValue":
        this.#expr(e.value);
        if (e.formatSpec) this.#expr(e.formatSpec);
        return;
      case "JoinedStr":
        this.#exprs(e.values);
        return;
      case "Constant":
        return;
      case "Attribute":
        this.#expr(e.value);
        return;
      case "Subscript":
        this.#expr(e.value);
        this.#expr(e.slice);
        return;
      case "Starred":
        this.#expr(e.value);
        return;
      case "List":
      case "Tuple":
        this.#exprs(e.elts);
        return;
      case "Slice":
        if (e.lower) this.#expr(e.lower);
        if (e.upper) this.#expr(e.upper);
        if (e.step) this.#expr(e.step);
        return;
    }
  }

  /** A walrus target inside comprehensions binds in the nearest enclosing non-comprehension. */
  #namedTarget(target: A.Name): void {
    if (this.#scope.kind !== "comprehension") {
      this.#add(target.id, DEF_LOCAL, target);
      return;
    }
    for (let s: Scope | undefined = this.#scope; s; s = s.parent) {
      const flags = s.flags.get(target.id) ?? 0;
      if (s.kind === "comprehension") {
        if (flags & DEF_COMP_ITER)
          this.#error(
            `assignment expression cannot rebind comprehension iteration variable '${target.id}'`,
            target,
          );
        continue;
      }
      if (s.kind === "class")
        this.#error(
          "assignment expression within a comprehension cannot be used in a class body",
          target,
        );
      // Bound in s; each comprehension in between sees it as nonlocal (or global at module level).
      const saved = this.#scope;
      for (let c: Scope | undefined = saved; c && c !== s; c = c.parent) {
        this.#scope = c;
        this.#add(target.id, s.kind === "module" ? DEF_GLOBAL : DEF_NONLOCAL, target);
      }
      this.#scope = s;
      this.#add(target.id, s.kind === "module" ? DEF_GLOBAL | DEF_LOCAL : DEF_LOCAL, target);
      this.#scope = saved;
      return;
    }
  }

  #comprehension(
    node: A.Expr,
    name: string,
    generators: readonly A.Comprehension[],
    elts: readonly A.Expr[],
  ): Scope {
    const first = generators[0]!;
    // The outermost iterable is evaluated in the enclosing scope.
    this.#expr(first.iter);
    const scope = this.#enter("comprehension", name, node, node.line);
    this.#add(".0", DEF_PARAM, node);
    generators.forEach((g, i) => {
      if (i > 0) this.#expr(g.iter);
      this.#compTarget(g.target);
      this.#exprs(g.ifs);
    });
    this.#exprs(elts);
    this.#leave(scope);
    return scope;
  }

  #compTarget(target: A.Expr): void {
    if (target.kind === "Name") {
      this.#add(target.id, DEF_LOCAL | DEF_COMP_ITER, target);
      return;
    }
    this.#expr(target);
  }
}

/**
 * Pass two: resolves every name of `scope` and its children. `bound` holds the names bound in
 * enclosing function scopes; `globals` the names declared global in enclosing scopes.
 */
function analyze(top: Scope, filename: string): void {
  analyzeScope(top, new Set(), new Set(), filename);
}

function analyzeScope(
  scope: Scope,
  bound: ReadonlySet<string>,
  globals: ReadonlySet<string>,
  filename: string,
): Set<string> {
  const local = new Set<string>();
  const newGlobals = new Set(globals);
  // Resolve this scope's own names.
  for (const [name, flags] of scope.flags) {
    if (flags & DEF_GLOBAL) {
      scope.scopes.set(name, "globalExplicit");
      newGlobals.add(name);
    } else if (flags & DEF_NONLOCAL) {
      if (!bound.has(name)) {
        const at = scope.nonlocals.get(name);
        const message = `no binding for nonlocal '${name}' found`;
        throw at === undefined
          ? new CompileError(message, filename, scope.line, 1)
          : CompileError.at(message, filename, at);
      }
      scope.scopes.set(name, "free");
    } else if (flags & DEF_BOUND) {
      scope.scopes.set(name, "local");
      local.add(name);
      newGlobals.delete(name);
    } else if (scope.kind === "class" && !bound.has(name)) {
      scope.scopes.set(name, "globalImplicit");
    } else if (bound.has(name)) {
      scope.scopes.set(name, "free");
    } else if (globals.has(name)) {
      scope.scopes.set(name, "globalExplicit");
    } else {
      scope.scopes.set(name, "globalImplicit");
    }
  }
  // What the children may capture: the enclosing functions' bound names, plus this scope's
  // locals when it is a function (a class body's names are invisible to nested scopes).
  const childBound = new Set(bound);
  if (scope.isFunction) for (const name of local) childBound.add(name);
  if (scope.kind === "class") childBound.add("__class__");
  if (scope.kind !== "class") {
    for (const name of local) newGlobals.delete(name);
  }
  // The free variables of all children.
  const childFree = new Set<string>();
  for (const child of scope.children) {
    for (const name of analyzeScope(child, childBound, newGlobals, filename)) childFree.add(name);
    if (scope.kind === "class" && child.needsClassClosure) scope.hasClassCell = true;
  }
  // Captured locals become cells; other free names pass through this scope.
  if (scope.isFunction) {
    for (const name of childFree) {
      if (scope.scopes.get(name) === "local") {
        scope.scopes.set(name, "cell");
        childFree.delete(name);
      }
    }
  }
  if (scope.kind === "class") {
    childFree.delete("__class__");
    for (const name of childFree) {
      const flags = scope.flags.get(name) ?? 0;
      // A name the class binds and a method captures from further out: both meanings live.
      if (flags & DEF_BOUND) scope.flags.set(name, flags | DEF_FREE_CLASS);
    }
  }
  // Names free in children but not resolved here are free here too (unless global here).
  const free = new Set<string>();
  for (const name of childFree) {
    const s = scope.scopes.get(name);
    if (s === "globalExplicit" || (s === "globalImplicit" && scope.kind !== "class")) continue;
    if (s === "local" && scope.kind === "class") {
      // Passes through the class: it is both the class's local and a free variable.
      free.add(name);
      continue;
    }
    if (s === undefined || s === "globalImplicit") scope.scopes.set(name, "free");
    free.add(name);
  }
  for (const [name, s] of scope.scopes) if (s === "free") free.add(name);
  // `super` or `__class__` in a function inside a class: the class's cell. Outside any class
  // the name is a global one (CPython's analyze_name finds no binding for it).
  if (scope.needsClassClosure && bound.has("__class__")) {
    scope.scopes.set("__class__", "free");
    free.add("__class__");
  }
  return free;
}

/** Whether a class body binds `name` while a method captures an outer `name`. */
export function isFreeInClass(scope: Scope, name: string): boolean {
  return ((scope.flags.get(name) ?? 0) & DEF_FREE_CLASS) !== 0;
}

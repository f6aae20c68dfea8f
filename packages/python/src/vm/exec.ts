// `compile()`, `exec()` and `eval()`: source text compiled while the program runs, into a code
// object of its own (`<string>` unless named), run in the namespaces the call gives or, without
// them, in the caller's. As in CPython, a syntax error in that text is a SyntaxError the program
// can catch, with the location `SyntaxError` carries (`filename`, `lineno`, `offset`, `text`,
// `end_lineno`, `end_offset`), and a code object compiled here lives as long as references to it.

import type { Ref } from "@mm/runtime";
import type { CodeUnit } from "../compile/code.js";
import { compileExpression, compileInteractive, compileModule } from "../compile/codegen.js";
import { CompileError } from "../compile/errors.js";
import type * as A from "../syntax/ast.js";
import { PySyntaxError } from "../syntax/errors.js";
import { parse } from "../syntax/parse.js";
import { Raised } from "./errors.js";
import type { VMFrame } from "./frame.js";
import type { Host, Protocols } from "./host.js";
import { printTarget, writePiece, writeString } from "./io.js";
import { Code, Fn, ModuleObj } from "./layouts.js";
import type { BuiltinFn } from "./types.js";

type Kw = ReadonlyMap<string, Ref> | null;

/** The modes `compile()` takes. */
type Mode = "exec" | "eval";
/** What `compile()` takes: `single` is one interactive statement whose values are shown. */
type CompileMode = Mode | "single";

/** The statements that hold a block: one of them is all `single` mode takes. */
const COMPOUND = new Set<string>([
  "FunctionDef",
  "AsyncFunctionDef",
  "ClassDef",
  "For",
  "AsyncFor",
  "While",
  "If",
  "With",
  "AsyncWith",
  "Try",
  "TryStar",
  "Match",
]);

/**
 * When the lines before `errorLine` of `text` parse and start with simple statements that end
 * before it, the "multiple statements" SyntaxError after them (where single mode stops).
 */
function firstLineEnd(
  text: string,
  errorLine: number,
  filename: string,
): PySyntaxError | undefined {
  if (errorLine <= 1) return undefined;
  let module: A.Module;
  try {
    module = parse(
      `${text
        .split(/\r?\n/)
        .slice(0, errorLine - 1)
        .join("\n")}\n`,
      "<string>",
    );
  } catch {
    return undefined;
  }
  const first = module.body[0];
  if (!first || COMPOUND.has(first.kind)) return undefined;
  let last = first;
  for (const s of module.body.slice(1)) {
    if (s.line !== last.endLine) break;
    last = s;
  }
  if (last.endLine >= errorLine) return undefined;
  return new PySyntaxError(
    "multiple statements found while compiling a single statement",
    filename,
    last.endLine,
    last.endCol + 1,
    { endLine: last.endLine, endCol: last.endCol + 1 },
  );
}

/**
 * The SyntaxError of `single` mode's text when it is not one statement (the simple statements
 * of one line, or one compound statement), placed where CPython's parser stops; undefined when
 * it is one.
 */
function notOneStatement(module: A.Module, filename: string): PySyntaxError | undefined {
  const body = module.body;
  const first = body[0];
  if (!first) return new PySyntaxError("invalid syntax", filename, 0, 0, { endLine: 0, endCol: 0 });
  const message = "multiple statements found while compiling a single statement";
  if (COMPOUND.has(first.kind)) {
    const next = body[1];
    if (!next) return undefined;
    // The parser stops at the statement after the block: "invalid syntax" there.
    return new PySyntaxError("invalid syntax", filename, next.line, next.col + 1, {
      endLine: next.line,
      endCol: next.col + 2,
    });
  }
  // Simple statements joined by semicolons are one line's.
  let last = first;
  for (const s of body.slice(1)) {
    if (s.line !== last.endLine) {
      return new PySyntaxError(message, filename, last.endLine, last.endCol + 1, {
        endLine: last.endLine,
        endCol: last.endCol + 1,
      });
    }
    last = s;
  }
  return undefined;
}

/** `compile`, `exec` and `eval`, by name. */
export function execBuiltins(b: Protocols): Record<string, BuiltinFn> {
  const vm: Host = b.vm;
  const py = vm.py;

  /** The text of a source argument (str, or bytes read as UTF-8), or undefined for another kind. */
  const sourceText = (o: Ref): string | undefined => {
    const kind = vm.kindOf(o);
    if (kind === "str") return py.strValue(o);
    if (kind === "bytes") {
      return new TextDecoder("utf-8").decode(b.bytesType.data(o));
    }
    return undefined;
  };

  /**
   * Compiles `text` in `mode` into a new code object (a new reference).
   * @throws Raised SyntaxError (or IndentationError, TabError) for invalid code or a null
   *   character, NotImplementedError for valid code outside the supported subset
   */
  const compileText = (text: string, filename: string, mode: CompileMode): Ref => {
    if (text.includes("\0"))
      vm.raise("SyntaxError", "source code string cannot contain null bytes");
    let unit: CodeUnit;
    try {
      const module = parse(text, filename);
      if (mode === "eval") {
        const misplaced = notAnExpression(module, text);
        if (misplaced) throw misplaced;
        unit = compileExpression(module, filename);
      } else if (mode === "single") {
        const several = notOneStatement(module, filename);
        if (several) throw several;
        unit = compileInteractive(module, filename);
      } else unit = compileModule(module, filename);
    } catch (error) {
      // Single mode's parser stops after the first line's statements: text it cannot parse
      // on a later line is more statements, whatever is wrong with them.
      const early =
        mode === "single" && error instanceof PySyntaxError
          ? firstLineEnd(text, error.line, filename)
          : undefined;
      if (early) throw new Raised(syntaxError(b, early, text, mode));
      // A statement the parser rejects where it stands (`return` outside a function) is, to
      // eval's expression parser, a keyword where an expression should start.
      const keyword =
        mode === "eval" && error instanceof PySyntaxError && COMPILER_FOUND.test(error.message)
          ? /^'(\w+)' /.exec(error.message)?.[1]
          : undefined;
      if (keyword && error instanceof PySyntaxError) {
        const misplaced = new PySyntaxError("invalid syntax", "<string>", error.line, error.col, {
          endLine: error.line,
          endCol: error.col + keyword.length,
        });
        throw new Raised(syntaxError(b, misplaced, text, mode));
      }
      if (error instanceof PySyntaxError || error instanceof CompileError)
        throw new Raised(syntaxError(b, error, text, mode));
      throw error;
    }
    return vm.makeTransientCode(unit);
  };

  /** The code object `o` (a code object or source text) stands for, as a new reference. */
  const codeOf = (o: Ref, mode: Mode): Ref => {
    if (vm.kindOf(o) === "code") {
      const unit = vm.codes.get(o)?.unit;
      if (unit && unit.freevars.length > 0)
        vm.raise("TypeError", `code object passed to ${mode}() may not contain free variables`);
      return py.newRef(o);
    }
    let text = sourceText(o);
    if (text === undefined)
      vm.raise("TypeError", `${mode}() arg 1 must be a string, bytes or code object`);
    // eval() drops the spaces and tabs that start its text (builtin_eval_impl).
    if (mode === "eval") text = text.replace(/^[ \t]+/, "");
    return compileText(text, "<string>", mode);
  };

  /**
   * The namespaces a call runs in: the ones given, or the caller's. A globals dict without
   * `__builtins__` gets the current builtins, as CPython's exec and eval give it.
   */
  const namespaces = (mode: Mode, globalsArg: Ref | undefined, localsArg: Ref | undefined) => {
    const none = py.none;
    const g = globalsArg === undefined || globalsArg === none ? 0 : globalsArg;
    const l = localsArg === undefined || localsArg === none ? 0 : localsArg;
    if (g && vm.kindOf(g) !== "dict") {
      if (mode === "exec")
        vm.raise("TypeError", `exec() globals must be a dict, not ${vm.typeOf(g).name}`);
      vm.raise(
        "TypeError",
        isMapping(b, g)
          ? "globals must be a real dict; try eval(expr, {}, mapping)"
          : "globals must be a dict",
      );
    }
    if (l && !isMapping(b, l))
      vm.raise(
        "TypeError",
        mode === "exec"
          ? `locals must be a mapping or None, not ${vm.typeOf(l).name}`
          : "locals must be a mapping",
      );
    let globals: Ref;
    let locals: Ref;
    let ownedLocals = 0;
    if (g) {
      globals = g;
      locals = l || g;
    } else {
      const frame = vm.top!;
      globals = frame.globals;
      if (l) locals = l;
      else {
        ownedLocals = frameLocals(b);
        locals = ownedLocals;
      }
    }
    if (!py.dictGet(globals, py.constant("__builtins__")))
      b.setStr(globals, "__builtins__", b.dict);
    return { globals, locals, ownedLocals };
  };

  /** `exec(...)` or `eval(...)`, by `mode`. */
  const run = (mode: Mode, args: readonly Ref[], kw: Kw): Ref => {
    // exec's arguments are parsed as clinic declares them (its keyword `closure`), eval's as
    // plain positional ones.
    if (mode === "exec") {
      for (const key of kw?.keys() ?? [])
        if (key !== "closure")
          vm.raise("TypeError", `'${key}' is an invalid keyword argument for exec()`);
      if (args.length < 1)
        vm.raise("TypeError", "exec() takes at least 1 positional argument (0 given)");
      if (args.length > 3)
        vm.raise("TypeError", `exec() takes at most 3 positional arguments (${args.length} given)`);
      const closure = kw?.get("closure");
      if (closure !== undefined && closure !== py.none)
        vm.raise(
          "TypeError",
          vm.kindOf(args[0]!) === "code"
            ? "cannot use a closure with this code object"
            : "closure can only be used when source is a code object",
        );
    } else {
      if (kw && kw.size > 0) vm.raise("TypeError", "eval() takes no keyword arguments");
      if (args.length < 1 || args.length > 3)
        vm.raise(
          "TypeError",
          args.length < 1
            ? "eval expected at least 1 argument, got 0"
            : `eval expected at most 3 arguments, got ${args.length}`,
        );
    }
    const { globals, locals, ownedLocals } = namespaces(mode, args[1], args[2]);
    try {
      const code = codeOf(args[0]!, mode);
      try {
        const result = evalCode(vm, code, globals, locals);
        if (mode === "eval") return result;
        py.decref(result);
        return py.newRef(py.none);
      } finally {
        py.decref(code);
      }
    } finally {
      if (ownedLocals) py.decref(ownedLocals);
    }
  };

  const compile: BuiltinFn = (args, kw) => {
    const names = ["source", "filename", "mode", "flags", "dont_inherit", "optimize"];
    const given: (Ref | undefined)[] = [...args];
    if (args.length > names.length)
      vm.raise(
        "TypeError",
        `compile() takes at most 6 positional arguments (${args.length} given)`,
      );
    for (const [key, value] of kw ?? []) {
      const i = names.indexOf(key);
      if (key === "_feature_version") continue;
      if (i < 0) vm.raise("TypeError", `'${key}' is an invalid keyword argument for compile()`);
      if (given[i] !== undefined)
        vm.raise(
          "TypeError",
          `argument for compile() given by name ('${key}') and position (${i + 1})`,
        );
      given[i] = value;
    }
    for (let i = 0; i < 3; i++)
      if (given[i] === undefined)
        vm.raise("TypeError", `compile() missing required argument '${names[i]}' (pos ${i + 1})`);
    const text = sourceText(given[0]!);
    if (text === undefined)
      vm.raise("TypeError", "compile() arg 1 must be a string, bytes or AST object");
    const filename = given[1]!;
    if (vm.kindOf(filename) !== "str")
      vm.raise(
        "TypeError",
        `expected str, bytes or os.PathLike object, not ${vm.typeOf(filename).name}`,
      );
    const modeArg = given[2]!;
    if (vm.kindOf(modeArg) !== "str")
      vm.raise(
        "TypeError",
        `compile() argument 'mode' must be str, not ${vm.typeOf(modeArg).name}`,
      );
    const mode = py.strValue(modeArg);
    if (mode !== "exec" && mode !== "eval" && mode !== "single")
      vm.raise("ValueError", "compile() mode must be 'exec', 'eval' or 'single'");
    return compileText(text, py.strValue(filename), mode);
  };

  return {
    compile,
    exec: (args, kw) => run("exec", args, kw),
    eval: (args, kw) => run("eval", args, kw),
  };
}

/**
 * Runs module-level `code` (a code object, borrowed) in `globals` and `locals` as CPython 3.11's
 * `PyEval_EvalCode` does, for the main module, `exec` and `eval`: it makes a function object for
 * the code (`_PyFunction_FromConstructor`: the globals, the builtins `__builtins__` names, the
 * code's name as name and qualname, None as doc, no module), which the running frame holds, as
 * it holds a reference to its locals; both are released when the code returns or raises, the
 * function freed. So the globals dict has two more references while the code runs (one when
 * the locals are another dict, which has its one). Returns a new reference to the result.
 */
export function evalCode(vm: Host, code: Ref, globals: Ref, locals: Ref): Ref {
  const py = vm.py;
  const func = py.allocate(vm.native.function);
  py.setRef(func, Fn.globals, globals);
  py.setRef(func, Fn.builtins, builtinsOf(vm, globals));
  const name = py.getRef(code, Code.name);
  py.setRef(func, Fn.name, name);
  py.setRef(func, Fn.qualname, name);
  py.setRef(func, Fn.code, code);
  py.setRef(func, Fn.doc, py.none);
  py.incref(locals);
  try {
    return vm.runCode(vm.codes.get(code)!, globals, locals);
  } finally {
    py.decref(locals);
    py.decref(func);
  }
}

/**
 * The builtins a frame running in `globals` uses (`_PyEval_BuiltinsFromGlobals`, borrowed): the
 * dict of a module `__builtins__` names, or a dict it names, else the interpreter's.
 */
function builtinsOf(vm: Host, globals: Ref): Ref {
  const py = vm.py;
  const named = py.dictGet(globals, py.constant("__builtins__"));
  if (named) {
    if (vm.kindOf(named) === "module") return py.getRef(named, ModuleObj.dict);
    return named;
  }
  return vm.builtins.dict;
}

/** Whether `o` is a mapping as PyMapping_Check sees it: its type has `__getitem__` (a list too). */
function isMapping(b: Protocols, o: Ref): boolean {
  return b.lookupType(b.vm.typeOf(o), "__getitem__") !== 0;
}

/**
 * `locals()` of the running frame (a new reference): its namespace dict, or for a function
 * frame its `f_locals` dict, refreshed from the variables ({@link fastToLocals}).
 */
export function frameLocals(b: Protocols): Ref {
  const vm = b.vm;
  const f = vm.top!;
  if (f.locals) return vm.py.newRef(f.locals);
  return vm.py.newRef(fastToLocals(vm, f, f.fast));
}

/**
 * CPython 3.11's `_PyFrame_FastToLocalsWithError` for a function frame: its `f_locals` dict
 * (made at the first call, owned by the frame until it is cleared; borrowed here) gets each
 * bound variable, cell and free variable's value, in `co_localsplusnames` order, and loses the
 * names that are unbound now. Names put in the dict otherwise (by `exec`, or a program writing
 * to it) stay; writing to the dict does not change the variables. `slots` are the frame's
 * variables wherever they are kept (a paused generator's are in the generator).
 */
export function fastToLocals(vm: Host, frame: VMFrame, slots: readonly number[]): Ref {
  const py = vm.py;
  if (!frame.localsDict) frame.localsDict = py.dict();
  const d = frame.localsDict;
  const unit = frame.code.unit;
  const nv = unit.varnames.length;
  const cellStart = nv;
  const freeStart = nv + unit.cellvars.length;
  const cellOf = (i: number): number => {
    const cell = slots[i] ?? 0;
    return cell && vm.kindOf(cell) === "cell" ? py.getRef(cell, 16) : 0;
  };
  const put = (name: string, value: number) => {
    const key = py.constant(name);
    if (value) py.setItem(d, key, value);
    else if (py.dictGet(d, key)) py.dictDel(d, key);
  };
  for (let i = 0; i < nv; i++) {
    const name = unit.varnames[i]!;
    const c = unit.cellvars.indexOf(name);
    // An argument that is also a cell: its value is the cell's once the cell is made.
    put(name, c >= 0 && slots[cellStart + c] ? cellOf(cellStart + c) : (slots[i] ?? 0));
  }
  unit.cellvars.forEach((name, c) => {
    if (!unit.varnames.includes(name)) put(name, cellOf(cellStart + c));
  });
  unit.freevars.forEach((name, j) => {
    put(name, cellOf(freeStart + j));
  });
  return d;
}

/**
 * The SyntaxError `eval` mode gives a source that parsed as statements rather than one
 * expression, placed where CPython's expression parser stops: at the first statement's keyword,
 * at an assignment's operator, at the `;` or line after the first expression.
 */
function notAnExpression(module: A.Module, text: string): PySyntaxError | undefined {
  const first = module.body[0];
  const lines = text.split(/\r?\n/);
  // Spans have 0-based columns; SyntaxError's offsets are 1-based.
  const at = (line: number, col: number, endCol: number) =>
    new PySyntaxError("invalid syntax", "<string>", line, col + 1, {
      endLine: line,
      endCol: endCol + 1,
    });
  /** The first column at or after `col` on `line` that is not blank. */
  const next = (line: number, col: number) => {
    const s = lines[line - 1] ?? "";
    while (col < s.length && /\s/.test(s[col]!)) col++;
    return col;
  };
  /** The statement's first word: its keyword. */
  const keyword = (s: A.Span) => {
    const word = /^[A-Za-z_]\w*/.exec((lines[s.line - 1] ?? "").slice(s.col))?.[0] ?? " ";
    return at(s.line, s.col, s.col + word.length);
  };
  if (!first) return new PySyntaxError("invalid syntax", "<string>", 0, 0);
  if (first.kind === "Expr") {
    // An unparenthesized `yield` is a statement's expression, not one eval takes.
    const v = first.value;
    if ((v.kind === "Yield" || v.kind === "YieldFrom") && v.col === first.col) return keyword(v);
    if (module.body.length === 1) return undefined;
    // What follows the expression: a `;` or a new line.
    const col = next(v.endLine, v.endCol);
    return at(v.endLine, col, col + 1);
  }
  if (first.kind === "Assign" || first.kind === "AugAssign" || first.kind === "AnnAssign") {
    const target = first.kind === "Assign" ? first.targets[0]! : first.target;
    const col = next(target.endLine, target.endCol);
    return at(target.endLine, col, col + 1);
  }
  return keyword(first);
}

/** Errors CPython's compiler (not its parser) finds, whose SyntaxError has no `text`. */
const COMPILER_FOUND =
  /^'(return|break|yield|await)' outside|^'continue' not properly|^(no binding for )?nonlocal|^name '.*' is (used prior|assigned to before|parameter and)/;

/**
 * The Python SyntaxError (IndentationError, TabError) for a compile error in `text`, with the
 * location CPython's `SyntaxError` carries: the offending line as `text` (exec mode reads it
 * with its newline) for errors the parser finds; none for the compiler's own (`'return'
 * outside function`), whose `text` CPython leaves None.
 */
function syntaxError(
  b: Protocols,
  error: PySyntaxError | CompileError,
  text: string,
  mode: CompileMode,
): Ref {
  const vm = b.vm;
  const py = vm.py;
  if (error instanceof PySyntaxError && error.unsupported)
    return vm.newException(vm.types.NotImplementedError!, [
      `${error.filename}:${error.line}:${error.col}: ${error.message}`,
    ]);
  let lineText = 0;
  if (error instanceof PySyntaxError && error.line === 0) lineText = py.str("");
  else if (error instanceof PySyntaxError && !COMPILER_FOUND.test(error.message)) {
    const line = text.split(/\r?\n/)[error.line - 1];
    // exec's text is read with a newline at its end; single mode's lines are as written.
    const ended = mode === "exec" || text.split(/\r?\n/).length > error.line;
    if (line !== undefined) lineText = py.str(mode === "eval" || !ended ? line : `${line}\n`);
  }
  if (!lineText) lineText = py.newRef(py.none);
  const location = [
    py.str(error.filename),
    py.int(error.line),
    py.int(error.col),
    lineText,
    py.int(error.endLine),
    py.int(error.endCol),
  ];
  const message = py.str(error.message);
  const info = py.tuple(location);
  for (const o of location) py.decref(o);
  try {
    return vm.newExceptionWithArgs(vm.types[error.pyType]!, [message, info]);
  } finally {
    py.decref(message);
    py.decref(info);
  }
}

/**
 * `sys.displayhook(value)` (CPython's `sys_displayhook`): nothing for None; else `builtins._`
 * is set to None, the value's repr and a newline are written to `sys.stdout`, and `builtins._`
 * becomes the value.
 */
export function displayHook(b: Protocols, value: Ref): void {
  const vm = b.vm;
  const py = vm.py;
  if (value === py.none) return;
  const builtins = py.getRef(b.module, ModuleObj.dict);
  b.setStr(builtins, "_", py.none);
  const target = printTarget(b, 0);
  if (target === py.none) vm.raise("RuntimeError", "lost sys.stdout");
  writePiece(b, target, value, true);
  writeString(b, target, "\n");
  b.setStr(builtins, "_", value);
}

/**
 * PRINT_EXPR: the value goes to `sys.displayhook` (the default one while `sys` has not been
 * imported); `RuntimeError: lost sys.displayhook` when the program deleted it.
 */
export function printExpr(b: Protocols, value: Ref): void {
  const vm = b.vm;
  const py = vm.py;
  const sys = b.modules.get("sys");
  if (!sys) {
    displayHook(b, value);
    return;
  }
  const hook = py.dictGet(py.getRef(sys, ModuleObj.dict), py.constant("displayhook"));
  if (!hook) vm.raise("RuntimeError", "lost sys.displayhook");
  py.decref(vm.call(hook, [value]));
}

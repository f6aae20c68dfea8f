// The interactive interpreter: one `__main__` that lives across inputs, fed a line at a time.
// An input runs once it is complete: a simple statement at once, a block (or an unclosed
// bracket) when an empty line ends it. Expression statements outside functions and classes echo
// their repr, as CPython's interactive mode compiles them (PRINT_EXPR through sys.displayhook).

import { Runtime, type RuntimeOptions } from "@mm/runtime";
import { compileModule } from "../compile/codegen.js";
import { CompileError } from "../compile/errors.js";
import type * as A from "../syntax/ast.js";
import { PySyntaxError } from "../syntax/errors.js";
import { parse } from "../syntax/parse.js";
import { ExitRequest, Raised } from "./errors.js";
import type { FileSystem } from "./files.js";
import { Interpreter } from "./interpreter.js";
import { ModuleObj } from "./layouts.js";
import { syntaxErrorReport } from "./traceback.js";

/** Options of {@link PyRepl}. */
export interface ReplOptions {
  /** Where the program's stdout goes (echoed values included). */
  readonly stdout: (text: string) => void;
  /** The files `open()` reaches. @defaultValue a new, empty `MemoryFileSystem` */
  readonly files?: FileSystem;
  /** Where tracebacks and syntax errors go. */
  readonly stderr: (text: string) => void;
  /** The runtime to run on (a new one, disposed by {@link PyRepl.close}, when absent). */
  readonly runtime?: Runtime;
  /** Options of the runtime made when none is given. */
  readonly runtimeOptions?: RuntimeOptions;
}

/** The name the echo of expression statements calls; it lives in the builtins, not in `__main__`. */
const DISPLAY = "__mm_displayhook__";
/** sys.displayhook: the repr of anything but None on a line of its own, kept as `_`. */
const DISPLAY_SOURCE = `import builtins
def ${DISPLAY}(value):
    if value is not None:
        builtins._ = None
        print(repr(value))
        builtins._ = value
`;

/** Syntax errors that more lines could cure: the input goes on. */
const INCOMPLETE =
  /was never closed|unexpected EOF|expected an indented block|unterminated triple-quoted/;

/** A Python interactive session. */
export class PyRepl {
  /** The interpreter the session runs on. */
  readonly vm: Interpreter;
  readonly #runtime: Runtime;
  readonly #owned: boolean;
  readonly #globals: number;
  readonly #stderr: (text: string) => void;
  #lines: string[] = [];
  #block = false;
  /** The exit status once `exit()` or `raise SystemExit` ended the session. */
  exitStatus: number | undefined;

  constructor(options: ReplOptions) {
    this.#owned = options.runtime === undefined;
    this.#runtime = options.runtime ?? new Runtime({ log: () => {}, ...options.runtimeOptions });
    this.#stderr = options.stderr;
    const vm = new Interpreter(this.#runtime, {
      stdout: options.stdout,
      stderr: options.stderr,
      ...(options.files ? { files: options.files } : {}),
    });
    this.vm = vm;
    vm.filename = "<stdin>";
    const py = vm.py;
    const module = vm.builtins.newModule("__main__");
    vm.keep(module);
    this.#globals = py.getRef(module, ModuleObj.dict);
    vm.builtins.setStr(this.#globals, "__builtins__", vm.builtins.module);
    // The echo is a Python function so that repr runs as the program's own code would; it is
    // defined in a namespace of its own and put among the builtins, out of the user's globals.
    const scratch = py.dict();
    vm.builtins.setStr(scratch, "__builtins__", vm.builtins.module);
    this.#exec(compileModule(parse(DISPLAY_SOURCE, "<repl>"), "<repl>"), scratch);
    const display = py.dictGet(scratch, py.constant(DISPLAY));
    vm.builtins.setStr(py.getRef(vm.builtins.module, ModuleObj.dict), DISPLAY, display);
    py.decref(scratch);
  }

  /** The prompt for the next line: `>>> ` at the start of an input, `... ` within one. */
  get prompt(): string {
    return this.#lines.length === 0 ? ">>> " : "... ";
  }

  /** Forgets a half-typed input (Ctrl-C at a prompt). */
  reset(): void {
    this.#lines = [];
    this.#block = false;
  }

  /**
   * Takes one line (without its newline). Runs the input when it is complete; returns whether
   * more lines are needed.
   */
  push(line: string): boolean {
    if (this.#lines.length === 0 && line.trim() === "") return false;
    if (this.#block) {
      if (line.trim() !== "") {
        this.#lines.push(line);
        return true;
      }
    } else this.#lines.push(line);
    const source = `${this.#lines.join("\n")}\n`;
    let module: A.Module;
    try {
      module = parse(source, "<stdin>");
    } catch (error) {
      if (!(error instanceof PySyntaxError)) throw error;
      // A decorator line says nothing yet: the definition follows.
      const decorated = this.#lines[0]!.trimStart().startsWith("@");
      const incomplete = INCOMPLETE.test(error.message) || unclosed(source);
      if (!this.#block && (incomplete || decorated)) {
        // A compound statement waits for an empty line; an open bracket, for its closing.
        if (decorated || error.message.startsWith("expected an indented block")) this.#block = true;
        return true;
      }
      this.#syntaxError(error, source);
      this.reset();
      return false;
    }
    // A compound statement, even on one line, runs only once an empty line ends it.
    const first = module.body[0];
    if (!this.#block && first !== undefined && COMPOUND.has(first.kind)) {
      this.#block = true;
      return true;
    }
    this.reset();
    let unit: ReturnType<typeof compileModule>;
    try {
      unit = compileModule(echoExpressions(module), "<stdin>");
    } catch (error) {
      if (!(error instanceof CompileError || error instanceof PySyntaxError)) throw error;
      this.#syntaxError(error, source);
      return false;
    }
    this.#exec(unit, this.#globals);
    return false;
  }

  /** Disposes of the runtime when the session made it. */
  close(): void {
    this.vm.builtins.flush();
    if (this.#owned) this.#runtime[Symbol.dispose]();
  }

  #exec(unit: ReturnType<typeof compileModule>, globals: number): void {
    const vm = this.vm;
    const code = vm.makeCode(unit);
    try {
      vm.py.decref(vm.runCode(vm.codes.get(code)!, globals, globals));
    } catch (error) {
      if (error instanceof ExitRequest) this.exitStatus = error.status;
      else if (error instanceof Raised) {
        const exiting = vm.typeOf(error.exc).isSubtype(vm.types.SystemExit!);
        // reportUncaught gives SystemExit's status without printing anything.
        const status = vm.reportUncaught(error.exc);
        if (exiting) this.exitStatus = status;
      } else throw error;
    } finally {
      vm.py.decref(code);
      vm.builtins.flush();
    }
  }

  /** CPython's interactive report of a syntax error: place, line, caret, type and message. */
  #syntaxError(error: PySyntaxError | CompileError, source: string): void {
    const text = source.split("\n")[error.line - 1] ?? "";
    const type = error instanceof PySyntaxError ? error.pyType : "SyntaxError";
    this.#stderr(syntaxErrorReport("<stdin>", error.line, error.col, text, type, error.message));
  }
}

/** The module with every expression statement outside functions and classes echoed. */
function echoExpressions(module: A.Module): A.Module {
  return { ...module, body: module.body.map(echoStatement) };
}

function echoStatement(stmt: A.Stmt): A.Stmt {
  if (stmt.kind === "Expr") {
    const at = spanOf(stmt);
    const call = {
      ...at,
      kind: "Call",
      func: { ...at, kind: "Name", id: DISPLAY, ctx: "load" },
      args: [stmt.value],
      keywords: [],
    } as unknown as A.Expr;
    return { ...stmt, value: call };
  }
  if (stmt.kind === "FunctionDef" || stmt.kind === "ClassDef") return stmt;
  // Nested statement lists (bodies, else branches, handlers, match cases) echo as well.
  const out: Record<string, unknown> = { ...stmt };
  for (const [key, value] of Object.entries(stmt)) {
    if (Array.isArray(value)) out[key] = value.map(echoNested);
  }
  return out as unknown as A.Stmt;
}

function echoNested(item: unknown): unknown {
  if (typeof item !== "object" || item === null) return item;
  const node = item as { kind?: unknown; body?: unknown };
  if (typeof node.kind === "string" && STATEMENTS.has(node.kind))
    return echoStatement(item as A.Stmt);
  // An except handler or a match case: a node holding a body of statements.
  if (Array.isArray(node.body)) return { ...node, body: node.body.map(echoNested) };
  return item;
}

/**
 * Whether `source` ends inside brackets, a triple-quoted string or after a backslash: more
 * lines could complete it, whatever error the parser ranks first.
 */
export function unclosed(source: string): boolean {
  let depth = 0;
  let i = 0;
  const n = source.length;
  while (i < n) {
    const c = source[i]!;
    if (c === "#") {
      while (i < n && source[i] !== "\n") i++;
    } else if (c === "'" || c === '"') {
      const triple = source.startsWith(c.repeat(3), i);
      const close = triple ? c.repeat(3) : c;
      i += close.length;
      for (;;) {
        if (i >= n) return triple;
        if (source[i] === "\\") i += 2;
        else if (source.startsWith(close, i)) break;
        else if (!triple && source[i] === "\n") break;
        else i++;
      }
      i += close.length - 1;
    } else if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") depth = Math.max(0, depth - 1);
    else if (c === "\\" && source.slice(i + 1).trim() === "") return true;
    i++;
  }
  return depth > 0;
}

/** Statements with a body: the interactive interpreter reads on to an empty line after them. */
const COMPOUND = new Set<string>(["FunctionDef", "ClassDef", "For", "While", "If", "With", "Try"]);

/** Statement kinds: the nodes a body holds. */
const STATEMENTS = new Set<string>([
  "FunctionDef",
  "ClassDef",
  "Return",
  "Delete",
  "Assign",
  "AugAssign",
  "AnnAssign",
  "For",
  "While",
  "If",
  "With",
  "Raise",
  "Try",
  "Assert",
  "Import",
  "ImportFrom",
  "Global",
  "Nonlocal",
  "Expr",
  "Pass",
  "Break",
  "Continue",
]);

/** The source span of a node, copied onto the nodes the echo adds. */
function spanOf(node: A.Stmt): Record<string, unknown> {
  const span: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) if (typeof value === "number") span[key] = value;
  return span;
}

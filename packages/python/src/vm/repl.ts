// The interactive interpreter: one `__main__` that lives across inputs, fed a line at a time.
// An input runs once it is complete: a simple statement at once, a block (or an unclosed
// bracket) when an empty line ends it. Each input is compiled as CPython's interactive mode
// compiles it (`compile(…, "single")`): expression statements outside functions and classes
// show their value through sys.displayhook (PRINT_EXPR), which sets `builtins._`.

import { Runtime, type RuntimeOptions } from "@mm/runtime";
import { compileInteractive } from "../compile/codegen.js";
import { CompileError } from "../compile/errors.js";
import type * as A from "../syntax/ast.js";
import { PySyntaxError } from "../syntax/errors.js";
import { parse } from "../syntax/parse.js";
import { ExitRequest, Raised } from "./errors.js";
import type { FileSystem } from "./files.js";
import { Interpreter } from "./interpreter.js";
import { ModuleObj } from "./layouts.js";
import { setSysArgv } from "./modules.js";
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
  /**
   * Whether stdout is a terminal, where python3 line-buffers `sys.stdout`.
   * @defaultValue true (an interactive session's output is a terminal's)
   */
  readonly stdoutIsTerminal?: boolean;
}

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
      stdoutIsTerminal: options.stdoutIsTerminal ?? true,
      ...(options.files ? { files: options.files } : {}),
    });
    this.vm = vm;
    vm.filename = "<stdin>";
    // python3's interactive session has sys.argv == [''].
    setSysArgv(vm.builtins, [""]);
    const py = vm.py;
    const module = vm.builtins.newModule("__main__");
    vm.keep(module);
    this.#globals = py.getRef(module, ModuleObj.dict);
    vm.builtins.setStr(this.#globals, "__builtins__", vm.builtins.module);
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
    let unit: ReturnType<typeof compileInteractive>;
    try {
      unit = compileInteractive(module, "<stdin>");
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

  #exec(unit: ReturnType<typeof compileInteractive>, globals: number): void {
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

const COMPOUND = new Set<string>(["FunctionDef", "ClassDef", "For", "While", "If", "With", "Try"]);

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

// Running a program: parse, compile, evaluate, with CPython's exit statuses.

import { Runtime, type RuntimeOptions } from "@mm/runtime";
import { compileModule } from "../compile/codegen.js";
import { CompileError } from "../compile/errors.js";
import { formatCompileWarning } from "../compile/warnings.js";
import { PySyntaxError } from "../syntax/errors.js";
import { parse } from "../syntax/parse.js";
import { runAtExit } from "./atexit.js";
import { StepLimitError } from "./errors.js";
import type { FileSystem } from "./files.js";
import { Interpreter } from "./interpreter.js";
import { stdoutPending } from "./io.js";
import { setSysArgv } from "./modules.js";
import { type ProcessInfo, setProcessInfo } from "./os-extras.js";
import { syntaxErrorReport } from "./traceback.js";

/** What {@link runPython} takes. */
export interface RunOptions {
  /** The file name tracebacks show. @defaultValue `"<string>"` */
  readonly filename?: string;
  /**
   * The program's `sys.argv`, as python3 makes it: the program as named on its command line
   * (the file as given, `"-c"`, `""` for a program read from stdin), then its arguments.
   * @defaultValue `[filename]`
   */
  readonly argv?: readonly string[];
  /**
   * The environment (`os.environ`) and process id (`os.getpid()`) the program sees. A
   * non-empty `PYTHONUNBUFFERED` in it makes `sys.stdout` and `sys.stderr` unbuffered, as it
   * does python3's.
   * @defaultValue an empty environment and process id 1
   */
  readonly process?: ProcessInfo;
  /** The runtime to run on (a new one with `runtime` options when absent). */
  readonly runtime?: Runtime;
  /** Options of the runtime {@link runPython} makes when none is given. */
  readonly runtimeOptions?: RuntimeOptions;
  /** Stops the program after this many instructions (a runaway program), with status 1. */
  readonly maxSteps?: number;
  /**
   * Put before the one line that refuses a construct outside the supported subset (`"mm: "` in
   * the CLI). @defaultValue `""`
   */
  readonly syntaxErrorPrefix?: string;
  /**
   * The file's name in that line, when it should differ from {@link filename} (the CLI names
   * the file as it was given, while tracebacks name it by its absolute path, as python3 does).
   * @defaultValue {@link filename}
   */
  readonly displayName?: string;
  /** Where the program's stdout goes. @defaultValue collected into the result */
  readonly stdout?: (text: string) => void;
  /**
   * Whether the program's stdout is a terminal (the CLI passes its stdout's TTY flag): python3
   * line-buffers `sys.stdout` there and keeps up to 8 KiB of printed text in it otherwise,
   * which moves the block and `gc.get_count()` readings taken after a print.
   * @defaultValue false (a pipe or a file, as when python3's output is captured)
   */
  readonly stdoutIsTerminal?: boolean;
  /** Whether the program's stdin is a terminal (`sys.stdin.isatty()`). @defaultValue false */
  readonly stdinIsTerminal?: boolean;
  /** Whether the program's stderr is a terminal (`sys.stderr.isatty()`). @defaultValue false */
  readonly stderrIsTerminal?: boolean;
  /**
   * Whether `sys.stdout` and `sys.stderr` are unbuffered, as python3's `-u` makes them: they
   * write through, keeping nothing pending between writes, and are not line-buffered.
   * @defaultValue whether {@link RunOptions.process}'s environment holds a non-empty
   * `PYTHONUNBUFFERED`, as for python3
   */
  readonly unbuffered?: boolean;
  /** Where stderr goes (tracebacks). @defaultValue collected into the result */
  readonly stderr?: (text: string) => void;
  /**
   * The program's standard input (`sys.stdin`, `input()`): its text or bytes, or a function
   * giving up to `max` bytes at a time, waiting for them, and an empty array at the end.
   * @defaultValue an empty input
   */
  readonly stdin?: string | Uint8Array | ((max: number) => Uint8Array);
  /**
   * The files the program's `open()` reaches: the host's (the CLI passes
   * `syncFileSystem` over Node's `fs`), or files in memory.
   * @defaultValue a new, empty `MemoryFileSystem`
   */
  readonly files?: FileSystem;
  /** Called with the interpreter before the program runs (to attach a recorder or a hook). */
  readonly setup?: (vm: Interpreter) => void;
  /** Called after the program has run, before the runtime is disposed. */
  readonly teardown?: (vm: Interpreter) => void;
}

/** What a run ended with. */
export interface RunResult {
  /**
   * The exit status `python3` would give: 0, or 1 after an uncaught exception or a syntax error;
   * 2 when the program uses a construct outside the supported subset.
   */
  readonly status: number;
  /** The stdout text, when no `stdout` sink was given. */
  readonly stdout: string;
  /** The stderr text, when no `stderr` sink was given. */
  readonly stderr: string;
}

/**
 * Runs Python 3.11 source as `python3 FILE` would, on a runtime with CPython's memory
 * behaviour. A syntax error prints CPython's SyntaxError report and an uncaught exception its
 * traceback, both ending the run with status 1; a construct outside the supported subset ends
 * it with status 2 and one line on stderr.
 */
export function runPython(source: string, options: RunOptions = {}): RunResult {
  let out = "";
  let err = "";
  const stdout =
    options.stdout ??
    ((t: string) => {
      out += t;
    });
  const stderr =
    options.stderr ??
    ((t: string) => {
      err += t;
    });
  const filename = options.filename ?? "<string>";
  let unit: ReturnType<typeof compileModule>;
  try {
    const lines = source.split(/\r?\n/);
    unit = compileModule(parse(source, filename), filename, (w) =>
      stderr(formatCompileWarning(w, filename, lines)),
    );
  } catch (error) {
    if (error instanceof PySyntaxError && error.unsupported) {
      const name = options.displayName ?? filename;
      stderr(`${options.syntaxErrorPrefix ?? ""}${syntaxErrorText(error, name)}\n`);
      return { status: 2, stdout: out, stderr: err };
    }
    if (error instanceof PySyntaxError || error instanceof CompileError) {
      stderr(compileErrorReport(error, source));
      return { status: 1, stdout: out, stderr: err };
    }
    throw error;
  }
  const owned = options.runtime === undefined;
  const runtime = options.runtime ?? new Runtime({ log: () => {}, ...options.runtimeOptions });
  try {
    const vm = new Interpreter(runtime, {
      stdout,
      stderr,
      stdoutIsTerminal: options.stdoutIsTerminal === true,
      stdinIsTerminal: options.stdinIsTerminal === true,
      stderrIsTerminal: options.stderrIsTerminal === true,
      unbuffered: options.unbuffered ?? Boolean(options.process?.environ?.PYTHONUNBUFFERED),
      ...(options.files ? { files: options.files } : {}),
      ...(options.stdin !== undefined ? { stdin: inputReader(options.stdin) } : {}),
    });
    vm.filename = filename;
    setSysArgv(vm.builtins, options.argv ?? [filename]);
    if (options.process) setProcessInfo(vm.builtins, options.process);
    if (options.maxSteps !== undefined) vm.maxSteps = options.maxSteps;
    vm.sources.set(filename, source.split(/\r?\n/));
    options.setup?.(vm);
    if (runtime.config.stress) verifyEveryLine(vm, runtime);
    let status = 0;
    let finished = false;
    try {
      try {
        status = vm.runMain(unit);
        finished = true;
      } catch (error) {
        if (!(error instanceof StepLimitError)) throw error;
        vm.builtins.flush();
        stderr(`${error.message}\n`);
        status = 1;
      }
    } finally {
      // The program is over: observers (a recorder, a summary) close here, before shutdown.
      options.teardown?.(vm);
    }
    // Python's shutdown: the atexit handlers (weakref's finalizers among them), then what
    // `__main__` alone kept alive is finalized, as at python3's exit.
    if (finished) {
      runAtExit(vm);
      // flush_std_files: what sys.stdout kept pending is written out and released.
      stdoutPending(vm.builtins).flush();
      vm.finalize();
    }
    if (runtime.config.stress) runtime.verify();
    return { status, stdout: out, stderr: err };
  } finally {
    if (owned) runtime[Symbol.dispose]();
  }
}

/**
 * Stress mode (`MM_GC_STRESS=1`, the runtime's `stress` option): every structure of the runtime
 * is verified before each new line runs (every `stressVerifyEvery`-th line), so that a broken heap is caught at the line that broke
 * it. A line hook installed by `setup` (a recorder) still runs, after the check.
 */
function verifyEveryLine(vm: Interpreter, runtime: Runtime): void {
  const inner = vm.onLine;
  const every = runtime.config.stressVerifyEvery;
  let lines = 0;
  vm.onLine = (frame, line) => {
    if (++lines % every === 0) runtime.verify();
    inner?.(frame, line);
  };
}

/** The one line an unsupported construct (or any syntax error) is told in: `file:line:col: message`. */
export function syntaxErrorText(error: PySyntaxError | CompileError, filename: string): string {
  return `${filename}:${error.line}:${error.col}: ${error.message}`;
}

/**
 * What python3 prints for a program that is not valid Python, on stderr: the place, the line
 * with a caret under the error, then `SyntaxError: message` (or IndentationError, TabError).
 */
export function compileErrorReport(error: PySyntaxError | CompileError, source: string): string {
  const text = source.replace(/\r\n?/g, "\n").split("\n")[error.line - 1];
  return syntaxErrorReport(
    error.filename,
    error.line,
    error.col,
    text,
    error.pyType,
    error.message,
    error,
  );
}

/** A reader of the program's standard input, from {@link RunOptions.stdin}. */
export function inputReader(
  input: string | Uint8Array | ((max: number) => Uint8Array),
): (max: number) => Uint8Array {
  if (typeof input === "function") return input;
  const bytes = typeof input === "string" ? new TextEncoder().encode(input) : input;
  let at = 0;
  return (max) => {
    const chunk = bytes.subarray(at, Math.min(bytes.length, at + max));
    at += chunk.length;
    return chunk;
  };
}

// mm py: a Python program on the runtime, as python3 runs it: the same stdout, CPython's
// traceback or SyntaxError report and exit status 1 for an uncaught exception or invalid code,
// status 2 for a construct outside the supported subset. Besides:
// each line's memory events in words (--explain), the recording as JSON (--trace-out), the
// memory summary of mm run (--summary), and the interactive interpreter.

import * as fs from "node:fs";
import { readFileSync, writeFileSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { createInterface } from "node:readline";
import {
  describeStep,
  type Interpreter,
  moduleNames,
  PyRepl,
  type RecordedStep,
  type RunResult,
  recordPython,
  runPython,
  syncFileSystem,
} from "@mm/python";
import type { RuntimeOptions } from "@mm/runtime";
import { countLeaks, liveObjects, pauseFigures, type RunSummary } from "@mm/views";
import { type Command, parseCommand } from "../command.js";
import { UsageError } from "../errors.js";
import type { Io } from "../io.js";
import { loadStrategies, moduleHelp, moduleOptions } from "../trace/modules.js";
import { runtimeOptions } from "../trace/strategy.js";
import { decodeUtf8 } from "../utf8.js";
import { renderSummary } from "./run.js";

const help = `mm py FILE.py [options] [ARGS...] [-- ARGS...]
mm py -c CODE [options] [ARGS...]
mm py [options] [- ARGS...]  (the program on stdin; an interactive session on a terminal)

Runs a Python 3.11 program on the runtime, as python3 would run it: what it prints, its
uncaught exceptions as CPython's traceback and invalid code as its SyntaxError (exit status
1), and every memory fact it observes (sys.getrefcount, sys.getsizeof, id() reuse,
gc.collect() results, __del__ and weakref callback timing) as CPython 3.11 gives them. A
construct this front end does not run is one line naming it and its place (exit status 2).
The program's arguments are its sys.argv, after the file (or -c's '-c', or '' for stdin);
mm py's options may come anywhere before '--', and everything after '--' is the program's.
input() and sys.stdin read mm's stdin (at its end already for a program read from there).
Ctrl-C stops a program with KeyboardInterrupt, as python3 does.

Options:
  -c, --code CODE        run CODE instead of a file
      --explain          after each line, what it did to memory, in words, on stderr:
                         allocations (type, size, address), frees and what freed them,
                         finalizers and weakref callbacks run, collections and their results
      --trace-out FILE   write the run, line by line, as JSON (docs/mm-py-trace.md)
      --trace-objects    with --trace-out: each line also lists the objects its frames reach
      --trace-lines N    with --trace-out: record N lines in full, count the rest (10000)
  -u, --unbuffered       sys.stdout and sys.stderr unbuffered, as python3 -u makes them
                         (a non-empty PYTHONUNBUFFERED does the same)
      --summary          after the program, mm run's memory summary on stderr
      --collector NAME   cpython (default), refcount, tracing or none
      --allocator NAME   pymalloc (default) or malloc (with _debug: CPython's debug hooks)
      --preset VERSION   3.11 (default) or 3.13: the cpython collector's thresholds
${moduleHelp}
      --stress           GC stress mode (as MM_GC_STRESS=1): a collection at every container
                         allocation, every structure verified before every line; slow
      --max-steps N      stop the program after N instructions (a program that never ends)
  -h, --help             show this help

MM_COLLECTOR and MM_ALLOCATOR choose the strategies when the options do not.

Example:
  mm py examples/cycles.py --collector refcount
  mm py -c "import sys; x = []; print(sys.getrefcount(x))"
  mm py --explain -c "x = [1, 2]; del x"`;

const options = {
  code: { type: "string", short: "c" },
  explain: { type: "boolean" },
  "trace-out": { type: "string" },
  "trace-objects": { type: "boolean" },
  "trace-lines": { type: "string" },
  unbuffered: { type: "boolean", short: "u" },
  summary: { type: "boolean" },
  collector: { type: "string" },
  allocator: { type: "string" },
  preset: { type: "string" },
  stress: { type: "boolean" },
  "max-steps": { type: "string" },
  ...moduleOptions,
} as const;

/**
 * How a host tells a running program that Ctrl-C was pressed: polled by the evaluator every
 * 65,536 instructions (the executable sets it from a flag its main thread raises on SIGINT).
 */
let interruptPoll: (() => boolean) | undefined;

/** Sets the Ctrl-C poll of the programs `mm py` runs from now on. */
export function setInterruptPoll(poll: (() => boolean) | undefined): void {
  interruptPoll = poll;
}

/** The exit status of a program that Ctrl-C stopped (128 + SIGINT), as a shell shows python3's. */
export const INTERRUPTED_STATUS = 130;

/**
 * Whether `mm py argv` is an interactive session: no file, no -c, and a terminal on stdin (it
 * then has to run where the terminal is). Arguments that do not parse are not a session.
 */
export function isInteractive(argv: readonly string[], stdinIsTTY: boolean): boolean {
  return stdinIsTTY && readsProgramFromStdin(argv);
}

/**
 * Whether `mm py argv` reads its program from stdin (no file or `-`, no -c): only then is stdin
 * handed to the program's thread. Arguments that do not parse read nothing.
 */
export function readsProgramFromStdin(argv: readonly string[]): boolean {
  try {
    const { values, positionals } = parsePy(argv);
    return values.code === undefined && (positionals.length === 0 || positionals[0] === "-");
  } catch {
    return false;
  }
}

/**
 * Parses `mm py`'s arguments: its own options anywhere, the program (a file, `-` for stdin, or
 * none after `-c CODE`), then the program's own arguments (`sys.argv[1:]`); after `--`
 * everything is the program's, options included.
 * @throws UsageError for an unknown option, with where a program's own options go
 */
function parsePy(argv: readonly string[]) {
  try {
    return parseCommand("py", argv, options, {
      min: 0,
      max: Number.POSITIVE_INFINITY,
      what: "a Python file (or -c CODE)",
    });
  } catch (error) {
    if (error instanceof UsageError && error.message.startsWith("unknown option"))
      throw new UsageError(
        `${error.message} (the program's own options go after --: mm py FILE.py -- ARGS)`,
        "py",
      );
    throw error;
  }
}

/** `mm py`. */
export const py: Command = {
  name: "py",
  summary: "run a Python program on the runtime, as python3 would",
  help,
  async run(argv, io) {
    const { values, positionals } = parsePy(argv);
    const loaded = await loadStrategies(values, "py", io);
    const rtOptions = {
      ...runtimeOptions(
        {
          ...values,
          collector: values.collector ?? loaded.collectors.at(-1),
          allocator: values.allocator ?? loaded.allocators.at(-1),
        },
        "py",
        io,
        loaded.registry,
      ),
      ...(values.stress ? { stress: true } : {}),
    };
    const maxSteps = positiveInteger(values["max-steps"], "--max-steps");
    const traceLines = positiveInteger(values["trace-lines"], "--trace-lines");
    if (values["trace-out"] === undefined) {
      if (values["trace-objects"])
        throw new UsageError("--trace-objects goes with --trace-out FILE", "py");
      if (traceLines !== undefined)
        throw new UsageError("--trace-lines goes with --trace-out FILE", "py");
    }
    let source: string;
    let filename: string;
    /** The program's file as the command line names it. */
    let given: string | undefined;
    /** `sys.argv`, as python3 makes it: `-c`, the file as given or `''` (stdin), then the rest. */
    let programArgv: string[];
    try {
      if (values.code !== undefined) {
        source = values.code;
        filename = "<string>";
        programArgv = ["-c", ...positionals];
      } else if (positionals.length > 0 && positionals[0] !== "-") {
        programArgv = [...positionals];
        given = positionals[0]!;
        // python3 names the file by its absolute path (its current directory and the name as
        // given, not normalised) in tracebacks, SyntaxErrors and `__file__`.
        filename = isAbsolute(given) ? given : `${io.cwd.replace(/\/+$/, "")}/${given}`;
        try {
          source = sourceText(readFileSync(resolve(io.cwd, given)), filename);
        } catch (error) {
          if (error instanceof NotUtf8Error) throw error;
          const code = (error as NodeJS.ErrnoException).code;
          throw new UsageError(
            code === "ENOENT"
              ? `can't open file '${given}': no such file`
              : `can't read '${given}' (${code ?? (error as Error).message})`,
          );
        }
      } else if ((io.stdin as { isTTY?: boolean }).isTTY === true) {
        return interactive(io, rtOptions);
      } else {
        // python3 reads a program piped to it whole, and names it <stdin>.
        filename = "<stdin>";
        programArgv = positionals.length > 0 ? [...positionals] : [""];
        source = sourceText(await readAll(io.stdin), filename);
      }
    } catch (error) {
      if (!(error instanceof NotUtf8Error)) throw error;
      io.stderr.write(`${error.message}\n`);
      return 1;
    }
    return runProgram(source, filename, given ?? filename, io, {
      argv: programArgv,
      runtime: rtOptions,
      explain: values.explain === true,
      traceOut: values["trace-out"],
      traceObjects: values["trace-objects"] === true,
      summary: values.summary === true,
      unbuffered: values.unbuffered === true,
      maxSteps,
      traceLines,
    });
  },
};

/** What {@link runProgram} is asked to do besides running the program. */
interface ProgramOptions {
  readonly argv: readonly string[];
  readonly runtime: RuntimeOptions;
  readonly explain: boolean;
  readonly traceOut: string | undefined;
  readonly traceObjects: boolean;
  readonly summary: boolean;
  /** python3's `-u`: unbuffered stdout and stderr. */
  readonly unbuffered: boolean;
  readonly maxSteps: number | undefined;
  readonly traceLines: number | undefined;
}

/** Runs the program with the recorder and the summary's counters when asked for; its status. */
function runProgram(
  source: string,
  filename: string,
  displayName: string,
  io: Io,
  o: ProgramOptions,
): number {
  let lastErr = "";
  let interrupted = false;
  const poll = interruptPoll;
  const summary = o.summary ? new SummaryCounter(displayName) : undefined;
  const lines = source.split(/\r?\n/);
  const setup = (vm: Interpreter) => {
    // python3 shows no source lines for a program read from stdin or given with -c.
    if (filename === "<stdin>" || filename === "<string>") vm.sources.delete(filename);
    if (poll !== undefined)
      vm.interrupted = () => {
        if (poll()) interrupted = true;
        return interrupted;
      };
    summary?.start(vm);
  };
  const teardown = (vm: Interpreter) => summary?.finish(vm);
  const common = {
    filename,
    argv: o.argv,
    // os.environ and os.getpid() are this process's, as python3's would be.
    process: { environ: process.env, pid: process.pid },
    // input() and sys.stdin read this process's stdin, which a program read from it has ended.
    ...(filename !== "<stdin>" && io.readStdin !== undefined ? { stdin: io.readStdin } : {}),
    ...(o.unbuffered ? { unbuffered: true } : {}),
    displayName,
    runtimeOptions: o.runtime,
    syntaxErrorPrefix: "mm: ",
    // open() reaches the real files, relative paths from the working directory.
    files: syncFileSystem(fs, () => io.cwd),
    stdout: (text: string) => io.stdout.write(text),
    // python3 line-buffers sys.stdout on a terminal and keeps printed text pending otherwise.
    stdoutIsTerminal: io.stdout.isTTY,
    stdinIsTerminal: io.stdinIsTerminal === true,
    stderrIsTerminal: io.stderr.isTTY,
    stderr: (text: string) => {
      lastErr = text;
      io.stderr.write(text);
    },
    setup,
    teardown,
    ...(o.maxSteps !== undefined ? { maxSteps: o.maxSteps } : {}),
  };
  let result: RunResult | { status: number };
  if (o.explain || o.traceOut !== undefined) {
    const trace = recordPython(source, {
      ...common,
      // --explain alone keeps nothing: each step is told as it ends.
      budget: o.traceOut === undefined ? 0 : (o.traceLines ?? 10_000),
      objects: o.traceObjects,
      ...(o.explain
        ? {
            onStep: (step: RecordedStep) => {
              const text = describeStep(step, lines[step.line - 1]?.trim());
              if (text) io.stderr.write(text);
            },
          }
        : {}),
    });
    result = trace;
    if (o.traceOut !== undefined) {
      const path = resolve(io.cwd, o.traceOut);
      try {
        writeFileSync(path, `${JSON.stringify(trace)}\n`);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw new UsageError(`can't write '${o.traceOut}' (${code ?? (error as Error).message})`);
      }
      if (trace.truncated)
        io.stderr.write(
          `mm: ${o.traceOut} records the first ${trace.budget} lines in full; the other ${
            trace.summary.lines - trace.budget
          } are only counted in its summary (--trace-lines N records more)\n`,
        );
    }
  } else result = runPython(source, common);
  if (summary !== undefined) {
    const rendered = renderSummary(summary.result(), { ...io, stdout: io.stderr });
    io.stderr.write(`${rendered}\n`);
  }
  // A program ended by an import of a module this front end lacks gets one line saying so.
  const lastLine = lastErr.trimEnd().split("\n").at(-1) ?? "";
  const missing = /^ModuleNotFoundError: No module named '([^'.]+)[^']*'(?:; |$)/.exec(lastLine);
  const known: readonly string[] = moduleNames;
  if (result.status === 1 && missing && !known.includes(missing[1]!))
    io.stderr.write(`mm: ${unknownModuleNote(missing[1]!)}\n`);
  // An uncaught KeyboardInterrupt ends python3 by SIGINT: a shell sees 130.
  if (interrupted && result.status === 1 && lastErr.endsWith("KeyboardInterrupt\n"))
    return INTERRUPTED_STATUS;
  return result.status;
}

/** Why an import failed here that may work in python3: the modules `mm py` provides. */
function unknownModuleNote(name: string): string {
  const names = [...moduleNames];
  const list = `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
  return `'${name}' is not a module mm py provides; programs can import ${list}`;
}

/** The figures of mm run's summary, counted while a program runs. */
class SummaryCounter {
  readonly #name: string;
  #summary: RunSummary | undefined;
  #before: ReturnType<Interpreter["runtime"]["stats"]> | undefined;
  #cached = new Set<number>();
  #peak = 0;
  #events = 0;
  readonly #kinds: Record<string, number> = {};
  #stop: (() => void) | undefined;
  #began = 0;

  constructor(name: string) {
    this.#name = name;
  }

  start(vm: Interpreter): void {
    const rt = vm.runtime;
    this.#before = rt.stats();
    // What the interpreter made before the program (types, builtins, and the code objects,
    // whose constants only the code refers to, which no collector walks) is not the program's
    // leak: the baseline is taken at the program's first line.
    this.#cached = liveObjects(rt);
    const next = vm.onLine;
    vm.onLine = (frame, line) => {
      this.#cached = liveObjects(rt);
      vm.onLine = next;
      next?.(frame, line);
    };
    this.#peak = rt.heapBytes;
    this.#stop = vm.py.observe((event) => {
      this.#events++;
      this.#kinds[event.kind] = (this.#kinds[event.kind] ?? 0) + 1;
      if (event.kind === "allocate" && rt.heapBytes > this.#peak) this.#peak = rt.heapBytes;
    });
    this.#began = performance.now();
  }

  finish(vm: Interpreter): void {
    const elapsedMs = performance.now() - this.#began;
    this.#stop?.();
    const rt = vm.runtime;
    const before = this.#before!;
    const after = rt.stats();
    const collections = after.collections.map((n, g) => n - (before.collections[g] ?? 0));
    this.#summary = {
      trace: this.#name,
      collector: rt.config.collector,
      allocator: rt.config.allocator + (rt.config.debugHooks ? "_debug" : ""),
      preset: rt.capabilities.generational ? rt.config.preset : null,
      steps: vm.steps,
      totalSteps: vm.steps,
      events: this.#events,
      eventKinds: { ...this.#kinds },
      objects: {
        allocated: after.objectsAllocated - before.objectsAllocated,
        freed: after.objectsFreed - before.objectsFreed,
        live: after.liveObjects - before.liveObjects,
        leaked: countLeaks(rt, this.#cached),
      },
      heapBytes: { peak: Math.max(this.#peak, after.heapBytes), final: after.heapBytes },
      liveBytes: after.liveBytes,
      peakLiveBytes: after.liveBytes,
      collections: [collections[0] ?? 0, collections[1] ?? 0, collections[2] ?? 0],
      pauses: pauseFigures(after.pausesMs.slice(before.pausesMs.length), 0),
      elapsedMs,
    };
  }

  /** The summary, once {@link SummaryCounter.finish} has run. */
  result(): RunSummary {
    if (this.#summary === undefined) throw new Error("the program did not run");
    return this.#summary;
  }
}

/** The interactive interpreter on a terminal: `>>> ` and `... ` prompts on stderr, as python3. */
function interactive(io: Io, runtime: RuntimeOptions): Promise<number> {
  const repl = new PyRepl({
    stdout: (text) => io.stdout.write(text),
    stderr: (text) => io.stderr.write(text),
    runtimeOptions: runtime,
    files: syncFileSystem(fs, () => io.cwd),
    stdoutIsTerminal: io.stdout.isTTY,
  });
  io.stderr.write(
    `Python 3.11 on the mm runtime (${runtime.collector ?? "cpython"} collector, ${
      runtime.allocator ?? "pymalloc"
    } allocator)\nCtrl-D exits.\n`,
  );
  const rl = createInterface({ input: io.stdin, output: process.stderr, terminal: true });
  return new Promise((done) => {
    let status = 0;
    rl.setPrompt(repl.prompt);
    rl.prompt();
    rl.on("line", (line) => {
      repl.push(line);
      if (repl.exitStatus !== undefined) {
        status = repl.exitStatus;
        rl.close();
        return;
      }
      rl.setPrompt(repl.prompt);
      rl.prompt();
    });
    // Ctrl-C at a prompt drops the half-typed input, as python3's does.
    rl.on("SIGINT", () => {
      io.stderr.write("\nKeyboardInterrupt\n");
      repl.reset();
      rl.setPrompt(repl.prompt);
      rl.prompt();
    });
    rl.on("close", () => {
      if (repl.exitStatus === undefined) io.stderr.write("\n");
      repl.close();
      done(status);
    });
  });
}

/** All of a stream's bytes. */
async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}

/**
 * A program that is not UTF-8 (and declares no encoding, which is all this front end reads):
 * python3 refuses it with this SyntaxError before running anything, and exits with status 1.
 */
class NotUtf8Error extends Error {}

/** A program's source text, or NotUtf8Error with CPython's message. */
function sourceText(bytes: Uint8Array, filename: string): string {
  const text = decodeUtf8(bytes);
  if (typeof text === "string") return text;
  const hex = text.byte.toString(16).padStart(2, "0");
  throw new NotUtf8Error(
    `SyntaxError: Non-UTF-8 code starting with '\\x${hex}' in file ${filename} on line ${text.line}, but no encoding declared; see https://peps.python.org/pep-0263/ for details`,
  );
}

/** A positive integer option's value, or undefined when absent. */
function positiveInteger(text: string | undefined, option: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1)
    throw new UsageError(`${option} must be a positive integer, not '${text}'`, "py");
  return n;
}

// mm py: a Python program on the runtime, as python3 runs it: the same stdout, CPython's
// traceback and exit status 1 for an uncaught exception, status 2 for a syntax error.

import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { runPython } from "@mm/python";
import { type Command, parseCommand } from "../command.js";
import { UsageError } from "../errors.js";
import { loadStrategies, moduleHelp, moduleOptions } from "../trace/modules.js";
import { runtimeOptions } from "../trace/strategy.js";

const help = `mm py FILE.py [options]
mm py -c CODE [options]

Runs a Python 3.11 program on the runtime, as python3 would run it: what it prints, its
uncaught exceptions as CPython's traceback (exit status 1), and every memory fact it observes
(sys.getrefcount, sys.getsizeof, id() reuse, gc.collect() results, __del__ and weakref
callback timing) as CPython 3.11 gives them. A syntax error, or a construct this front end
does not run, is one line naming it and its place (exit status 2).

Options:
  -c, --code CODE        run CODE instead of a file
      --collector NAME   cpython (default), refcount, tracing or none
      --allocator NAME   pymalloc (default) or malloc (with _debug: CPython's debug hooks)
      --preset VERSION   3.11 (default) or 3.13: the cpython collector's thresholds
${moduleHelp}
      --max-steps N      stop the program after N instructions (a program that never ends)
  -h, --help             show this help

MM_COLLECTOR and MM_ALLOCATOR choose the strategies when the options do not.

Example:
  mm py examples/cycles.py --collector refcount
  mm py -c "import sys; x = []; print(sys.getrefcount(x))"`;

/** `mm py`. */
export const py: Command = {
  name: "py",
  summary: "run a Python program on the runtime, as python3 would",
  help,
  async run(argv, io) {
    const { values, positionals } = parseCommand(
      "py",
      argv,
      {
        code: { type: "string", short: "c" },
        collector: { type: "string" },
        allocator: { type: "string" },
        preset: { type: "string" },
        "max-steps": { type: "string" },
        ...moduleOptions,
      },
      { min: 0, max: 1, what: "a Python file (or -c CODE)" },
    );
    if (values.code === undefined && positionals.length === 0)
      throw new UsageError("mm py needs a Python file (or -c CODE)", "py");
    if (values.code !== undefined && positionals.length > 0)
      throw new UsageError(`mm py takes a file or -c CODE, not both ('${positionals[0]}')`, "py");
    const loaded = await loadStrategies(values, "py", io);
    const options = runtimeOptions(
      {
        ...values,
        collector: values.collector ?? loaded.collectors.at(-1),
        allocator: values.allocator ?? loaded.allocators.at(-1),
      },
      "py",
      io,
      loaded.registry,
    );
    let maxSteps: number | undefined;
    if (values["max-steps"] !== undefined) {
      maxSteps = Number(values["max-steps"]);
      if (!Number.isSafeInteger(maxSteps) || maxSteps < 1)
        throw new UsageError(
          `--max-steps must be a positive integer, not '${values["max-steps"]}'`,
          "py",
        );
    }
    let source: string;
    let filename: string;
    if (values.code !== undefined) {
      source = values.code;
      filename = "<string>";
    } else {
      filename = positionals[0]!;
      try {
        source = readFileSync(resolve(io.cwd, filename), "utf8");
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw new UsageError(
          code === "ENOENT"
            ? `can't open file '${filename}': no such file`
            : `can't read '${filename}' (${code ?? (error as Error).message})`,
        );
      }
    }
    const result = runPython(source, {
      filename,
      runtimeOptions: options,
      syntaxErrorPrefix: "mm: ",
      stdout: (text) => io.stdout.write(text),
      stderr: (text) => io.stderr.write(text),
      ...(maxSteps !== undefined ? { maxSteps } : {}),
    });
    return result.status;
  },
};

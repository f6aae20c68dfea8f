// The dispatcher: finds the command, answers --help, --version and `help COMMAND`, and turns
// every failure into one line on stderr and an exit code (1 for the user's mistakes, 2 for ours).

// Bundled: esbuild keeps only this one field of the manifest.
import { version } from "../package.json";
import type { Command } from "./command.js";
import { helpFor, wantsHelp } from "./command.js";
import { bench } from "./commands/bench.js";
import { compare } from "./commands/compare.js";
import { gen } from "./commands/gen.js";
import { heap } from "./commands/heap.js";
import { layout } from "./commands/layout.js";
import { py } from "./commands/py.js";
import { run } from "./commands/run.js";
import { tour } from "./commands/tour.js";
import { web } from "./commands/web.js";
import { ExitCode, isUserError, printable, UsageError } from "./errors.js";
import type { Io } from "./io.js";
import { styleFor } from "./output/style.js";

/** Every command, in the order `mm --help` lists them. */
export const commands: readonly Command[] = [tour, run, py, compare, heap, layout, gen, bench, web];

function overview(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return `mm: see Python's memory management happen, on a runtime that rebuilds CPython's

Usage: mm COMMAND [options]
       mm help COMMAND     that command's help (as mm COMMAND --help)
       mm --version        the version of mm

Commands:
${commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join("\n")}

Every command takes --help; those that print figures take --json.
Colours only on a terminal, never with NO_COLOR. Exit codes: 0 ok, 1 user error, 2 internal error.

Start with:  mm tour`;
}

/** Runs `mm` with `argv` (the arguments after `mm`); resolves to the exit code. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined) {
      io.stderr.write(`${overview()}\n`);
      return ExitCode.UserError;
    }
    if (name === "--help" || name === "-h" || (name === "help" && rest.length === 0)) {
      io.stdout.write(`${overview()}\n`);
      return ExitCode.Ok;
    }
    if (name === "--version" || name === "-V") {
      io.stdout.write(`${version}\n`);
      return ExitCode.Ok;
    }
    if (name === "help") {
      io.stdout.write(`${helpFor(commands, rest)}\n`);
      return ExitCode.Ok;
    }
    const command = commands.find((c) => c.name === name);
    if (!command) {
      throw new UsageError(
        name.startsWith("-")
          ? `unknown option '${name}' (a command comes first: see mm --help)`
          : `unknown command '${name}' (see mm --help)`,
      );
    }
    if (wantsHelp(rest)) {
      io.stdout.write(`${command.help}\n`);
      return ExitCode.Ok;
    }
    const status = await command.run(rest, io);
    return typeof status === "number" ? status : ExitCode.Ok;
  } catch (error) {
    const style = styleFor(io.stderr, io.env);
    if (isUserError(error)) {
      const hint =
        error instanceof UsageError && error.command ? ` (see mm ${error.command} --help)` : "";
      io.stderr.write(`${style.red("mm:")} ${printable(error.message)}${hint}\n`);
      return ExitCode.UserError;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`${style.red("mm: internal error:")} ${printable(message)}\n`);
    if (io.env.MM_DEBUG && error instanceof Error && error.stack)
      io.stderr.write(`${error.stack}\n`);
    else io.stderr.write("mm: this is a bug; run again with MM_DEBUG=1 for the stack trace\n");
    return ExitCode.InternalError;
  }
}

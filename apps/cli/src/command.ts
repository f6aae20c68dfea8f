// What every command is, and the argument parsing they share: node:util's parseArgs, strict,
// with its errors turned into one-line usage errors that point at the command's --help.

import { type ParseArgsConfig, parseArgs } from "node:util";
import { UsageError } from "./errors.js";
import type { Io } from "./io.js";

/** One `mm` command. */
export interface Command {
  /** The word after `mm`. */
  readonly name: string;
  /** One line for `mm --help`. */
  readonly summary: string;
  /** The whole text of `mm <name> --help`. */
  readonly help: string;
  /**
   * Runs the command; a thrown {@link UsageError} becomes exit code 1. A command that has an
   * exit status of its own (`mm py`: the program's) returns it.
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: most commands return nothing, `mm py` a status.
  run(argv: readonly string[], io: Io): Promise<void | number> | void | number;
}

type Options = NonNullable<ParseArgsConfig["options"]>;

/** What {@link parseCommand} returns: parseArgs's typed values and the positionals. */
export type ParsedCommand<O extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; allowPositionals: true }>
>;

/** How many positional arguments a command takes, and what to call them in messages. */
export interface Positionals {
  readonly min: number;
  readonly max: number;
  /** e.g. `"a trace file"`, for "mm run needs a trace file". */
  readonly what: string;
}

/**
 * Parses `argv` for command `name` (strict: unknown options and missing values are errors).
 * @throws UsageError naming the problem and the command
 */
export function parseCommand<const O extends Options>(
  name: string,
  argv: readonly string[],
  options: O,
  positionals: Positionals,
): ParsedCommand<O> {
  let parsed: ParsedCommand<O>;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(parseArgsMessage(error as Error), name);
  }
  const n = parsed.positionals.length;
  if (n < positionals.min) throw new UsageError(`mm ${name} needs ${positionals.what}`, name);
  if (n > positionals.max) {
    const extra = parsed.positionals.slice(positionals.max).join(" ");
    throw new UsageError(`mm ${name} takes ${describeMax(positionals)}, not also '${extra}'`, name);
  }
  return parsed;
}

/**
 * The text of `mm help COMMAND`: that command's `--help`.
 * @throws UsageError for an unknown command or more than one argument
 */
export function helpFor(commands: readonly Command[], argv: readonly string[]): string {
  if (argv.length !== 1) {
    throw new UsageError(`mm help takes one command, not '${argv.join(" ")}' (see mm --help)`);
  }
  const name = argv[0]!;
  const command = commands.find((c) => c.name === name);
  if (!command) {
    throw new UsageError(
      `unknown command '${name}': mm help knows ${commands.map((c) => c.name).join(", ")}`,
    );
  }
  return command.help;
}

/** Whether the arguments ask for help (`--help` or `-h` before any `--`). */
export function wantsHelp(argv: readonly string[]): boolean {
  for (const arg of argv) {
    if (arg === "--") return false;
    if (arg === "--help" || arg === "-h") return true;
  }
  return false;
}

/**
 * A positive integer option value.
 * @throws UsageError when `value` is not one
 */
export function positiveInteger(
  value: string | undefined,
  option: string,
  command: string,
): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[0-9]+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`${option} must be a positive integer, got '${value}'`, command);
  }
  return Number(value);
}

/**
 * One of `choices`.
 * @throws UsageError naming the choices when `value` is none of them
 */
export function oneOf<T extends string>(
  value: string | undefined,
  choices: readonly T[],
  option: string,
  command: string,
): T | undefined {
  if (value === undefined) return undefined;
  if (!(choices as readonly string[]).includes(value)) {
    throw new UsageError(`${option} must be one of ${choices.join(", ")}, got '${value}'`, command);
  }
  return value as T;
}

/** Writes a JSON document to stdout (two-space indented, one trailing newline). */
export function printJson(io: Io, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

function describeMax(p: Positionals): string {
  if (p.max === 0) return "no arguments";
  return p.max === 1 ? p.what : `at most ${p.max} arguments`;
}

/**
 * parseArgs's message in one line: its first sentence, in lower case ("unknown option '--x'").
 * A value that starts with '-' (`--at -1`) makes parseArgs explain over three lines how to
 * write one; that is said in the same line instead.
 */
function parseArgsMessage(error: Error): string {
  const ambiguous = /^Option '([^']*)' argument is ambiguous/.exec(error.message);
  if (ambiguous) {
    const long = /use '(--[^=']+)=-XYZ'/.exec(error.message)?.[1] ?? ambiguous[1]!;
    return `option '${ambiguous[1]!}' needs a value (one that starts with '-' is written ${long}=VALUE)`;
  }
  const sentence = error.message.split("\n")[0]!.split(". ")[0]!;
  return sentence.charAt(0).toLowerCase() + sentence.slice(1);
}

/**
 * `value`, or a usage error when it is the empty string (`--svg ''`), which would otherwise
 * pass for no value at all and be ignored.
 * @throws UsageError for an empty value
 */
export function nonEmpty<T extends string | undefined>(
  value: T,
  option: string,
  command: string,
): T {
  if (value === "") throw new UsageError(`${option} needs a file name, got ''`, command);
  return value;
}

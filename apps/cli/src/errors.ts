// The two kinds of failure mm tells apart: a user error (bad arguments, a missing or invalid
// trace; exit code 1, one line) and everything else, an internal error (exit code 2).

import { ConfigError, TraceError } from "@mm/runtime";

/** Exit codes of `mm`. */
export const ExitCode = {
  Ok: 0,
  /** Bad arguments, a missing or invalid trace, an impossible configuration. */
  UserError: 1,
  /** A bug: anything the user could not have caused. */
  InternalError: 2,
} as const;

/** A mistake of the user's; its message is printed as `mm: <message>` and mm exits with 1. */
export class UsageError extends Error {
  /** The command whose `--help` the message points to, if any. */
  readonly command: string | undefined;

  constructor(message: string, command?: string) {
    super(message);
    this.name = "UsageError";
    this.command = command;
  }
}

/** Messages longer than this are cut in the middle (see {@link printable}). */
const MESSAGE_CHARS = 400;

/**
 * `message` made fit for one line of a terminal: control characters (which could move the
 * cursor, clear the screen or end the line) written as escapes, and a message that echoes a
 * huge argument (a 1 MB file name, a long line of a trace) cut in the middle, so that its
 * start and its end, which say what went wrong, both stay.
 */
export function printable(message: string): string {
  // C0 controls, DEL and C1 controls, and the line and paragraph separators.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
  const escaped = message.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    if (c === "\n") return "\\n";
    if (c === "\r") return "\\r";
    if (c === "\t") return "\\t";
    const code = c.charCodeAt(0);
    return code <= 0xff
      ? `\\x${code.toString(16).padStart(2, "0")}`
      : `\\u${code.toString(16).padStart(4, "0")}`;
  });
  if (escaped.length <= MESSAGE_CHARS) return escaped;
  const head = escaped.slice(0, 240);
  const tail = escaped.slice(-120);
  return `${head}[... ${escaped.length - head.length - tail.length} characters ...]${tail}`;
}

/**
 * Whether `error` is the user's doing: a {@link UsageError}, a trace that does not parse
 * (`TraceError`, whose message is `FILE:LINE: what`) or a runtime configuration that cannot
 * work (`ConfigError`, which says why).
 */
export function isUserError(error: unknown): error is Error {
  return error instanceof UsageError || error instanceof TraceError || error instanceof ConfigError;
}

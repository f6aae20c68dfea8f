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

/**
 * Whether `error` is the user's doing: a {@link UsageError}, a trace that does not parse
 * (`TraceError`, whose message is `FILE:LINE: what`) or a runtime configuration that cannot
 * work (`ConfigError`, which says why).
 */
export function isUserError(error: unknown): error is Error {
  return error instanceof UsageError || error instanceof TraceError || error instanceof ConfigError;
}

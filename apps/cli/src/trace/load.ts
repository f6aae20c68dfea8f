// Reading a trace file: a file that cannot be read is a usage error naming it; a trace that
// does not parse is the runtime's TraceError, whose message already reads `FILE:LINE: what`.

import { readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { parseTrace, type Trace } from "@mm/runtime";
import { UsageError } from "../errors.js";
import { decodeUtf8 } from "../utf8.js";

/**
 * The largest trace read: 256 MiB, what `mm gen` writes at most. Far past any trace a run
 * finishes in minutes, and below V8's limit on a string's length.
 */
export const MAX_TRACE_BYTES = 256 << 20;

/**
 * `path`, once it is known to be a regular file of at most `maxBytes` bytes (`what` names
 * what it should be, with its article: "a trace"). A device
 * (`/dev/zero`, `/dev/stdin` on a terminal) or a FIFO would be read until mm is killed.
 * @throws UsageError naming `file` for anything else; Node's error when `path` cannot be read
 */
export function regularFile(file: string, path: string, maxBytes: number, what: string): string {
  const stat = statSync(path);
  if (stat.isDirectory()) return path; // reading it says "is a directory" in the caller's words
  if (!stat.isFile()) throw new UsageError(`${file}: not a regular file; ${what} must be one`);
  if (stat.size > maxBytes) {
    throw new UsageError(
      `${file}: ${stat.size} bytes, more than the ${maxBytes >> 20} MiB ${what} may have`,
    );
  }
  return path;
}

/**
 * Reads and parses the mm-trace at `file` (relative to `cwd`).
 * @throws UsageError when the file cannot be read
 * @throws TraceError when it is not a valid mm-trace (names the line)
 */
export function loadTrace(file: string, cwd: string): Trace {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(regularFile(file, resolve(cwd, file), MAX_TRACE_BYTES, "a trace"));
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT"
        ? "no such file"
        : code === "EISDIR"
          ? "is a directory, not a trace file"
          : code === "EACCES"
            ? "permission denied"
            : `cannot be read (${(error as Error).message})`;
    throw new UsageError(`${file}: ${why}`);
  }
  const text = decodeUtf8(bytes);
  if (typeof text !== "string") {
    const hex = text.byte.toString(16).padStart(2, "0");
    throw new UsageError(
      `${file}:${text.line}: not UTF-8 (byte 0x${hex} at offset ${text.offset}); a trace is JSON, which must be UTF-8`,
    );
  }
  return parseTrace(text, file);
}

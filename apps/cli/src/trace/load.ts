// Reading a trace file: a file that cannot be read is a usage error naming it; a trace that
// does not parse is the runtime's TraceError, whose message already reads `FILE:LINE: what`.

import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseTrace, type Trace } from "@mm/runtime";
import { UsageError } from "../errors.js";

/**
 * Reads and parses the mm-trace at `file` (relative to `cwd`).
 * @throws UsageError when the file cannot be read
 * @throws TraceError when it is not a valid mm-trace (names the line)
 */
export function loadTrace(file: string, cwd: string): Trace {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, file), "utf8");
  } catch (error) {
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
  return parseTrace(text, file);
}

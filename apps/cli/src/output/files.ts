// Writing the files mm makes (SVG pictures, generated traces), with a usage error that names
// the path when it cannot be written.

import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { UsageError } from "../errors.js";

/**
 * Writes `content` to `file` (relative to `cwd`); returns the absolute path.
 * @throws UsageError when the file cannot be written (no such directory, no permission)
 */
export function writeOutput(file: string, cwd: string, content: string): string {
  const path = resolve(cwd, file);
  try {
    writeFileSync(path, content);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT"
        ? "its directory does not exist"
        : code === "EACCES"
          ? "permission denied"
          : code === "EISDIR"
            ? "is a directory"
            : (error as Error).message;
    throw new UsageError(`cannot write ${file}: ${why}`);
  }
  return path;
}

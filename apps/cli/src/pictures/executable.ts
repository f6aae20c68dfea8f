// What an executable named on the command line brings to a process: its parsed ELF image and
// the file's identity as /proc/PID/maps shows it. (The figures of the runtime's own process,
// its heap, constants and frames, are @mm/views' `runtimeFootprint` and `stackFrames`.)

import { readFileSync, realpathSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { OutOfMemoryError } from "@mm/heap";
import { ElfFormatError, type ElfImage, Process, parseElf } from "@mm/layout";
import { UsageError } from "../errors.js";
import { regularFile } from "../trace/load.js";

/** The largest executable read: 256 MiB (a process's whole image must fit its memory). */
const MAX_EXECUTABLE_BYTES = 256 << 20;

/** An executable read from disk: its parsed image and the identity its mappings show. */
export interface Executable {
  /** The file's canonical path, as the kernel shows a mapped file. */
  readonly path: string;
  readonly elf: ElfImage;
  readonly deviceMajor: number;
  readonly deviceMinor: number;
  readonly inode: number;
}

/**
 * Reads an ELF executable and the identity the kernel shows for it.
 * @throws UsageError when the file cannot be read or is not an ELF64 x86-64 executable
 */
export function readExecutable(file: string, cwd: string): Executable {
  let path = resolve(cwd, file);
  let bytes: Uint8Array;
  let stat: ReturnType<typeof statSync>;
  try {
    // The kernel shows a mapped file by its canonical path.
    path = realpathSync(path);
    bytes = readFileSync(regularFile(file, path, MAX_EXECUTABLE_BYTES, "an executable"));
    stat = statSync(path);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      `${file}: ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory, not an executable" : (error as Error).message}`,
    );
  }
  const dev = Number(stat.dev);
  return {
    path,
    elf: elfOrUsageError(file, () => parseElf(bytes)),
    // Linux's encoding of a device number (new_decode_dev).
    deviceMajor: ((dev >>> 8) & 0xfff) | (Math.floor(dev / 2 ** 32) & ~0xfff),
    deviceMinor: (dev & 0xff) | ((dev >>> 12) & ~0xff & 0xfffff),
    inode: Number(stat.ino),
  };
}

/**
 * Loads `exe` as the kernel would, on its own.
 * @throws UsageError when its segments do not fit the address space
 */
export function loadExecutable(exe: Executable, file: string): Process {
  const { elf, ...identity } = exe;
  return elfOrUsageError(file, () => new Process(elf, identity));
}

/**
 * Runs `load`, turning an ElfFormatError (a file that is not a loadable executable) and an
 * OutOfMemoryError (segments whose p_memsz the memory cannot hold) into a usage error naming
 * `file`: both are the file's doing.
 */
export function elfOrUsageError<T>(file: string, load: () => T): T {
  try {
    return load();
  } catch (error) {
    if (error instanceof ElfFormatError) throw new UsageError(`${file}: ${error.message}`);
    if (error instanceof OutOfMemoryError)
      throw new UsageError(
        `${file}: cannot load ELF file: its segments do not fit the memory (${error.message})`,
      );
    throw error;
  }
}

// The process a runtime lives in (@mm/runtime's `process` option, modelled by @mm/layout), and
// what an executable named on the command line brings to one: its parsed ELF image and the
// file's identity as /proc/PID/maps shows it. The figures are read from the runtime's process
// and allocators as they are: arenas where pymalloc mapped them, the brk heap as far as the
// free store moved the break, the constants the run interned, the frames of unfinished calls.

import { readFileSync, realpathSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { ElfFormatError, type ElfImage, Process, parseElf, type StackFrame } from "@mm/layout";
import type { Runtime } from "@mm/runtime";
import { UsageError } from "../errors.js";

/** An executable read from disk: its parsed image and the identity its mappings show. */
export interface Executable {
  /** The file's canonical path, as the kernel shows a mapped file. */
  readonly path: string;
  readonly elf: ElfImage;
  readonly deviceMajor: number;
  readonly deviceMinor: number;
  readonly inode: number;
}

/** Where the runtime's heap sits in its process, and how much of it is in use. */
export interface RuntimeFootprint {
  /** pymalloc's arenas, each one anonymous mmap of `arenaBytes` below mmap_base. */
  readonly arenas: number;
  readonly arenaBytes: number;
  /** Where each arena starts, in the process's address space, in pymalloc's arena order. */
  readonly arenaAddresses: readonly number[];
  /** Bytes in pymalloc blocks handed out (with the debug hooks' padding, if any). */
  readonly pymallocBlockBytes: number;
  /**
   * Bytes the free store holds from the brk heap. Below the break there may be more: pages it
   * gave back below the top stay inside the heap (as holes) until the break comes down.
   */
  readonly brkBytes: number;
  /** The brk heap's extent: from its start up to the break. */
  readonly breakBytes: number;
  /** Bytes in free-store blocks handed out (with the debug hooks' padding, if any). */
  readonly freeStoreBlockBytes: number;
  /**
   * The modelled image's constants area in rodata, or null for an ELF image, whose rodata is
   * the file's own.
   */
  readonly constants: ConstantsArea | null;
}

/** The constants area of rodata, and what it holds. */
export interface ConstantsArea {
  readonly start: number;
  readonly capacity: number;
  /** Bytes taken. */
  readonly used: number;
  /**
   * The C strings it holds, read from the process's memory in the order they were interned:
   * the built-in types' names first, then the trace's names and string literals.
   */
  readonly strings: readonly string[];
  /**
   * How many of `strings`, from the first, name one of the runtime's types: the built-in type
   * names, which the runtime interns when it is made, before any trace's strings.
   */
  readonly typeNames: number;
}

/** A frame of an unfinished call, with what its local slots hold (objects' virtual addresses). */
export interface FrameView extends StackFrame {
  /**
   * The locals area's 8-byte slots, lowest first: one per declared local, holding its object's
   * virtual address or 0, then a padding slot when their count is odd (frames are 16-byte
   * aligned).
   */
  readonly slots: readonly number[];
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
    bytes = readFileSync(path);
    stat = statSync(path);
  } catch (error) {
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
 * Runs `load`, turning an ElfFormatError (a file that is not a loadable executable) into a
 * usage error naming `file`.
 */
export function elfOrUsageError<T>(file: string, load: () => T): T {
  try {
    return load();
  } catch (error) {
    if (error instanceof ElfFormatError) throw new UsageError(`${file}: ${error.message}`);
    throw error;
  }
}

/** The runtime's heap in its process, read from the allocators and the process. */
export function runtimeFootprint(rt: Runtime, process: Process): RuntimeFootprint {
  const pymalloc = rt.pymalloc;
  const arenas = pymalloc ? pymalloc.arenaStats() : [];
  const area = process.constantsArea;
  return {
    arenas: arenas.length,
    arenaBytes: pymalloc ? pymalloc.geometry.arenaSize : 0,
    arenaAddresses: arenas.map((arena) => process.virtualAddressOf(arena.address)),
    pymallocBlockBytes: pymalloc ? pymalloc.mallocStats().bytesInAllocatedBlocks : 0,
    brkBytes: process.brkPageSource.mappedBytes,
    breakBytes: process.programBreak - process.heapStart,
    freeStoreBlockBytes: process.freeStore.stats().liveBytes,
    constants: area ? constantsArea(rt, process, area) : null,
  };
}

/** The constants area's strings, read from rodata, and how many of them name a type. */
function constantsArea(
  rt: Runtime,
  process: Process,
  area: { start: number; capacity: number; used: number },
): ConstantsArea {
  const strings = cStrings(process.readBytes(area.start, area.used));
  const types = new Set(rt.space.types.all().map((type) => type.name));
  let typeNames = 0;
  while (typeNames < strings.length && types.has(strings[typeNames]!)) typeNames++;
  return { ...area, strings, typeNames };
}

/** NUL-terminated UTF-8 strings, back to back (the runtime interns nothing else). */
function cStrings(bytes: Uint8Array): string[] {
  const text = new TextDecoder().decode(bytes);
  return text.length === 0 ? [] : text.slice(0, -1).split("\0");
}

/** The frames on the process's stack, outermost first, with their local slots read. */
export function stackFrames(process: Process): FrameView[] {
  return process.frames().map((frame) => ({
    ...frame,
    slots: Array.from({ length: frame.localsBytes / 8 }, (_, i) =>
      process.readU64Number(frame.localsAddress + i * 8),
    ),
  }));
}

// A runtime's heap placed in a model of its process (@mm/layout), as CPython's would sit in
// one: each pymalloc arena an anonymous 1 MiB mmap below mmap_base, the free store's regions on
// the brk heap, the interned names and keys in rodata. The runtime keeps its heap in a Memory
// of its own (it does not live in a Process yet), so the CLI rebuilds the process from the
// runtime's figures: the sizes and counts are the runtime's, the addresses are the ones Linux
// would give them.

import { readFileSync, realpathSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { ElfFormatError, PROT_READ, PROT_WRITE, Process } from "@mm/layout";
import type { Runtime, Trace } from "@mm/runtime";
import { UsageError } from "../errors.js";
import { keyConstants } from "../trace/shape.js";

/** The name CPython 3.12+ gives its arenas' mappings (`[anon:cpython:pymalloc]`). */
export const ARENA_MAPPING_NAME = "cpython:pymalloc";

/** What of the runtime went into the process. */
export interface RuntimeFootprint {
  /** pymalloc arenas, each one mmap of `arenaBytes`. */
  readonly arenas: number;
  readonly arenaBytes: number;
  /** The free store's mapped bytes, moved onto the brk heap. */
  readonly freeStoreBytes: number;
  /** Bytes in pymalloc blocks handed out (with the debug hooks' padding, if any). */
  readonly pymallocBlockBytes: number;
  /** Bytes in free-store blocks handed out. */
  readonly freeStoreBlockBytes: number;
  /** Names and keys interned in rodata. */
  readonly interned: number;
}

/**
 * Reads an ELF executable and loads it as the kernel would, the file's device and inode shown
 * as `/proc/PID/maps` shows them.
 * @throws UsageError when the file cannot be read or is not a loadable ELF64 x86-64 executable
 */
export function processFromElf(file: string, cwd: string, pid: number): Process {
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
  try {
    return Process.fromElf(bytes, {
      pid,
      path,
      // Linux's encoding of a device number (new_decode_dev).
      deviceMajor: ((dev >>> 8) & 0xfff) | (Math.floor(dev / 2 ** 32) & ~0xfff),
      deviceMinor: (dev & 0xff) | ((dev >>> 12) & ~0xff & 0xfffff),
      inode: Number(stat.ino),
    });
  } catch (error) {
    if (error instanceof ElfFormatError) throw new UsageError(`${file}: ${error.message}`);
    throw error;
  }
}

/**
 * The names (variables, attributes) and str keys a trace's code uses: what an interpreter
 * interns, and what this model puts in rodata.
 */
export function internedNames(trace: Trace): string[] {
  const names = new Set<string>(keyConstants(trace));
  const walk = (ops: Trace["ops"]) => {
    for (const op of ops) {
      if ("var" in op && op.var !== undefined) names.add(op.var);
      if ("obj" in op) names.add(op.obj);
      if ("target" in op && typeof op.target === "object" && "attr" in op.target)
        names.add(op.target.attr);
      if (op.op === "call" || op.op === "repeat") walk(op.ops);
    }
  };
  walk(trace.ops);
  return [...names].sort();
}

/** The path a modelled runtime process's image shows in its maps. */
export const RUNTIME_IMAGE_PATH = "mm-runtime";

/**
 * A process for `rt` after running `trace`: `elf` loaded as its image if given, else a program
 * image whose rodata holds the trace's interned names and keys. The runtime's heap is then
 * placed in it (arenas and free-store regions in their final number, not in the order the run
 * mapped them) and the process started.
 */
export function runtimeProcess(
  rt: Runtime,
  trace: Trace,
  elf: Process | undefined,
): { process: Process; footprint: RuntimeFootprint } {
  const names = elf ? [] : internedNames(trace);
  const process = elf ?? new Process({ constants: names }, { path: RUNTIME_IMAGE_PATH });
  process.start();
  const pymalloc = rt.pymalloc;
  const arenas = pymalloc ? pymalloc.arenaStats().length : 0;
  const arenaBytes = pymalloc ? pymalloc.geometry.arenaSize : 0;
  for (let a = 0; a < arenas; a++) {
    process.mmap(arenaBytes, PROT_READ | PROT_WRITE, { name: ARENA_MAPPING_NAME });
  }
  const freeStoreBytes = rt.stats().heapBytes - arenas * arenaBytes;
  if (freeStoreBytes > 0) process.sbrk(freeStoreBytes);
  return {
    process,
    footprint: {
      arenas,
      arenaBytes,
      freeStoreBytes,
      pymallocBlockBytes: pymalloc ? pymalloc.mallocStats().bytesInAllocatedBlocks : 0,
      freeStoreBlockBytes: rt.raw.stats().liveBytes,
      interned: names.length,
    },
  };
}

// The process a runtime lives in (@mm/runtime's `process` option, modelled by @mm/layout), as
// figures: where the runtime's heap sits and how much of it is in use, the constants it
// interned, and the frames of unfinished calls with what their local slots hold.

import type { Process, StackFrame } from "@mm/layout";
import type { Runtime } from "@mm/runtime";

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

// What the views show, computed from the VMA table: the maps entries (VMAs merged as the
// kernel shows them) and the summary rows.

import { type MapsEntry, type SegmentSummary, STACK_GUARD_GAP } from "../api.js";
import { permsString, vhex } from "../errors.js";
import { formatBytes } from "../views.js";
import type { ConstantPool } from "./constant-pool.js";
import type { LoadedSegment } from "./loader.js";
import { type MappedFile, Owner, pageUp, type VirtualMemory } from "./vm.js";

/** The VMAs as `/proc/PID/maps` lists them: neighbours the kernel would merge are one line. */
export function mapsEntries(vm: VirtualMemory): MapsEntry[] {
  const entries: MapsEntry[] = [];
  let lastFile: MappedFile | undefined;
  for (const vma of vm.vmas) {
    const path = vma.file
      ? vma.file.path
      : vma.kind === "heap"
        ? "[heap]"
        : vma.kind === "stack"
          ? "[stack]"
          : vma.anonName !== undefined
            ? `[anon:${vma.anonName}]`
            : "";
    const perms = `${permsString(vma.prot)}p`;
    const offset = vma.file ? vma.fileOffset : 0;
    const previous = entries[entries.length - 1];
    if (
      previous &&
      previous.end === vma.start &&
      previous.perms === perms &&
      previous.path === path &&
      lastFile === vma.file &&
      (!vma.file || previous.offset + (previous.end - previous.start) === offset)
    ) {
      entries[entries.length - 1] = { ...previous, end: vma.end };
      continue;
    }
    entries.push({
      start: vma.start,
      end: vma.end,
      perms,
      offset,
      deviceMajor: vma.file?.deviceMajor ?? 0,
      deviceMinor: vma.file?.deviceMinor ?? 0,
      inode: vma.file?.inode ?? 0,
      path,
    });
    lastFile = vma.file;
  }
  return entries;
}

/** What the summary needs besides the VMA table. */
export interface SegmentFacts {
  readonly loaded: readonly LoadedSegment[];
  readonly constants: ConstantPool | undefined;
  /** The free store's live bytes. */
  readonly liveHeapBytes: number;
  /** Bytes the mmap page source has mapped. */
  readonly mmapSourceBytes: number;
  readonly rsp: number;
  readonly depth: number;
}

/** One row per segment, lowest first. */
export function segmentRows(vm: VirtualMemory, facts: SegmentFacts): SegmentSummary[] {
  const permsIn = (start: number, end: number) =>
    [...new Set(vm.within(start, end).map((vma) => permsString(vma.prot)))].join(",") || "---";
  const constants = facts.constants;
  const rows: SegmentSummary[] = facts.loaded.map((segment) => {
    const isConstants = constants !== undefined && segment.start === constants.start;
    return {
      name: segment.name,
      start: segment.start,
      end: segment.end,
      size: segment.end - segment.start,
      used: isConstants ? constants.used : segment.used,
      perms: permsIn(segment.start, segment.end),
      note: isConstants ? `constants area, ${constants.count} interned` : "",
    };
  });
  const heapEnd = pageUp(vm.brk);
  let sourceBytes = 0;
  for (const vma of vm.vmas) {
    if (vma.owner === Owner.BrkSource) sourceBytes += vma.end - vma.start;
  }
  rows.push({
    name: "heap",
    start: vm.startBrk,
    end: heapEnd,
    size: heapEnd - vm.startBrk,
    // What malloc handed out, plus what the program took with sbrk itself.
    used: facts.liveHeapBytes + Math.max(0, vm.brk - vm.startBrk - sourceBytes),
    perms: heapEnd > vm.startBrk ? permsIn(vm.startBrk, heapEnd) : "rw-",
    note: `brk ${vhex(vm.brk)}`,
  });
  const mmaps = vm.vmas.filter((vma) => vma.kind === "mmap");
  const mapped = mmaps.reduce((sum, vma) => sum + (vma.end - vma.start), 0);
  rows.push({
    name: "mmap",
    start: mmaps.length > 0 ? mmaps[0]!.start : vm.mmapBase,
    end: vm.mmapBase,
    size: mapped,
    used: mapped,
    perms: [...new Set(mmaps.map((vma) => permsString(vma.prot)))].join(",") || "rw-",
    note: `${formatBytes(facts.mmapSourceBytes)} via the page source, ${formatBytes(mapped - facts.mmapSourceBytes)} by mmap; mmap_base ${vhex(vm.mmapBase)}`,
  });
  rows.push({
    name: "stack guard gap",
    start: vm.stackLimit - STACK_GUARD_GAP,
    end: vm.stackLimit,
    size: STACK_GUARD_GAP,
    used: 0,
    perms: "---",
    note: "a push that reaches it is a stack overflow",
  });
  rows.push({
    name: "stack",
    start: vm.stackStart,
    end: vm.stackTop,
    size: vm.stackTop - vm.stackStart,
    used: vm.stackTop - facts.rsp,
    perms: permsIn(vm.stackStart, vm.stackTop),
    note: `limit ${formatBytes(vm.stackBytes)}, ${facts.depth} frame${facts.depth === 1 ? "" : "s"}, rsp ${vhex(facts.rsp)}`,
  });
  return rows;
}

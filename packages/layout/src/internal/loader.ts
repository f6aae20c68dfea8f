// The loader: turns a program image or an ELF file into load segments and maps them with the
// kernel's rules (binfmt_elf's elf_load): a file-backed VMA over the pages that hold file
// bytes, the rest of the last such page zeroed (padzero), and an anonymous VMA for the bss
// pages beyond it. Both kinds of image go through the same code.

import { invalidArgument, OutOfMemoryError } from "@mm/heap";
import {
  ELF_ET_DYN_BASE,
  MMAP_MIN_ADDR,
  NON_PIE_TEXT_START,
  PAGE_SIZE,
  PROT_EXEC,
  PROT_READ,
  PROT_WRITE,
  type SegmentKind,
} from "../api.js";
import type { ElfImage } from "../elf.js";
import { ElfFormatError, vhex } from "../errors.js";
import { type MappedFile, Owner, pageDown, pageUp, type VirtualMemory } from "./vm.js";

/** One segment to map, at its final (biased) address. */
export interface LoadSegment {
  readonly vaddr: number;
  readonly memsz: number;
  readonly filesz: number;
  /** The file offset of `vaddr`. */
  readonly fileOffset: number;
  readonly prot: number;
  /** The file's bytes from `pageDown(fileOffset)` on (at most what the pages hold). */
  readonly content: Uint8Array;
}

/** What the process remembers of a loaded segment, for its summary. */
export interface LoadedSegment {
  readonly name: SegmentKind;
  readonly start: number;
  readonly end: number;
  /** Bytes the image defines: the file bytes, or the bss size. */
  readonly used: number;
}

export function kindOf(prot: number): SegmentKind {
  if (prot & PROT_EXEC) return "text";
  if (prot & PROT_WRITE) return "data";
  return "rodata";
}

/**
 * Maps the segments in order, each replacing whatever an earlier one mapped on a shared page
 * (as MAP_FIXED does), then sets `start_brk` and `brk` to the page after the highest byte.
 */
export function mapSegments(
  vm: VirtualMemory,
  segments: readonly LoadSegment[],
  file: MappedFile,
): LoadedSegment[] {
  const loaded: LoadedSegment[] = [];
  let highest = 0;
  for (const segment of segments) {
    if (segment.memsz === 0) continue;
    const kind = kindOf(segment.prot);
    const start = pageDown(segment.vaddr);
    const fileEnd = pageUp(segment.vaddr + segment.filesz);
    const memEnd = pageUp(segment.vaddr + segment.memsz);
    let bssStart = start;
    if (segment.filesz > 0) {
      mapReplacing(vm, start, fileEnd, segment.prot, kind, file, pageDown(segment.fileOffset));
      vm.kernelWrite(start, segment.content.subarray(0, fileEnd - start));
      if (segment.memsz > segment.filesz) {
        const zeroFrom = segment.vaddr + segment.filesz;
        vm.kernelWrite(zeroFrom, new Uint8Array(fileEnd - zeroFrom));
        vm.bssRanges.push({ start: zeroFrom, end: segment.vaddr + segment.memsz });
      }
      loaded.push({ name: kind, start, end: fileEnd, used: segment.filesz });
      bssStart = fileEnd;
    }
    if (memEnd > bssStart) {
      // vm_brk_flags: the bss is always readable and writable, executable if the segment is.
      const prot = PROT_READ | PROT_WRITE | (segment.prot & PROT_EXEC);
      mapReplacing(vm, bssStart, memEnd, prot, "bss", undefined, 0);
    }
    if (segment.memsz > segment.filesz) {
      // The bss starts right after the file bytes, inside the data's last page when it shares it.
      loaded.push({
        name: "bss",
        start: segment.vaddr + segment.filesz,
        end: memEnd,
        used: segment.memsz - segment.filesz,
      });
    }
    highest = Math.max(highest, segment.vaddr + segment.memsz);
  }
  vm.startBrk = pageUp(highest);
  vm.brk = vm.startBrk;
  vm.rebuild();
  return loaded;
}

function mapReplacing(
  vm: VirtualMemory,
  start: number,
  end: number,
  prot: number,
  kind: SegmentKind,
  file: MappedFile | undefined,
  fileOffset: number,
): void {
  vm.removeRange(start, end);
  if (!vm.mapFixed(start, end, prot, kind, Owner.Image, file, fileOffset)) {
    throw new OutOfMemoryError(end - start, "the Memory has no frames left for the image");
  }
  vm.rebuild();
}

/** The program image's segments: text at 0x400000, then rodata, data and bss, page by page. */
export function imageSegments(
  code: Uint8Array,
  data: Uint8Array,
  bssBytes: number,
  constantsBytes: number,
): { segments: LoadSegment[]; rodataStart: number; dataStart: number } {
  const text = NON_PIE_TEXT_START;
  const rodataStart = pageUp(text + code.length);
  const dataStart = rodataStart + constantsBytes;
  const segments: LoadSegment[] = [
    {
      vaddr: text,
      memsz: code.length,
      filesz: code.length,
      fileOffset: 0,
      prot: PROT_READ | PROT_EXEC,
      content: code,
    },
    {
      vaddr: rodataStart,
      memsz: constantsBytes,
      filesz: constantsBytes,
      fileOffset: rodataStart - text,
      prot: PROT_READ,
      content: new Uint8Array(0),
    },
  ];
  if (data.length + bssBytes > 0) {
    segments.push({
      vaddr: dataStart,
      memsz: data.length + bssBytes,
      filesz: data.length,
      fileOffset: dataStart - text,
      prot: PROT_READ | PROT_WRITE,
      content: data,
    });
  }
  return { segments, rodataStart, dataStart };
}

/**
 * The load bias of an ELF file and its segments at their final addresses. ET_EXEC keeps its
 * own addresses; ET_DYN is placed as the kernel does: `ELF_PAGESTART(base - first p_vaddr)`,
 * aligned down to the largest `p_align`.
 */
export function elfSegments(
  elf: ElfImage,
  loadBase: number | undefined,
  highestAllowed: number,
): { bias: number; segments: LoadSegment[] } {
  let bias = 0;
  if (elf.type === "dyn") {
    const base = loadBase ?? ELF_ET_DYN_BASE;
    if (!Number.isSafeInteger(base) || base < 0) {
      invalidArgument(`loadBase must be a non-negative safe integer, got ${String(base)}`);
    }
    bias = pageDown(base - pageDown(elf.loads[0]!.vaddr));
    const maxAlign = Math.max(...elf.loads.map((ph) => ph.align));
    if (maxAlign > PAGE_SIZE) bias = Math.floor(bias / maxAlign) * maxAlign;
  }
  const first = pageDown(elf.loads[0]!.vaddr + bias);
  const last = elf.loads[elf.loads.length - 1]!;
  const end = pageUp(last.vaddr + last.memsz + bias);
  if (first < MMAP_MIN_ADDR || end > highestAllowed) {
    throw new ElfFormatError(
      "inconsistent",
      `the segments span [${vhex(first)}, ${vhex(end)}), outside [${vhex(MMAP_MIN_ADDR)}, ${vhex(highestAllowed)}) where an executable may be mapped`,
    );
  }
  const segments = elf.loads.map((ph) => {
    const fileStart = pageDown(ph.offset);
    const pages = pageUp(ph.vaddr + ph.filesz) - pageDown(ph.vaddr);
    return {
      vaddr: ph.vaddr + bias,
      memsz: ph.memsz,
      filesz: ph.filesz,
      fileOffset: ph.offset,
      prot:
        (ph.flags & 4 ? PROT_READ : 0) |
        (ph.flags & 2 ? PROT_WRITE : 0) |
        (ph.flags & 1 ? PROT_EXEC : 0),
      content: elf.bytes.subarray(fileStart, Math.min(elf.bytes.length, fileStart + pages)),
    };
  });
  return { bias, segments };
}

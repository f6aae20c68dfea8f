// The ELF64 reader: the file header and the program headers of a little-endian x86-64
// executable, checked the way the kernel's binfmt_elf checks them before it maps anything.

import { invalidArgument } from "@mm/heap";
import { PAGE_SIZE } from "./api.js";
import { ElfFormatError } from "./errors.js";

/** Program header types the loader reads. */
export const ProgramHeaderType = {
  /** A segment to map. */
  LOAD: 1,
  /** The path of the dynamic loader. */
  INTERP: 3,
  /** Whether the stack is executable (its flags). */
  GNU_STACK: 0x6474_e551,
  /** The range the dynamic loader makes read-only after relocation. */
  GNU_RELRO: 0x6474_e552,
} as const;

/** Segment permission flags of a program header (`p_flags`). */
export const SegmentFlags = {
  /** Executable. */
  X: 1,
  /** Writable. */
  W: 2,
  /** Readable. */
  R: 4,
} as const;

/** One program header (`Elf64_Phdr`). */
export interface ElfProgramHeader {
  /** `p_type`, e.g. {@link ProgramHeaderType}.LOAD. */
  readonly type: number;
  /** `p_flags`: {@link SegmentFlags} R, W and X. */
  readonly flags: number;
  /** `p_offset`: where the segment's bytes start in the file. */
  readonly offset: number;
  /** `p_vaddr`: where they go in memory, before the load bias. */
  readonly vaddr: number;
  /** `p_paddr`, unused on x86-64. */
  readonly paddr: number;
  /** `p_filesz`: bytes taken from the file. */
  readonly filesz: number;
  /** `p_memsz`: bytes in memory; those past `filesz` are zero (the bss). */
  readonly memsz: number;
  /** `p_align`. */
  readonly align: number;
}

/** A parsed ELF64 executable: its bytes and what the loader needs from its headers. */
export interface ElfImage {
  /** The whole file. */
  readonly bytes: Uint8Array;
  /** `exec` for ET_EXEC (fixed addresses), `dyn` for ET_DYN (position-independent). */
  readonly type: "exec" | "dyn";
  /** `e_entry`, before the load bias is added. */
  readonly entry: number;
  /** Every program header, in file order. */
  readonly programHeaders: readonly ElfProgramHeader[];
  /** The `PT_LOAD` headers, in file (and address) order. */
  readonly loads: readonly ElfProgramHeader[];
  /** The `PT_INTERP` path, if any. */
  readonly interpreter: string | undefined;
  /** The `PT_GNU_RELRO` header, if any. */
  readonly relro: ElfProgramHeader | undefined;
  /** Whether `PT_GNU_STACK` asks for an executable stack. */
  readonly executableStack: boolean;
}

const EHDR_SIZE = 64;
const PHDR_SIZE = 56;
const EM_X86_64 = 62;
const PN_XNUM = 0xffff;
const MAGIC = [0x7f, 0x45, 0x4c, 0x46];

function u64(view: DataView, at: number, what: string): number {
  const value = view.getBigUint64(at, true);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new ElfFormatError("inconsistent", `${what} 0x${value.toString(16)} is out of range`);
  }
  return Number(value);
}

/**
 * Reads an ELF64 little-endian x86-64 executable's headers.
 * @throws ElfFormatError with reason `not-elf`, `truncated`, `32-bit`, `big-endian`,
 *   `unsupported` (not an executable, not x86-64) or `inconsistent` (program headers that do
 *   not describe a loadable image).
 */
export function parseElf(bytes: Uint8Array): ElfImage {
  if (!(bytes instanceof Uint8Array)) invalidArgument("parseElf expects a Uint8Array");
  const prefix = Math.min(bytes.length, 4);
  for (let i = 0; i < prefix; i++) {
    if (bytes[i] !== MAGIC[i]) {
      throw new ElfFormatError("not-elf", "the file does not start with the ELF magic 7f 45 4c 46");
    }
  }
  if (bytes.length === 0) throw new ElfFormatError("not-elf", "the file is empty");
  if (bytes.length < 6) {
    throw new ElfFormatError("truncated", `only ${bytes.length} bytes, the ELF header needs 64`);
  }
  if (bytes[4] === 1) {
    throw new ElfFormatError("32-bit", "ELFCLASS32: a 32-bit file; only ELF64 is loaded");
  }
  if (bytes[4] !== 2) throw new ElfFormatError("unsupported", `unknown ELF class ${bytes[4]}`);
  if (bytes[5] === 2) {
    throw new ElfFormatError(
      "big-endian",
      "ELFDATA2MSB: a big-endian file; x86-64 is little-endian",
    );
  }
  if (bytes[5] !== 1) throw new ElfFormatError("unsupported", `unknown data encoding ${bytes[5]}`);
  if (bytes.length < EHDR_SIZE) {
    throw new ElfFormatError("truncated", `only ${bytes.length} bytes, the ELF header needs 64`);
  }
  if (bytes[6] !== 1) throw new ElfFormatError("unsupported", `unknown ELF version ${bytes[6]}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const eType = view.getUint16(16, true);
  if (eType !== 2 && eType !== 3) {
    const what =
      eType === 1
        ? "ET_REL, a relocatable object"
        : eType === 4
          ? "ET_CORE, a core dump"
          : `type ${eType}`;
    throw new ElfFormatError("unsupported", `${what}: not an executable`);
  }
  const machine = view.getUint16(18, true);
  if (machine !== EM_X86_64) {
    throw new ElfFormatError("unsupported", `machine ${machine} is not x86-64 (62)`);
  }
  const entry = u64(view, 24, "e_entry");
  const phoff = u64(view, 32, "e_phoff");
  const phentsize = view.getUint16(54, true);
  const phnum = view.getUint16(56, true);
  if (phnum === PN_XNUM) {
    throw new ElfFormatError("unsupported", "more than 65534 program headers (PN_XNUM)");
  }
  if (phnum === 0) throw new ElfFormatError("inconsistent", "the file has no program headers");
  if (phentsize !== PHDR_SIZE) {
    throw new ElfFormatError("inconsistent", `e_phentsize is ${phentsize}, not ${PHDR_SIZE}`);
  }
  if (phoff + phnum * PHDR_SIZE > bytes.length) {
    throw new ElfFormatError(
      "truncated",
      `the ${phnum} program headers at offset ${phoff} run past the end of the ${bytes.length}-byte file`,
    );
  }
  const programHeaders: ElfProgramHeader[] = [];
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * PHDR_SIZE;
    const what = (field: string) => `program header ${i} ${field}`;
    programHeaders.push({
      type: view.getUint32(at, true),
      flags: view.getUint32(at + 4, true),
      offset: u64(view, at + 8, what("p_offset")),
      vaddr: u64(view, at + 16, what("p_vaddr")),
      paddr: u64(view, at + 24, what("p_paddr")),
      filesz: u64(view, at + 32, what("p_filesz")),
      memsz: u64(view, at + 40, what("p_memsz")),
      align: u64(view, at + 48, what("p_align")),
    });
  }
  const loads = programHeaders.filter((ph) => ph.type === ProgramHeaderType.LOAD);
  if (loads.length === 0) throw new ElfFormatError("inconsistent", "no PT_LOAD segment");
  loads.forEach((ph, i) => {
    const name = `PT_LOAD ${i}`;
    if (ph.filesz > ph.memsz) {
      throw new ElfFormatError(
        "inconsistent",
        `${name}: p_filesz ${ph.filesz} is larger than p_memsz ${ph.memsz}`,
      );
    }
    if (ph.offset + ph.filesz > bytes.length) {
      throw new ElfFormatError(
        "truncated",
        `${name}: bytes [${ph.offset}, ${ph.offset + ph.filesz}) run past the end of the ${bytes.length}-byte file`,
      );
    }
    if (ph.align > 1 && !Number.isInteger(Math.log2(ph.align))) {
      throw new ElfFormatError(
        "inconsistent",
        `${name}: p_align ${ph.align} is not a power of two`,
      );
    }
    if ((ph.vaddr - ph.offset) % PAGE_SIZE !== 0) {
      throw new ElfFormatError(
        "inconsistent",
        `${name}: p_vaddr 0x${ph.vaddr.toString(16)} and p_offset 0x${ph.offset.toString(16)} differ within a page, so it cannot be mapped`,
      );
    }
    const prev = loads[i - 1];
    if (prev && prev.vaddr + prev.memsz > ph.vaddr) {
      throw new ElfFormatError(
        "inconsistent",
        `${name} at 0x${ph.vaddr.toString(16)} overlaps or precedes PT_LOAD ${i - 1}, which ends at 0x${(prev.vaddr + prev.memsz).toString(16)}`,
      );
    }
  });
  let interpreter: string | undefined;
  const interp = programHeaders.find((ph) => ph.type === ProgramHeaderType.INTERP);
  if (interp) {
    if (interp.offset + interp.filesz > bytes.length) {
      throw new ElfFormatError("truncated", "PT_INTERP runs past the end of the file");
    }
    const raw = bytes.subarray(interp.offset, interp.offset + interp.filesz);
    const nul = raw.indexOf(0);
    interpreter = new TextDecoder().decode(nul >= 0 ? raw.subarray(0, nul) : raw);
  }
  const stack = programHeaders.find((ph) => ph.type === ProgramHeaderType.GNU_STACK);
  return {
    bytes,
    type: eType === 2 ? "exec" : "dyn",
    entry,
    programHeaders,
    loads,
    interpreter,
    relro: programHeaders.find((ph) => ph.type === ProgramHeaderType.GNU_RELRO),
    executableStack: stack !== undefined && (stack.flags & SegmentFlags.X) !== 0,
  };
}

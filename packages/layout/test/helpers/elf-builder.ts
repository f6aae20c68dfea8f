// Builds small ELF64 files for tests: a header, program headers, and file bytes that follow a
// known pattern so that what the loader maps can be checked byte by byte.

export interface SegmentSpec {
  readonly type?: number;
  /** PF_R = 4, PF_W = 2, PF_X = 1. */
  readonly flags: number;
  readonly offset: number;
  readonly vaddr: number;
  readonly filesz: number;
  readonly memsz: number;
  readonly align?: number;
}

export interface ElfSpec {
  /** 2 = ET_EXEC, 3 = ET_DYN. */
  readonly type?: number;
  readonly machine?: number;
  readonly entry?: number;
  readonly segments: readonly SegmentSpec[];
  /** The file's length; at least the end of every segment's file bytes. */
  readonly fileBytes?: number;
}

/** The byte the builder puts at file offset `at`. */
export function patternByte(at: number): number {
  return (at * 131 + 7) & 0xff;
}

export function buildElf(spec: ElfSpec): Uint8Array {
  const phoff = 64;
  const headersEnd = phoff + 56 * spec.segments.length;
  const needed = Math.max(headersEnd, ...spec.segments.map((s) => s.offset + s.filesz));
  const bytes = new Uint8Array(Math.max(needed, spec.fileBytes ?? 0));
  for (let i = headersEnd; i < bytes.length; i++) bytes[i] = patternByte(i);
  const view = new DataView(bytes.buffer);
  bytes.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1], 0);
  view.setUint16(16, spec.type ?? 2, true);
  view.setUint16(18, spec.machine ?? 62, true);
  view.setUint32(20, 1, true);
  view.setBigUint64(24, BigInt(spec.entry ?? spec.segments[0]?.vaddr ?? 0), true);
  view.setBigUint64(32, BigInt(phoff), true);
  view.setUint16(52, 64, true);
  view.setUint16(54, 56, true);
  view.setUint16(56, spec.segments.length, true);
  spec.segments.forEach((s, i) => {
    const at = phoff + 56 * i;
    view.setUint32(at, s.type ?? 1, true);
    view.setUint32(at + 4, s.flags, true);
    view.setBigUint64(at + 8, BigInt(s.offset), true);
    view.setBigUint64(at + 16, BigInt(s.vaddr), true);
    view.setBigUint64(at + 24, BigInt(s.vaddr), true);
    view.setBigUint64(at + 32, BigInt(s.filesz), true);
    view.setBigUint64(at + 40, BigInt(s.memsz), true);
    view.setBigUint64(at + 48, BigInt(s.align ?? 0x1000), true);
  });
  return bytes;
}

/** A non-PIE layout like `ld -z separate-code` makes: r--, r-x, r--, rw- with a bss tail. */
export function typicalExec(): ElfSpec {
  return {
    type: 2,
    entry: 0x401000,
    segments: [
      { flags: 4, offset: 0, vaddr: 0x400000, filesz: 0x5a0, memsz: 0x5a0 },
      { flags: 5, offset: 0x1000, vaddr: 0x401000, filesz: 0x1bd, memsz: 0x1bd },
      { flags: 4, offset: 0x2000, vaddr: 0x402000, filesz: 0xec, memsz: 0xec },
      { flags: 6, offset: 0x2df8, vaddr: 0x403df8, filesz: 0x230, memsz: 0x18908 },
      { type: 0x6474e551, flags: 6, offset: 0, vaddr: 0, filesz: 0, memsz: 0, align: 16 },
      {
        type: 0x6474e552,
        flags: 4,
        offset: 0x2df8,
        vaddr: 0x403df8,
        filesz: 0x208,
        memsz: 0x208,
        align: 1,
      },
    ],
  };
}

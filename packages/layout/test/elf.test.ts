import { MAX_MEMORY_BYTES, Memory, OutOfMemoryError } from "@mm/heap";
import { fcRuns } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ELF_ET_DYN_BASE,
  ElfFormatError,
  LayoutErrorCode,
  PAGE_SIZE,
  Process,
  parseElf,
  SegmentationFault,
} from "../src/index.js";
import { buildElf, patternByte, typicalExec } from "./helpers/elf-builder.js";

function elfError(bytes: Uint8Array): ElfFormatError {
  try {
    parseElf(bytes);
  } catch (error) {
    if (error instanceof ElfFormatError) return error;
    throw error;
  }
  throw new Error("expected an ElfFormatError");
}

describe("parseElf", () => {
  it("reads the header and program headers of an ELF64 executable", () => {
    const elf = parseElf(buildElf(typicalExec()));
    expect(elf.type).toBe("exec");
    expect(elf.entry).toBe(0x401000);
    expect(elf.loads.map((ph) => [ph.vaddr, ph.flags])).toEqual([
      [0x400000, 4],
      [0x401000, 5],
      [0x402000, 4],
      [0x403df8, 6],
    ]);
    expect(elf.relro).toMatchObject({ vaddr: 0x403df8, memsz: 0x208 });
    expect(elf.executableStack).toBe(false);
  });

  it("refuses a file that is not ELF", () => {
    expect(elfError(new TextEncoder().encode("#!/bin/sh\necho hi\n")).reason).toBe("not-elf");
    expect(elfError(new Uint8Array(0)).reason).toBe("not-elf");
    expect(elfError(new Uint8Array(0)).code).toBe(LayoutErrorCode.InvalidElf);
  });

  it("refuses a truncated file: header, program headers or segment bytes cut short", () => {
    const whole = buildElf(typicalExec());
    expect(elfError(whole.subarray(0, 3)).reason).toBe("truncated");
    expect(elfError(whole.subarray(0, 40)).reason).toBe("truncated");
    expect(elfError(whole.subarray(0, 100)).message).toMatch(/program headers .* run past the end/);
    expect(elfError(whole.subarray(0, 0x2100)).message).toMatch(
      /PT_LOAD 3: bytes .* run past the end/,
    );
  });

  it("refuses 32-bit and big-endian files, other machines and non-executables", () => {
    const bytes = buildElf(typicalExec());
    const with_ = (at: number, value: number) => {
      const copy = bytes.slice();
      copy[at] = value;
      return copy;
    };
    expect(elfError(with_(4, 1)).reason).toBe("32-bit");
    expect(elfError(with_(5, 2)).reason).toBe("big-endian");
    expect(elfError(with_(18, 183)).message).toMatch(/machine 183 is not x86-64/);
    expect(elfError(with_(16, 1)).message).toMatch(/ET_REL/);
  });

  it("refuses inconsistent program headers", () => {
    const spec = typicalExec();
    const change = (i: number, patch: object) =>
      buildElf({
        ...spec,
        segments: spec.segments.map((s, j) => (j === i ? { ...s, ...patch } : s)),
      });
    expect(elfError(change(3, { memsz: 0x100 })).message).toMatch(
      /p_filesz .* larger than p_memsz/,
    );
    expect(elfError(change(1, { vaddr: 0x401010 })).message).toMatch(/differ within a page/);
    expect(elfError(change(2, { vaddr: 0x400000 })).message).toMatch(/overlaps or precedes/);
    expect(elfError(change(1, { align: 3000 })).message).toMatch(/not a power of two/);
    expect(elfError(buildElf({ segments: [] })).message).toMatch(/no program headers/);
    expect(
      elfError(
        buildElf({ segments: [{ type: 4, flags: 4, offset: 0, vaddr: 0, filesz: 0, memsz: 0 }] }),
      ).message,
    ).toMatch(/no PT_LOAD/);
  });

  it("property: any truncation or corruption of a valid file loads, fails with ElfFormatError, or (well-formed but too big) with OutOfMemoryError", () => {
    const valid = buildElf(typicalExec());
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: valid.length }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 0x1ff }), fc.integer({ min: 0, max: 255 })), {
          maxLength: 6,
        }),
        (length, flips) => {
          const bytes = valid.slice(0, length);
          for (const [at, value] of flips) if (at < bytes.length) bytes[at] = value;
          const maximumBytes = 8 << 20;
          try {
            const p = Process.fromElf(bytes, {
              memory: new Memory({ maximumBytes }),
              stackBytes: 16384,
            });
            p.verify();
          } catch (error) {
            if (error instanceof OutOfMemoryError) {
              // A corrupted size can ask for more pages than the Memory has. Then the file
              // parses, its segments need more than half the Memory, and (when any Memory can
              // hold them) it loads into one with room for them.
              const loads = parseElf(bytes).loads;
              const needed = loads.reduce((sum, h) => sum + h.memsz + 2 * PAGE_SIZE, 0);
              expect(needed).toBeGreaterThan(maximumBytes / 2);
              const roomy = needed + maximumBytes;
              if (roomy <= MAX_MEMORY_BYTES) {
                const memory = new Memory({ maximumBytes: roomy });
                Process.fromElf(bytes, { memory, stackBytes: 16384 }).verify();
              }
            } else {
              expect(error).toBeInstanceOf(ElfFormatError);
            }
          }
        },
      ),
      { numRuns: fcRuns(500) },
    );
  });
});

describe("loading an ELF file", () => {
  it("maps a non-PIE executable as the kernel and ld.so do (the layout of a real gcc -no-pie binary)", () => {
    const p = Process.fromElf(buildElf(typicalExec()), { path: "/usr/local/bin/m" });
    expect(p.maps()).toBe(
      [
        "00400000-00401000 r--p 00000000 00:00 0                                  /usr/local/bin/m",
        "00401000-00402000 r-xp 00001000 00:00 0                                  /usr/local/bin/m",
        "00402000-00403000 r--p 00002000 00:00 0                                  /usr/local/bin/m",
        "00403000-00404000 r--p 00002000 00:00 0                                  /usr/local/bin/m",
        "00404000-00405000 rw-p 00003000 00:00 0                                  /usr/local/bin/m",
        "00405000-0041d000 rw-p 00000000 00:00 0 ",
        "7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0                          [stack]",
        "",
      ].join("\n"),
    );
    expect(p.heapStart).toBe(0x41d000);
    expect(p.entry).toBe(0x401000);
    expect(p.rip).toBe(0x401000);
    p.verify();
  });

  it("copies the file's bytes, zeroes the bss tail of the data page, and keeps RELRO read-only", () => {
    const bytes = buildElf(typicalExec());
    const p = Process.fromElf(bytes);
    expect(p.readU8(0x401000)).toBe(patternByte(0x1000));
    expect([...p.fetch(0x401000, 4)]).toEqual([0, 1, 2, 3].map((i) => patternByte(0x1000 + i)));
    expect(p.readU8(0x403df8)).toBe(patternByte(0x2df8));
    expect(p.readU8(0x404027)).toBe(patternByte(0x3027));
    expect(p.readU8(0x404028)).toBe(0);
    expect(p.readU8(0x404fff)).toBe(0);
    expect(() => p.writeU8(0x403df8, 1)).toThrow(SegmentationFault);
    p.writeU8(0x404100, 1);
    expect(() => p.writeU8(0x401000, 0)).toThrow(
      expect.objectContaining({ segment: "text", access: "write" }),
    );
    expect(Process.fromElf(bytes, { relro: false }).mappings()[3]!.perms).toBe("rw-p");
  });

  it("loads a PIE at ELF_ET_DYN_BASE rounded down to a page, or at a chosen base", () => {
    const spec = {
      type: 3,
      entry: 0x1040,
      segments: [
        { flags: 4, offset: 0, vaddr: 0, filesz: 0x600, memsz: 0x600 },
        { flags: 5, offset: 0x1000, vaddr: 0x1000, filesz: 0x200, memsz: 0x200 },
        { flags: 6, offset: 0x2000, vaddr: 0x3000, filesz: 0x10, memsz: 0x3000 },
      ],
    };
    const p = Process.fromElf(buildElf(spec));
    expect(p.loadBias).toBe(Math.floor(ELF_ET_DYN_BASE / PAGE_SIZE) * PAGE_SIZE);
    expect(p.loadBias).toBe(0x5555_5555_4000);
    expect(p.entry).toBe(0x5555_5555_5040);
    expect(
      p.mappings().map((e) => [e.start - p.loadBias, e.end - p.loadBias, e.perms, e.offset]),
    ).toEqual([
      [0, 0x1000, "r--p", 0],
      [0x1000, 0x2000, "r-xp", 0x1000],
      [0x3000, 0x4000, "rw-p", 0x2000],
      [0x4000, 0x6000, "rw-p", 0],
      [p.stackStart - p.loadBias, p.stackTop - p.loadBias, "rw-p", 0],
    ]);
    expect(p.heapStart).toBe(p.loadBias + 0x6000);
    const q = Process.fromElf(buildElf(spec), { loadBase: 0x7000_0000_0000 });
    expect(q.loadBias).toBe(0x7000_0000_0000);
    expect(q.readU8(q.loadBias + 0x1000)).toBe(patternByte(0x1000));
    q.verify();
  });

  it("aligns a PIE's bias to its largest p_align, as the kernel does", () => {
    const p = Process.fromElf(
      buildElf({
        type: 3,
        segments: [{ flags: 5, offset: 0, vaddr: 0, filesz: 0x100, memsz: 0x100, align: 0x200000 }],
      }),
    );
    expect(p.loadBias % 0x200000).toBe(0);
    expect(p.loadBias).toBe(0x5555_5540_0000);
  });

  it("lets a later segment take over a page it shares with an earlier one (MAP_FIXED)", () => {
    const p = Process.fromElf(
      buildElf({
        segments: [
          { flags: 5, offset: 0, vaddr: 0x400000, filesz: 0x1800, memsz: 0x1800 },
          { flags: 6, offset: 0x1800, vaddr: 0x401800, filesz: 0x100, memsz: 0x100 },
        ],
      }),
    );
    expect(
      p
        .mappings()
        .slice(0, 2)
        .map((e) => [e.start, e.end, e.perms, e.offset]),
    ).toEqual([
      [0x400000, 0x401000, "r-xp", 0],
      [0x401000, 0x402000, "rw-p", 0x1000],
    ]);
    expect(p.readU8(0x401800)).toBe(patternByte(0x1800));
    p.verify();
  });

  it("gives an executable stack to a file whose PT_GNU_STACK asks for it", () => {
    const spec = typicalExec();
    const bytes = buildElf({
      ...spec,
      segments: spec.segments.map((s) => (s.type === 0x6474e551 ? { ...s, flags: 7 } : s)),
    });
    const p = Process.fromElf(bytes);
    expect(p.mappings().at(-1)!.perms).toBe("rwxp");
    p.jump(p.rsp);
    expect(p.rip).toBe(p.rsp);
  });

  it("refuses segments outside the space an executable may use, and has no constants area", () => {
    const low = buildElf({
      segments: [{ flags: 5, offset: 0, vaddr: 0x1000, filesz: 0x10, memsz: 0x10 }],
    });
    expect(() => Process.fromElf(low)).toThrow(/outside/);
    const p = Process.fromElf(buildElf(typicalExec()));
    expect(() => p.intern("x")).toThrow(/no constants area/);
    expect(p.constantsArea).toBeUndefined();
  });
});

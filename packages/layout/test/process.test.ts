import { InvalidArgumentError, Memory, OutOfMemoryError } from "@mm/heap";
import { describe, expect, it } from "vitest";
import {
  ConstantsSealedError,
  DEFAULT_STACK_BYTES,
  INITIAL_RFLAGS,
  PAGE_SIZE,
  Process,
  SegmentationFault,
  TASK_SIZE,
} from "../src/index.js";

const code = new Uint8Array([0x55, 0x48, 0x89, 0xe5, 0x5d, 0xc3]);

describe("a process built from a program image", () => {
  it("lays out text at 0x400000, then rodata, data and bss, each on its own pages, in Linux's order", () => {
    const p = new Process({ code, data: new Uint8Array(5000).fill(9), bssBytes: 10_000 });
    expect(p.mappings().map((e) => [e.start, e.end, e.perms, e.offset, e.path])).toEqual([
      [0x400000, 0x401000, "r-xp", 0, "a.out"],
      [0x401000, 0x411000, "r--p", 0x1000, "a.out"],
      [0x411000, 0x413000, "rw-p", 0x11000, "a.out"],
      [0x413000, 0x415000, "rw-p", 0, ""],
      [0x7fff_fffd_e000, 0x7fff_ffff_f000, "rw-p", 0, "[stack]"],
    ]);
    expect(p.heapStart).toBe(0x415000);
    expect(p.programBreak).toBe(0x415000);
    expect(p.entry).toBe(0x400000);
    p.verify();
  });

  it("keeps reservedBytes of the Memory past its first page out of every frame, with the same mappings and figures", () => {
    const reserved = 16 * PAGE_SIZE;
    const build = (reservedBytes: number) => {
      const p = new Process(
        { code, data: new Uint8Array(5000).fill(9), bssBytes: 10_000 },
        {
          reservedBytes,
        },
      );
      const block = p.malloc(100_000);
      p.writeU64(block, 0xfeedn);
      p.mmap(3 * PAGE_SIZE);
      p.verify();
      return { p, block };
    };
    const plain = build(0);
    const kept = build(reserved);
    expect(kept.p.maps()).toBe(plain.p.maps());
    expect(kept.p.summary()).toBe(plain.p.summary());
    expect(kept.block).toBe(plain.block);
    expect(kept.p.readU64(kept.block)).toBe(0xfeedn);
    // Every mapped page's frame lies past the reserved bytes, which stay zero.
    for (const m of kept.p.mappings()) {
      expect(kept.p.offsetOf(m.start)).toBeGreaterThanOrEqual(PAGE_SIZE + reserved);
    }
    expect(kept.p.memory.u8.subarray(0, PAGE_SIZE + reserved).every((x) => x === 0)).toBe(true);
    for (const bad of [-PAGE_SIZE, 100, 1.5 * PAGE_SIZE, Number.NaN, 1 << 30]) {
      expect(() => new Process({ code }, { reservedBytes: bad })).toThrow(InvalidArgumentError);
    }
  });

  it("reads the image back: code, data, zeroed bss (also in the data's last page)", () => {
    const data = new Uint8Array([1, 2, 3]);
    const p = new Process({ code, data, bssBytes: 100 });
    expect([...p.fetch(0x400000, code.length)]).toEqual([...code]);
    const dataStart = 0x411000;
    expect([...p.readBytes(dataStart, 3)]).toEqual([1, 2, 3]);
    expect([...p.readBytes(dataStart + 3, 100)].every((b) => b === 0)).toBe(true);
  });

  it("starts with the registers the kernel sets: rip at the entry, rsp 16-aligned below the top, rbp 0, rflags 0x202", () => {
    const p = new Process({ code, entry: 0x400004 });
    expect(p.registers()).toEqual({
      rip: 0x400004,
      rsp: TASK_SIZE - 48,
      rbp: 0,
      rflags: INITIAL_RFLAGS,
    });
    expect(p.rsp % 16).toBe(0);
    expect(p.readU64(p.rsp)).toBe(0n);
  });

  it("derives mmap_base from the stack limit as Linux does (128 MiB at least, else limit + guard gap)", () => {
    expect(new Process().mmapBase).toBe(0x7fff_f7ff_f000);
    expect(new Process({}, { stackBytes: 1 << 30 }).mmapBase).toBe(
      TASK_SIZE - (1 << 30) - (1 << 20),
    );
    const p = new Process();
    expect(p.stackBytes).toBe(DEFAULT_STACK_BYTES);
    expect(p.stackLimit).toBe(TASK_SIZE - DEFAULT_STACK_BYTES);
    expect(p.stackStart).toBe(TASK_SIZE - 132 * 1024);
  });

  it("names the executable with the path, device and inode given", () => {
    const p = new Process(
      { code },
      { path: "/usr/bin/python3.11", deviceMajor: 0xfe, deviceMinor: 1, inode: 4242 },
    );
    expect(p.maps().split("\n")[0]).toBe(
      "00400000-00401000 r-xp 00000000 fe:01 4242                               /usr/bin/python3.11",
    );
  });

  it("interns constants once each, read-only, and seals them when the process starts", () => {
    const p = new Process({ code, constants: ["hello", 1.5, 2n ** 63n] });
    const hello = p.intern("hello");
    expect(p.intern("hello")).toBe(hello);
    expect(p.readCString(hello)).toBe("hello");
    expect(p.readF64(p.intern(1.5))).toBe(1.5);
    expect(p.readU64(p.intern(2n ** 63n))).toBe(2n ** 63n);
    expect(p.intern(1.5) % 8).toBe(0);
    expect(() => p.writeU8(hello, 0x48)).toThrow(SegmentationFault);
    const later = p.intern("added while loading");
    p.start();
    expect(p.intern("hello")).toBe(hello);
    expect(p.constantAddress("added while loading")).toBe(later);
    expect(() => p.intern("new after start")).toThrow(ConstantsSealedError);
    expect(p.constantAddress("new after start")).toBeUndefined();
    p.verify();
  });

  it("refuses a full constants area and bad constants with typed errors", () => {
    const p = new Process({ code }, { constantsBytes: PAGE_SIZE });
    expect(() => p.intern(new Uint8Array(PAGE_SIZE + 1))).toThrow(OutOfMemoryError);
    expect(() => p.intern("a\0b")).toThrow(InvalidArgumentError);
    expect(() => p.intern(2n ** 64n)).toThrow(InvalidArgumentError);
    p.verify();
  });

  it("grows the constants area to fit the image's constants when no size is given", () => {
    const big = "x".repeat(100_000);
    const p = new Process({ code, constants: [big] });
    expect(p.readCString(p.intern(big)).length).toBe(100_000);
    expect(p.constantsArea!.capacity).toBeGreaterThanOrEqual(100_001);
  });

  it("refuses bad images and options", () => {
    expect(() => new Process({ code: new Uint8Array(0) })).toThrow(InvalidArgumentError);
    expect(() => new Process({ code, entry: 0x500000 })).toThrow(/entry/);
    expect(() => new Process({}, { stackBytes: 100 })).toThrow(InvalidArgumentError);
    expect(() => new Process({}, { pid: 0 })).toThrow(InvalidArgumentError);
    expect(() => new Process({ bssBytes: -1 })).toThrow(InvalidArgumentError);
  });

  it("runs over every Memory backing, reading through views refreshed after growth", () => {
    for (const backing of ["array-buffer", "shared-array-buffer", "wasm-memory"] as const) {
      const p = new Process({ code }, { memory: new Memory({ backing, maximumBytes: 16 << 20 }) });
      const block = p.malloc(100);
      p.writeU32(block, 0xabcdef01);
      const arena = p.mmap(4 << 20);
      p.writeF64(arena + (4 << 20) - 8, 2.5);
      expect(p.memory.byteLength).toBeGreaterThan(4 << 20);
      expect(p.readU32(block)).toBe(0xabcdef01);
      expect(p.readF64(arena + (4 << 20) - 8)).toBe(2.5);
      p.verify();
    }
  });

  it("fails with OutOfMemoryError when the Memory cannot hold the image", () => {
    expect(
      () => new Process({ bssBytes: 4 << 20 }, { memory: new Memory({ maximumBytes: 1 << 20 }) }),
    ).toThrow(OutOfMemoryError);
  });
});

import { InvalidArgumentError } from "@mm/heap";
import { describe, expect, it } from "vitest";
import {
  LayoutErrorCode,
  PAGE_SIZE,
  PROT_NONE,
  PROT_READ,
  PROT_WRITE,
  Process,
  SegmentationFault,
} from "../src/index.js";

function fault(run: () => unknown): SegmentationFault {
  try {
    run();
  } catch (error) {
    if (error instanceof SegmentationFault) return error;
    throw error;
  }
  throw new Error("expected a SegmentationFault");
}

describe("checked reads and writes", () => {
  it("read back every width and type, little-endian", () => {
    const p = new Process();
    const a = p.mmap(PAGE_SIZE);
    p.writeU8(a, 0x1ff);
    expect(p.readU8(a)).toBe(0xff);
    p.writeU16(a + 1, 0xbeef);
    expect(p.readU16(a + 1)).toBe(0xbeef);
    expect(p.readU8(a + 1)).toBe(0xef);
    p.writeU32(a + 8, 0xdeadbeef);
    expect(p.readU32(a + 8)).toBe(0xdeadbeef);
    expect(p.readI32(a + 8)).toBe(0xdeadbeef | 0);
    p.writeI32(a + 12, -2);
    expect(p.readU32(a + 12)).toBe(0xfffffffe);
    p.writeU64(a + 16, 0x1234_5678_9abc_def0n);
    expect(p.readU64(a + 16)).toBe(0x1234_5678_9abc_def0n);
    p.writeU64(a + 24, -1);
    expect(p.readU64(a + 24)).toBe(2n ** 64n - 1n);
    p.writeU64(a + 32, 2 ** 53 - 1);
    expect(p.readU64Number(a + 32)).toBe(2 ** 53 - 1);
    expect(() => p.readU64Number(a + 24)).toThrow(InvalidArgumentError);
    p.writeF32(a + 40, 1.5);
    expect(p.readF32(a + 40)).toBe(1.5);
    p.writeF64(a + 48, Math.PI);
    expect(p.readF64(a + 48)).toBe(Math.PI);
    p.writeBytes(a + 100, new Uint8Array([1, 2, 3]));
    expect([...p.readBytes(a + 100, 3)]).toEqual([1, 2, 3]);
  });

  it("a write to text or rodata is a fault naming the address, the segment and the access", () => {
    const p = new Process({ constants: ["s"] });
    const e = fault(() => p.writeU32(0x400000, 1));
    expect(e.code).toBe(LayoutErrorCode.SegmentationFault);
    expect([e.address, e.access, e.segment, e.perms, e.reason]).toEqual([
      0x400000,
      "write",
      "text",
      "r-x",
      "permission",
    ]);
    expect(e.message).toContain("0x000000400000");
    expect(fault(() => p.writeU8(p.intern("s"), 0)).segment).toBe("rodata");
    expect(p.readCString(p.intern("s"))).toBe("s");
  });

  it("executing data, the heap or the stack is a fault", () => {
    const p = new Process({ data: new Uint8Array([0xc3]) });
    const e = fault(() => p.fetch(0x411000, 1));
    expect([e.access, e.segment, e.perms]).toEqual(["execute", "data", "rw-"]);
    expect(fault(() => p.jump(p.rsp)).segment).toBe("stack");
    expect(fault(() => p.pushFrame(p.malloc(16))).segment).toBe("heap");
    expect([...p.fetch(0x400000, 1)]).toEqual([0xc3]);
  });

  it("names bss inside the data's last page as bss", () => {
    const p = new Process({ data: new Uint8Array(8), bssBytes: 8 });
    p.mprotect(0x411000, PAGE_SIZE, PROT_READ);
    expect(fault(() => p.writeU8(0x411008, 1)).segment).toBe("bss");
    expect(fault(() => p.writeU8(0x411000, 1)).segment).toBe("data");
  });

  it("unmapped addresses and the stack guard gap fault as such", () => {
    const p = new Process();
    const unmapped = fault(() => p.readU8(0x1000));
    expect([unmapped.segment, unmapped.reason, unmapped.perms]).toEqual([
      "unmapped",
      "unmapped",
      "---",
    ]);
    const guard = fault(() => p.writeU64(p.stackLimit - 8, 1));
    expect([guard.segment, guard.reason]).toEqual(["stack guard gap", "guard-gap"]);
    const none = p.mmap(PAGE_SIZE, PROT_NONE);
    const e = fault(() => p.readU8(none));
    expect([e.segment, e.perms, e.reason]).toEqual(["mmap", "---", "permission"]);
  });

  it("an access that straddles two mappings works when both allow it and faults whole when one does not", () => {
    const p = new Process();
    const a = p.mmap(2 * PAGE_SIZE);
    p.writeU64(a + PAGE_SIZE - 4, 0x1122_3344_5566_7788n);
    expect(p.readU64(a + PAGE_SIZE - 4)).toBe(0x1122_3344_5566_7788n);
    p.mprotect(a + PAGE_SIZE, PAGE_SIZE, PROT_READ);
    const e = fault(() => p.writeU64(a + PAGE_SIZE - 4, 0));
    expect(e.address).toBe(a + PAGE_SIZE - 4);
    expect(e.faultAddress).toBe(a + PAGE_SIZE);
    expect(p.readU64(a + PAGE_SIZE - 4)).toBe(0x1122_3344_5566_7788n);
    const bytes = fault(() => p.writeBytes(a + 10, new Uint8Array(PAGE_SIZE)));
    expect(bytes.faultAddress).toBe(a + PAGE_SIZE);
    expect(p.readU8(a + 10)).toBe(0);
  });

  it("the growth area below the stack is mapped on first touch, as the kernel's fault handler does", () => {
    const p = new Process();
    const below = p.stackStart - 3 * PAGE_SIZE + 8;
    p.writeU32(below, 7);
    expect(p.readU32(below)).toBe(7);
    expect(p.stackStart).toBe(below - 8);
    expect(p.mappings().at(-1)!.start).toBe(p.stackStart);
    p.verify();
  });

  it("refuses addresses that are not non-negative safe integers", () => {
    const p = new Process();
    expect(() => p.readU8(-1)).toThrow(InvalidArgumentError);
    expect(() => p.readU8(0x400000 + 0.5)).toThrow(InvalidArgumentError);
    expect(() => p.readU32(Number.NaN)).toThrow(InvalidArgumentError);
    expect(() => p.writeU64(p.rsp, 1.5)).toThrow(InvalidArgumentError);
  });

  it("translates between virtual addresses and Memory offsets both ways", () => {
    const p = new Process();
    const a = p.mmap(PAGE_SIZE, PROT_READ | PROT_WRITE);
    p.writeU32(a + 12, 99);
    const offset = p.offsetOf(a + 12);
    expect(p.memory.u32[offset >>> 2]).toBe(99);
    expect(p.virtualAddressOf(offset)).toBe(a + 12);
    expect(() => p.offsetOf(0x1000)).toThrow(/not mapped/);
    expect(() => p.virtualAddressOf(p.memory.maximumBytes - 16)).toThrow(/no mapping/);
  });
});

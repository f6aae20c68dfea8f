// A checked access that straddles two separate mappings: adjacent in virtual addresses, their
// pages are not adjacent in the Memory (mmap places each new mapping below the last while the
// Memory grows up), so every byte must go to its own mapping's frame.

import { describe, expect, it } from "vitest";
import { PAGE_SIZE, PROT_READ, Process, SegmentationFault } from "../src/index.js";

describe("an access across two mappings", () => {
  it("reads and writes each byte in its own mapping, and faults whole when one forbids it", () => {
    const p = new Process();
    const high = p.mmap(PAGE_SIZE);
    const low = p.mmap(PAGE_SIZE);
    // The second mapping ends where the first begins, and their frames are apart in Memory.
    expect(low + PAGE_SIZE).toBe(high);
    expect(p.offsetOf(high)).not.toBe(p.offsetOf(high - 1) + 1);

    const at = high - 3;
    p.writeU64(at, 0x0807_0605_0403_0201n);
    for (let i = 0; i < 8; i++) {
      expect(p.readU8(at + i)).toBe(i + 1);
      // The bytes are where each mapping keeps them.
      expect(p.memory.u8[p.offsetOf(at + i)]).toBe(i + 1);
    }
    expect(p.readU64(at)).toBe(0x0807_0605_0403_0201n);
    p.writeU32(high - 2, 0xa1b2_c3d4);
    expect(p.readU32(high - 2)).toBe(0xa1b2_c3d4);
    expect(p.readU16(high - 1)).toBe(0xb2c3);
    p.writeF64(high - 5, Math.PI);
    expect(p.readF64(high - 5)).toBe(Math.PI);
    p.writeBytes(high - 2, new Uint8Array([9, 8, 7, 6]));
    expect([...p.readBytes(high - 2, 4)]).toEqual([9, 8, 7, 6]);

    // The upper mapping becomes read-only: a write across the boundary changes neither side.
    p.mprotect(high, PAGE_SIZE, PROT_READ);
    const before = [...p.readBytes(high - 4, 8)];
    let fault: unknown;
    try {
      p.writeU64(high - 4, 0n);
    } catch (error) {
      fault = error;
    }
    expect(fault).toBeInstanceOf(SegmentationFault);
    expect((fault as SegmentationFault).faultAddress).toBe(high);
    expect([...p.readBytes(high - 4, 8)]).toEqual(before);
    p.verify();
  });
});

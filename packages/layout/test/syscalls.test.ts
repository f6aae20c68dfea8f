import { InvalidArgumentError } from "@mm/heap";
import { describe, expect, it } from "vitest";
import {
  BreakBelowStartError,
  InvalidVirtualAddressError,
  MAP_FAILED,
  PAGE_SIZE,
  PROT_EXEC,
  PROT_READ,
  PROT_WRITE,
  Process,
  SegmentationFault,
  vhex,
} from "../src/index.js";

describe("brk and sbrk", () => {
  it("grow and shrink the heap by whole pages, the break itself byte-exact", () => {
    const p = new Process();
    const start = p.heapStart;
    expect(p.sbrk(0)).toBe(start);
    expect(p.sbrk(100)).toBe(start);
    expect(p.programBreak).toBe(start + 100);
    expect(p.mappings().find((e) => e.path === "[heap]")).toMatchObject({
      start,
      end: start + PAGE_SIZE,
    });
    p.writeU8(start + 99, 1);
    p.writeU8(start + PAGE_SIZE - 1, 2);
    expect(p.brk(start + 3 * PAGE_SIZE)).toBe(start + 3 * PAGE_SIZE);
    expect(p.sbrk(-3 * PAGE_SIZE + 1)).toBe(start + 3 * PAGE_SIZE);
    expect(p.programBreak).toBe(start + 1);
    expect(() => p.readU8(start + PAGE_SIZE)).toThrow(SegmentationFault);
    expect(p.readU8(start)).toBe(0);
    p.verify();
  });

  it("brk(address below the heap) leaves the break and returns it, as the kernel does (brk(0) asks)", () => {
    const p = new Process();
    p.sbrk(PAGE_SIZE);
    expect(p.brk(0)).toBe(p.heapStart + PAGE_SIZE);
    expect(p.brk(p.heapStart - 1)).toBe(p.heapStart + PAGE_SIZE);
  });

  it("sbrk below the start of the heap is a typed error and changes nothing", () => {
    const p = new Process();
    p.sbrk(10);
    expect(() => p.sbrk(-11)).toThrow(BreakBelowStartError);
    expect(() => p.sbrk(-11)).toThrow(`below the start of the heap ${vhex(p.heapStart)}`);
    expect(p.programBreak).toBe(p.heapStart + 10);
    p.verify();
  });

  it("never runs into a mapping: the last heap page stays a page short of the next mapping", () => {
    const p = new Process();
    const wall = p.mmap(PAGE_SIZE, PROT_READ, { address: p.heapStart + 3 * PAGE_SIZE });
    expect(wall).toBe(p.heapStart + 3 * PAGE_SIZE);
    expect(p.sbrk(2 * PAGE_SIZE)).toBe(p.heapStart);
    expect(p.sbrk(1)).toBe(-1);
    expect(p.brk(p.heapStart + 3 * PAGE_SIZE)).toBe(p.heapStart + 2 * PAGE_SIZE);
    expect(p.programBreak).toBe(p.heapStart + 2 * PAGE_SIZE);
    p.verify();
  });

  it("takes an mmap address hint only when the range is free", () => {
    const p = new Process();
    const hinted = p.mmap(PAGE_SIZE, PROT_READ, { address: 0x1000_0001 });
    expect(hinted).toBe(0x1000_1000);
    expect(p.mmap(PAGE_SIZE, PROT_READ, { address: 0x1000_1000 })).toBe(p.mmapBase - PAGE_SIZE);
    expect(p.mmap(PAGE_SIZE, PROT_READ, { address: p.stackLimit })).toBe(
      p.mmapBase - 2 * PAGE_SIZE,
    );
  });

  it("refuses to shrink over pages that the free store holds through the brk page source", () => {
    const p = new Process();
    const block = p.malloc(100);
    expect(() => p.sbrk(-PAGE_SIZE)).toThrow(InvalidVirtualAddressError);
    expect(p.brk(p.heapStart)).toBe(p.programBreak);
    expect(p.readU8(block)).toBe(0);
    p.verify();
  });
});

describe("mmap, munmap and mprotect", () => {
  it("mmap places mappings top-down from mmap_base, highest free range first", () => {
    const p = new Process();
    const a = p.mmap(PAGE_SIZE);
    const b = p.mmap(3 * PAGE_SIZE);
    const c = p.mmap(1);
    expect(a).toBe(p.mmapBase - PAGE_SIZE);
    expect(b).toBe(a - 3 * PAGE_SIZE);
    expect(c).toBe(b - PAGE_SIZE);
    p.munmap(b, 3 * PAGE_SIZE);
    expect(p.mmap(2 * PAGE_SIZE)).toBe(a - 2 * PAGE_SIZE);
    expect(p.mmap(2 * PAGE_SIZE)).toBe(c - 2 * PAGE_SIZE);
    p.verify();
  });

  it("adjacent anonymous mappings with the same permissions show as one line, as the kernel merges them", () => {
    const p = new Process();
    const a = p.mmap(PAGE_SIZE);
    const b = p.mmap(PAGE_SIZE);
    const lines = p.mappings().filter((e) => e.path === "");
    expect(lines).toEqual([
      expect.objectContaining({ start: b, end: a + PAGE_SIZE, perms: "rw-p" }),
    ]);
    p.mprotect(b, PAGE_SIZE, PROT_READ);
    expect(
      p
        .mappings()
        .filter((e) => e.path === "")
        .map((e) => e.perms),
    ).toEqual(["r--p", "rw-p"]);
  });

  it("names mappings given a name as [anon:name]", () => {
    const p = new Process();
    p.mmap(PAGE_SIZE, PROT_READ | PROT_WRITE, { name: "arena" });
    expect(p.maps()).toContain(" [anon:arena]\n");
  });

  it("munmap of an unaligned address is a typed error; the mapping stays", () => {
    const p = new Process();
    const a = p.mmap(2 * PAGE_SIZE);
    let error: unknown;
    try {
      p.munmap(a + 1, PAGE_SIZE);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidVirtualAddressError);
    expect(error).toMatchObject({
      operation: "munmap",
      reason: "misaligned",
      address: a + 1,
      code: "ERR_MM_INVALID_ADDRESS",
    });
    p.writeU8(a + PAGE_SIZE, 1);
    p.verify();
  });

  it("munmap unmaps part of a mapping, ignores unmapped pages, and refuses other segments", () => {
    const p = new Process();
    const a = p.mmap(4 * PAGE_SIZE);
    p.munmap(a + PAGE_SIZE, PAGE_SIZE);
    expect(() => p.readU8(a + PAGE_SIZE)).toThrow(SegmentationFault);
    p.writeU8(a + 2 * PAGE_SIZE, 1);
    p.munmap(a, 2 * PAGE_SIZE);
    expect(() => p.munmap(0x400000, PAGE_SIZE)).toThrow(/includes text/);
    expect(() => p.munmap(p.stackStart, PAGE_SIZE)).toThrow(/includes stack/);
    expect(() => p.munmap(a, 0)).toThrow(InvalidArgumentError);
    p.sbrk(PAGE_SIZE);
    expect(() => p.munmap(p.heapStart, PAGE_SIZE)).toThrow(/includes heap/);
    p.verify();
  });

  it("refuses to unmap the mmap page source's chunks from under their owner", () => {
    const p = new Process();
    const offset = p.mmapPageSource.map(PAGE_SIZE);
    const address = p.virtualAddressOf(offset);
    expect(() => p.munmap(address, PAGE_SIZE)).toThrow(/page-source chunk/);
    p.mmapPageSource.unmap(offset, PAGE_SIZE);
    p.verify();
  });

  it("mprotect changes permissions page by page and refuses unmapped or unaligned ranges", () => {
    const p = new Process();
    const a = p.mmap(2 * PAGE_SIZE, PROT_READ);
    expect(() => p.writeU8(a, 1)).toThrow(SegmentationFault);
    p.mprotect(a, PAGE_SIZE, PROT_READ | PROT_WRITE | PROT_EXEC);
    p.writeU8(a, 0xc3);
    p.jump(a);
    expect(p.rip).toBe(a);
    expect(() => p.mprotect(a + 1, PAGE_SIZE, PROT_READ)).toThrow(InvalidVirtualAddressError);
    expect(() => p.mprotect(a, 3 * PAGE_SIZE, PROT_READ)).toThrow(/not mapped/);
    expect(() => p.mmap(0)).toThrow(InvalidArgumentError);
    expect(() => p.mmap(PAGE_SIZE, 8)).toThrow(InvalidArgumentError);
    p.verify();
  });

  it("returns MAP_FAILED when the Memory is exhausted", () => {
    const p = new Process();
    expect(p.mmap(2 ** 31)).toBe(MAP_FAILED);
    p.verify();
  });
});

import { allocatorModelProperty } from "@mm/testkit";
import { fcRuns } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ApiMismatchError,
  DebugAllocator,
  DebugHookError,
  DoubleFreeError,
  ErrorCode,
  FreeStore,
  InvalidAddressError,
  Memory,
  MemoryPageSource,
} from "../src/index.js";

function freeStore(maximumBytes = 32 << 20): FreeStore {
  return new FreeStore(new MemoryPageSource(new Memory({ maximumBytes })));
}

function bytes(memory: Memory, from: number, to: number): string {
  return [...memory.u8.subarray(from, to)].map((b) => b.toString(16).padStart(2, "0")).join(" ");
}

describe("DebugAllocator", () => {
  it("lays a block out byte for byte as CPython 3.11 does (EXP-f: PyMem_Malloc(10))", () => {
    const debug = new DebugAllocator(freeStore(), { api: "m" });
    const p = debug.malloc(10);
    expect(bytes(debug.memory, p - 16, p)).toBe("00 00 00 00 00 00 00 0a 6d fd fd fd fd fd fd fd");
    expect(bytes(debug.memory, p, p + 10)).toBe("cd cd cd cd cd cd cd cd cd cd");
    expect(bytes(debug.memory, p + 10, p + 18)).toBe("fd fd fd fd fd fd fd fd");
    expect(debug.usableSize(p)).toBe(10);
    debug.free(p);
    expect(bytes(debug.memory, p - 16, p + 18)).toBe(Array(34).fill("dd").join(" "));
  });

  it("writes the API id of the domain: 'r', 'm' or 'o'", () => {
    const inner = freeStore();
    for (const [api, code] of [
      ["r", 0x72],
      ["m", 0x6d],
      ["o", 0x6f],
    ] as const) {
      const debug = new DebugAllocator(inner, { api });
      const p = debug.malloc(1);
      expect(debug.memory.u8[p - 8]).toBe(code);
    }
  });

  it("does not fill calloc memory with 0xCD, and fills a realloc's grown tail with it", () => {
    const debug = new DebugAllocator(freeStore());
    const p = debug.calloc(4, 4);
    expect(bytes(debug.memory, p, p + 16)).toBe(Array(16).fill("00").join(" "));
    debug.memory.u8.fill(1, p, p + 16);
    const q = debug.realloc(p, 20);
    expect(bytes(debug.memory, q, q + 20)).toBe(`${Array(16).fill("01").join(" ")} cd cd cd cd`);
    expect(bytes(debug.memory, q + 20, q + 28)).toBe(Array(8).fill("fd").join(" "));
    debug.verify();
  });

  it("reports an overrun with the address, size and API", () => {
    const debug = new DebugAllocator(freeStore(), { api: "o" });
    const p = debug.malloc(10);
    debug.memory.u8[p + 10] = 0;
    let caught: unknown;
    try {
      debug.free(p);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DebugHookError);
    const e = caught as DebugHookError;
    expect([e.kind, e.address, e.size, e.api, e.code]).toEqual([
      "overrun",
      p,
      10,
      "o",
      ErrorCode.HeapCorruption,
    ]);
    expect(e.message).toContain(`0x${p.toString(16).padStart(8, "0")}`);
    expect(e.message).toContain("10-byte block allocated by API 'o'");
    expect(() => debug.verify()).toThrow(DebugHookError);
    debug.memory.u8[p + 10] = 0xfd;
    debug.verify();
    debug.free(p);
    debug.verify();
  });

  it("reports an underrun into the guard bytes or the size field", () => {
    const debug = new DebugAllocator(freeStore());
    const p = debug.malloc(32);
    debug.memory.u8[p - 1] = 0x41;
    expect(() => debug.free(p)).toThrow(/underrun/);
    debug.memory.u8[p - 1] = 0xfd;
    debug.memory.u8[p - 9] = 0x41;
    expect(() => debug.verify()).toThrow(/size field/);
    debug.memory.u8[p - 9] = 32;
    debug.free(p);
    debug.verify();
  });

  it("refuses a free through the wrong API", () => {
    const inner = freeStore();
    const mem = new DebugAllocator(inner, { api: "m" });
    const obj = new DebugAllocator(inner, { api: "o" });
    const p = obj.malloc(24);
    expect(() => mem.free(p)).toThrow(ApiMismatchError);
    try {
      mem.free(p);
    } catch (error) {
      const e = error as ApiMismatchError;
      expect([e.address, e.size, e.api, e.calledApi]).toEqual([p, 24, "o", "m"]);
    }
    mem.verify();
    obj.verify();
    obj.free(p);
    obj.verify();
  });

  it("detects a double free while the block waits in quarantine, and through the inner allocator after", () => {
    const debug = new DebugAllocator(freeStore(), { quarantineBytes: 1 << 10 });
    const p = debug.malloc(64);
    debug.free(p);
    expect(() => debug.free(p)).toThrow(DoubleFreeError);
    debug.verify();
    debug.flushQuarantine();
    expect(() => debug.free(p)).toThrow(InvalidAddressError);
    debug.verify();
  });

  it("catches a write into freed memory at the next verify() and when the block leaves quarantine", () => {
    const debug = new DebugAllocator(freeStore(), { quarantineBytes: 200 });
    const p = debug.malloc(40);
    debug.free(p);
    debug.memory.u8[p + 5] = 1;
    expect(() => debug.verify()).toThrow(/use-after-free/);
    const q = debug.malloc(150);
    let caught: unknown;
    try {
      debug.free(q);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DebugHookError);
    expect((caught as DebugHookError).kind).toBe("use-after-free");
    expect((caught as DebugHookError).address).toBe(p);
    debug.verify();
  });

  it("refuses addresses it never handed out", () => {
    const debug = new DebugAllocator(freeStore());
    const p = debug.malloc(64);
    expect(() => debug.free(p + 16)).toThrow(InvalidAddressError);
    expect(() => debug.free(p + 1)).toThrow(/not aligned/);
    expect(() => debug.usableSize(0)).toThrow(/NULL/);
    expect(() => debug.realloc(1 << 24, 8)).toThrow(/not owned/);
    debug.verify();
  });

  it("returns 0 at exhaustion", () => {
    const debug = new DebugAllocator(freeStore(1 << 20));
    expect(debug.malloc(1 << 21)).toBe(0);
    debug.verify();
  });

  it("property: the Allocator contract holds through the debug hooks", () => {
    fc.assert(
      allocatorModelProperty(() => new DebugAllocator(freeStore(), { quarantineBytes: 1 << 16 }), {
        drain: (a) => (a as DebugAllocator).flushQuarantine(),
      }),
      { numRuns: fcRuns(1000) },
    );
  });
});

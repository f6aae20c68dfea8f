import { describe, expect, it } from "vitest";
import {
  InvalidArgumentError,
  MAX_MEMORY_BYTES,
  Memory,
  type MemoryBacking,
} from "../src/index.js";

const backings: MemoryBacking[] = ["array-buffer", "shared-array-buffer", "wasm-memory"];

describe("Memory", () => {
  it.each(backings)(
    "%s: grows on demand and its views see the bytes written before growth",
    (backing) => {
      const memory = new Memory({ backing, initialBytes: 65536, maximumBytes: 1 << 22 });
      memory.u32[100] = 0xdeadbeef;
      memory.f64[1000] = 1.5;
      expect(memory.grow(1 << 20)).toBe(true);
      expect(memory.byteLength).toBeGreaterThanOrEqual(1 << 20);
      expect(memory.u32[100]).toBe(0xdeadbeef);
      expect(memory.f64[1000]).toBe(1.5);
      expect(memory.u8.length).toBe(memory.byteLength);
      memory.u8[(1 << 20) - 1] = 7;
      expect(memory.view.getUint8((1 << 20) - 1)).toBe(7);
    },
  );

  it.each(backings)(
    "%s: growth past the maximum is a false result with nothing changed",
    (backing) => {
      const memory = new Memory({ backing, maximumBytes: 1 << 18 });
      const before = memory.byteLength;
      expect(memory.grow((1 << 18) + 1)).toBe(false);
      expect(memory.byteLength).toBe(before);
      expect(memory.grow(1 << 18)).toBe(true);
      expect(memory.byteLength).toBe(1 << 18);
    },
  );

  it("keeps the same views for a resizable ArrayBuffer and replaces them for WebAssembly.Memory", () => {
    const plain = new Memory({ backing: "array-buffer" });
    const u8 = plain.u8;
    plain.grow(1 << 20);
    expect(plain.u8).toBe(u8);
    expect(u8.length).toBe(plain.byteLength);

    const wasm = new Memory({ backing: "wasm-memory" });
    const seen: number[] = [];
    const stop = wasm.onGrow((m) => seen.push(m.byteLength));
    const before = wasm.u8;
    wasm.grow(1 << 20);
    expect(wasm.u8 === before).toBe(false);
    expect(before.length).toBe(0);
    expect(wasm.u8.length).toBe(wasm.byteLength);
    expect(wasm.wasmMemory?.buffer).toBe(wasm.buffer);
    expect(seen).toEqual([wasm.byteLength]);
    stop();
    wasm.grow(wasm.byteLength + 1);
    expect(seen).toHaveLength(1);
  });

  it("grows geometrically, never past the maximum", () => {
    const memory = new Memory({ maximumBytes: 3 << 20 });
    memory.grow(1 << 20);
    expect(memory.byteLength).toBe(1 << 20);
    memory.grow((1 << 20) + 1);
    expect(memory.byteLength).toBe(2 << 20);
    memory.grow((2 << 20) + 1);
    expect(memory.byteLength).toBe(3 << 20);
  });

  it("refuses bad options with a typed error", () => {
    expect(() => new Memory({ maximumBytes: 0 })).toThrow(InvalidArgumentError);
    expect(() => new Memory({ maximumBytes: MAX_MEMORY_BYTES + 1 })).toThrow(/maximumBytes/);
    expect(() => new Memory({ initialBytes: 1 << 20, maximumBytes: 1 << 16 })).toThrow(
      /initialBytes/,
    );
    expect(() => new Memory({ backing: "mmap" as MemoryBacking })).toThrow(
      /unknown memory backing/,
    );
  });
});

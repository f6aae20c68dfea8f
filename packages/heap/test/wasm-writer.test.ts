// The WebAssembly binary writer: LEB128 numbers read back, and a module written with it validates,
// instantiates over an imported memory and computes what its functions say.

import { fcRuns } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { wasm } from "../src/index.js";
import {
  add,
  and,
  call,
  choose,
  get,
  i32,
  load,
  load8,
  ltU,
  ModuleWriter,
  mul,
  ne,
  select,
  seq,
  set,
  shl,
  sleb,
  store,
  sub,
  uleb,
  when,
  whileLoop,
} from "../src/wasm-writer.js";

/** The engine's WebAssembly API, typed here (the project compiles without the DOM library). */
const WebAssembly = (
  globalThis as unknown as {
    WebAssembly: {
      validate(bytes: Uint8Array): boolean;
      Memory: new (descriptor: { initial: number }) => { buffer: ArrayBuffer };
      Module: new (bytes: Uint8Array) => object;
      Instance: new (module: object, imports: object) => { exports: object };
    };
  }
).WebAssembly;

/** Reads back an unsigned LEB128 number. */
function readUleb(bytes: readonly number[]): number {
  let value = 0;
  let scale = 1;
  for (const byte of bytes) {
    value += (byte & 0x7f) * scale;
    scale *= 128;
  }
  return value;
}

/** Reads back a signed LEB128 number. */
function readSleb(bytes: readonly number[]): number {
  let value = 0;
  let shift = 0;
  for (const byte of bytes) {
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  }
  const last = bytes[bytes.length - 1]!;
  if (last & 0x40) value -= 2 ** shift;
  return value;
}

/**
 * A module over an imported memory: `sum(from, to)` adds the words in [from, to), `fill(at,
 * n, v)` stores v, v+1, … at n words from `at`, `bytes(at)` reads a byte, `twice(x)` calls an
 * imported function and doubles what it returns, `abs(x)` picks with `if` and `select`.
 */
function testModule(): Uint8Array {
  const w = new ModuleWriter();
  w.importMemory("env", "memory", 1);
  const imported = w.importFunction("env", "plusOne", 1, 1);
  const sum = w.declare(2, 1, "sum");
  const fill = w.declare(3, 0, "fill");
  const byte = w.declare(1, 1, "byte");
  const twice = w.declare(1, 1, "twice");
  const abs = w.declare(1, 1, "abs");
  const mask = w.declare(2, 1, "maskedDifference");
  // sum(from, to): locals 2 (total)
  w.define(
    sum,
    1,
    seq(
      whileLoop(
        ltU(get(0), get(1)),
        set(2, add(get(2), load(get(0)))),
        set(0, add(get(0), i32(4))),
      ),
      get(2),
    ),
  );
  // fill(at, n, v): local 3 (i)
  w.define(
    fill,
    1,
    whileLoop(
      ltU(get(3), get(1)),
      store(add(get(0), shl(get(3), i32(2))), add(get(2), get(3))),
      set(3, add(get(3), i32(1))),
    ),
  );
  w.define(byte, 0, load8(get(0), 1));
  w.define(twice, 0, mul(call(imported, get(0)), i32(2)));
  w.define(
    abs,
    1,
    seq(
      when(ltU(get(0), i32(0x8000_0000)), set(1, get(0)), set(1, sub(i32(0), get(0)))),
      select(get(1), choose(ne(get(0), i32(0)), i32(-1), i32(0)), ne(get(1), i32(0))),
    ),
  );
  w.define(mask, 0, and(sub(get(0), get(1)), i32(0xffff)));
  return w.bytes();
}

interface TestExports {
  sum(from: number, to: number): number;
  fill(at: number, n: number, v: number): void;
  byte(at: number): number;
  twice(x: number): number;
  abs(x: number): number;
  maskedDifference(a: number, b: number): number;
}

describe("the WebAssembly writer", () => {
  it("encodes LEB128 numbers that read back", () => {
    fc.assert(
      fc.property(fc.nat({ max: 0xffff_ffff }), (n) => {
        const bytes = uleb(n);
        expect(readUleb(bytes)).toBe(n);
        expect(bytes.slice(0, -1).every((b) => b & 0x80)).toBe(true);
        expect(bytes[bytes.length - 1]! & 0x80).toBe(0);
      }),
      { numRuns: fcRuns(500) },
    );
    fc.assert(
      fc.property(fc.integer({ min: -0x8000_0000, max: 0x7fff_ffff }), (n) => {
        expect(readSleb(sleb(n))).toBe(n);
      }),
      { numRuns: fcRuns(500) },
    );
    expect(() => uleb(-1)).toThrow(RangeError);
    expect(() => uleb(2 ** 32)).toThrow(RangeError);
    expect(() => sleb(1.5)).toThrow(RangeError);
  });

  it("writes a module that validates and computes what it says", () => {
    const bytes = testModule();
    expect(WebAssembly.validate(bytes)).toBe(true);
    const memory = new WebAssembly.Memory({ initial: 1 });
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
      env: { memory, plusOne: (x: number) => x + 1 },
    });
    const e = instance.exports as unknown as TestExports;
    const words = new Uint32Array(memory.buffer);
    const u8 = new Uint8Array(memory.buffer);
    fc.assert(
      fc.property(
        fc.nat({ max: 1000 }),
        fc.nat({ max: 64 }),
        fc.integer({ min: -0x8000_0000, max: 0x7fff_ffff }),
        fc.integer({ min: -0x8000_0000, max: 0x7fff_ffff }),
        (at, n, v, x) => {
          const address = 4 * at;
          e.fill(address, n, v);
          let expected = 0;
          for (let i = 0; i < n; i++) {
            expect(words[at + i]).toBe((v + i) >>> 0);
            expected = (expected + ((v + i) | 0)) | 0;
          }
          expect(e.sum(address, address + 4 * n)).toBe(expected);
          expect(e.byte(address)).toBe(u8[address + 1]);
          expect(e.twice(x)).toBe(((x + 1) * 2) | 0);
          expect(e.abs(x)).toBe(x === 0 ? 0 : Math.abs(x) | 0);
          expect(e.maskedDifference(x, v)).toBe((x - v) & 0xffff);
        },
      ),
      { numRuns: fcRuns(300) },
    );
  });

  it("reads imported globals, as their holder sets them between calls", () => {
    const Wasm = (
      globalThis as unknown as {
        WebAssembly: {
          Global: new (d: { value: "i32"; mutable: boolean }, v: number) => { value: number };
          Module: new (bytes: Uint8Array) => object;
          Instance: new (module: object, imports: object) => { exports: object };
        };
      }
    ).WebAssembly;
    const w = new ModuleWriter();
    const a = w.importGlobal("env", "a");
    const imported = w.importFunction("env", "bump", 0, 0);
    const b = w.importGlobal("env", "b", false);
    const f = w.declare(1, 1, "f");
    // f(x): x + a, then the import sets a again, then + a + b.
    w.define(
      f,
      1,
      seq(
        set(1, add(get(0), wasm.globalGet(a))),
        call(imported),
        add(add(get(1), wasm.globalGet(a)), wasm.globalGet(b)),
      ),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: -1000, max: 1000 }),
        fc.integer({ min: -(2 ** 30), max: 2 ** 30 }),
        fc.integer(),
        (x, y, z) => {
          const ga = new Wasm.Global({ value: "i32", mutable: true }, y);
          const gb = new Wasm.Global({ value: "i32", mutable: false }, z);
          let before = 0;
          const inst = new Wasm.Instance(new Wasm.Module(w.bytes()), {
            env: {
              a: ga,
              b: gb,
              bump: () => {
                before = ga.value;
                ga.value = before + 1;
              },
            },
          }) as { exports: { f(x: number): number } };
          expect(inst.exports.f(x)).toBe((x + y + (y + 1) + z) | 0);
          expect(before).toBe(y);
        },
      ),
      { numRuns: fcRuns(50) },
    );
  });

  it("is exported from the package as the wasm namespace", () => {
    expect(wasm.ModuleWriter).toBe(ModuleWriter);
    expect(wasm.whileLoop).toBe(whileLoop);
  });

  it("refuses what the format cannot say", () => {
    const w = new ModuleWriter();
    w.declare(0, 0);
    expect(() => w.importFunction("a", "b", 0, 0)).toThrow(/before defining/);
    expect(() => w.declare(0, 2)).toThrow(RangeError);
    expect(() => w.define(7, 0, [])).toThrow(RangeError);
  });
});

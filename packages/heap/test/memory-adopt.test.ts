import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  FreeStore,
  InvalidArgumentError,
  MAX_MEMORY_BYTES,
  Memory,
  type MemoryOptions,
  MemoryPageSource,
} from "../src/index.js";

// A runtime author's own wasm module, written out byte by byte so the test needs no toolchain.
// It imports its memory as env.memory and exports:
//   load(addr: i32) -> i32        i32.load
//   store(addr: i32, value: i32)  i32.store
//   grow(pages: i32) -> i32       memory.grow (the old size in pages, or -1)
//   size() -> i32                 memory.size
// prettier-ignore
const MODULE_BYTES = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  // type section: (i32) -> i32, (i32, i32) -> (), () -> i32
  0x01, 0x0f, 0x03, 0x60, 0x01, 0x7f, 0x01, 0x7f, 0x60, 0x02, 0x7f, 0x7f, 0x00, 0x60, 0x00, 0x01,
  0x7f,
  // import section: env.memory, a memory of at least one page
  0x02, 0x0f, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02, 0x00,
  0x01,
  // function section: load, store, grow, size
  0x03, 0x05, 0x04, 0x00, 0x01, 0x00, 0x02,
  // export section
  0x07, 0x1e, 0x04, 0x04, 0x6c, 0x6f, 0x61, 0x64, 0x00, 0x00, 0x05, 0x73, 0x74, 0x6f, 0x72, 0x65,
  0x00, 0x01, 0x04, 0x67, 0x72, 0x6f, 0x77, 0x00, 0x02, 0x04, 0x73, 0x69, 0x7a, 0x65, 0x00, 0x03,
  // code section
  0x0a, 0x1f, 0x04, 0x07, 0x00, 0x20, 0x00, 0x28, 0x02, 0x00, 0x0b, 0x09, 0x00, 0x20, 0x00, 0x20,
  0x01, 0x36, 0x02, 0x00, 0x0b, 0x06, 0x00, 0x20, 0x00, 0x40, 0x00, 0x0b, 0x04, 0x00, 0x3f, 0x00,
  0x0b,
]);

// The tsconfig has no DOM lib, so the part of the WebAssembly API the test uses is typed here.
interface WasmMemoryObject {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
const Wasm = (
  globalThis as unknown as {
    WebAssembly: {
      Memory: new (descriptor: { initial: number; maximum?: number }) => WasmMemoryObject;
      Module: new (bytes: Uint8Array) => object;
      Instance: new (module: object, imports: object) => { exports: object };
    };
  }
).WebAssembly;

interface OwnerModule {
  load(address: number): number;
  store(address: number, value: number): void;
  grow(pages: number): number;
  size(): number;
}

const PAGE = 65536;

function instantiate(memory: WasmMemoryObject): OwnerModule {
  const instance = new Wasm.Instance(new Wasm.Module(MODULE_BYTES), {
    env: { memory },
  });
  return instance.exports as unknown as OwnerModule;
}

// ── The wasm module and the Memory share one store ────────────────────────────────────────────

/** The model: the 32-bit words written so far, by address, and the size in pages. */
interface Model {
  readonly words: Map<number, number>;
  pages: number;
  readonly maxPages: number;
}

interface Real {
  readonly memory: Memory;
  readonly module: OwnerModule;
  /** Sizes seen by an onGrow listener. */
  readonly grown: number[];
}

const wordAddress = (model: Model, slot: number): number =>
  (((slot * 2_654_435_761) >>> 0) % ((model.pages * PAGE) >>> 2)) << 2;

function expectSame(model: Model, real: Real): void {
  expect(real.memory.byteLength).toBe(model.pages * PAGE);
  expect(real.module.size()).toBe(model.pages);
  expect(real.memory.u8.length).toBe(real.memory.byteLength);
  for (const [address, value] of model.words) {
    expect(real.memory.u32[address >>> 2]).toBe(value);
    expect(real.module.load(address) >>> 0).toBe(value);
  }
}

class WriteThroughMemory implements fc.Command<Model, Real> {
  constructor(
    readonly slot: number,
    readonly value: number,
  ) {}
  check = () => true;
  run(model: Model, real: Real): void {
    const address = wordAddress(model, this.slot);
    real.memory.u32[address >>> 2] = this.value;
    model.words.set(address, this.value);
    expect(real.module.load(address) >>> 0).toBe(this.value);
  }
  toString = () => `memory.u32[${this.slot}] = ${this.value}`;
}

class WriteThroughModule implements fc.Command<Model, Real> {
  constructor(
    readonly slot: number,
    readonly value: number,
  ) {}
  check = () => true;
  run(model: Model, real: Real): void {
    const address = wordAddress(model, this.slot);
    real.module.store(address, this.value | 0);
    model.words.set(address, this.value);
    expect(real.memory.u32[address >>> 2]).toBe(this.value);
  }
  toString = () => `module.store(${this.slot}, ${this.value})`;
}

/** `Memory.grow`: at least doubles, within the module memory's own maximum. */
class GrowThroughMemory implements fc.Command<Model, Real> {
  constructor(readonly extraPages: number) {}
  check = () => true;
  run(model: Model, real: Real): void {
    const wanted = model.pages + this.extraPages;
    const calls = real.grown.length;
    const grew = real.memory.grow(wanted * PAGE);
    if (wanted > model.maxPages) {
      expect(grew).toBe(false);
    } else {
      expect(grew).toBe(true);
      if (this.extraPages > 0) {
        // Geometric when the module's maximum allows it, else the least that serves.
        model.pages =
          model.pages * 2 <= model.maxPages ? Math.max(wanted, model.pages * 2) : wanted;
        expect(real.grown.at(-1)).toBe(model.pages * PAGE);
      }
    }
    expect(real.grown.length).toBe(calls + (grew && this.extraPages > 0 ? 1 : 0));
    expectSame(model, real);
  }
  toString = () => `memory.grow(+${this.extraPages} pages)`;
}

/** The module grows its memory itself; `refresh` brings the Memory's views up to date. */
class GrowThroughModule implements fc.Command<Model, Real> {
  constructor(readonly extraPages: number) {}
  check = () => true;
  run(model: Model, real: Real): void {
    const old = real.module.grow(this.extraPages);
    if (model.pages + this.extraPages > model.maxPages) {
      expect(old).toBe(-1);
      expect(real.memory.refresh()).toBe(false);
    } else {
      expect(old).toBe(model.pages);
      model.pages += this.extraPages;
      const calls = real.grown.length;
      // Any growth detaches the old buffer (V8 detaches it even for memory.grow(0)).
      const changed = real.memory.refresh();
      if (this.extraPages > 0) expect(changed).toBe(true);
      expect(real.grown.length).toBe(calls + (changed ? 1 : 0));
      expect(real.memory.refresh()).toBe(false);
    }
    expectSame(model, real);
  }
  toString = () => `module.grow(${this.extraPages})`;
}

describe("Memory adopting a wasm module's WebAssembly.Memory", () => {
  it("reads and writes through either side are seen by the other, across growth from either side", () => {
    const slot = fc.nat({ max: 1 << 20 });
    const value = fc.nat({ max: 0xffff_ffff });
    const pages = fc.integer({ min: 0, max: 3 });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 4, max: 12 }),
        fc.commands(
          [
            fc.tuple(slot, value).map(([s, v]) => new WriteThroughMemory(s, v)),
            fc.tuple(slot, value).map(([s, v]) => new WriteThroughModule(s, v)),
            pages.map((p) => new GrowThroughMemory(p)),
            pages.map((p) => new GrowThroughModule(p)),
          ],
          { maxCommands: 40 },
        ),
        (initial, maxPages, commands) => {
          const wasm = new Wasm.Memory({ initial, maximum: maxPages });
          const memory = new Memory({ adopt: wasm });
          expect(memory.backing).toBe("wasm-memory");
          expect(memory.wasmMemory).toBe(wasm);
          const grown: number[] = [];
          memory.onGrow((m) => grown.push(m.byteLength));
          const real: Real = { memory, module: instantiate(wasm), grown };
          const model: Model = { words: new Map(), pages: initial, maxPages };
          fc.modelRun(() => ({ model, real }), commands);
          expect(memory.buffer).toBe(wasm.buffer);
        },
      ),
    );
  });

  it("hosts an allocator: blocks the free store hands out are the module's bytes", () => {
    const wasm = new Wasm.Memory({ initial: 1, maximum: 64 });
    const module = instantiate(wasm);
    const memory = new Memory({ adopt: wasm });
    const store = new FreeStore(new MemoryPageSource(memory));
    const blocks: number[] = [];
    for (let i = 0; i < 200; i++) {
      const p = store.malloc(1000 + i);
      expect(p).not.toBe(0);
      memory.u32[p >>> 2] = i;
      blocks.push(p);
    }
    expect(wasm.buffer.byteLength).toBeGreaterThan(PAGE);
    for (const [i, p] of blocks.entries()) expect(module.load(p)).toBe(i);
    for (const p of blocks) store.free(p);
    store.verify();
  });

  it("turns a growth its module's maximum refuses into false, leaving the size as it was", () => {
    const wasm = new Wasm.Memory({ initial: 1, maximum: 2 });
    const memory = new Memory({ adopt: wasm });
    expect(memory.maximumBytes).toBe(MAX_MEMORY_BYTES);
    expect(memory.grow(3 * PAGE)).toBe(false);
    expect(memory.byteLength).toBe(PAGE);
    expect(memory.grow(2 * PAGE)).toBe(true);
    expect(memory.byteLength).toBe(2 * PAGE);
    const capped = new Memory({ adopt: new Wasm.Memory({ initial: 1 }), maximumBytes: 1 });
    expect(capped.maximumBytes).toBe(PAGE);
    expect(capped.grow(PAGE + 1)).toBe(false);
  });
});

// ── Buffers ───────────────────────────────────────────────────────────────────────────────────

const fixedBuffers = [
  ["ArrayBuffer", (bytes: number) => new ArrayBuffer(bytes)],
  ["SharedArrayBuffer", (bytes: number) => new SharedArrayBuffer(bytes)],
] as const;

describe.each(fixedBuffers)("Memory adopting a fixed-size %s", (_name, make) => {
  it("shares every byte with the owner's views, both ways", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 64 }).map((n) => n * 8),
        fc.array(
          fc.record({
            side: fc.constantFrom("memory", "owner"),
            slot: fc.nat(),
            value: fc.nat({ max: 255 }),
          }),
          { maxLength: 60 },
        ),
        (size, writes) => {
          const buffer = make(size);
          const owner = new Uint8Array(buffer);
          const memory = new Memory({ adopt: buffer });
          expect(memory.buffer).toBe(buffer);
          expect(memory.byteLength).toBe(size);
          expect(memory.maximumBytes).toBe(size);
          const model = new Uint8Array(size);
          for (const { side, slot, value } of writes) {
            const address = slot % size;
            (side === "memory" ? memory.u8 : owner)[address] = value;
            model[address] = value;
          }
          expect([...memory.u8]).toEqual([...model]);
          expect([...owner]).toEqual([...model]);
          // The word views agree with the bytes (little-endian).
          const words = new DataView(model.buffer);
          for (let a = 0; a < size; a += 4) {
            expect(memory.u32[a >>> 2]).toBe(words.getUint32(a, true));
          }
        },
      ),
    );
  });

  it("cannot grow: grow past its size is false, and asking for a larger maximum is a typed error", () => {
    const buffer = make(PAGE);
    const memory = new Memory({ adopt: buffer });
    expect(memory.grow(PAGE)).toBe(true);
    expect(memory.grow(PAGE + 1)).toBe(false);
    expect(memory.byteLength).toBe(PAGE);
    const store = new FreeStore(new MemoryPageSource(memory));
    expect(store.malloc(2 * PAGE)).toBe(0);
    store.verify();
    expect(() => new Memory({ adopt: buffer, maximumBytes: 2 * PAGE })).toThrow(
      /asks a fixed-size .*ArrayBuffer of 65536 bytes to grow/,
    );
  });
});

describe("Memory adopting a resizable ArrayBuffer or growable SharedArrayBuffer", () => {
  it.each([
    ["ArrayBuffer", new ArrayBuffer(PAGE, { maxByteLength: 4 * PAGE }), "array-buffer"],
    [
      "SharedArrayBuffer",
      new SharedArrayBuffer(PAGE, { maxByteLength: 4 * PAGE }),
      "shared-array-buffer",
    ],
  ] as const)(
    "%s: grows in place up to its maxByteLength; the owner's length-tracking view follows",
    (_n, buffer, backing) => {
      const owner = new Uint32Array(buffer);
      const memory = new Memory({ adopt: buffer });
      expect(memory.backing).toBe(backing);
      expect(memory.maximumBytes).toBe(4 * PAGE);
      owner[10] = 77;
      expect(memory.grow(3 * PAGE)).toBe(true);
      expect(buffer.byteLength).toBe(3 * PAGE);
      expect(owner.length).toBe((3 * PAGE) >>> 2);
      memory.u32[(3 * PAGE - 4) >>> 2] = 99;
      expect(owner[(3 * PAGE - 4) >>> 2]).toBe(99);
      expect(memory.u32[10]).toBe(77);
      expect(memory.grow(4 * PAGE + 1)).toBe(false);
      expect(() => new Memory({ adopt: buffer, maximumBytes: 5 * PAGE })).toThrow(/at most 262144/);
    },
  );
});

// ── Options are checked ───────────────────────────────────────────────────────────────────────

describe("Memory options", () => {
  it("refuses an unknown option with a typed error naming it", () => {
    const known = new Set(["backing", "initialBytes", "maximumBytes", "adopt"]);
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }).filter((k) => !known.has(k) && k !== "__proto__"),
        fc.anything(),
        (key, value) => {
          const options = { maximumBytes: 1 << 20, [key]: value } as MemoryOptions;
          let error: unknown;
          try {
            new Memory(options);
          } catch (e) {
            error = e;
          }
          expect(error).toBeInstanceOf(InvalidArgumentError);
          expect((error as InvalidArgumentError).code).toBe("ERR_MM_INVALID_ARGUMENT");
          expect((error as Error).message).toContain(
            `unknown Memory option ${JSON.stringify(key)}`,
          );
        },
      ),
    );
    // The misspelling that used to be ignored:
    expect(() => new Memory({ maxBytes: 1 << 20 } as MemoryOptions)).toThrow(
      'unknown Memory option "maxBytes"',
    );
  });

  it("refuses values of the wrong type with a typed error", () => {
    const bad: Array<[unknown, RegExp]> = [
      [null, /must be an object, got null/],
      [42, /must be an object, got number 42/],
      [{ initialBytes: "65536" }, /initialBytes must be a finite number of bytes, got "65536"/],
      [{ maximumBytes: Number.NaN }, /maximumBytes must be a finite number/],
      [{ maximumBytes: 1n << 20n }, /maximumBytes must be a finite number of bytes, got bigint/],
      [{ backing: 1 }, /unknown memory backing number 1/],
      [{ backing: "mmap" }, /unknown memory backing "mmap"/],
      [{ adopt: new Uint8Array(8) }, /adopt must be a WebAssembly.Memory, an ArrayBuffer/],
      [{ adopt: { buffer: new ArrayBuffer(8), grow: () => 0 } }, /adopt must be/],
      [{ adopt: new ArrayBuffer(12) }, /multiple of 8 bytes/],
      [{ adopt: new ArrayBuffer(PAGE), initialBytes: PAGE }, /initialBytes cannot be given/],
      [{ adopt: new ArrayBuffer(PAGE), backing: "wasm-memory" }, /does not match/],
      [{ adopt: new ArrayBuffer(PAGE), maximumBytes: 8 }, /at least the adopted storage's size/],
    ];
    for (const [options, message] of bad) {
      expect(() => new Memory(options as MemoryOptions)).toThrow(InvalidArgumentError);
      expect(() => new Memory(options as MemoryOptions)).toThrow(message);
    }
    const detached = new ArrayBuffer(PAGE);
    structuredClone(detached, { transfer: [detached] });
    expect(() => new Memory({ adopt: detached })).toThrow(/detached/);
  });

  it("accepts a matching backing beside adopt", () => {
    const memory = new Memory({
      adopt: new SharedArrayBuffer(PAGE),
      backing: "shared-array-buffer",
    });
    expect(memory.backing).toBe("shared-array-buffer");
  });
});

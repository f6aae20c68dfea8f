// Memory: the one contiguous byte space that holds every block and every object. Addresses
// are unsigned 32-bit byte offsets into it; address 0 is NULL and is never handed out.

import { InvalidArgumentError, invalidArgument } from "./errors.js";

/** What backs a {@link Memory}. */
export type MemoryBacking = "array-buffer" | "shared-array-buffer" | "wasm-memory";

/** Options of {@link Memory}. */
export interface MemoryOptions {
  /**
   * The storage. A `WebAssembly.Memory` (the default) can also be imported by a wasm module; a
   * resizable `ArrayBuffer` grows in place, so views taken from it never change; a growable
   * `SharedArrayBuffer` can be handed to workers.
   *
   * Why WebAssembly.Memory by default: on Node 20's V8, indexing a typed array over a resizable
   * or growable buffer (length-tracking or not) takes about three times as long as over a fixed
   * buffer, and every allocator and collector here is made of such accesses. A
   * `WebAssembly.Memory` grows by handing out a new fixed buffer, which `Memory` wraps in new
   * views; hence the rule below about reading views through the `Memory`.
   * @defaultValue `"wasm-memory"`
   */
  readonly backing?: MemoryBacking;
  /**
   * Bytes available before the first growth; rounded up to 64 KiB.
   * @defaultValue `65536`
   */
  readonly initialBytes?: number;
  /**
   * The most the memory may ever hold; rounded up to 64 KiB and at most `MAX_MEMORY_BYTES`.
   * Growth past it fails (the allocators then return 0), it never throws.
   * @defaultValue `1073741824` (1 GiB)
   */
  readonly maximumBytes?: number;
}

/** The part of `WebAssembly.Memory` that {@link Memory} uses (typed here so no DOM lib is needed). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(deltaPages: number): number;
}

interface WasmMemoryConstructor {
  new (descriptor: { initial: number; maximum: number }): WasmMemory;
}

const WasmMemoryClass = (
  globalThis as unknown as { WebAssembly: { Memory: WasmMemoryConstructor } }
).WebAssembly.Memory;

/** The growth unit, a WebAssembly page. */
export const MEMORY_GRANULE = 65536;

/**
 * The largest memory: 2 GiB less 64 KiB. Addresses are unsigned 32-bit offsets, but keeping them below
 * 2^31 lets every hot path use plain int32 bit arithmetic (`a & ~15`, `a | 0`) without
 * unsigned fix-ups, which V8 compiles to the tightest code.
 */
export const MAX_MEMORY_BYTES = 0x7fff_0000;

const DEFAULT_MAXIMUM = 1 << 30;

function roundToGranule(bytes: number): number {
  return Math.ceil(bytes / MEMORY_GRANULE) * MEMORY_GRANULE;
}

/**
 * A growable byte space with 32-bit addresses.
 *
 * Read the views (`u8`, `u32`, `i32`, `f64`, `view`) through the `Memory` each time rather than
 * keeping them across a call that may allocate: a `WebAssembly.Memory` detaches its buffer when
 * it grows, and `Memory` then replaces its views. With the other two backings the views are
 * length-tracking and never change.
 *
 * @example
 * ```ts
 * const memory = new Memory({ maximumBytes: 16 << 20 });
 * memory.grow(1 << 20);        // true: now at least 1 MiB
 * memory.u32[64 >>> 2] = 42;   // write the word at address 64
 * ```
 */
export class Memory {
  /** What backs this memory. */
  readonly backing: MemoryBacking;
  /** The most this memory may grow to, in bytes. */
  readonly maximumBytes: number;
  /** Bytes, by address. */
  readonly u8!: Uint8Array;
  /** Unsigned 32-bit words, indexed by `address >>> 2`. */
  readonly u32!: Uint32Array;
  /** Signed 32-bit words, indexed by `address >>> 2`. */
  readonly i32!: Int32Array;
  /** 64-bit floats, indexed by `address >>> 3`. */
  readonly f64!: Float64Array;
  /** Unaligned and big-endian access. */
  readonly view!: DataView;

  #buffer: ArrayBuffer | SharedArrayBuffer;
  readonly #wasm: WasmMemory | undefined;
  readonly #listeners = new Set<(memory: Memory) => void>();

  constructor(options: MemoryOptions = {}) {
    const backing = options.backing ?? "wasm-memory";
    const maximum = roundToGranule(options.maximumBytes ?? DEFAULT_MAXIMUM);
    const initial = roundToGranule(options.initialBytes ?? MEMORY_GRANULE);
    if (!Number.isFinite(maximum) || maximum <= 0 || maximum > MAX_MEMORY_BYTES) {
      invalidArgument(
        `maximumBytes must be in (0, ${MAX_MEMORY_BYTES}], got ${String(options.maximumBytes)}`,
      );
    }
    if (!Number.isFinite(initial) || initial < 0 || initial > maximum) {
      invalidArgument(
        `initialBytes must be in [0, maximumBytes = ${maximum}], got ${String(options.initialBytes)}`,
      );
    }
    this.backing = backing;
    this.maximumBytes = maximum;
    switch (backing) {
      case "array-buffer":
        this.#buffer = new ArrayBuffer(initial, { maxByteLength: maximum });
        this.#wasm = undefined;
        break;
      case "shared-array-buffer":
        this.#buffer = new SharedArrayBuffer(initial, { maxByteLength: maximum });
        this.#wasm = undefined;
        break;
      case "wasm-memory":
        this.#wasm = new WasmMemoryClass({
          initial: initial / MEMORY_GRANULE,
          maximum: maximum / MEMORY_GRANULE,
        });
        this.#buffer = this.#wasm.buffer;
        break;
      default:
        throw new InvalidArgumentError(`unknown memory backing ${JSON.stringify(backing)}`);
    }
    this.#makeViews();
  }

  /** The current size in bytes. */
  get byteLength(): number {
    return this.#buffer.byteLength;
  }

  /** The underlying buffer (it changes identity after growth only for `"wasm-memory"`). */
  get buffer(): ArrayBuffer | SharedArrayBuffer {
    return this.#buffer;
  }

  /** The `WebAssembly.Memory`, when that is the backing. */
  get wasmMemory(): WasmMemory | undefined {
    return this.#wasm;
  }

  /**
   * Makes the memory at least `minBytes` long. Growth is geometric (at least doubling, capped
   * at the maximum) so that a sequence of small growths costs amortised O(1) per byte.
   * @returns `false`, with nothing changed, when `minBytes` exceeds the maximum.
   */
  grow(minBytes: number): boolean {
    const current = this.#buffer.byteLength;
    if (minBytes <= current) return true;
    if (!(minBytes <= this.maximumBytes)) return false;
    const target = Math.min(this.maximumBytes, Math.max(roundToGranule(minBytes), current * 2));
    if (this.#wasm) {
      this.#wasm.grow((target - current) / MEMORY_GRANULE);
      this.#buffer = this.#wasm.buffer;
      this.#makeViews();
    } else if (this.#buffer instanceof ArrayBuffer) {
      this.#buffer.resize(target);
    } else {
      this.#buffer.grow(target);
    }
    for (const listener of this.#listeners) listener(this);
    return true;
  }

  /**
   * Calls `listener` after every growth (to resize side tables or refresh cached views).
   * @returns a function that removes the listener.
   */
  onGrow(listener: (memory: Memory) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #makeViews(): void {
    const buffer = this.#buffer;
    const self = this as { -readonly [K in "u8" | "u32" | "i32" | "f64" | "view"]: Memory[K] };
    self.u8 = new Uint8Array(buffer);
    self.u32 = new Uint32Array(buffer);
    self.i32 = new Int32Array(buffer);
    self.f64 = new Float64Array(buffer);
    self.view = new DataView(buffer);
  }
}

// Memory: the one contiguous byte space that holds every block and every object. Addresses
// are unsigned 32-bit byte offsets into it; address 0 is NULL and is never handed out.

import { InvalidArgumentError, invalidArgument, OutOfMemoryError } from "./errors.js";

/** What backs a {@link Memory}. */
export type MemoryBacking = "array-buffer" | "shared-array-buffer" | "wasm-memory";

/** Options of {@link Memory}. Any other key, or a value of the wrong type, is an {@link InvalidArgumentError}. */
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
   *
   * With {@link MemoryOptions.adopt} the backing follows from what is adopted; naming another
   * one is an error.
   * @defaultValue `"wasm-memory"`
   */
  readonly backing?: MemoryBacking;
  /**
   * Bytes available before the first growth; rounded up to 64 KiB. Not allowed with
   * {@link MemoryOptions.adopt}: the adopted storage has its size.
   * @defaultValue `65536`
   */
  readonly initialBytes?: number;
  /**
   * The most the memory may ever hold; rounded up to 64 KiB and at most `MAX_MEMORY_BYTES`.
   * Growth past it fails (the allocators then return 0), it never throws.
   *
   * With {@link MemoryOptions.adopt}: for a `WebAssembly.Memory`, the most this `Memory` grows
   * it to (its own module's maximum also applies: a growth the engine refuses is a `false` from
   * `grow`); for a buffer, at most what the buffer can hold (its `maxByteLength`), so asking a
   * fixed-size buffer to grow is an error when the `Memory` is made.
   * @defaultValue `1073741824` (1 GiB); with `adopt`, a buffer's `maxByteLength` (its size when it
   * is fixed), and for a `WebAssembly.Memory` `MAX_MEMORY_BYTES`
   */
  readonly maximumBytes?: number;
  /**
   * Storage that already exists, to be used instead of new storage: a `WebAssembly.Memory`
   * (for instance one that a runtime author's own wasm module exports or imports), or an
   * `ArrayBuffer` / `SharedArrayBuffer`, fixed-size or resizable/growable.
   *
   * The `Memory` reads and writes the adopted bytes in place: what its views write, the
   * owner's views over the same buffer read, and the other way round. Allocators over it
   * (`MemoryPageSource`) hand out the bytes past the first page and assume that bytes they map
   * for the first time are zero, as a new `WebAssembly.Memory`'s are: adopt storage the heap may
   * own whole. When the owner grows an adopted `WebAssembly.Memory` itself (`memory.grow` in
   * its module), call {@link Memory.refresh} before the next access through the `Memory`.
   *
   * The size must be a multiple of 8 bytes (the `f64` view) and at most `MAX_MEMORY_BYTES`.
   */
  readonly adopt?: WasmMemory | ArrayBuffer | SharedArrayBuffer;
  /**
   * Make the storage at `maximumBytes` at once and grow only the views over it, so the buffer
   * is never replaced. Not allowed with {@link MemoryOptions.adopt}.
   *
   * Why: growing a `WebAssembly.Memory` detaches its old buffer, and once any buffer in the
   * process has been detached, V8 adds a detach check and a length reload to every typed-array
   * access it compiles from then on, in every module. Allocators and collectors are made of
   * such accesses: over a reserved memory `@mm/runtime`'s Python benchmark programs run 1–6%
   * fewer instructions, for as long as nothing else in the process detaches a buffer. A
   * process that makes and drops many large reserved memories can lose more than that: the
   * engine collects them at other moments, and optimised code that embedded their owners'
   * objects is thrown away and compiled again with less inlining (see `@mm/runtime`'s README).
   * The cost is paid when the `Memory` is made (the engine maps the
   * whole range, about 2–3 ms for 512 MiB on Linux) and in address space; the operating system
   * still provides pages only when they are first touched, so resident memory is unchanged.
   * When the engine cannot map the whole range at once (a small address space), the memory
   * grows as an unreserved one: {@link Memory.reserved} says which happened.
   * With a reserved memory, {@link Memory.buffer} is longer than {@link Memory.byteLength};
   * the views span `byteLength` bytes, as without it.
   * @defaultValue `false`
   */
  readonly reserve?: boolean;
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
 * The largest memory: 4 GiB less 64 KiB, the most a 32-bit address space holds with every end
 * address (one past the last byte) still a 32-bit word. Addresses are unsigned: code that does
 * bit arithmetic on one (`a & ~15`, a mask) turns the result back into an unsigned number with
 * `>>> 0` before comparing or storing it anywhere but a `Uint32Array`, and indexes words with
 * `>>> 2`, never `>> 2`.
 */
export const MAX_MEMORY_BYTES = 0xffff_0000;

const DEFAULT_MAXIMUM = 1 << 30;

/**
 * The room a non-adopted `"wasm-memory"` keeps above its largest heap for side tables: an
 * eighth of `maximumBytes` (the object space's, pymalloc's and the free lists' bitmaps take
 * about a twentieth), within `MAX_MEMORY_BYTES`.
 */
function sideRoom(maximum: number): number {
  return Math.min(MAX_MEMORY_BYTES - maximum, roundToGranule(maximum / 8));
}

/**
 * A table that a {@link Memory} keeps in its own storage, above every byte it hands out (see
 * {@link Memory.addSideTable}).
 */
export interface SideTable {
  /** The bytes the table needs while the memory's heap part is `heapBytes` long; a multiple of 8. */
  bytesFor(heapBytes: number): number;
  /**
   * Called when the table is placed or moved, before the growth listeners: `bytes` bytes of
   * `buffer` from `byteOffset` are the table, its old contents copied and the rest zero.
   */
  placed(buffer: ArrayBuffer, byteOffset: number, bytes: number): void;
}

function roundToGranule(bytes: number): number {
  return Math.ceil(bytes / MEMORY_GRANULE) * MEMORY_GRANULE;
}

/** Grows a `WebAssembly.Memory` by `bytes` (whole pages); `false` when the engine refuses. */
function growWasm(wasm: WasmMemory, bytes: number): boolean {
  try {
    wasm.grow(Math.ceil(bytes / MEMORY_GRANULE));
    return true;
  } catch (error) {
    if (error instanceof RangeError) return false;
    throw error;
  }
}

const OPTION_KEYS: ReadonlySet<string> = new Set([
  "backing",
  "initialBytes",
  "maximumBytes",
  "adopt",
  "reserve",
]);
const BACKINGS: ReadonlySet<string> = new Set([
  "array-buffer",
  "shared-array-buffer",
  "wasm-memory",
]);

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return `an object (${Object.prototype.toString.call(value)})`;
  if (typeof value === "string") return JSON.stringify(value);
  return `${typeof value} ${String(value)}`;
}

/** Refuses unknown keys and values of the wrong type, before anything is allocated. */
function checkOptions(options: MemoryOptions): void {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    invalidArgument(`Memory options must be an object, got ${describeValue(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.has(key)) {
      invalidArgument(
        `unknown Memory option ${JSON.stringify(key)} (the options are ${[...OPTION_KEYS].join(", ")})`,
      );
    }
  }
  const { backing, initialBytes, maximumBytes, reserve } = options as Record<string, unknown>;
  if (reserve !== undefined && typeof reserve !== "boolean") {
    invalidArgument(`reserve must be a boolean, got ${describeValue(reserve)}`);
  }
  if (backing !== undefined && (typeof backing !== "string" || !BACKINGS.has(backing))) {
    throw new InvalidArgumentError(
      `unknown memory backing ${typeof backing === "string" ? JSON.stringify(backing) : describeValue(backing)} (one of ${[...BACKINGS].join(", ")})`,
    );
  }
  for (const [name, value] of [
    ["initialBytes", initialBytes],
    ["maximumBytes", maximumBytes],
  ] as const) {
    if (value !== undefined && (typeof value !== "number" || !Number.isFinite(value))) {
      invalidArgument(`${name} must be a finite number of bytes, got ${describeValue(value)}`);
    }
  }
}

/** A new store and how it was made. */
interface Store {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  readonly wasm: WasmMemory | undefined;
  readonly reserved: boolean;
}

/**
 * Makes `bytes` of storage that may grow to `maximum` (fixed at `bytes` when `reserved`);
 * `undefined` when the engine refuses to map it.
 */
function makeStore(
  backing: MemoryBacking,
  bytes: number,
  maximum: number,
  reserved: boolean,
): Store | undefined {
  try {
    switch (backing) {
      case "array-buffer": {
        const buffer = reserved
          ? new ArrayBuffer(bytes)
          : new ArrayBuffer(bytes, { maxByteLength: maximum });
        return { buffer, wasm: undefined, reserved };
      }
      case "shared-array-buffer": {
        const buffer = reserved
          ? new SharedArrayBuffer(bytes)
          : new SharedArrayBuffer(bytes, { maxByteLength: maximum });
        return { buffer, wasm: undefined, reserved };
      }
      case "wasm-memory": {
        const wasm = new WasmMemoryClass({
          initial: bytes / MEMORY_GRANULE,
          maximum: maximum / MEMORY_GRANULE,
        });
        return { buffer: wasm.buffer, wasm, reserved };
      }
      default:
        throw new InvalidArgumentError(`unknown memory backing ${JSON.stringify(backing)}`);
    }
  } catch (error) {
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}

function isWasmMemory(value: unknown): value is WasmMemory {
  return value instanceof WasmMemoryClass;
}

/** What `adopt` resolves to. */
interface Adopted {
  readonly backing: MemoryBacking;
  readonly maximum: number;
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  readonly wasm: WasmMemory | undefined;
}

/** Checks an adopted store against the other options and works out its backing and maximum. */
function adopt(options: MemoryOptions): Adopted {
  const store: unknown = options.adopt;
  if (options.initialBytes !== undefined) {
    invalidArgument("initialBytes cannot be given with adopt: the adopted storage has its size");
  }
  let backing: MemoryBacking;
  let buffer: ArrayBuffer | SharedArrayBuffer;
  let wasm: WasmMemory | undefined;
  let ceiling: number;
  if (isWasmMemory(store)) {
    backing = "wasm-memory";
    wasm = store;
    buffer = store.buffer;
    ceiling = MAX_MEMORY_BYTES;
  } else if (store instanceof ArrayBuffer || store instanceof SharedArrayBuffer) {
    backing = store instanceof ArrayBuffer ? "array-buffer" : "shared-array-buffer";
    buffer = store;
    wasm = undefined;
    if (store instanceof ArrayBuffer && store.detached) {
      invalidArgument("adopt: the ArrayBuffer is detached");
    }
    const growable = store instanceof ArrayBuffer ? store.resizable : store.growable;
    ceiling = growable ? Math.min(store.maxByteLength, MAX_MEMORY_BYTES) : store.byteLength;
  } else {
    return invalidArgument(
      `adopt must be a WebAssembly.Memory, an ArrayBuffer or a SharedArrayBuffer, got ${describeValue(store)}`,
    );
  }
  if (options.backing !== undefined && options.backing !== backing) {
    invalidArgument(
      `backing ${JSON.stringify(options.backing)} does not match the adopted storage, which is ${JSON.stringify(backing)}`,
    );
  }
  const size = buffer.byteLength;
  if (size % 8 !== 0 || size > MAX_MEMORY_BYTES) {
    invalidArgument(
      `adopt: the storage's size must be a multiple of 8 bytes and at most ${MAX_MEMORY_BYTES}, got ${size}`,
    );
  }
  const asked = options.maximumBytes;
  // A WebAssembly.Memory grows by whole pages, so its maximum is a whole number of them.
  const maximum = asked === undefined ? ceiling : wasm ? roundToGranule(asked) : asked;
  if (maximum > ceiling) {
    invalidArgument(
      ceiling === size && wasm === undefined
        ? `maximumBytes ${maximum} asks a fixed-size ${backing === "array-buffer" ? "ArrayBuffer" : "SharedArrayBuffer"} of ${size} bytes to grow; adopt a resizable one (maxByteLength) or leave maximumBytes out`
        : `maximumBytes must be at most ${ceiling} for this storage, got ${maximum}`,
    );
  }
  if (maximum < size) {
    invalidArgument(
      `maximumBytes must be at least the adopted storage's size ${size}, got ${maximum}`,
    );
  }
  return { backing, maximum, buffer, wasm };
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
  readonly #reserved: boolean;
  /**
   * The views' length when reserved or hosting side tables (otherwise the buffer's own length
   * is the size): the heap part, below the side tables.
   */
  #length: number;
  readonly #listeners = new Set<(memory: Memory) => void>();
  /** Whether side tables may live in the storage: a `WebAssembly.Memory` of its own. */
  readonly #hostsTables: boolean;
  /** The most the storage may hold: `maximumBytes` and, when hosting, the tables' room. */
  readonly #storeMaximum: number;
  /** The side tables, lowest first, each at `offset` for `bytes`; the first at `#length`. */
  readonly #tables: Array<{ readonly table: SideTable; offset: number; bytes: number }> = [];
  /** The side tables' bytes: they span [`#length`, `#length + #tableBytes`). */
  #tableBytes = 0;

  constructor(options: MemoryOptions = {}) {
    checkOptions(options);
    if (options.adopt !== undefined) {
      if (options.reserve === true) {
        invalidArgument("reserve cannot be given with adopt: the adopted storage has its size");
      }
      const adopted = adopt(options);
      this.backing = adopted.backing;
      this.maximumBytes = adopted.maximum;
      this.#buffer = adopted.buffer;
      this.#wasm = adopted.wasm;
      this.#reserved = false;
      this.#hostsTables = false;
      this.#storeMaximum = adopted.maximum;
      this.#length = this.#buffer.byteLength;
      this.#makeViews();
      return;
    }
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
    this.#length = initial;
    this.#hostsTables = backing === "wasm-memory";
    const storeMaximum = this.#hostsTables ? maximum + sideRoom(maximum) : maximum;
    this.#storeMaximum = storeMaximum;
    // A reserved store is made at the maximum, so no growth ever replaces or resizes it; when
    // the engine cannot map that much at once, the memory grows as an unreserved one does.
    const store =
      (options.reserve === true && makeStore(backing, storeMaximum, storeMaximum, true)) ||
      makeStore(backing, initial, storeMaximum, false);
    if (store === undefined) {
      throw new OutOfMemoryError(initial, `the engine refused a ${backing} of ${initial} bytes`);
    }
    this.#reserved = store.reserved;
    this.#buffer = store.buffer;
    this.#wasm = store.wasm;
    this.#makeViews();
  }

  /** The current size in bytes: how far the views reach. */
  get byteLength(): number {
    return this.#reserved || this.#hostsTables ? this.#length : this.#buffer.byteLength;
  }

  /** Whether the storage was made at its maximum ({@link MemoryOptions.reserve}). */
  get reserved(): boolean {
    return this.#reserved;
  }

  /**
   * The underlying buffer. It changes identity after growth (or {@link addSideTable}) only for
   * an unreserved `"wasm-memory"`; a reserved memory's buffer is at least `maximumBytes` long,
   * past `byteLength`, and a `"wasm-memory"`'s holds its side tables past `byteLength`.
   */
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
    if (this.#wasm && !this.#reserved && !this.#hostsTables) this.refresh();
    const current = this.byteLength;
    if (minBytes <= current) return true;
    if (!(minBytes <= this.maximumBytes)) return false;
    const target = Math.min(this.maximumBytes, Math.max(roundToGranule(minBytes), current * 2));
    if (this.#hostsTables) {
      // Near the storage's end the tables may not leave room for the geometric step: then
      // the largest heap part they leave room for, so that the tables are not moved again
      // at every small growth; then the least that serves.
      if (
        !this.#growHeapPart(target) &&
        !this.#growHeapPart(Math.min(target, this.#largestHeapPart())) &&
        !this.#growHeapPart(roundToGranule(minBytes))
      ) {
        return false;
      }
    } else if (this.#reserved) {
      this.#length = target;
      this.#makeViews();
    } else if (this.#wasm) {
      // An adopted memory may have a maximum of its own, which JavaScript cannot read: when
      // the engine refuses the geometric step, the least growth that serves may still fit.
      if (
        !growWasm(this.#wasm, target - current) &&
        !growWasm(this.#wasm, roundToGranule(minBytes) - current)
      ) {
        return false;
      }
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
   * Picks up a growth of an adopted `WebAssembly.Memory` made by its owner (its module's
   * `memory.grow`, or `WebAssembly.Memory.prototype.grow` called directly): replaces the views
   * and calls the `onGrow` listeners. `grow` does this by itself; call it after the owner ran
   * and before the next access through the views. With the other backings nothing can change
   * behind the views' back (they track the buffer's length), and it does nothing.
   * @returns whether the buffer had changed.
   */
  refresh(): boolean {
    const wasm = this.#wasm;
    if (wasm === undefined || this.#reserved || this.#hostsTables || wasm.buffer === this.#buffer) {
      return false;
    }
    this.#buffer = wasm.buffer;
    this.#makeViews();
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

  /**
   * Keeps `table` in this memory's own storage, above every byte of `byteLength` (so above
   * every address a page source maps), and moves it up as the memory grows: the heap part
   * stays contiguous from 0 and no address it holds changes. `table.placed` is called now and
   * after every move. Only a `WebAssembly.Memory` that this `Memory` made hosts tables (a
   * module importing the memory reads them with plain loads); within an eighth of
   * `maximumBytes` of room (its storage may grow that far past the maximum, within
   * `MAX_MEMORY_BYTES`; a heap part at `MAX_MEMORY_BYTES` leaves its tables' bytes to them).
   * @returns `false`, with nothing changed, when this memory hosts no tables or the table does
   *   not fit: the caller then keeps its table elsewhere.
   */
  addSideTable(table: SideTable): boolean {
    if (!this.#hostsTables) return false;
    const bytes = table.bytesFor(this.#length);
    const offset = this.#length + this.#tableBytes;
    if (bytes % 8 !== 0 || bytes < 0) {
      invalidArgument(`a side table's size must be a multiple of 8 bytes, got ${bytes}`);
    }
    const end = offset + bytes;
    if (end > this.#storeMaximum) return false;
    const grown = !this.#reserved && end > this.#buffer.byteLength;
    if (grown) {
      if (!growWasm(this.#wasm!, end - this.#buffer.byteLength)) return false;
      this.#buffer = this.#wasm!.buffer;
    }
    this.#tables.push({ table, offset, bytes });
    this.#tableBytes += bytes;
    this.#makeViews();
    new Uint8Array(this.#buffer, offset, bytes).fill(0);
    if (grown) {
      this.#placeTables();
      for (const listener of this.#listeners) listener(this);
    } else {
      table.placed(this.#buffer as ArrayBuffer, offset, bytes);
    }
    return true;
  }

  /**
   * Makes the heap part `heap` bytes long and moves the side tables up above it, each grown to
   * what it needs for `heap`; `false`, with nothing changed, when the storage cannot hold both.
   */
  /** The largest heap part, in whole granules, that the storage holds with its tables. */
  #largestHeapPart(): number {
    const fits = (heap: number): boolean => {
      let end = heap;
      for (const entry of this.#tables) {
        end += Math.max(entry.bytes, entry.table.bytesFor(heap));
      }
      return end <= this.#storeMaximum;
    };
    // A binary search over granules: what the tables need only grows with the heap part.
    let low = this.#length / MEMORY_GRANULE;
    let high = Math.floor(this.maximumBytes / MEMORY_GRANULE);
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if (fits(middle * MEMORY_GRANULE)) low = middle;
      else high = middle - 1;
    }
    return low * MEMORY_GRANULE;
  }

  #growHeapPart(heap: number): boolean {
    if (heap <= this.#length) return false;
    const tables = this.#tables;
    let tableBytes = 0;
    const sizes: number[] = [];
    for (const entry of tables) {
      const bytes = Math.max(entry.bytes, entry.table.bytesFor(heap));
      if (bytes % 8 !== 0) {
        invalidArgument(`a side table's size must be a multiple of 8 bytes, got ${bytes}`);
      }
      sizes.push(bytes);
      tableBytes += bytes;
    }
    const end = heap + tableBytes;
    if (end > this.#storeMaximum) return false;
    if (!this.#reserved && end > this.#buffer.byteLength) {
      if (!growWasm(this.#wasm!, roundToGranule(end) - this.#buffer.byteLength)) return false;
      this.#buffer = this.#wasm!.buffer;
    }
    // Move the tables up, the highest first: each lands at or above where it was, and only
    // over bytes of tables already moved, so every copy reads bytes not yet written.
    const all = new Uint8Array(this.#buffer);
    const oldHeap = this.#length;
    const oldEnd = oldHeap + this.#tableBytes;
    let offset = end;
    for (let i = tables.length - 1; i >= 0; i--) {
      const entry = tables[i]!;
      offset -= sizes[i]!;
      if (offset !== entry.offset) all.copyWithin(offset, entry.offset, entry.offset + entry.bytes);
      all.fill(0, offset + entry.bytes, offset + sizes[i]!);
      entry.offset = offset;
      entry.bytes = sizes[i]!;
    }
    // What the tables left below the new heap end is now heap that no page source has mapped:
    // zero, as fresh memory is.
    all.fill(0, oldHeap, Math.min(oldEnd, heap));
    this.#length = heap;
    this.#tableBytes = tableBytes;
    this.#makeViews();
    this.#placeTables();
    return true;
  }

  #placeTables(): void {
    const buffer = this.#buffer as ArrayBuffer;
    for (const entry of this.#tables) entry.table.placed(buffer, entry.offset, entry.bytes);
  }

  #makeViews(): void {
    const buffer = this.#buffer;
    const self = this as { -readonly [K in "u8" | "u32" | "i32" | "f64" | "view"]: Memory[K] };
    if (this.#reserved || this.#tableBytes > 0) {
      const length = this.#length;
      self.u8 = new Uint8Array(buffer, 0, length);
      self.u32 = new Uint32Array(buffer, 0, length >>> 2);
      self.i32 = new Int32Array(buffer, 0, length >>> 2);
      self.f64 = new Float64Array(buffer, 0, length >>> 3);
      self.view = new DataView(buffer, 0, length);
      return;
    }
    self.u8 = new Uint8Array(buffer);
    self.u32 = new Uint32Array(buffer);
    self.i32 = new Int32Array(buffer);
    self.f64 = new Float64Array(buffer);
    self.view = new DataView(buffer);
  }
}

// Debug hooks around any allocator, as CPython's PYTHONMALLOC=debug installs them: every
// block carries its requested size, the id of the API that allocated it and guard bytes on both
// sides, so that overruns, underruns, frees through the wrong API and double frees are caught.
//
// Block layout (S = 8), byte for byte as CPython 3.11 lays it out:
//
//   base          base+8   base+9          base+16 = p        p+N           p+N+8
//   | size (BE, 8) | api id | 0xFD x 7      | data: 0xCD x N    | 0xFD x 8      |
//
// Freed blocks are filled with 0xDD. Unlike CPython, a freed block is not handed back to the
// inner allocator at once: it waits in a quarantine (FIFO, bounded in bytes) so that a write
// into freed memory is found when the block leaves the quarantine or at the next `verify()`.

import type { Allocator, AllocatorStats } from "./allocator.js";
import {
  type AllocatorApi,
  ApiMismatchError,
  checkSize,
  DebugHookError,
  DoubleFreeError,
  hex,
  InvalidAddressError,
  invalidArgument,
} from "./errors.js";
import type { Memory } from "./memory.js";

/** Fills fresh memory (not for calloc). */
export const CLEAN_BYTE = 0xcd;
/** Fills freed memory, header and trailer included. */
export const DEAD_BYTE = 0xdd;
/** Fills the guard bytes before and after the data. */
export const FORBIDDEN_BYTE = 0xfd;
/** Bytes added to every block: an 8-byte size, 1 id byte and 7 guards before, 8 guards after. */
export const DEBUG_EXTRA_BYTES = 24;
const HEAD = 16;
const TAIL = 8;

/** Options of {@link DebugAllocator}. */
export interface DebugHooksOptions {
  /**
   * The API id written into each block: `"r"` (raw), `"m"` (mem) or `"o"` (object).
   * @defaultValue `"o"`
   */
  readonly api?: AllocatorApi;
  /**
   * How many bytes of freed blocks are held back before they are returned to the inner
   * allocator; writes into them are caught while they wait. 0 returns them at once.
   * @defaultValue `1048576` (1 MiB)
   */
  readonly quarantineBytes?: number;
}

/**
 * Wraps an {@link Allocator} with CPython's debug hooks.
 *
 * @example
 * ```ts
 * const debug = new DebugAllocator(new FreeStore(new MemoryPageSource(new Memory())), { api: "m" });
 * const p = debug.malloc(10);   // memory.u8[p] === 0xcd, guard bytes around it
 * debug.memory.u8[p + 10] = 0;  // an overrun...
 * debug.free(p);                // ...throws DebugHookError (kind "overrun")
 * ```
 */
export class DebugAllocator implements Allocator {
  readonly memory: Memory;
  readonly name: string;
  readonly inner: Allocator;
  readonly api: AllocatorApi;
  readonly quarantineBytes: number;
  /** Live blocks: data address → requested size. */
  readonly #live = new Map<number, number>();
  /** Freed blocks waiting to go back to the inner allocator: data address → requested size. */
  readonly #quarantine = new Map<number, number>();
  #quarantined = 0;
  #liveBytes = 0;

  constructor(inner: Allocator, options: DebugHooksOptions = {}) {
    const api = options.api ?? "o";
    if (api !== "r" && api !== "m" && api !== "o") {
      invalidArgument(`api must be "r", "m" or "o", got ${JSON.stringify(api)}`);
    }
    const quarantineBytes = options.quarantineBytes ?? 1 << 20;
    checkSize("quarantineBytes", quarantineBytes);
    this.inner = inner;
    this.memory = inner.memory;
    this.api = api;
    this.quarantineBytes = quarantineBytes;
    this.name = `${inner.name}+debug`;
  }

  malloc(size: number): number {
    checkSize("malloc size", size, Number.MAX_SAFE_INTEGER);
    const base = this.inner.malloc(size + DEBUG_EXTRA_BYTES);
    if (base === 0) return 0;
    return this.#frame(base, size, true);
  }

  calloc(count: number, size: number): number {
    checkSize("calloc count", count, Number.MAX_SAFE_INTEGER);
    checkSize("calloc size", size, Number.MAX_SAFE_INTEGER);
    const total = count * size;
    const base = this.inner.calloc(1, total + DEBUG_EXTRA_BYTES);
    if (base === 0) return 0;
    return this.#frame(base, total, false);
  }

  realloc(address: number, size: number): number {
    if (address === 0) return this.malloc(size);
    checkSize("realloc size", size, Number.MAX_SAFE_INTEGER);
    const old = this.#checkLive("realloc", address);
    const base = this.inner.realloc(address - HEAD, size + DEBUG_EXTRA_BYTES);
    if (base === 0) return 0;
    this.#live.delete(address);
    this.#liveBytes -= old;
    const p = this.#frame(base, size, false);
    if (size > old) this.memory.u8.fill(CLEAN_BYTE, p + old, p + size);
    return p;
  }

  free(address: number): void {
    if (address === 0) return;
    const size = this.#checkLive("free", address);
    this.#live.delete(address);
    this.#liveBytes -= size;
    this.memory.u8.fill(DEAD_BYTE, address - HEAD, address + size + TAIL);
    if (this.quarantineBytes === 0) {
      this.inner.free(address - HEAD);
      return;
    }
    this.#quarantine.set(address, size);
    this.#quarantined += size + DEBUG_EXTRA_BYTES;
    while (this.#quarantined > this.quarantineBytes) {
      const [oldest, oldSize] = this.#quarantine.entries().next().value as [number, number];
      this.#evict(oldest, oldSize);
    }
  }

  usableSize(address: number): number {
    return this.#checkLive("usableSize", address);
  }

  owns(address: number): boolean {
    return this.#live.has(address) || this.#quarantine.has(address) || this.inner.owns(address);
  }

  stats(): AllocatorStats {
    const inner = this.inner.stats();
    return {
      liveBlocks: this.#live.size,
      liveBytes: this.#liveBytes,
      footprintBytes: inner.footprintBytes,
      freeBytes: inner.freeBytes,
    };
  }

  /** The blocks now in quarantine. */
  get quarantinedBlocks(): number {
    return this.#quarantine.size;
  }

  /** Checks and returns every quarantined block to the inner allocator. */
  flushQuarantine(): void {
    let first: unknown;
    for (const [address, size] of [...this.#quarantine]) {
      try {
        this.#evict(address, size);
      } catch (error) {
        first ??= error;
      }
    }
    if (first !== undefined) throw first;
  }

  /** Checks the guards of one live block, as CPython's `_PyObject_DebugCheckAddress`. */
  checkAddress(address: number): void {
    this.#checkLive("access", address);
  }

  verify(): void {
    for (const [address, size] of this.#live) this.#checkGuards(address, size);
    for (const [address, size] of this.#quarantine) this.#checkDead(address, size);
    this.inner.verify();
  }

  /** Writes the header and trailer around a fresh inner block and records it. */
  #frame(base: number, size: number, clean: boolean): number {
    const { u8, view } = this.memory;
    view.setUint32(base, Math.floor(size / 0x1_0000_0000));
    view.setUint32(base + 4, size >>> 0);
    u8[base + 8] = this.api.charCodeAt(0);
    u8.fill(FORBIDDEN_BYTE, base + 9, base + HEAD);
    const p = base + HEAD;
    if (clean) u8.fill(CLEAN_BYTE, p, p + size);
    u8.fill(FORBIDDEN_BYTE, p + size, p + size + TAIL);
    this.#live.set(p, size);
    this.#liveBytes += size;
    return p;
  }

  /** Validates an address given by a caller; returns its requested size. Changes nothing. */
  #checkLive(operation: "free" | "realloc" | "usableSize" | "access", address: number): number {
    const size = this.#live.get(address);
    if (size !== undefined) {
      this.#checkGuards(address, size);
      return size;
    }
    const dead = this.#quarantine.get(address);
    if (dead !== undefined) {
      if (operation === "free") {
        throw new DoubleFreeError(address, `a ${dead}-byte block of API '${this.api}'`);
      }
      throw new InvalidAddressError(
        operation === "access" ? "access" : operation,
        address,
        "freed",
        `a ${dead}-byte block of API '${this.api}'`,
      );
    }
    const foreign = this.#foreignApi(address);
    if (foreign) throw new ApiMismatchError(address, foreign.size, foreign.api, this.api);
    const reason =
      address === 0
        ? "null"
        : (address & 15) !== 0
          ? "misaligned"
          : this.inner.owns(address)
            ? "interior"
            : "not-owned";
    throw new InvalidAddressError(operation === "access" ? "access" : operation, address, reason);
  }

  /**
   * Reads what looks like another API's debug header before `address`: CPython decides a
   * wrong-API free by the id byte alone, and so do we, once the guards say it is a real block.
   */
  #foreignApi(address: number): { api: AllocatorApi; size: number } | undefined {
    const { u8, view } = this.memory;
    if (address < HEAD || address + TAIL > u8.length || !this.inner.owns(address - HEAD)) {
      return undefined;
    }
    const id = String.fromCharCode(u8[address - 8]!);
    if ((id !== "r" && id !== "m" && id !== "o") || id === this.api) return undefined;
    for (let i = address - 7; i < address; i++) if (u8[i] !== FORBIDDEN_BYTE) return undefined;
    const size = view.getUint32(address - HEAD) * 0x1_0000_0000 + view.getUint32(address - 12);
    if (address + size + TAIL > u8.length) return undefined;
    return { api: id, size };
  }

  #checkGuards(address: number, size: number): void {
    const { u8, view } = this.memory;
    const storedSize =
      view.getUint32(address - HEAD) * 0x1_0000_0000 + view.getUint32(address - 12);
    if (storedSize !== size) {
      throw new DebugHookError(
        "underrun",
        address,
        size,
        this.api,
        `the size field reads ${storedSize}`,
      );
    }
    const id = u8[address - 8]!;
    if (id !== this.api.charCodeAt(0)) {
      throw new DebugHookError(
        "underrun",
        address,
        size,
        this.api,
        `the API id byte reads 0x${id.toString(16)}`,
      );
    }
    for (let i = address - 7; i < address; i++) {
      if (u8[i] !== FORBIDDEN_BYTE) {
        throw new DebugHookError(
          "underrun",
          address,
          size,
          this.api,
          `guard byte at ${hex(i)} reads 0x${u8[i]!.toString(16)}`,
        );
      }
    }
    for (let i = address + size; i < address + size + TAIL; i++) {
      if (u8[i] !== FORBIDDEN_BYTE) {
        throw new DebugHookError(
          "overrun",
          address,
          size,
          this.api,
          `guard byte at ${hex(i)} reads 0x${u8[i]!.toString(16)}`,
        );
      }
    }
  }

  #checkDead(address: number, size: number): void {
    const error = this.#deadPatternError(address, size);
    if (error) throw error;
  }

  #deadPatternError(address: number, size: number): DebugHookError | undefined {
    const u8 = this.memory.u8;
    for (let i = address - HEAD; i < address + size + TAIL; i++) {
      if (u8[i] !== DEAD_BYTE) {
        return new DebugHookError(
          "use-after-free",
          address,
          size,
          this.api,
          `byte at ${hex(i)} was written after free (reads 0x${u8[i]!.toString(16)})`,
        );
      }
    }
    return undefined;
  }

  /** Leaves the quarantine: check the dead pattern, free for real, then report what was found. */
  #evict(address: number, size: number): void {
    const error = this.#deadPatternError(address, size);
    this.#quarantine.delete(address);
    this.#quarantined -= size + DEBUG_EXTRA_BYTES;
    this.inner.free(address - HEAD);
    if (error) throw error;
  }
}

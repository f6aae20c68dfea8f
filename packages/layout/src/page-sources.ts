// The two page sources through which @mm/heap's allocators live inside a process: one over the
// mmap region (a pool allocator's arenas, growing down from mmap_base as glibc's and CPython's
// mmaps do) and one over the brk heap (`map` is sbrk growth, so a free store runs as malloc).
//
// Both hand out Memory offsets, as every PageSource does; the process translates an offset to
// its virtual address. Offsets and virtual addresses run in opposite directions in the mmap
// region: each new chunk takes the lowest free frames (the Memory only grows up) and the
// highest free virtual range (the region grows down). Within one chunk both run the same way.

import {
  checkSize,
  InvalidAddressError,
  invalidArgument,
  type Memory,
  type PageSource,
} from "@mm/heap";
import { PAGE_SIZE, PROT_READ, PROT_WRITE } from "./api.js";
import { LayoutCorruptionError } from "./errors.js";
import { Owner, pageUp, type VirtualMemory } from "./internal/vm.js";

/** A chunk a page source has handed out, in both address spaces. */
export interface PageSourceChunk {
  /** Its first virtual address. */
  readonly start: number;
  /** One past its last virtual address. */
  readonly end: number;
  /** The Memory offset of `start`. */
  readonly offset: number;
}

/** The page source over the mmap region: every `map` is an anonymous `mmap`. */
export interface MmapPageSource extends PageSource {
  /** The chunks currently mapped, highest virtual address first (the order they grow in). */
  chunks(): PageSourceChunk[];
}

/**
 * The page source over the brk heap: `map` grows the break (or reuses pages given back in the
 * middle of the heap), `unmap` at the top shrinks it, as glibc's malloc does with `sbrk`.
 */
export interface BrkPageSource extends PageSource {
  /** The chunks currently handed out, in address order. */
  chunks(): PageSourceChunk[];
  /** Pages given back below the top of the heap, kept for the next `map` (in address order). */
  holes(): PageSourceChunk[];
}

function checkAlignment(alignment: number): void {
  if (
    !Number.isSafeInteger(alignment) ||
    alignment < PAGE_SIZE ||
    (alignment & (alignment - 1)) !== 0 ||
    alignment > 1 << 30
  ) {
    invalidArgument(
      `alignment must be a power of two between ${PAGE_SIZE} and 2^30, got ${String(alignment)}`,
    );
  }
}

/** @internal */
export class MmapPages implements MmapPageSource {
  readonly memory: Memory;
  readonly pageSize = PAGE_SIZE;
  #mappedBytes = 0;
  readonly #vm: VirtualMemory;

  constructor(vm: VirtualMemory) {
    this.#vm = vm;
    this.memory = vm.memory;
  }

  get mappedBytes(): number {
    return this.#mappedBytes;
  }

  map(bytes: number, alignment: number = PAGE_SIZE): number {
    checkSize("map size", bytes);
    checkAlignment(alignment);
    const size = pageUp(Math.max(bytes, 1));
    const start = this.#vm.mapAnonymous(
      size,
      PROT_READ | PROT_WRITE,
      Owner.MmapSource,
      alignment,
      undefined,
    );
    if (start < 0) return 0;
    this.#mappedBytes += size;
    return this.#vm.toOffset(start);
  }

  unmap(address: number, bytes: number): void {
    checkSize("unmap size", bytes);
    const size = pageUp(bytes);
    if (size === 0) return;
    const pieces = this.#vm.sourcePieces(address, size, Owner.MmapSource);
    for (const piece of pieces) this.#vm.removeRange(piece.start, piece.end);
    this.#vm.rebuild();
    this.#mappedBytes -= size;
  }

  chunks(): PageSourceChunk[] {
    return this.#vm.vmas
      .filter((vma) => vma.owner === Owner.MmapSource)
      .map((vma) => ({ start: vma.start, end: vma.end, offset: vma.offset }))
      .reverse();
  }

  /** Checks that the bytes mapped equal the chunks held. */
  verify(): void {
    const held = this.chunks().reduce((sum, chunk) => sum + (chunk.end - chunk.start), 0);
    if (held !== this.#mappedBytes) {
      throw new LayoutCorruptionError(
        "mmap page source",
        0,
        `${this.#mappedBytes} bytes mapped but ${held} bytes held`,
      );
    }
  }
}

/** @internal */
export class BrkPages implements BrkPageSource {
  readonly memory: Memory;
  readonly pageSize = PAGE_SIZE;
  #mappedBytes = 0;
  readonly #vm: VirtualMemory;
  /** Virtual ranges given back below the top, sorted; each lies inside one VMA. */
  readonly #holes: Array<{ start: number; end: number }> = [];

  constructor(vm: VirtualMemory) {
    this.#vm = vm;
    this.memory = vm.memory;
  }

  get mappedBytes(): number {
    return this.#mappedBytes;
  }

  map(bytes: number, alignment: number = PAGE_SIZE): number {
    checkSize("map size", bytes);
    checkAlignment(alignment);
    const size = pageUp(Math.max(bytes, 1));
    const vm = this.#vm;
    for (let i = 0; i < this.#holes.length; i++) {
      const hole = this.#holes[i]!;
      for (
        let start = Math.ceil(hole.start / alignment) * alignment;
        start + size <= hole.end;
        start += alignment
      ) {
        const offset = vm.toOffset(start);
        // A hole at the start of a VMA may begin where another chunk of this source ends in
        // the Memory; the free store would merge the two, so such a start is skipped.
        const continuesOther =
          vm.brkSourceEnds.has(offset) && vm.toOffset(start - 1) !== offset - 1;
        if (offset % alignment === 0 && !continuesOther) {
          this.#take(i, start, start + size);
          this.#mappedBytes += size;
          return offset;
        }
      }
    }
    const base = pageUp(vm.brk);
    const start = Math.ceil(base / alignment) * alignment;
    if (!vm.setBreak(start + size, Owner.BrkSource, alignment, start)) return 0;
    if (start > base) this.#addHole(base, start);
    this.#mappedBytes += size;
    return vm.toOffset(start);
  }

  unmap(address: number, bytes: number): void {
    checkSize("unmap size", bytes);
    const size = pageUp(bytes);
    if (size === 0) return;
    const vm = this.#vm;
    const pieces = vm.sourcePieces(address, size, Owner.BrkSource);
    for (const piece of pieces) {
      for (const hole of this.#holes) {
        if (piece.start < hole.end && hole.start < piece.end) {
          throw new InvalidAddressError(
            "unmap",
            address,
            "unmapped",
            "part of the range was already given back to the page source",
          );
        }
      }
    }
    // Pages in the middle of the heap cannot leave it (the heap is one range, as brk's is):
    // they are zeroed, as madvise(MADV_DONTNEED) would, and kept for the next map.
    this.memory.u8.fill(0, address, address + size);
    for (const piece of pieces) this.#addHole(piece.start, piece.end);
    this.#mappedBytes -= size;
    this.#trimTop();
  }

  chunks(): PageSourceChunk[] {
    const out: PageSourceChunk[] = [];
    for (const vma of this.#vm.vmas) {
      if (vma.owner !== Owner.BrkSource) continue;
      let cursor = vma.start;
      for (const hole of this.#holes) {
        if (hole.end <= vma.start || hole.start >= vma.end) continue;
        if (hole.start > cursor) out.push(this.#chunk(cursor, hole.start));
        cursor = hole.end;
      }
      if (cursor < vma.end) out.push(this.#chunk(cursor, vma.end));
    }
    return out;
  }

  holes(): PageSourceChunk[] {
    return this.#holes.map((hole) => this.#chunk(hole.start, hole.end));
  }

  /** Checks the holes (inside the source's pages, sorted, apart) and the bytes mapped. */
  verify(): void {
    const vm = this.#vm;
    const fail = (at: number, message: string): never => {
      throw new LayoutCorruptionError("brk page source", at, message);
    };
    let holeBytes = 0;
    let previousEnd = 0;
    for (const hole of this.#holes) {
      if (hole.start < previousEnd || hole.end <= hole.start)
        fail(hole.start, "holes overlap or are out of order");
      if (hole.end > pageUp(vm.brk)) fail(hole.start, "a hole lies above the break");
      for (const vma of vm.within(hole.start, hole.end)) {
        if (vma.owner !== Owner.BrkSource)
          fail(hole.start, "a hole covers pages the source does not own");
      }
      if (!vm.isMapped(hole.start, hole.end)) fail(hole.start, "a hole covers unmapped pages");
      if (vm.kernelRead(hole.start, hole.end - hole.start).some((byte) => byte !== 0)) {
        fail(hole.start, "a page given back was written to");
      }
      holeBytes += hole.end - hole.start;
      previousEnd = hole.end;
    }
    let owned = 0;
    for (const vma of vm.vmas) if (vma.owner === Owner.BrkSource) owned += vma.end - vma.start;
    if (owned - holeBytes !== this.#mappedBytes) {
      fail(0, `${this.#mappedBytes} bytes mapped but ${owned - holeBytes} bytes held`);
    }
  }

  #chunk(start: number, end: number): PageSourceChunk {
    return { start, end, offset: this.#vm.toOffset(start) };
  }

  /** While the highest pages of the heap are holes, lowers the break over them (sbrk(-n)). */
  #trimTop(): void {
    const vm = this.#vm;
    for (;;) {
      const last = this.#holes[this.#holes.length - 1];
      if (!last || last.end !== vm.brk) return;
      this.#holes.pop();
      vm.setBreak(last.start, Owner.BrkSource);
    }
  }

  #take(i: number, start: number, end: number): void {
    const hole = this.#holes[i]!;
    const rest: Array<{ start: number; end: number }> = [];
    if (hole.start < start) rest.push({ start: hole.start, end: start });
    if (end < hole.end) rest.push({ start: end, end: hole.end });
    this.#holes.splice(i, 1, ...rest);
  }

  /** Adds a hole, merging it with neighbours that continue it in both address spaces. */
  #addHole(start: number, end: number): void {
    const vm = this.#vm;
    let i = 0;
    while (i < this.#holes.length && this.#holes[i]!.start < start) i++;
    const before = this.#holes[i - 1];
    if (before && before.end === start && vm.toOffset(before.end - 1) + 1 === vm.toOffset(start)) {
      start = before.start;
      this.#holes.splice(--i, 1);
    }
    const after = this.#holes[i];
    if (after && after.start === end && vm.toOffset(end - 1) + 1 === vm.toOffset(after.start)) {
      end = after.end;
      this.#holes.splice(i, 1);
    }
    this.#holes.splice(i, 0, { start, end });
  }
}

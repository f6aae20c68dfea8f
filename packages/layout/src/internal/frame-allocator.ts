// Page frames: the Memory seen as the machine's physical memory. Every mapped virtual page is
// backed by a frame (a page of Memory offsets); this hands frames out and takes them back.
//
// Why not @mm/heap's MemoryPageSource: the brk heap must be able to extend its backing in place
// (`allocateAt`), and a page source must be able to refuse a start offset (`reject`) so that two
// of its chunks are never adjacent in offsets unless they are adjacent in virtual addresses too.
// Frame 0 is never handed out, so offset 0 stays NULL.

import type { Memory } from "@mm/heap";
import { PAGE_SIZE } from "../api.js";

function alignUp(value: number, alignment: number): number {
  return Math.ceil(value / alignment) * alignment;
}

/** Hands out page-aligned runs of a Memory's offsets, lowest first; released runs read zero. */
export class FrameAllocator {
  readonly memory: Memory;
  /** One past the highest frame in use; frames at and above it are free. */
  #top = PAGE_SIZE;
  /** Free runs below `top`, sorted, never adjacent to each other or to `top`. */
  readonly #holeStart: number[] = [];
  readonly #holeEnd: number[] = [];
  #usedBytes = 0;

  constructor(memory: Memory) {
    this.memory = memory;
  }

  /** Bytes of frames in use. */
  get usedBytes(): number {
    return this.#usedBytes;
  }

  /** One past the highest frame in use. */
  get top(): number {
    return this.#top;
  }

  /**
   * Takes `bytes` (a multiple of the page size) at the lowest offset `o` with
   * `(o + skew) % alignment === 0` that `reject` accepts, growing the Memory if needed.
   * @returns the offset, or 0 when the Memory cannot grow that far.
   */
  allocate(
    bytes: number,
    alignment = PAGE_SIZE,
    skew = 0,
    reject?: (offset: number) => boolean,
  ): number {
    const first = (from: number): number => {
      let at = alignUp(from + skew, alignment) - skew;
      while (reject?.(at)) at += alignment;
      return at;
    };
    for (let i = 0; i < this.#holeStart.length; i++) {
      const at = first(this.#holeStart[i]!);
      if (at + bytes <= this.#holeEnd[i]!) {
        this.#takeFromHole(i, at, at + bytes);
        return at;
      }
    }
    const at = first(this.#top);
    if (!this.#growTo(at + bytes)) return 0;
    if (at > this.#top) this.#addHole(this.#top, at);
    this.#top = at + bytes;
    this.#usedBytes += bytes;
    return at;
  }

  /** Takes exactly `[offset, offset + bytes)` if every frame of it is free. */
  allocateAt(offset: number, bytes: number): boolean {
    if (offset < PAGE_SIZE) return false;
    if (offset >= this.#top) {
      if (!this.#growTo(offset + bytes)) return false;
      if (offset > this.#top) this.#addHole(this.#top, offset);
      this.#top = offset + bytes;
      this.#usedBytes += bytes;
      return true;
    }
    const i = this.#holeContaining(offset);
    if (i < 0) return false;
    if (offset + bytes > this.#holeEnd[i]!) return false;
    this.#takeFromHole(i, offset, offset + bytes);
    return true;
  }

  /** Gives `[offset, offset + bytes)` back, zero-filled, so the next owner reads zeros. */
  release(offset: number, bytes: number): void {
    if (bytes === 0) return;
    this.memory.u8.fill(0, offset, offset + bytes);
    this.#usedBytes -= bytes;
    const end = offset + bytes;
    if (end === this.#top) {
      this.#top = offset;
      const last = this.#holeStart.length - 1;
      if (last >= 0 && this.#holeEnd[last] === offset) {
        this.#top = this.#holeStart[last]!;
        this.#holeStart.pop();
        this.#holeEnd.pop();
      }
      return;
    }
    this.#addHole(offset, end);
  }

  /** The free runs below `top`, for `verify()`. */
  holes(): Array<{ start: number; end: number }> {
    return this.#holeStart.map((start, i) => ({ start, end: this.#holeEnd[i]! }));
  }

  #growTo(end: number): boolean {
    return end <= this.memory.maximumBytes && this.memory.grow(end);
  }

  #holeContaining(offset: number): number {
    let lo = 0;
    let hi = this.#holeStart.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#holeEnd[mid]! <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.#holeStart.length && this.#holeStart[lo]! <= offset ? lo : -1;
  }

  /** Removes [start, end) from hole `i`, keeping what is left on either side. */
  #takeFromHole(i: number, start: number, end: number): void {
    const holeStart = this.#holeStart[i]!;
    const holeEnd = this.#holeEnd[i]!;
    const starts: number[] = [];
    const ends: number[] = [];
    if (holeStart < start) {
      starts.push(holeStart);
      ends.push(start);
    }
    if (end < holeEnd) {
      starts.push(end);
      ends.push(holeEnd);
    }
    this.#holeStart.splice(i, 1, ...starts);
    this.#holeEnd.splice(i, 1, ...ends);
    this.#usedBytes += end - start;
  }

  /** Inserts the hole [start, end), merging it with the holes it touches. */
  #addHole(start: number, end: number): void {
    let i = 0;
    while (i < this.#holeStart.length && this.#holeStart[i]! < start) i++;
    if (i > 0 && this.#holeEnd[i - 1] === start) {
      i--;
      start = this.#holeStart[i]!;
      this.#holeStart.splice(i, 1);
      this.#holeEnd.splice(i, 1);
    }
    if (i < this.#holeStart.length && this.#holeStart[i] === end) {
      end = this.#holeEnd[i]!;
      this.#holeStart.splice(i, 1);
      this.#holeEnd.splice(i, 1);
    }
    this.#holeStart.splice(i, 0, start);
    this.#holeEnd.splice(i, 0, end);
  }
}

// Page frames: the Memory seen as the machine's physical memory. Every mapped virtual page is
// backed by a frame (a page of Memory offsets); this hands frames out and takes them back.
//
// Why not @mm/heap's MemoryPageSource: the brk heap must be able to extend its backing in place
// (`allocateAt`), and a page source must be able to refuse a start offset (`reject`) so that two
// of its chunks are never adjacent in offsets unless they are adjacent in virtual addresses too.
// Frame 0 is never handed out, so offset 0 stays NULL; nor are the frames below `first`, which
// the Memory's user may keep for data that no mapping shows.

import { type AddressRange, hex, invalidArgument, type Memory, RangeSet } from "@mm/heap";
import { PAGE_SIZE } from "../api.js";

function alignUp(value: number, alignment: number): number {
  return Math.ceil(value / alignment) * alignment;
}

/** Hands out page-aligned runs of a Memory's offsets, lowest first; released runs read zero. */
export class FrameAllocator {
  readonly memory: Memory;
  /** The lowest frame handed out. */
  readonly #first: number;
  /** One past the highest frame in use; frames at and above it are free. */
  #top: number;
  /** Free runs below `top`; the last never ends at `top`. */
  readonly #holes = new RangeSet();
  #usedBytes = 0;

  /** `first`: the lowest offset handed out, a multiple of the page size of at least a page. */
  constructor(memory: Memory, first = PAGE_SIZE) {
    this.memory = memory;
    this.#first = first;
    this.#top = first;
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
    const holes = this.#holes;
    for (let i = 0; i < holes.size; i++) {
      const at = first(holes.start(i));
      if (at + bytes <= holes.end(i)) {
        this.#take(at, bytes);
        return at;
      }
    }
    const at = first(this.#top);
    if (!this.#growTo(at + bytes)) return 0;
    if (at > this.#top) holes.add(this.#top, at);
    this.#top = at + bytes;
    this.#usedBytes += bytes;
    return at;
  }

  /** Takes exactly `[offset, offset + bytes)` if every frame of it is free. */
  allocateAt(offset: number, bytes: number): boolean {
    if (offset < this.#first) return false;
    if (offset >= this.#top) {
      if (!this.#growTo(offset + bytes)) return false;
      if (offset > this.#top) this.#holes.add(this.#top, offset);
      this.#top = offset + bytes;
      this.#usedBytes += bytes;
      return true;
    }
    const i = this.#holes.indexOf(offset);
    if (i < 0 || offset + bytes > this.#holes.end(i)) return false;
    this.#take(offset, bytes);
    return true;
  }

  /**
   * Gives `[offset, offset + bytes)` back, zero-filled, so the next owner reads zeros.
   * @throws InvalidArgumentError, with nothing changed, when part of the run is not in use.
   */
  release(offset: number, bytes: number): void {
    if (bytes === 0) return;
    const end = offset + bytes;
    const holes = this.#holes;
    if (offset < this.#first || end > this.#top || holes.overlaps(offset, end)) {
      invalidArgument(`frames [${hex(offset)}, ${hex(end)}) are not in use`);
    }
    if (end === this.#top) {
      // The top comes down, past the hole below the run if there is one.
      const last = holes.size - 1;
      this.#top = last >= 0 && holes.end(last) === offset ? holes.start(last) : offset;
      if (this.#top < offset) holes.remove(this.#top, offset);
    } else {
      holes.add(offset, end);
    }
    this.memory.u8.fill(0, offset, end);
    this.#usedBytes -= bytes;
  }

  /** The free runs below `top`, for `verify()`. */
  holes(): AddressRange[] {
    return this.#holes.toArray();
  }

  #growTo(end: number): boolean {
    return end <= this.memory.maximumBytes && this.memory.grow(end);
  }

  #take(offset: number, bytes: number): void {
    this.#holes.remove(offset, offset + bytes);
    this.#usedBytes += bytes;
  }
}

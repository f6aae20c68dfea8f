// One bit per fixed-size granule of a Memory, in a fixed-length Uint32Array that is replaced
// when the memory grows: a view of a side table in the memory's own storage above its heap
// part (see Memory.addSideTable), where a WebAssembly module over the memory can read and
// write it too, or, when the memory hosts no tables, a plain array of its own (copied on
// growth). Fixed-length arrays are used on purpose: typed arrays over resizable buffers are
// several times slower to index on Node 20's V8, and these bits sit on hot paths.

import type { Memory, SideTable } from "../memory.js";

/** A bitmap indexed by address, with one bit per `1 << granuleLog2` bytes. */
export class AddressBitmap implements SideTable {
  /** The bits; bit `(a >>> g) & 31` of word `a >>> (g + 5)` belongs to address `a`. */
  words!: Uint32Array;
  readonly granuleLog2: number;
  /**
   * Whether the words live in the memory's storage (at {@link byteOffset}), where a
   * WebAssembly module that imports the memory can address them.
   */
  readonly inMemory: boolean;

  constructor(memory: Memory, granuleLog2: number) {
    this.granuleLog2 = granuleLog2;
    this.inMemory = memory.addSideTable(this);
    if (this.inMemory) return;
    this.words = new Uint32Array(this.#wordsFor(memory.byteLength));
    memory.onGrow((grown) => {
      const words = new Uint32Array(this.#wordsFor(grown.byteLength));
      words.set(this.words);
      this.words = words;
    });
  }

  /**
   * Where the words start in the memory's storage, a byte address past every heap byte; it
   * changes when the memory grows (read it again after any call that may allocate). -1 when
   * the words are not in the memory.
   */
  get byteOffset(): number {
    return this.inMemory ? this.words.byteOffset : -1;
  }

  /** {@link SideTable.bytesFor}: a word per 32 granules of the heap part, and one more. */
  bytesFor(heapBytes: number): number {
    const bytes = this.#wordsFor(heapBytes) * 4;
    return bytes + (bytes & 4);
  }

  /** {@link SideTable.placed}: the words become a view of the table where it now is. */
  placed(buffer: ArrayBuffer, byteOffset: number, bytes: number): void {
    this.words = new Uint32Array(buffer, byteOffset, bytes >>> 2);
  }

  get(address: number): boolean {
    const g = this.granuleLog2;
    return ((this.words[address >>> (g + 5)]! >>> ((address >>> g) & 31)) & 1) === 1;
  }

  set(address: number): void {
    const g = this.granuleLog2;
    this.words[address >>> (g + 5)]! |= 1 << ((address >>> g) & 31);
  }

  clear(address: number): void {
    const g = this.granuleLog2;
    this.words[address >>> (g + 5)]! &= ~(1 << ((address >>> g) & 31));
  }

  /** Sets or clears the bits of every granule in [start, end). */
  fill(start: number, end: number, value: boolean): void {
    const step = 1 << this.granuleLog2;
    for (let a = start; a < end; a += step) {
      if (value) this.set(a);
      else this.clear(a);
    }
  }

  /** The number of set bits for granules in [start, end). */
  count(start: number, end: number): number {
    const g = this.granuleLog2;
    const wordSpan = 1 << (g + 5);
    let n = 0;
    let a = start;
    for (; a < end && a % wordSpan !== 0; a += 1 << g) if (this.get(a)) n++;
    for (; a + wordSpan <= end; a += wordSpan) n += popcount(this.words[a >>> (g + 5)]!);
    for (; a < end; a += 1 << g) if (this.get(a)) n++;
    return n;
  }

  #wordsFor(bytes: number): number {
    return Math.ceil(bytes / (1 << this.granuleLog2) / 32) + 1;
  }
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

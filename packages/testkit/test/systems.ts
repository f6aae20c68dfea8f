// Small systems for the tests: a first-fit allocator and a mark-sweep collector over plain
// JavaScript structures, each correct, and broken variants that the properties must catch.

import type { CollectorSystem, TestedAllocator } from "../src/index.js";

const ARENA = 4 << 20;

/** First fit over one arena: free runs kept sorted by address and merged with their neighbours. */
export class FirstFit implements TestedAllocator {
  readonly memory = { u8: new Uint8Array(ARENA), byteLength: ARENA };
  readonly runs = [{ at: 16, size: ARENA - 16 }]; // address 0 stays null
  readonly live = new Map<number, number>(); // address -> usable size

  malloc(size: number): number {
    const need = Math.max(16, Math.ceil(size / 16) * 16);
    const i = this.runs.findIndex((run) => run.size >= need);
    if (i < 0) return 0;
    const run = this.runs[i]!;
    const at = run.at;
    run.at += need;
    run.size -= need;
    if (run.size === 0) this.runs.splice(i, 1);
    this.live.set(at, need);
    return at;
  }
  calloc(count: number, size: number): number {
    const at = this.malloc(count * size);
    if (at !== 0) this.memory.u8.fill(0, at, at + count * size);
    return at;
  }
  realloc(at: number, size: number): number {
    if (at === 0) return this.malloc(size);
    const old = this.usableSize(at);
    if (size <= old) return at;
    const to = this.malloc(size);
    if (to === 0) return 0;
    this.memory.u8.copyWithin(to, at, at + old);
    this.free(at);
    return to;
  }
  free(at: number): void {
    if (at === 0) return;
    const size = this.live.get(at);
    if (size === undefined) throw new RangeError(`${at} is not a live block`);
    this.live.delete(at);
    const runs = this.runs;
    let i = runs.findIndex((run) => run.at > at);
    if (i < 0) i = runs.length;
    runs.splice(i, 0, { at, size });
    const next = runs[i + 1];
    if (next !== undefined && at + size === next.at) {
      runs[i]!.size += next.size;
      runs.splice(i + 1, 1);
    }
    const prev = runs[i - 1];
    if (prev !== undefined && prev.at + prev.size === at) {
      prev.size += runs[i]!.size;
      runs.splice(i, 1);
    }
  }
  usableSize(at: number): number {
    return this.live.get(at) ?? 0;
  }
  stats() {
    let liveBytes = 0;
    for (const size of this.live.values()) liveBytes += size;
    return { liveBlocks: this.live.size, liveBytes, footprintBytes: ARENA };
  }
  verify(): void {
    for (let i = 1; i < this.runs.length; i++) {
      const prev = this.runs[i - 1]!;
      if (prev.at + prev.size >= this.runs[i]!.at) {
        throw new Error(`free runs at ${prev.at} and ${this.runs[i]!.at} overlap or touch`);
      }
    }
  }
}

/** Moves a block on growth without copying its bytes. */
export class NoCopyRealloc extends FirstFit {
  override realloc(at: number, size: number): number {
    if (size <= this.usableSize(at)) return at;
    const to = this.malloc(size);
    if (to !== 0) this.free(at);
    return to;
  }
}

/** Gives a freed block of more than 256 bytes back to the free runs 16 bytes too long. */
export class GenerousFree extends FirstFit {
  override free(at: number): void {
    const size = this.live.get(at);
    if (size !== undefined && size > 256) this.live.set(at, size + 16);
    super.free(at);
  }
}

/** A mark-sweep collector over a Map from id to slots; ids are never reused. */
export class MarkSweep implements CollectorSystem {
  readonly heap = new Map<number, Array<number | undefined>>();
  readonly roots: number[] = [];
  #next = 1;

  create(): number {
    const id = this.#next++;
    this.heap.set(id, Array<number | undefined>(4).fill(undefined));
    this.roots.push(id);
    return id;
  }
  link(from: number, slot: number, to: number): void {
    this.heap.get(from)![slot] = to;
  }
  unlink(from: number, slot: number): void {
    this.heap.get(from)![slot] = undefined;
  }
  addRoot(object: number): void {
    this.roots.push(object);
  }
  dropRoot(object: number): void {
    this.roots.splice(this.roots.indexOf(object), 1);
  }
  isLive(object: number): boolean {
    return this.heap.has(object);
  }
  /** The references the mark phase follows out of `object`. */
  referents(object: number): number[] {
    return this.heap.get(object)!.filter((child) => child !== undefined);
  }
  collect(): void {
    const marked = new Set<number>();
    const stack = [...this.roots];
    while (stack.length > 0) {
      const o = stack.pop()!;
      if (marked.has(o)) continue;
      marked.add(o);
      stack.push(...this.referents(o));
    }
    for (const o of this.heap.keys()) if (!marked.has(o)) this.heap.delete(o);
  }
}

/** Its mark phase skips the last reference of each object. */
export class SkipsLastReference extends MarkSweep {
  override referents(object: number): number[] {
    return super.referents(object).slice(0, -1);
  }
}

/** Marks from the roots but sweeps only objects with no slot in use. */
export class SparesContainers extends MarkSweep {
  override collect(): void {
    const before = new Map(this.heap);
    super.collect();
    for (const [o, slots] of before) {
      if (!this.heap.has(o) && slots.some((s) => s !== undefined)) this.heap.set(o, slots);
    }
  }
}

/** A generational mark-sweep: collect(0) sweeps only objects created since the last collection. */
export class TwoGenerations extends MarkSweep {
  readonly young = new Set<number>();
  #full = 0;
  override create(): number {
    const o = super.create();
    this.young.add(o);
    return o;
  }
  override collect(generation?: number): void {
    if (generation === 0) {
      // Old objects are roots of a young collection (a remembered set of every old object).
      const marked = new Set<number>();
      const stack = [...this.roots, ...[...this.heap.keys()].filter((o) => !this.young.has(o))];
      while (stack.length > 0) {
        const o = stack.pop()!;
        if (marked.has(o)) continue;
        marked.add(o);
        stack.push(...this.referents(o));
      }
      for (const o of this.young) if (!marked.has(o)) this.heap.delete(o);
    } else {
      super.collect();
      this.#full++;
    }
    this.young.clear();
  }
  fullCollections(): number {
    return this.#full;
  }
}

/** With gc.freeze: the objects alive at `freeze()` are roots until `unfreeze()`. */
export class Freezing extends MarkSweep {
  readonly frozen = new Set<number>();
  freeze(): void {
    for (const o of this.heap.keys()) this.frozen.add(o);
  }
  unfreeze(): void {
    this.frozen.clear();
  }
  override collect(): void {
    const roots = this.roots.length;
    this.roots.push(...this.frozen);
    try {
      super.collect();
    } finally {
      this.roots.length = roots;
    }
  }
}

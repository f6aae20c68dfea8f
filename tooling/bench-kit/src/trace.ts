// Allocation traces for benchmarks: a deterministic interleaving of mallocs and frees that
// every allocator under comparison replays identically.

/** A small, fast, seeded PRNG (mulberry32): uniform in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A trace: `ops[i] >= 0` allocates `sizes[i]` bytes into slot `ops[i]`; `ops[i] < 0` frees
 * slot `~ops[i]`. Slots are reused, so a replay needs `slots` entries of storage.
 */
export interface AllocationTrace {
  readonly ops: Int32Array;
  readonly sizes: Int32Array;
  readonly slots: number;
  /** The most bytes live at once. */
  readonly peakLiveBytes: number;
  /** Bytes live when the trace ends. */
  readonly finalLiveBytes: number;
}

/** Options of {@link buildTrace}. */
export interface TraceOptions {
  /** Total operations, mallocs and frees together. */
  readonly operations: number;
  /** The live set the trace ramps up to and then hovers around. */
  readonly live: number;
  /** Draws one request size. */
  readonly size: (random: () => number) => number;
  /** @defaultValue `1` */
  readonly seed?: number;
}

/**
 * Ramps up to `live` blocks, then interleaves allocations and frees of random victims with
 * equal odds, so the live set hovers around `live` while its addresses churn and fragment.
 */
export function buildTrace(options: TraceOptions): AllocationTrace {
  const random = mulberry32(options.seed ?? 1);
  const ops = new Int32Array(options.operations);
  const sizes = new Int32Array(options.operations);
  const liveSlots: number[] = [];
  const slotSize: number[] = [];
  const freeSlots: number[] = [];
  let liveBytes = 0;
  let peak = 0;
  for (let i = 0; i < options.operations; i++) {
    const allocate =
      liveSlots.length === 0 || (liveSlots.length < options.live ? random() < 0.9 : random() < 0.5);
    if (allocate) {
      const slot = freeSlots.pop() ?? slotSize.length;
      const size = options.size(random);
      slotSize[slot] = size;
      liveSlots.push(slot);
      ops[i] = slot;
      sizes[i] = size;
      liveBytes += size;
      peak = Math.max(peak, liveBytes);
    } else {
      const victim = Math.floor(random() * liveSlots.length);
      const slot = liveSlots[victim]!;
      liveSlots[victim] = liveSlots[liveSlots.length - 1]!;
      liveSlots.pop();
      freeSlots.push(slot);
      ops[i] = ~slot;
      liveBytes -= slotSize[slot]!;
    }
  }
  return { ops, sizes, slots: slotSize.length, peakLiveBytes: peak, finalLiveBytes: liveBytes };
}

/** The minimal allocator interface a trace replay needs. */
export interface ReplayTarget {
  malloc(size: number): number;
  free(address: number): void;
}

/** Options of {@link replay}. */
export interface ReplayOptions {
  /** Replay only the first `count` operations. @defaultValue the whole trace */
  readonly count?: number;
  /**
   * Write a word at the start of every block when it is allocated and read it back before it is
   * freed, as a program initialises and uses its objects. Pass the allocator's memory words.
   */
  readonly touch?: Uint32Array;
}

const REPLAY_SOURCE = `
  const ops = trace.ops;
  const sizes = trace.sizes;
  let failed = 0;
  let sum = 0;
  for (let i = 0; i < count; i++) {
    const op = ops[i];
    if (op >= 0) {
      const address = target.malloc(sizes[i]);
      if (address === 0) failed++;
      else if (touch !== undefined) touch[address >>> 2] = i;
      addresses[op] = address;
    } else {
      const address = addresses[~op];
      if (address !== 0) {
        if (touch !== undefined) sum += touch[address >>> 2];
        target.free(address);
      }
    }
  }
  return sum < 0 ? -1 : failed;
`;

type ReplayLoop = (
  trace: AllocationTrace,
  target: ReplayTarget,
  addresses: Int32Array,
  count: number,
  touch: Uint32Array | undefined,
) => number;

/**
 * One compiled loop per allocator class: a shared loop would see several classes at its call
 * sites, go megamorphic, and charge every allocator for the others' presence.
 */
const loops = new Map<unknown, ReplayLoop>();

/**
 * Replays `trace` against `target`, storing each block's address in `addresses` by slot.
 * @returns the number of allocations that failed (returned 0).
 */
export function replay(
  trace: AllocationTrace,
  target: ReplayTarget,
  addresses: Int32Array,
  options: ReplayOptions = {},
): number {
  let loop = loops.get(target.constructor);
  if (loop === undefined) {
    loop = new Function(
      "trace",
      "target",
      "addresses",
      "count",
      "touch",
      REPLAY_SOURCE,
    ) as ReplayLoop;
    loops.set(target.constructor, loop);
  }
  return loop(trace, target, addresses, options.count ?? trace.ops.length, options.touch);
}

/**
 * A bump allocator: the floor that any allocator is measured against. It never reuses memory;
 * it wraps around to the start of its space when full (fine for timing, useless for data).
 */
export class BumpAllocator implements ReplayTarget {
  #next = 16;
  readonly #limit: number;

  constructor(spaceBytes: number) {
    this.#limit = spaceBytes;
  }

  malloc(size: number): number {
    let at = this.#next;
    let end = at + ((size + 15) & ~15);
    if (end > this.#limit) {
      at = 16;
      end = at + ((size + 15) & ~15);
    }
    this.#next = end;
    return at;
  }

  free(_address: number): void {}
}

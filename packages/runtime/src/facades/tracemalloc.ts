// tracemalloc: allocator hooks that record, per live block, the requested size and the
// traceback of where it was allocated (file and line of each frame, innermost first, at most
// `nframe` deep), with snapshots, statistics grouped by line, file or traceback, and diffs.

import type { Allocator, AllocatorStats } from "@mm/heap";
import { raise } from "../errors.js";

/** One frame of a traceback: `filename:lineno`. */
export interface TraceFrame {
  readonly filename: string;
  readonly lineno: number;
}

/** One traced block. */
export interface Trace {
  readonly domain: number;
  readonly size: number;
  /** Innermost frame first, at most the traceback limit's frames. */
  readonly traceback: readonly TraceFrame[];
  /** How many frames the stack had (`total_nframe`): more than kept when it was truncated. */
  readonly totalNframe: number;
}

/** How statistics are grouped, as `Snapshot.statistics(key_type)`. */
export type StatisticKey = "lineno" | "filename" | "traceback";

/** One group of traced blocks: `Statistic`. */
export interface Statistic {
  readonly traceback: readonly TraceFrame[];
  readonly size: number;
  readonly count: number;
}

/** One group in `Snapshot.compare_to`: sizes and counts now and their change. */
export interface StatisticDiff extends Statistic {
  readonly sizeDiff: number;
  readonly countDiff: number;
}

/** The domains the hooks are installed on, as in CPython's `PyMemAllocatorDomain`. */
export const Domain = { raw: 0, mem: 1, obj: 2 } as const;

/** The tracer and its state. */
export class Tracemalloc {
  readonly #traces = new Map<number, Trace>();
  #where: () => TraceFrame[];
  #tracing = false;
  #nframe = 1;
  #current = 0;
  #peak = 0;

  /** @param where - the current traceback, innermost first (all frames). */
  constructor(where: () => TraceFrame[]) {
    this.#where = where;
  }

  /**
   * Replaces where tracebacks come from: an embedder whose own frames know the line each is
   * running (where the runtime's frames know a line only when one is set) supplies them,
   * innermost first. An empty traceback is recorded as `<unknown>:0`, as CPython records an
   * allocation made outside any Python frame.
   */
  setWhere(where: () => TraceFrame[]): void {
    this.#where = where;
  }

  /** `tracemalloc.start(nframe=1)`: nframe from 1 to 65535. */
  start(nframe = 1): void {
    if (!Number.isInteger(nframe) || nframe < 1 || nframe > 65535) {
      raise("ValueError", "the number of frames must be in range [1; 65535]");
    }
    this.#nframe = nframe;
    this.#tracing = true;
  }

  /** `tracemalloc.stop()`: stops tracing and forgets every trace. */
  stop(): void {
    this.#tracing = false;
    this.clearTraces();
  }

  /**
   * Blocks that have a trace now: while there are none, a free has nothing to forget (a
   * release path may then free without telling the tracer).
   */
  get tracedBlocks(): number {
    return this.#traces.size;
  }

  /** `tracemalloc.is_tracing()`. */
  isTracing(): boolean {
    return this.#tracing;
  }

  /** `tracemalloc.get_traceback_limit()`. */
  getTracebackLimit(): number {
    return this.#nframe;
  }

  /** `tracemalloc.clear_traces()`. */
  clearTraces(): void {
    this.#traces.clear();
    this.#current = 0;
    this.#peak = 0;
  }

  /** `tracemalloc.get_traced_memory()`: (current, peak) bytes of traced blocks. */
  getTracedMemory(): [number, number] {
    return [this.#current, this.#peak];
  }

  /** `tracemalloc.reset_peak()`: the peak becomes the current size. */
  resetPeak(): void {
    this.#peak = this.#current;
  }

  /** `tracemalloc.take_snapshot()`. @throws RuntimeError-like ValueError when not tracing. */
  takeSnapshot(): Snapshot {
    if (!this.#tracing)
      raise(
        "ValueError",
        "the tracemalloc module must be tracing memory allocations to take a snapshot",
      );
    return new Snapshot([...this.#traces.values()], this.#nframe);
  }

  /**
   * Runs `fn` with tracing paused: the blocks it allocates are not traced (frees are still
   * seen). For what an embedder makes on first use that CPython makes before any program runs,
   * such as a static type's dict, which tracemalloc never sees in CPython.
   */
  untraced<T>(fn: () => T): T {
    const was = this.#tracing;
    this.#tracing = false;
    try {
      return fn();
    } finally {
      this.#tracing = was;
    }
  }

  /** The trace of one block, or undefined (`tracemalloc.get_object_traceback`'s source). */
  traceOf(address: number): Trace | undefined {
    return this.#traces.get(address);
  }

  /** Wraps `inner` so that its allocations in `domain` are traced while tracing is on. */
  hook(inner: Allocator, domain: number): Allocator {
    return new TracedAllocator(inner, domain, this);
  }

  /** @internal */
  record(address: number, size: number, domain: number): void {
    if (!this.#tracing || address === 0) return;
    this.forget(address);
    this.#traces.set(address, { domain, size, ...this.#here() });
    this.#current += size;
    if (this.#current > this.#peak) this.#peak = this.#current;
  }

  /**
   * A traced block reused from a free list takes the current traceback (its size stays), as
   * `_PyTraceMalloc_NewReference` updates it; an untraced block stays untraced.
   */
  retrace(address: number): void {
    if (!this.#tracing) return;
    const trace = this.#traces.get(address);
    if (trace === undefined) return;
    this.#traces.set(address, { ...trace, ...this.#here() });
  }

  /** The current traceback cut at the limit, and the depth it had (`<unknown>:0` outside). */
  #here(): Pick<Trace, "traceback" | "totalNframe"> {
    const where = this.#where();
    if (where.length === 0) return { traceback: UNKNOWN, totalNframe: 1 };
    return { traceback: where.slice(0, this.#nframe), totalNframe: where.length };
  }

  /** @internal */
  forget(address: number): void {
    // Every free of every domain comes here: with nothing traced (tracing never started, or
    // stopped, which forgets every trace) there is nothing to look up.
    if (this.#traces.size === 0) return;
    const trace = this.#traces.get(address);
    if (!trace) return;
    this.#traces.delete(address);
    this.#current -= trace.size;
  }
}

/** An allocator whose calls are reported to a {@link Tracemalloc}. */
class TracedAllocator implements Allocator {
  readonly memory;
  readonly name: string;
  readonly #inner: Allocator;
  readonly #domain: number;
  readonly #tracer: Tracemalloc;

  constructor(inner: Allocator, domain: number, tracer: Tracemalloc) {
    this.#inner = inner;
    this.memory = inner.memory;
    this.name = inner.name;
    this.#domain = domain;
    this.#tracer = tracer;
  }

  malloc(size: number): number {
    const address = this.#inner.malloc(size);
    this.#tracer.record(address, size, this.#domain);
    return address;
  }

  calloc(count: number, size: number): number {
    const address = this.#inner.calloc(count, size);
    this.#tracer.record(address, count * size, this.#domain);
    return address;
  }

  realloc(address: number, size: number): number {
    const moved = this.#inner.realloc(address, size);
    if (moved !== 0) {
      this.#tracer.forget(address);
      this.#tracer.record(moved, size, this.#domain);
    }
    return moved;
  }

  free(address: number): void {
    this.#inner.free(address);
    this.#tracer.forget(address);
  }

  usableSize(address: number): number {
    return this.#inner.usableSize(address);
  }

  owns(address: number): boolean {
    return this.#inner.owns(address);
  }

  stats(): AllocatorStats {
    return this.#inner.stats();
  }

  verify(): void {
    this.#inner.verify();
  }
}

/** The traceback of an allocation made outside any frame. */
const UNKNOWN: readonly TraceFrame[] = [{ filename: "<unknown>", lineno: 0 }];

const frameKey = (f: TraceFrame) => `${f.filename}:${f.lineno}`;

/** `tracemalloc.Snapshot`: the traces at one moment. */
export class Snapshot {
  readonly traces: readonly Trace[];
  readonly tracebackLimit: number;

  constructor(traces: readonly Trace[], tracebackLimit: number) {
    this.traces = traces;
    this.tracebackLimit = tracebackLimit;
  }

  /**
   * `Snapshot.statistics(key_type)`: groups sorted by size (then count) descending, as
   * CPython sorts them.
   */
  statistics(key: StatisticKey): Statistic[] {
    const groups = new Map<string, { traceback: TraceFrame[]; size: number; count: number }>();
    for (const trace of this.traces) {
      const traceback = groupTraceback(trace.traceback, key);
      const id = traceback.map(frameKey).join("|");
      const group = groups.get(id) ?? { traceback, size: 0, count: 0 };
      group.size += trace.size;
      group.count++;
      groups.set(id, group);
    }
    return [...groups.values()].sort((a, b) => b.size - a.size || b.count - a.count);
  }

  /** `Snapshot.compare_to(old, key_type)`: sorted by the absolute size change, then size. */
  compareTo(old: Snapshot, key: StatisticKey): StatisticDiff[] {
    const now = new Map(this.statistics(key).map((s) => [s.traceback.map(frameKey).join("|"), s]));
    const before = new Map(
      old.statistics(key).map((s) => [s.traceback.map(frameKey).join("|"), s]),
    );
    const out: StatisticDiff[] = [];
    for (const id of new Set([...now.keys(), ...before.keys()])) {
      const a = now.get(id);
      const b = before.get(id);
      out.push({
        traceback: (a ?? b)!.traceback,
        size: a?.size ?? 0,
        count: a?.count ?? 0,
        sizeDiff: (a?.size ?? 0) - (b?.size ?? 0),
        countDiff: (a?.count ?? 0) - (b?.count ?? 0),
      });
    }
    return out.sort(
      (x, y) =>
        Math.abs(y.sizeDiff) - Math.abs(x.sizeDiff) ||
        y.size - x.size ||
        Math.abs(y.countDiff) - Math.abs(x.countDiff),
    );
  }
}

function groupTraceback(traceback: readonly TraceFrame[], key: StatisticKey): TraceFrame[] {
  if (traceback.length === 0) return [{ filename: "<unknown>", lineno: 0 }];
  if (key === "traceback") return [...traceback];
  const top = traceback[0]!;
  return key === "lineno" ? [top] : [{ filename: top.filename, lineno: 0 }];
}

// Running a trace while watching it: mapped heap bytes at every step, live bytes (in blocks
// handed out) sampled along the run and after every collection, where each collection ran,
// the pauses of the trace's own collections, and the objects it leaked. Pause times of a
// first run include the JavaScript engine compiling the collector's code; a run after a
// warm-up says how it was warmed, and a run without one says it is cold.

import {
  type PresetName,
  Runtime,
  type RuntimeOptions,
  type RuntimeStats,
  type Trace,
  type TraceEvent,
} from "@mm/runtime";
import { countLeaks, liveObjects } from "./leaks.js";
import { countSteps } from "./trace-shape.js";

/** The figures of one run of a trace. */
export interface RunSummary {
  readonly trace: string;
  readonly collector: string;
  readonly allocator: string;
  /** The pinned CPython version, for the generational collector only. */
  readonly preset: PresetName | null;
  /** Steps run (one per op, each iteration again) and the steps the whole trace has. */
  readonly steps: number;
  readonly totalSteps: number;
  readonly events: number;
  /** Events by their `event` field. */
  readonly eventKinds: Readonly<Record<string, number>>;
  readonly objects: {
    readonly allocated: number;
    readonly freed: number;
    /** Alive when the run ends. */
    readonly live: number;
    /** Alive and unreachable from the runtime's roots (see {@link countLeaks}). */
    readonly leaked: number;
  };
  /** Bytes mapped for the heap (arenas and free-store regions): the largest and the last. */
  readonly heapBytes: { readonly peak: number; readonly final: number };
  /** Bytes in blocks handed out when the run ends. */
  readonly liveBytes: number;
  /** The largest live bytes seen (sampled: see {@link Measurement.liveSeries}). */
  readonly peakLiveBytes: number;
  /** Collections the trace caused, by generation (the tracing collector counts as 2). */
  readonly collections: readonly [number, number, number];
  readonly pauses: PauseFigures;
  /** Wall time of the run, in milliseconds. */
  readonly elapsedMs: number;
}

/** The pauses of a run's collections, and whether the engine was warm when they were taken. */
export interface PauseFigures {
  readonly count: number;
  readonly totalMs: number;
  readonly maxMs: number;
  readonly medianMs: number;
  /**
   * Steps run on a throwaway runtime of the same options before the measured run (0: the
   * figures are cold, and include the engine compiling the collector's code).
   */
  readonly warmupSteps: number;
}

/** A collection during a run: the step it ran in and the oldest generation it examined. */
export interface CollectionMark {
  readonly step: number;
  readonly generation: number;
}

/** A measured run: its events and summary, its heap over time, and the runtime it ran on. */
export interface Measurement {
  readonly runtime: Runtime;
  readonly events: readonly TraceEvent[];
  readonly summary: RunSummary;
  /** `[step, heapBytes]` at step 0 and at every step where mapped heap bytes changed. */
  readonly heapSeries: ReadonlyArray<readonly [number, number]>;
  /**
   * `[step, liveBytes]` at step 0, every `liveSampleEvery` steps, after every collection and at
   * the last step: bytes in the blocks handed out, which fall when objects are freed even when
   * the mapped bytes (arenas kept for reuse) do not.
   */
  readonly liveSeries: ReadonlyArray<readonly [number, number]>;
  /** Steps between two samples of {@link liveSeries} (besides those after collections). */
  readonly liveSampleEvery: number;
  /** Every collection of the run, in order. */
  readonly collectionMarks: readonly CollectionMark[];
}

/** Options of {@link measureTrace}. */
export interface MeasureOptions {
  readonly runtime: RuntimeOptions;
  /** Stop after this many steps. @defaultValue the whole trace */
  readonly maxSteps?: number;
  /** Count leaked objects (a walk of the whole heap after the run). @defaultValue `true` */
  readonly leaks?: boolean;
  /** Called after every step with the steps run and the trace's steps (for a progress bar). */
  readonly onProgress?: (step: number, totalSteps: number) => void;
  /**
   * Run this many steps of the trace first on a throwaway runtime of the same options, so that
   * the measured run's pauses are those of warm code. @defaultValue `0` (cold)
   */
  readonly warmupSteps?: number;
  /** About how many live-bytes samples to take along the run. @defaultValue `1000` */
  readonly liveSamples?: number;
}

/**
 * Runs `trace` on a new runtime and measures it.
 * @throws whatever the trace run throws (a malformed trace, a Python exception)
 */
export function measureTrace(trace: Trace, options: MeasureOptions): Measurement {
  const totalSteps = countSteps(trace.ops);
  const limit = Math.min(options.maxSteps ?? totalSteps, totalSteps);
  const warmupSteps = Math.max(0, Math.min(options.warmupSteps ?? 0, limit));
  if (warmupSteps > 0)
    new Runtime(options.runtime).runTrace(trace, trace.file, { maxSteps: warmupSteps });
  const rt = new Runtime(options.runtime);
  const every = Math.max(1, Math.ceil(limit / Math.max(1, options.liveSamples ?? 1000)));
  // The baseline is read once the runner has set up CPython's start state (collect, freeze,
  // collect), so that every figure counts only what the trace itself did.
  let before!: RuntimeStats;
  let cached = new Set<number>();
  const series: Array<readonly [number, number]> = [];
  const live: Array<readonly [number, number]> = [];
  const marks: CollectionMark[] = [];
  let counts = [0, 0, 0];
  let last = 0;
  let peak = 0;
  let steps = 0;
  let began = 0;
  const collectionCounts = () => rt.gc.getStats().map((s) => s.collections);
  const events = rt.runTrace(trace, trace.file, {
    onStart: () => {
      before = rt.stats();
      if (options.leaks !== false) cached = liveObjects(rt);
      last = before.heapBytes;
      peak = last;
      series.push([0, last]);
      live.push([0, before.liveBytes]);
      counts = collectionCounts();
      began = performance.now();
    },
    onStep: (step) => {
      steps = step;
      const bytes = rt.heapBytes;
      if (bytes !== last) {
        series.push([step, bytes]);
        last = bytes;
        if (bytes > peak) peak = bytes;
      }
      const now = collectionCounts();
      let oldest = -1;
      for (let g = 0; g < now.length; g++) if (now[g] !== counts[g]) oldest = g;
      if (oldest >= 0) {
        // The tracing collector's collections count as generation 2's: it examines everything.
        marks.push({ step, generation: oldest });
        counts = now;
      }
      if (oldest >= 0 || step % every === 0) live.push([step, rt.stats().liveBytes]);
      options.onProgress?.(step, totalSteps);
    },
    ...(options.maxSteps !== undefined ? { maxSteps: options.maxSteps } : {}),
  });
  const elapsedMs = performance.now() - began;
  const after = rt.stats();
  if (live[live.length - 1]![0] !== steps) live.push([steps, after.liveBytes]);
  const collections = after.collections.map((n, g) => n - before.collections[g]!) as [
    number,
    number,
    number,
  ];
  const eventKinds: Record<string, number> = {};
  for (const e of events) eventKinds[e.event] = (eventKinds[e.event] ?? 0) + 1;
  const leaked = options.leaks === false ? 0 : countLeaks(rt, cached);
  const summary: RunSummary = {
    trace: trace.file ?? "<trace>",
    collector: rt.config.collector,
    allocator: rt.config.allocator + (rt.config.debugHooks ? "_debug" : ""),
    preset: rt.capabilities.generational ? rt.config.preset : null,
    steps,
    totalSteps,
    events: events.length,
    eventKinds,
    objects: {
      allocated: after.objectsAllocated - before.objectsAllocated,
      freed: after.objectsFreed - before.objectsFreed,
      live: after.liveObjects - before.liveObjects,
      leaked,
    },
    heapBytes: { peak, final: after.heapBytes },
    liveBytes: after.liveBytes,
    peakLiveBytes: Math.max(...live.map((p) => p[1])),
    collections,
    pauses: pauseFigures(after.pausesMs.slice(before.pausesMs.length), warmupSteps),
    elapsedMs,
  };
  return {
    runtime: rt,
    events,
    summary,
    heapSeries: series,
    liveSeries: live,
    liveSampleEvery: every,
    collectionMarks: marks,
  };
}

/** Total, largest and median of a run's pause times, taken after `warmupSteps` of warm-up. */
export function pauseFigures(pauses: readonly number[], warmupSteps = 0): PauseFigures {
  const sorted = [...pauses].sort((a, b) => a - b);
  const n = sorted.length;
  const median =
    n === 0 ? 0 : n % 2 === 1 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
  return {
    count: n,
    totalMs: sorted.reduce((a, b) => a + b, 0),
    maxMs: n === 0 ? 0 : sorted[n - 1]!,
    medianMs: median,
    warmupSteps,
  };
}

/** How pause figures were taken, in words: `"cold"` or `"after a warm-up of 2,000 steps"`. */
export function pauseWarmth(pauses: PauseFigures): string {
  return pauses.warmupSteps === 0
    ? "cold: a first run, timing the engine compiling the collector too"
    : `after a warm-up of ${pauses.warmupSteps.toLocaleString("en-US")} steps`;
}

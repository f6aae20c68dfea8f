// Running a trace while watching it: heap bytes at every step (for the peak and the chart),
// the collections and pauses of the trace itself, and the objects it leaked.

import { basename } from "node:path";
import {
  type CollectorName,
  type PresetName,
  Runtime,
  type RuntimeOptions,
  type RuntimeStats,
  type Trace,
  type TraceEvent,
} from "@mm/runtime";
import type { Io } from "../io.js";
import { Progress } from "../output/progress.js";
import { countLeaks, liveObjects } from "./leaks.js";
import { countSteps } from "./shape.js";

/** The figures of one run of a trace, as `mm run` prints them and `--json` gives them. */
export interface RunSummary {
  readonly trace: string;
  readonly collector: CollectorName;
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
    /** Alive and unreachable from the runtime's roots (see `leaks.ts`). */
    readonly leaked: number;
  };
  /** Bytes mapped for the heap (arenas and free-store regions): the largest and the last. */
  readonly heapBytes: { readonly peak: number; readonly final: number };
  /** Bytes in blocks handed out when the run ends. */
  readonly liveBytes: number;
  /** Collections the trace caused, by generation (the tracing collector counts as 2). */
  readonly collections: readonly [number, number, number];
  readonly pauses: {
    readonly count: number;
    readonly totalMs: number;
    readonly maxMs: number;
    readonly medianMs: number;
  };
  /** Wall time of the run, in milliseconds. */
  readonly elapsedMs: number;
}

/** A measured run: its events and summary, its heap over time, and the runtime it ran on. */
export interface Measurement {
  readonly runtime: Runtime;
  readonly events: readonly TraceEvent[];
  readonly summary: RunSummary;
  /** `[step, heapBytes]` at step 0 and at every step where heap bytes changed. */
  readonly heapSeries: ReadonlyArray<readonly [number, number]>;
}

/** Options of {@link measureTrace}. */
export interface MeasureOptions {
  readonly runtime: RuntimeOptions;
  /** Stop after this many steps. @defaultValue the whole trace */
  readonly maxSteps?: number;
  /** Where the progress bar goes (it shows only on a terminal, after a second). */
  readonly io: Io;
  /** The progress bar's label. @defaultValue the trace file's base name */
  readonly label?: string;
  /** Count leaked objects (a walk of the whole heap after the run). @defaultValue `true` */
  readonly leaks?: boolean;
}

/** Runs `trace` on a new runtime and measures it. */
export function measureTrace(trace: Trace, options: MeasureOptions): Measurement {
  const rt = new Runtime(options.runtime);
  const totalSteps = countSteps(trace.ops);
  const progress = new Progress(
    options.io.stderr,
    options.label ?? basename(trace.file ?? "trace"),
  );
  // The baseline is read once the runner has set up CPython's start state (collect, freeze,
  // collect), so that every figure counts only what the trace itself did.
  let before!: RuntimeStats;
  let cached = new Set<number>();
  const series: Array<readonly [number, number]> = [];
  let last = 0;
  let peak = 0;
  let steps = 0;
  let began = 0;
  let events: TraceEvent[];
  try {
    events = rt.runTrace(trace, trace.file, {
      onStart: () => {
        before = rt.stats();
        if (options.leaks !== false) cached = liveObjects(rt);
        last = before.heapBytes;
        peak = last;
        series.push([0, last]);
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
        progress.tick(step, totalSteps);
      },
      ...(options.maxSteps !== undefined ? { maxSteps: options.maxSteps } : {}),
    });
  } finally {
    progress.finish();
  }
  const elapsedMs = performance.now() - began;
  const after = rt.stats();
  const collections = after.collections.map((n, g) => n - before.collections[g]!) as [
    number,
    number,
    number,
  ];
  const pauses = after.pausesMs.slice(before.pausesMs.length);
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
    collections,
    pauses: pauseFigures(pauses),
    elapsedMs,
  };
  return { runtime: rt, events, summary, heapSeries: series };
}

/** Total, largest and median of a run's pause times. */
export function pauseFigures(pauses: readonly number[]): RunSummary["pauses"] {
  const sorted = [...pauses].sort((a, b) => a - b);
  const n = sorted.length;
  const median =
    n === 0 ? 0 : n % 2 === 1 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
  return {
    count: n,
    totalMs: sorted.reduce((a, b) => a + b, 0),
    maxMs: n === 0 ? 0 : sorted[n - 1]!,
    medianMs: median,
  };
}

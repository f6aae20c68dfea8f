// Measuring a trace from the command line: @mm/views' `measureTrace` with a progress bar on
// stderr, labelled with the trace file's name.

import { basename } from "node:path";
import type { Trace } from "@mm/runtime";
import {
  type Measurement,
  measureTrace as measure,
  type MeasureOptions as ViewsMeasureOptions,
} from "@mm/views";
import type { Io } from "../io.js";
import { Progress } from "../output/progress.js";

export type { Measurement, RunSummary } from "@mm/views";

/** Options of {@link measureTrace}: @mm/views' options, and where the progress bar goes. */
export interface MeasureOptions extends Omit<ViewsMeasureOptions, "onProgress"> {
  /** Where the progress bar goes (it shows only on a terminal, after a second). */
  readonly io: Io;
  /** The progress bar's label. @defaultValue the trace file's base name */
  readonly label?: string;
}

/** Runs `trace` on a new runtime and measures it, with a progress bar. */
export function measureTrace(trace: Trace, options: MeasureOptions): Measurement {
  const { io, label, ...rest } = options;
  const progress = new Progress(io.stderr, label ?? basename(trace.file ?? "trace"));
  try {
    return measure(trace, { ...rest, onProgress: (step, total) => progress.tick(step, total) });
  } finally {
    progress.finish();
  }
}

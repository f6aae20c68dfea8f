// What the page and its worker say to each other. The worker runs one program per request and
// streams its steps in batches, so the first step can be shown while the rest still runs.

import type { PyTrace, RecordedStep } from "@mm/python";
import type { AddressSpaceModel } from "@mm/views";

/** The collectors a run can use (the runtime's registry names). */
export const COLLECTORS = ["cpython", "refcount", "tracing", "none"] as const;
/** The small-object allocators a run can use. */
export const ALLOCATORS = ["pymalloc", "malloc"] as const;
/** The cpython collector's threshold presets. */
export const PRESETS = ["3.11", "3.13"] as const;

/** A memory-management strategy: what a run is compared under. */
export interface Strategy {
  readonly collector: (typeof COLLECTORS)[number];
  readonly allocator: (typeof ALLOCATORS)[number];
  readonly preset: (typeof PRESETS)[number];
  /** Whether the runtime lives in a modelled process (its layout is then recorded). */
  readonly process: boolean;
}

/** The strategy a page starts with: CPython 3.11's. */
export const DEFAULT_STRATEGY: Strategy = {
  collector: "cpython",
  allocator: "pymalloc",
  preset: "3.11",
  process: true,
};

/** Asks the worker to run a program. */
export interface RunRequest {
  readonly kind: "run";
  readonly source: string;
  readonly strategy: Strategy;
  /** Steps recorded in full (with object snapshots); later ones are only counted. */
  readonly budget: number;
  /** Instructions after which the program is stopped as a runaway. */
  readonly maxInstructions: number;
}

/** Asks a new worker to load and warm up under `strategy` before its first run. */
export interface WarmRequest {
  readonly kind: "warm";
  readonly strategy: Strategy;
}

/** A step as the page shows it: the recorder's step and, with a process, its layout. */
export interface PageStep extends RecordedStep {
  /** The process's address space when the step ended (runs in a modelled process only). */
  readonly layout?: AddressSpaceModel;
  /** Each snapshot object's virtual address in the process, by `id()` (process runs only). */
  readonly virtual?: ReadonlyMap<number, number>;
}

/** Steps recorded since the last batch, in order. */
export interface StepsMessage {
  readonly kind: "steps";
  readonly steps: readonly PageStep[];
}

/** The run is over: everything but the steps, which came in batches. */
export interface DoneMessage {
  readonly kind: "done";
  readonly trace: Omit<PyTrace, "steps">;
  /** Wall-clock time of the run in the worker. */
  readonly elapsedMs: number;
}

/** The worker failed (a bug, not a Python exception: those end the run with status 1). */
export interface FailedMessage {
  readonly kind: "failed";
  readonly message: string;
}

/** The worker has warmed up and waits for a run. */
export interface ReadyMessage {
  readonly kind: "ready";
}

/** What the worker posts. */
export type WorkerMessage = StepsMessage | DoneMessage | FailedMessage | ReadyMessage;

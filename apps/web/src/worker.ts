// The worker: runs one program per request on @mm/python and posts its steps as they are
// recorded, in batches (the first step at once, then at most every 50 ms), so that the page
// shows the first step while a long program still runs and never freezes.

import { type Interpreter, type RecordedStep, recordPython } from "@mm/python";
import { addressSpaceModel } from "@mm/views";
import type { PageStep, RunRequest, WarmRequest, WorkerMessage } from "./protocol.js";

/** How often, at most, a batch of steps is posted. */
const BATCH_MS = 50;

/** The worker's own scope, typed with what this file uses of it (the page's lib is DOM's). */
const scope = globalThis as unknown as {
  postMessage(message: WorkerMessage): void;
  importScripts?: unknown;
};

function post(message: WorkerMessage): void {
  scope.postMessage(message);
}

/** Runs `request` to the end, posting its steps and then the rest of its trace with `send`. */
export function run(request: RunRequest, send: (message: WorkerMessage) => void = post): void {
  const started = performance.now();
  let vm: Interpreter | undefined;
  let batch: PageStep[] = [];
  let posted = started;
  let recorded = 0;
  const flush = () => {
    if (batch.length === 0) return;
    send({ kind: "steps", steps: batch });
    batch = [];
    posted = performance.now();
  };
  const onStep = (step: RecordedStep) => {
    // Past the budget the recorder still reports steps, without snapshots: the summary counts them.
    if (step.objects === undefined) return;
    recorded++;
    batch.push(withLayout(step, vm));
    if (recorded === 1 || performance.now() - posted > BATCH_MS) flush();
  };
  const { strategy } = request;
  const trace = recordPython(request.source, {
    filename: "main.py",
    objects: true,
    pools: true,
    budget: request.budget,
    maxSteps: request.maxInstructions,
    runtimeOptions: {
      collector: strategy.collector,
      allocator: strategy.allocator,
      ...(strategy.collector === "cpython" ? { preset: strategy.preset } : {}),
      process: strategy.process,
    },
    onStep,
    setup: (interpreter) => {
      vm = interpreter;
    },
  });
  flush();
  const { steps: _steps, ...rest } = trace;
  send({ kind: "done", trace: rest, elapsedMs: performance.now() - started });
}

/** A small program, recorded as a run would be and thrown away: it compiles what runs use. */
const WARM_UP = "x = [1, (2, 3.5)]\ndef f(n):\n    return n + 1\ny = f(1)\ndel x\n";

/** Runs {@link WARM_UP} under `request`'s strategy, posting nothing. */
export function warm(request: WarmRequest): void {
  const warmUp: RunRequest = {
    kind: "run",
    source: WARM_UP,
    strategy: request.strategy,
    budget: 100,
    maxInstructions: 100_000,
  };
  run(warmUp, () => {});
  post({ kind: "ready" });
}

/** The step with the process's layout and its objects' virtual addresses, when there is a process. */
function withLayout(step: RecordedStep, vm: Interpreter | undefined): PageStep {
  const process = vm?.runtime.process;
  if (process === undefined) return step;
  const virtual = new Map<number, number>();
  for (const o of step.objects ?? []) virtual.set(o.address, process.virtualAddressOf(o.address));
  return { ...step, layout: addressSpaceModel(process), virtual };
}

// In a worker (not when a test imports the module), every message is a run.
if (typeof scope.importScripts === "function") {
  addEventListener("message", (event: MessageEvent<RunRequest | WarmRequest>) => {
    try {
      if (event.data.kind === "warm") warm(event.data);
      else run(event.data);
    } catch (error) {
      post({ kind: "failed", message: error instanceof Error ? error.message : String(error) });
    }
  });
}

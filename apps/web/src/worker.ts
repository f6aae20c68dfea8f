// The worker: runs one program per request on @mm/python and posts its steps as they are
// recorded, in batches (the first step at once, then at most every 50 ms), so that the page
// shows the first step while a long program still runs and never freezes.

import {
  type Interpreter,
  PY_TRACE_VERSION,
  type PyTrace,
  type RecordedStep,
  type RecordingSummary,
  runPython,
  StepRecorder,
} from "@mm/python";
import { addressSpaceModel } from "@mm/views";
import type { PageStep, RunRequest, WarmRequest, WorkerMessage } from "./protocol.js";

/** How often, at most, a batch of steps is posted. */
const BATCH_MS = 50;
/** The most objects a step's snapshot lists (the picture draws fewer). */
const OBJECT_LIMIT = 60;

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
  let batch: PageStep[] = [];
  let posted = started;
  let recorder: StepRecorder | undefined;
  let sent = 0;
  let stderr = "";
  let summary: RecordingSummary | undefined;
  const flush = () => {
    if (batch.length === 0) return;
    send({ kind: "steps", steps: batch });
    batch = [];
    posted = performance.now();
  };
  // Steps are closed at the next line event: take the new ones right after it, while the
  // process is as they left it. Past the budget no step is recorded and this costs nothing.
  const collect = (vm: Interpreter) => {
    const steps = recorder?.steps ?? [];
    if (steps.length === sent) return;
    for (; sent < steps.length; sent++) batch.push(withLayout(steps[sent]!, vm));
    if (sent === 1 || performance.now() - posted > BATCH_MS) flush();
  };
  const { strategy } = request;
  const filename = "main.py";
  const result = runPython(request.source, {
    filename,
    maxSteps: request.maxInstructions,
    runtimeOptions: {
      collector: strategy.collector,
      allocator: strategy.allocator,
      ...(strategy.collector === "cpython" ? { preset: strategy.preset } : {}),
      process: strategy.process,
    },
    stdout: (text) => recorder?.write(text),
    stderr: (text) => {
      stderr += text;
    },
    setup: (vm) => {
      recorder = new StepRecorder(vm, {
        objects: true,
        pools: true,
        budget: request.budget,
        objectLimit: OBJECT_LIMIT,
      });
      const line = vm.onLine!;
      vm.onLine = (frame, at) => {
        line(frame, at);
        collect(vm);
      };
    },
    teardown: (vm) => {
      recorder?.finish();
      collect(vm);
      summary = recorder?.summary();
    },
  });
  flush();
  const trace: Omit<PyTrace, "steps"> = {
    format: "mm-py-trace",
    version: PY_TRACE_VERSION,
    filename,
    source: request.source,
    status: result.status,
    truncated: recorder?.truncated ?? false,
    budget: request.budget,
    summary: summary ?? {
      lines: 0,
      recorded: 0,
      events: { allocate: 0, free: 0, finalize: 0, "weakref-callback": 0, collect: 0 },
      freedBy: { refcount: 0, collection: [0, 0, 0] },
    },
    stderr,
  };
  send({ kind: "done", trace, elapsedMs: performance.now() - started });
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
function withLayout(step: RecordedStep, vm: Interpreter): PageStep {
  const process = vm.runtime.process;
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

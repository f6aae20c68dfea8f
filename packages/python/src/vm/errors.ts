// How a Python exception travels through the evaluator's JavaScript: a thrown `Raised` owns one
// reference to the exception object in the heap.

import type { Ref } from "@mm/runtime";

/** A Python exception in flight: the thrower owns one reference to `exc`. */
export class Raised extends Error {
  override readonly name = "Raised";
  readonly exc: Ref;

  constructor(exc: Ref) {
    super("a Python exception");
    this.exc = exc;
  }
}

/** `SystemExit` leaving the program: the status `sys.exit` was given. */
export class ExitRequest extends Error {
  override readonly name = "ExitRequest";
  readonly status: number;

  constructor(status: number) {
    super(`exit ${status}`);
    this.status = status;
  }
}

/** A run stopped after its instruction budget (a program that does not end). */
export class StepLimitError extends Error {
  override readonly name = "StepLimitError";
  readonly steps: number;

  constructor(steps: number) {
    super(`the program was stopped after ${steps} instructions`);
    this.steps = steps;
  }
}

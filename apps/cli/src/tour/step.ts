// What a step of the tour is: a title, and a function that works on live runtimes and returns
// the lines to print and the figures they were made from (what `mm tour --json` prints).

import { type PresetName, Runtime, type RuntimeOptions } from "@mm/runtime";
import { count } from "@mm/views";
import type { Style } from "../output/style.js";

/** What the steps share: how to make a runtime, how to style text, where warnings went. */
export class TourContext {
  readonly style: Style;
  readonly preset: PresetName;
  /** Lines the runtimes logged (unraisable exceptions, resource warnings), in order. */
  readonly logged: string[] = [];

  constructor(style: Style, preset: PresetName) {
    this.style = style;
    this.preset = preset;
  }

  /**
   * A fresh runtime: pymalloc and CPython's collector with the tour's preset, unless `options`
   * say otherwise. The environment is not read, so the tour always shows the same machinery.
   */
  runtime(options: RuntimeOptions = {}): Runtime {
    const collector = options.collector ?? "cpython";
    return new Runtime({
      env: {},
      log: (line) => this.logged.push(line),
      ...(collector === "cpython" ? { preset: this.preset } : {}),
      ...options,
    });
  }

  /** A figure as the text shows it: grouped digits, in bold. */
  n(value: number): string {
    return this.style.bold(count(value));
  }

  /** A count and its noun, plural unless the count is 1: `2 arenas`, figure in bold. */
  p(value: number, noun: string): string {
    return `${this.n(value)} ${value === 1 ? noun : `${noun}s`}`;
  }

  /** A boolean as Python prints it (`True`, `False`), in bold. */
  b(value: boolean): string {
    return this.v(value ? "True" : "False");
  }

  /** A value as the text shows it, in bold. */
  v(value: string): string {
    return this.style.bold(value);
  }
}

/** What a step shows. */
export interface StepResult {
  readonly lines: readonly string[];
  /** Every figure the lines print, by name, as the runtime gave it. */
  readonly figures: Readonly<Record<string, unknown>>;
}

/** One step of the tour. */
export interface TourStep {
  readonly title: string;
  run(ctx: TourContext): StepResult;
}

/** `(a, b, c)`, as Python prints a tuple of numbers. */
export function tuple(values: readonly number[]): string {
  return `(${values.join(", ")})`;
}

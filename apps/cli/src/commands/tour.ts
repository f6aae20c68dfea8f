// mm tour: a guided walk through Python's memory management, every figure read from a live
// runtime as the step runs. Non-interactive by default; --step waits for Enter between steps.

import { createInterface } from "node:readline";
import type { PresetName } from "@mm/runtime";
import { ms } from "@mm/views";
import { type Command, oneOf, parseCommand, printJson } from "../command.js";
import type { Io } from "../io.js";
import { styleFor } from "../output/style.js";
import { TourContext } from "../tour/step.js";
import { tourSteps } from "../tour/steps.js";
import { PRESETS } from "../trace/strategy.js";

const help = `mm tour [options]

A guided walk through Python's memory management on live runtimes: the private heap,
reference counts, a cycle that counting cannot free, generations and thresholds, pools and
arenas, free lists, __del__ and resurrection, weak references, context managers, and the
process layout. Every number is read from the runtime as the step runs.

Options:
      --step             wait for Enter between steps
  -p, --preset VERSION   3.11 (default) or 3.13: the collector's thresholds
      --json             print every step's figures as JSON
  -h, --help             show this help`;

/** `mm tour`. */
export const tour: Command = {
  name: "tour",
  summary: "a guided walk through Python's memory management, with live numbers",
  help,
  async run(argv, io) {
    const { values } = parseCommand(
      "tour",
      argv,
      {
        step: { type: "boolean" },
        preset: { type: "string", short: "p" },
        json: { type: "boolean" },
      },
      { min: 0, max: 0, what: "no arguments" },
    );
    const preset: PresetName = oneOf(values.preset, PRESETS, "--preset", "tour") ?? "3.11";
    const style = styleFor(io.stdout, io.env);
    const ctx = new TourContext(style, preset);
    if (values.json) {
      printJson(io, {
        preset,
        steps: tourSteps.map((step, i) => ({
          step: i + 1,
          title: step.title,
          figures: step.run(ctx).figures,
        })),
      });
      return;
    }
    const enter = values.step ? lineReader(io) : undefined;
    const started = performance.now();
    io.stdout.write(
      `${style.bold("mm tour")}: Python's memory management, step by step, on a runtime that rebuilds CPython ${preset}'s.\n`,
    );
    try {
      for (const [i, step] of tourSteps.entries()) {
        if (enter && i > 0) {
          io.stderr.write(style.dim(`-- press Enter for step ${i + 1}: ${step.title} --`));
          await enter.next();
          io.stderr.write("\n");
        }
        const result = step.run(ctx);
        io.stdout.write(`\n${style.cyan(style.bold(`${i + 1}. ${step.title}`))}\n`);
        io.stdout.write(`${result.lines.map((line) => `  ${line}`).join("\n")}\n`);
      }
    } finally {
      enter?.close();
    }
    io.stdout.write(
      `\n${style.dim(`${tourSteps.length} steps in ${ms(performance.now() - started)}. Next: mm --help lists the other commands (from the repository root, mm is node apps/cli/dist/mm.js).`)}\n`,
    );
  },
};

/** Reads stdin a line at a time; at the end of input every wait returns at once. */
function lineReader(io: Io): { next(): Promise<void>; close(): void } {
  const rl = createInterface({ input: io.stdin, terminal: false });
  const lines: string[] = [];
  let ended = false;
  let waiting: (() => void) | undefined;
  rl.on("line", (line) => {
    lines.push(line);
    waiting?.();
  });
  rl.on("close", () => {
    ended = true;
    waiting?.();
  });
  return {
    next: () =>
      new Promise<void>((resolve) => {
        const take = () => {
          if (lines.length > 0) lines.shift();
          else if (!ended) return false;
          waiting = undefined;
          resolve();
          return true;
        };
        if (!take()) waiting = () => void take();
      }),
    close: () => rl.close(),
  };
}

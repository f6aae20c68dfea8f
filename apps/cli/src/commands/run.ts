// mm run: one trace, one strategy; a summary of what memory management did, or the exact
// event log to compare with CPython's.

import { formatEvent } from "@mm/runtime";
import { count, formatBytes, ms, pauseWarmth, plural } from "@mm/views";
import { type Command, parseCommand, printJson } from "../command.js";
import { UsageError } from "../errors.js";
import type { Io } from "../io.js";
import { styleFor } from "../output/style.js";
import { loadTrace } from "../trace/load.js";
import { measureTrace, type RunSummary } from "../trace/measure.js";
import { loadStrategies, moduleHelp, moduleOptions } from "../trace/modules.js";
import { runtimeOptions, strategyHelp, strategyOptions } from "../trace/strategy.js";

const help = `mm run TRACE.jsonl [options]

Runs an mm-trace on the runtime and prints what memory management did: objects allocated,
freed and leaked, peak and final heap bytes, collections per generation and their pauses.

Options:
${strategyHelp}
${moduleHelp}
      --stress           GC stress mode (as MM_GC_STRESS=1): a collection at every container
                         allocation, every structure verified after every op; slow
      --events           print the event log only, one JSON line per event, exactly as
                         CPython's driver prints it (conformance/mmtrace.py)
      --json             print the summary as JSON
  -h, --help             show this help

Objects leaked are the objects alive after the run that neither the module's variables nor
the code's constants reach: cycles that counting could not free, garbage not yet swept.

Example:
  mm run packages/runtime/conformance/traces/cycle-generations.jsonl --collector refcount
  diff <(mm run --events t.jsonl) <(python3 packages/runtime/conformance/mmtrace.py t.jsonl)`;

/** `mm run`. */
export const run: Command = {
  name: "run",
  summary: "run an mm-trace and summarise it (or print its event log)",
  help,
  async run(argv, io) {
    const { values, positionals } = parseCommand(
      "run",
      argv,
      {
        ...strategyOptions,
        ...moduleOptions,
        events: { type: "boolean" },
        json: { type: "boolean" },
        stress: { type: "boolean" },
      },
      { min: 1, max: 1, what: "a trace file" },
    );
    if (values.events && values.json) {
      throw new UsageError(
        "--events and --json are two different outputs (the event log is JSON lines already); give one",
        "run",
      );
    }
    // A strategy loaded from a module is the one used unless --collector/--allocator says not.
    const loaded = await loadStrategies(values, "run", io);
    const options = {
      ...runtimeOptions(
        {
          ...values,
          collector: values.collector ?? loaded.collectors.at(-1),
          allocator: values.allocator ?? loaded.allocators.at(-1),
        },
        "run",
        io,
        loaded.registry,
      ),
      ...(values.stress ? { stress: true } : {}),
    };
    const trace = loadTrace(positionals[0]!, io.cwd);
    const measured = measureTrace(trace, { runtime: options, io, leaks: !values.events });
    if (values.events) {
      io.stdout.write(measured.events.map((e) => `${formatEvent(e)}\n`).join(""));
      return;
    }
    if (values.json) printJson(io, measured.summary);
    else io.stdout.write(`${renderSummary(measured.summary, io)}\n`);
  },
};

/** The summary as aligned lines. */
export function renderSummary(s: RunSummary, io: Io): string {
  const style = styleFor(io.stdout, io.env);
  const label = (text: string) => style.bold(text.padEnd(12));
  const strategy = [
    `${s.collector} collector`,
    `${s.allocator} allocator`,
    ...(s.preset ? [`preset ${s.preset}`] : []),
  ].join(", ");
  const kinds = Object.entries(s.eventKinds)
    .map(([kind, n]) => `${kind} ${count(n)}`)
    .join(", ");
  const leaked = s.objects.leaked > 0 ? style.yellow(count(s.objects.leaked)) : "0";
  const [g0, g1, g2] = s.collections;
  return [
    `${label("trace")}${s.trace}: ${plural(s.steps, "step")} in ${ms(s.elapsedMs)}`,
    `${label("strategy")}${strategy}`,
    `${label("objects")}${count(s.objects.allocated)} allocated, ${count(s.objects.freed)} freed, ${count(s.objects.live)} live, ${leaked} leaked`,
    `${label("heap")}peak ${formatBytes(s.heapBytes.peak)}, final ${formatBytes(s.heapBytes.final)} (${formatBytes(s.liveBytes)} in live blocks)`,
    `${label("collections")}gen0 ${count(g0)}, gen1 ${count(g1)}, gen2 ${count(g2)}`,
    `${label("pauses")}total ${ms(s.pauses.totalMs)}, max ${ms(s.pauses.maxMs)}, median ${ms(s.pauses.medianMs)}${s.pauses.count > 0 ? style.dim(` (${pauseWarmth(s.pauses)})`) : ""}`,
    `${label("events")}${count(s.events)}${kinds ? ` (${kinds})` : ""}`,
  ].join("\n");
}

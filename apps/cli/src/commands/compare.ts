// mm compare: the same trace under several collectors, side by side in one table, with live
// bytes over time as terminal sparklines and an SVG chart of live and mapped bytes with the
// collections marked.

import { basename, extname } from "node:path";
import {
  comparedRun,
  compareSvg,
  count,
  formatBytes,
  ms,
  pauseWarmth,
  sampleSeries,
  sparkline,
} from "@mm/views";
import { type Command, nonEmpty, parseCommand, printJson } from "../command.js";
import { UsageError } from "../errors.js";
import type { Io } from "../io.js";
import { writeOutput } from "../output/files.js";
import { styleFor } from "../output/style.js";
import { table } from "../output/table.js";
import { loadTrace } from "../trace/load.js";
import { type Measurement, measureTrace } from "../trace/measure.js";
import { loadStrategies, moduleHelp, moduleOptions } from "../trace/modules.js";
import { runtimeOptions } from "../trace/strategy.js";

const help = `mm compare TRACE.jsonl [options]

Runs the same trace under each collector and prints one table (a row per collector) and live
bytes (in blocks handed out) over time: a sparkline per collector in the terminal, and an SVG
chart of live bytes above mapped heap bytes, with a mark for every collection. Each collector
first runs up to 5,000 steps of the trace as a warm-up, so that pauses are those of warm code.

Options:
      --collectors LIST  comma-separated collectors (default: cpython,refcount,tracing,none
                         and those loaded with --collector-module)
  -a, --allocator NAME   pymalloc (default), malloc, pymalloc_debug or malloc_debug
${moduleHelp}
      --svg FILE         where the chart goes (default: TRACE-NAME.compare.svg in the
                         current directory; with --json, no chart unless --svg is given)
      --json             print the table and the heap series as JSON
  -h, --help             show this help

Example:
  mm compare packages/runtime/conformance/traces/auto-collect-churn-100k.jsonl`;

const SPARK_WIDTH = 48;
/**
 * Each collector first runs this many steps of the trace (at most) on a throwaway runtime, so
 * that the pauses compared are those of warm code, not of the engine compiling it.
 */
const WARMUP_STEPS = 5000;

/** `mm compare`. */
export const compare: Command = {
  name: "compare",
  summary: "run a trace under several collectors: one table, live and mapped bytes over time",
  help,
  async run(argv, io) {
    const { values, positionals } = parseCommand(
      "compare",
      argv,
      {
        ...moduleOptions,
        collectors: { type: "string" },
        allocator: { type: "string", short: "a" },
        svg: { type: "string" },
        json: { type: "boolean" },
      },
      { min: 1, max: 1, what: "a trace file" },
    );
    const { registry } = await loadStrategies(values, "compare", io);
    const collectors = parseCollectors(values.collectors, registry.collectorNames());
    const trace = loadTrace(positionals[0]!, io.cwd);
    const runs = collectors.map((collector) =>
      measureTrace(trace, {
        runtime: runtimeOptions(
          { collector, allocator: values.allocator },
          "compare",
          io,
          registry,
        ),
        io,
        label: `${basename(positionals[0]!)} (${collector})`,
        warmupSteps: WARMUP_STEPS,
      }),
    );
    // With --json the figures go to stdout and a chart is drawn only when --svg asks for one.
    const svgFile =
      nonEmpty(values.svg, "--svg", "compare") ??
      (values.json
        ? undefined
        : `${basename(positionals[0]!, extname(positionals[0]!))}.compare.svg`);
    const svgPath =
      svgFile !== undefined
        ? writeOutput(svgFile, io.cwd, chart(runs, basename(positionals[0]!)))
        : undefined;
    if (values.json) {
      printJson(io, {
        trace: trace.file,
        ...(svgPath !== undefined ? { svg: svgPath } : {}),
        runs: runs.map((r) => ({
          ...r.summary,
          heapSeries: r.heapSeries,
          liveSeries: r.liveSeries,
          collectionMarks: r.collectionMarks,
        })),
      });
      return;
    }
    io.stdout.write(`${render(runs, io)}\n\nchart: ${svgFile}\n`);
  },
};

function parseCollectors(list: string | undefined, registered: readonly string[]): string[] {
  if (list === undefined) return [...registered];
  const names = list.split(",").map((n) => n.trim());
  for (const n of names) {
    if (!registered.includes(n)) {
      throw new UsageError(
        `--collectors takes names from ${registered.join(", ")}, got '${n}'`,
        "compare",
      );
    }
  }
  if (new Set(names).size !== names.length)
    throw new UsageError(`--collectors lists a collector twice: '${list}'`, "compare");
  return names;
}

/** The table and the sparklines of live bytes, on one scale for every collector. */
function render(runs: readonly Measurement[], io: Io): string {
  const style = styleFor(io.stdout, io.env);
  const rows = runs.map(({ summary: s }) => [
    style.bold(s.collector),
    count(s.objects.allocated),
    count(s.objects.freed),
    s.objects.leaked > 0 ? style.yellow(count(s.objects.leaked)) : "0",
    formatBytes(s.peakLiveBytes),
    formatBytes(s.liveBytes),
    formatBytes(s.heapBytes.peak),
    s.collections.map(count).join("/"),
    ms(s.pauses.totalMs),
    ms(s.pauses.maxMs),
    ms(s.elapsedMs),
  ]);
  const right = { align: "right" } as const;
  const grid = table(
    [
      { header: "collector" },
      { header: "allocated", ...right },
      { header: "freed", ...right },
      { header: "leaked", ...right },
      { header: "peak live", ...right },
      { header: "final live", ...right },
      { header: "peak mapped", ...right },
      { header: "gen0/1/2", ...right },
      { header: "pause total", ...right },
      { header: "pause max", ...right },
      { header: "run time", ...right },
    ],
    rows,
  );
  const steps = runs[0]?.summary.steps ?? 0;
  const top = Math.max(...runs.map((r) => r.summary.peakLiveBytes));
  const width = Math.max(...runs.map((r) => r.summary.collector.length));
  const lines = runs.map((r) => {
    const values = sampleSeries(r.liveSeries, r.summary.steps, SPARK_WIDTH);
    return `  ${r.summary.collector.padEnd(width)}  ${style.cyan(sparkline(values, SPARK_WIDTH, top))}  ${formatBytes(r.summary.liveBytes)}`;
  });
  const first = runs[0]!.summary;
  return [
    `${style.bold(first.trace)}: ${count(steps)} steps, allocator ${first.allocator}`,
    "",
    grid,
    style.dim(
      `live: bytes in blocks handed out; mapped: arenas and free-store regions. Pauses ${pauseWarmth(first.pauses)}.`,
    ),
    "",
    `live bytes over ${count(steps)} steps (one scale, 0 to ${formatBytes(top)}; the last figure is the final one):`,
    ...lines,
  ].join("\n");
}

function chart(runs: readonly Measurement[], name: string): string {
  return compareSvg(runs.map(comparedRun), name, runs[0]?.summary.steps ?? 0);
}

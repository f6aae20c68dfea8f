// mm compare: the same trace under several collectors, side by side in one table, with heap
// bytes over time as terminal sparklines and an SVG chart.

import { basename, extname } from "node:path";
import { type Command, parseCommand, printJson } from "../command.js";
import { UsageError } from "../errors.js";
import type { Io } from "../io.js";
import { writeOutput } from "../output/files.js";
import { sparkline } from "../output/sparkline.js";
import { styleFor } from "../output/style.js";
import { binaryStep, lineChart } from "../output/svg.js";
import { table } from "../output/table.js";
import { bytes, count, ms } from "../output/units.js";
import { loadTrace } from "../trace/load.js";
import { type Measurement, measureTrace } from "../trace/measure.js";
import { loadStrategies, moduleHelp, moduleOptions } from "../trace/modules.js";
import { runtimeOptions } from "../trace/strategy.js";

const help = `mm compare TRACE.jsonl [options]

Runs the same trace under each collector and prints one table (a row per collector) and heap
bytes over time: a sparkline per collector in the terminal and a line chart as an SVG file.

Options:
      --collectors LIST  comma-separated collectors (default: cpython,refcount,tracing,none
                         and those loaded with --collector-module)
  -a, --allocator NAME   pymalloc (default), malloc, pymalloc_debug or malloc_debug
${moduleHelp}
      --svg FILE         where the chart goes (default: TRACE-NAME.compare.svg in the
                         current directory)
      --json             print the table and the heap series as JSON
  -h, --help             show this help

Example:
  mm compare packages/runtime/conformance/traces/auto-collect-churn-100k.jsonl`;

const COLOURS: Record<string, string> = {
  cpython: "#1f77b4",
  refcount: "#d62728",
  tracing: "#2ca02c",
  none: "#7f7f7f",
};
/** Colours of collectors loaded from modules, in the order they are listed. */
const MORE_COLOURS = ["#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf", "#bcbd22"];
const SPARK_WIDTH = 48;

/** `mm compare`. */
export const compare: Command = {
  name: "compare",
  summary: "run a trace under several collectors: one table, heap bytes over time",
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
      }),
    );
    const svgFile =
      values.svg ?? `${basename(positionals[0]!, extname(positionals[0]!))}.compare.svg`;
    const svgPath = writeOutput(svgFile, io.cwd, chart(runs, basename(positionals[0]!)));
    if (values.json) {
      printJson(io, {
        trace: trace.file,
        svg: svgPath,
        runs: runs.map((r) => ({ ...r.summary, heapSeries: r.heapSeries })),
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

/** The table and the sparklines, on one heap-bytes scale for every collector. */
function render(runs: readonly Measurement[], io: Io): string {
  const style = styleFor(io.stdout, io.env);
  const rows = runs.map(({ summary: s }) => [
    style.bold(s.collector),
    count(s.objects.allocated),
    count(s.objects.freed),
    s.objects.leaked > 0 ? style.yellow(count(s.objects.leaked)) : "0",
    bytes(s.heapBytes.peak),
    bytes(s.heapBytes.final),
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
      { header: "peak heap", ...right },
      { header: "final heap", ...right },
      { header: "gen0/1/2", ...right },
      { header: "pause total", ...right },
      { header: "pause max", ...right },
      { header: "run time", ...right },
    ],
    rows,
  );
  const steps = runs[0]?.summary.steps ?? 0;
  const top = Math.max(...runs.map((r) => r.summary.heapBytes.peak));
  const width = Math.max(...runs.map((r) => r.summary.collector.length));
  const lines = runs.map((r) => {
    const values = sampleSeries(r.heapSeries, r.summary.steps, SPARK_WIDTH);
    return `  ${r.summary.collector.padEnd(width)}  ${style.cyan(sparkline(values, SPARK_WIDTH, top))}  ${bytes(r.summary.heapBytes.peak)}`;
  });
  const trace = runs[0]!.summary.trace;
  return [
    `${style.bold(trace)}: ${count(steps)} steps, allocator ${runs[0]!.summary.allocator}`,
    "",
    grid,
    "",
    `heap bytes over ${count(steps)} steps (one scale, 0 to ${bytes(top)}):`,
    ...lines,
  ].join("\n");
}

/**
 * The heap-bytes step function sampled at `width` evenly spaced steps, taking each stretch's
 * largest value, so a sparkline is drawn on the step axis and not on the change points.
 */
export function sampleSeries(
  series: ReadonlyArray<readonly [number, number]>,
  steps: number,
  width: number,
): number[] {
  const out: number[] = [];
  let i = 0;
  for (let b = 0; b < width; b++) {
    const end = Math.max(1, Math.ceil(((b + 1) * steps) / width));
    let value = series[i]![1];
    while (i + 1 < series.length && series[i + 1]![0] <= end) {
      i++;
      value = Math.max(value, series[i]![1]);
    }
    out.push(value);
  }
  return out;
}

function chart(runs: readonly Measurement[], name: string): string {
  return lineChart(
    runs.map((r, i) => ({
      name: r.summary.collector,
      colour: COLOURS[r.summary.collector] ?? MORE_COLOURS[i % MORE_COLOURS.length]!,
      points: r.heapSeries,
    })),
    {
      title: `${name}: heap bytes over time, per collector`,
      xLabel: "step",
      yLabel: "heap bytes (arenas and free-store regions)",
      formatY: bytes,
      yStep: binaryStep,
      xMax: runs[0]?.summary.steps ?? 0,
    },
  );
}

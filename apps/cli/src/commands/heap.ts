// mm heap: pymalloc's arenas and pools after a trace (or at a step of it), as a terminal grid
// and optionally an SVG picture.

import { basename } from "node:path";
import { arenaCounts, arenaGrid, arenaMap, arenaSvg, count, heapMapForm } from "@mm/views";
import { type Command, nonEmpty, parseCommand, positiveInteger, printJson } from "../command.js";
import { UsageError } from "../errors.js";
import { writeOutput } from "../output/files.js";
import { styleFor } from "../output/style.js";
import { table } from "../output/table.js";
import { loadTrace } from "../trace/load.js";
import { measureTrace } from "../trace/measure.js";
import { runtimeOptions, strategyHelp, strategyOptions } from "../trace/strategy.js";

const help = `mm heap TRACE.jsonl [options]

Runs a trace (to its end, or to a step) and draws pymalloc's arenas and pools: one cell per
pool, full, used or empty, with its size class; then the size classes in use.

Options:
      --at STEP          stop after this step (steps count ops, each iteration of a repeat)
${strategyHelp}
      --svg FILE         also draw the arenas as an SVG picture in FILE
      --json             print arenas, pools and size classes as JSON
  -h, --help             show this help

Example:
  mm heap packages/runtime/conformance/traces/repeat-churn.jsonl --at 100 --svg heap.svg`;

/** `mm heap`. */
export const heap: Command = {
  name: "heap",
  summary: "draw pymalloc's arenas and pools after a trace (terminal grid and SVG)",
  help,
  run(argv, io) {
    const { values, positionals } = parseCommand(
      "heap",
      argv,
      {
        ...strategyOptions,
        at: { type: "string" },
        svg: { type: "string" },
        json: { type: "boolean" },
      },
      { min: 1, max: 1, what: "a trace file" },
    );
    const at = positiveInteger(values.at, "--at", "heap");
    const options = runtimeOptions(values, "heap", io);
    const trace = loadTrace(positionals[0]!, io.cwd);
    const measured = measureTrace(trace, {
      runtime: options,
      io,
      leaks: false,
      ...(at !== undefined ? { maxSteps: at } : {}),
    });
    const pymalloc = measured.runtime.pymalloc;
    if (!pymalloc) {
      throw new UsageError(
        "mm heap draws pymalloc's arenas, and this run uses the malloc allocator (use --allocator pymalloc)",
        "heap",
      );
    }
    const map = arenaMap(pymalloc);
    const { steps, totalSteps } = measured.summary;
    const where =
      steps < totalSteps
        ? `after step ${count(steps)} of ${count(totalSteps)}`
        : `after all ${count(steps)} steps`;
    const title = `${basename(trace.file ?? "trace")} ${where} (${measured.summary.collector} collector)`;
    // Past a dozen arenas both pictures switch to their summary form, and say so.
    const form = heapMapForm(map);
    const svg = nonEmpty(values.svg, "--svg", "heap");
    const svgPath = svg !== undefined ? writeOutput(svg, io.cwd, arenaSvg(map, title)) : undefined;
    if (values.json) {
      printJson(io, {
        trace: trace.file,
        step: steps,
        totalSteps,
        collector: measured.summary.collector,
        ...(svgPath ? { svg: svgPath, form } : {}),
        ...map,
      });
      return;
    }
    const style = styleFor(io.stdout, io.env);
    const note =
      at !== undefined && at > totalSteps
        ? [style.dim(`(the trace has ${count(totalSteps)} steps; --at ${at} is past its end)`)]
        : [];
    const classes = table(
      [
        { header: "class", align: "right" },
        { header: "block", align: "right" },
        { header: "pools", align: "right" },
        { header: "blocks in use", align: "right" },
        { header: "available", align: "right" },
      ],
      map.classes.map((c) => [
        String(c.sizeClass),
        `${c.blockSize} B`,
        count(c.pools),
        count(c.blocksInUse),
        count(c.availableBlocks),
      ]),
    );
    io.stdout.write(
      [
        style.bold(`pymalloc: ${title}`),
        ...note,
        arenaCounts(map),
        "",
        arenaGrid(map, style),
        "",
        classes,
        ...(svgPath
          ? [
              "",
              `picture: ${values.svg}${form === "summary" ? " (summary map: a column per arena)" : ""}`,
            ]
          : []),
        "",
      ].join("\n"),
    );
  },
};

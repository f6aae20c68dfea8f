// mm gen: writes a workload as an mm-trace, to stdout or a file.

import { count } from "@mm/views";
import { type Command, nonEmpty, parseCommand, positiveInteger, printJson } from "../command.js";
import { UsageError } from "../errors.js";
import { writeOutput } from "../output/files.js";
import { MAX_TRACE_BYTES } from "../trace/load.js";
import { type TraceBuilder, TraceTooLargeError } from "../workloads/builder.js";
import { type Workload, workloads } from "../workloads/kinds.js";

const width = Math.max(...workloads.map((w) => w.kind.length));
const help = `mm gen KIND [options]

Writes a workload as an mm-trace (to stdout, or to --out FILE). Every trace it writes runs in
the runtime under every collector, and in CPython through conformance/mmtrace.py.

Kinds:
${workloads.map((w) => `  ${w.kind.padEnd(width)}  ${w.summary}\n  ${"".padEnd(width)}  --size: ${w.sizeMeans} (default ${count(w.defaultSize)})`).join("\n")}

Options:
  -n, --size N           how big (see each kind)
      --seed N           the random seed of the kinds that draw choices (default 1)
  -o, --out FILE         write the trace to FILE instead of stdout
      --json             with --out: print what was written (kind, size, seed, lines, bytes)
  -h, --help             show this help

Example:
  mm gen requests --size 200 --out requests.jsonl && mm compare requests.jsonl`;

/** `mm gen`. */
export const gen: Command = {
  name: "gen",
  summary: "write a workload trace: churn, growth, cycles, chains or requests",
  help,
  run(argv, io) {
    const { values, positionals } = parseCommand(
      "gen",
      argv,
      {
        size: { type: "string", short: "n" },
        seed: { type: "string" },
        out: { type: "string", short: "o" },
        json: { type: "boolean" },
      },
      { min: 1, max: 1, what: `a kind (${workloads.map((w) => w.kind).join(", ")})` },
    );
    const workload = workloads.find((w) => w.kind === positionals[0]);
    if (!workload) {
      throw new UsageError(
        `unknown kind '${positionals[0]}': use one of ${workloads.map((w) => w.kind).join(", ")}`,
        "gen",
      );
    }
    const size = positiveInteger(values.size, "--size", "gen") ?? workload.defaultSize;
    const seed = positiveInteger(values.seed, "--seed", "gen") ?? 1;
    if (values.json && values.out === undefined)
      throw new UsageError("--json needs --out: without it the trace itself goes to stdout", "gen");
    const out = nonEmpty(values.out, "--out", "gen");
    const tooLarge = () =>
      new UsageError(
        `--size ${size} makes a ${workload.kind} trace of more than ${MAX_TRACE_BYTES >> 20} MiB, the most mm reads; give a smaller --size`,
        "gen",
      );
    if (estimatedBytes(workload, size, seed) > MAX_TRACE_BYTES) throw tooLarge();
    let trace: TraceBuilder;
    try {
      trace = workload.write(size, seed);
    } catch (error) {
      // The estimate is a straight line; the builder's own limit catches what it misses.
      if (error instanceof TraceTooLargeError) throw tooLarge();
      throw error;
    }
    const text = trace.text();
    if (out === undefined) {
      io.stdout.write(text);
      return;
    }
    const path = writeOutput(out, io.cwd, text);
    const report = {
      kind: workload.kind,
      size,
      seed,
      lines: trace.lines,
      bytes: Buffer.byteLength(text),
      file: path,
    };
    if (values.json) printJson(io, report);
    else
      io.stdout.write(
        `wrote ${out}: ${workload.kind}, size ${count(size)}, seed ${seed}, ${count(report.lines)} lines\n`,
      );
  },
};

/** Sizes the estimate of a trace's bytes is drawn through. */
const PROBE_SIZES = [500, 1000] as const;

/**
 * About how many bytes `workload` writes at `size`: the straight line through two small
 * traces, so that a size whose trace could not be held is refused at once instead of after
 * building hundreds of megabytes.
 */
function estimatedBytes(workload: Workload, size: number, seed: number): number {
  const [small, large] = PROBE_SIZES;
  if (size <= large) return 0;
  const a = workload.write(small, seed).text().length;
  const b = workload.write(large, seed).text().length;
  return b + ((b - a) / (large - small)) * (size - large);
}

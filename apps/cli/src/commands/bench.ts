// mm bench: runs the packages' benchmark suites and prints every figure beside its reference,
// measured in the same run.

import { dirname, relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { BenchRecord } from "@mm/bench-kit";
import { ms } from "@mm/views";
import {
  type BenchFile,
  type BenchOutcome,
  benchFiles,
  findWorkspaceRoot,
  runBench,
} from "../bench/suites.js";
import { type Command, parseCommand, printJson } from "../command.js";
import { UsageError } from "../errors.js";
import type { Io } from "../io.js";
import { Progress } from "../output/progress.js";
import { styleFor } from "../output/style.js";
import { table } from "../output/table.js";

const help = `mm bench [PACKAGE...] [options]

Runs the benchmark suites of the workspace's packages (packages/*/bench/*.bench.ts), one
after the other, and prints each figure beside its reference measured in the same run (another
allocator, CPython, a plain typed-array loop), as a ratio with its target. Each suite also
writes bench-results/<suite>.json. Needs a source checkout of @mm with pnpm install done.

Arguments:
  PACKAGE                only these packages (heap or @mm/heap); default: all

Options:
      --quick            small sizes only (passes --quick and MM_BENCH_QUICK=1)
      --list             list the suites and how each is run, without running them
      --json             print the records (or, with --list, the suites) as JSON
  -h, --help             show this help`;

/** `mm bench`. */
export const bench: Command = {
  name: "bench",
  summary: "run the benchmark suites; each figure beside its same-run reference",
  help,
  async run(argv, io) {
    const { values, positionals } = parseCommand(
      "bench",
      argv,
      { quick: { type: "boolean" }, list: { type: "boolean" }, json: { type: "boolean" } },
      { min: 0, max: Number.POSITIVE_INFINITY, what: "package names" },
    );
    const here = dirname(fileURLToPath(import.meta.url));
    const root = findWorkspaceRoot([io.cwd, here]);
    if (!root) {
      throw new UsageError(
        "mm bench runs the benchmarks of a source checkout of @mm, and there is no pnpm-workspace.yaml above this directory",
        "bench",
      );
    }
    const selected = select(benchFiles(root), positionals);
    const quick = values.quick === true;
    if (values.list) {
      const rows = selected.map((b) => ({
        package: b.packageName,
        file: relative(root, `${b.dir}/${b.file}`),
        command: `tsx ${b.file}${quick ? " --quick" : ""}`,
      }));
      if (values.json) printJson(io, rows);
      else
        io.stdout.write(
          `${table(
            [
              { header: "package" },
              { header: "suite file" },
              { header: "run as (in the package)" },
            ],
            rows.map((r) => [r.package, r.file, r.command]),
          )}\n`,
        );
      return;
    }
    const outcomes = await runAll(root, selected, quick, io);
    const records = outcomes.flatMap((o) => o.records);
    if (values.json) printJson(io, records);
    else io.stdout.write(`${render(records, outcomes, io)}\n`);
    const failed = outcomes.filter((o) => !o.ok);
    for (const f of failed)
      io.stderr.write(`\n${f.bench.packageName} ${f.bench.file} failed:\n${f.output}\n`);
    if (failed.length > 0) {
      throw new Error(`${failed.length} benchmark file${failed.length === 1 ? "" : "s"} failed`);
    }
  },
};

function select(files: readonly BenchFile[], names: readonly string[]): BenchFile[] {
  if (names.length === 0) return [...files];
  const known = [...new Set(files.map((f) => f.packageName))];
  for (const name of names) {
    if (!known.some((k) => k === name || k === `@mm/${name}`)) {
      throw new UsageError(
        `no benchmarks in package '${name}': packages with benchmarks are ${known.join(", ")}`,
        "bench",
      );
    }
  }
  return files.filter((f) =>
    names.some((n) => f.packageName === n || f.packageName === `@mm/${n}`),
  );
}

async function runAll(
  root: string,
  files: readonly BenchFile[],
  quick: boolean,
  io: Io,
): Promise<BenchOutcome[]> {
  const outcomes: BenchOutcome[] = [];
  const progress = new Progress(io.stderr, `bench${quick ? " --quick" : ""}`);
  const timer = setInterval(() => {
    const current = files[outcomes.length];
    progress.update(
      outcomes.length,
      files.length,
      current ? `${current.packageName} ${current.file}` : "",
    );
  }, 100);
  try {
    for (const file of files) outcomes.push(await runBench(root, file, quick, io.env));
  } finally {
    clearInterval(timer);
    progress.finish();
  }
  return outcomes;
}

function render(
  records: readonly BenchRecord[],
  outcomes: readonly BenchOutcome[],
  io: Io,
): string {
  const style = styleFor(io.stdout, io.env);
  const rows = records.map((r) => [
    r.suite,
    r.case,
    `${figure(r.figure)} ${r.unit}`,
    `${r.baseline}: ${figure(r.baselineFigure)} ${r.unit}`,
    `${r.ratio.toFixed(r.ratio < 10 ? 3 : 1)}x`,
    r.target === undefined
      ? ""
      : r.meetsTarget
        ? style.green(`${r.target} met`)
        : style.yellow(`${r.target} missed`),
  ]);
  const grid = table(
    [
      { header: "suite" },
      { header: "case" },
      { header: "figure", align: "right" },
      { header: "reference (same run)" },
      { header: "ratio", align: "right" },
      { header: "target" },
    ],
    rows,
  );
  const times = outcomes.map((o) => `${o.bench.packageName} ${ms(o.elapsedMs)}`).join(", ");
  return `${grid}\n\n${style.dim(`ran ${outcomes.length} files: ${times}`)}`;
}

function figure(value: number): string {
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString("en-US");
  return value.toPrecision(4);
}

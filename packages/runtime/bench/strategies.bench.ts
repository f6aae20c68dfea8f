// The same programs under every strategy, beside CPython 3.11 running them in the same run.
//
// Two mm-traces: an acyclic churn (every object dies by its reference count) and a cyclic
// churn (every iteration leaves a two-object cycle only a collector frees). Each runs on a
// fresh runtime per strategy, and in CPython through the conformance driver, which compiles a
// trace to an ordinary Python module and times its execution (`--time`). Reported: run time
// beside CPython's, peak heap beside the `none` strategy's (which frees nothing), and the cost
// of living in a process.
//   pnpm bench            100,000 iterations per trace
//   pnpm bench --quick    20,000

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BenchSuite, quickMode } from "@mm/bench-kit";
import { type CollectorName, parseTrace, Runtime, type RuntimeOptions } from "../src/index.js";

const quick = quickMode();
const iterations = quick ? 20_000 : 100_000;
const runs = 3;

const line = (op: object) => JSON.stringify(op);
const workloads: Record<string, string> = {
  "acyclic churn": [
    line({ "mm-trace": 1 }),
    line({
      op: "repeat",
      times: iterations,
      ops: [
        { op: "new", var: "o", type: "object", name: "node" },
        { op: "new", var: "l", type: "list", items: ["o", { int: 1000 }] },
        { op: "new", var: "d", type: "dict", items: { key: "l", other: { float: 1.5 } } },
        { op: "set", obj: "o", attr: "size", value: { int: 7 } },
      ],
    }),
  ].join("\n"),
  "cyclic churn": [
    line({ "mm-trace": 1 }),
    line({
      op: "repeat",
      times: iterations,
      ops: [
        { op: "new", var: "a", type: "object", name: "a" },
        { op: "new", var: "b", type: "object", name: "b" },
        { op: "set", obj: "a", attr: "peer", value: "b" },
        { op: "set", obj: "b", attr: "peer", value: "a" },
      ],
    }),
  ].join("\n"),
};

const median = (xs: number[]) => {
  const s = [...xs].sort((x, y) => x - y);
  return s[s.length >> 1]!;
};

/** CPython's time on each trace, in ms, or undefined when python3 cannot run the driver. */
function cpythonTimes(): Record<string, number> | undefined {
  const driver = join(import.meta.dirname, "..", "conformance", "mmtrace.py");
  const dir = mkdtempSync(join(tmpdir(), "mm-bench-"));
  try {
    const result: Record<string, number> = {};
    for (const [name, text] of Object.entries(workloads)) {
      const file = join(dir, `${name.replace(/ /g, "-")}.jsonl`);
      writeFileSync(file, `${text}\n`);
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        const run = spawnSync("python3", [driver, "--time", file], { encoding: "utf8" });
        if (run.status !== 0) return undefined;
        times.push(Number(run.stdout));
      }
      result[name] = median(times);
    }
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One run of a trace on a fresh runtime: its time and the heap's peak. */
function runOnce(text: string, options: RuntimeOptions): { ms: number; peakBytes: number } {
  const trace = parseTrace(text, "bench.jsonl");
  using rt = new Runtime({ env: {}, ...options });
  let peak = rt.heapBytes;
  const t0 = performance.now();
  rt.runTrace(trace, "bench.jsonl", {
    onStep: (step) => {
      if ((step & 255) === 0 && rt.heapBytes > peak) peak = rt.heapBytes;
    },
  });
  const ms = performance.now() - t0;
  return { ms, peakBytes: Math.max(peak, rt.heapBytes) };
}

const strategies: CollectorName[] = ["cpython", "refcount", "tracing", "none"];
const configs: Array<[string, RuntimeOptions]> = [
  ...strategies.map((s): [string, RuntimeOptions] => [s, { collector: s }]),
  ["cpython in a process", { collector: "cpython", process: true }],
];
const reference = cpythonTimes();
const suite = new BenchSuite("runtime-strategies");
const fmt = (n: number) => n.toLocaleString("en-US");
for (const [name, text] of Object.entries(workloads)) {
  // Rounds interleave the configurations, so drift in the machine's load hits them alike; the
  // first round only warms the JIT.
  const times = new Map(configs.map(([c]) => [c, [] as number[]]));
  const peaks = new Map<string, number>();
  for (let round = 0; round <= runs; round++) {
    for (const [config, options] of configs) {
      const { ms, peakBytes } = runOnce(text, options);
      if (round > 0) times.get(config)!.push(ms);
      peaks.set(config, peakBytes);
    }
  }
  const ms = (config: string) => median(times.get(config)!);
  for (const strategy of strategies) {
    if (reference) {
      suite.record({
        case: `${name}, ${fmt(iterations)} iterations: ${strategy} run time`,
        figure: ms(strategy),
        unit: "ms",
        baseline: "CPython 3.11 running the same trace as Python code",
        baselineFigure: reference[name]!,
        higherIsBetter: false,
      });
    }
    if (strategy !== "none") {
      suite.record({
        case: `${name}, ${fmt(iterations)} iterations: ${strategy} peak heap`,
        figure: peaks.get(strategy)!,
        unit: "bytes",
        baseline: "the none strategy (frees nothing), same trace",
        baselineFigure: peaks.get("none")!,
        higherIsBetter: false,
      });
    }
  }
  suite.record({
    case: `${name}, ${fmt(iterations)} iterations: cpython in a process`,
    figure: ms("cpython in a process"),
    unit: "ms",
    baseline: "cpython strategy without a process",
    baselineFigure: ms("cpython"),
    higherIsBetter: false,
  });
}
if (!reference) console.log("CPython rows skipped: python3 could not run the conformance driver");
suite.finish();

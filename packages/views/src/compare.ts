// The comparison of one trace under several strategies: live bytes (what the program still
// holds) above mapped heap bytes (what the allocators keep from the system), on one step axis,
// with a strip marking each strategy's collections. Mapped bytes alone hide a leak: arenas
// stay mapped for reuse, so a collector that frees everything and one that frees nothing can
// map the same bytes while their live bytes part ways.

import { binaryStep, type ChartInput, type ChartMark, chartSvg, type Point } from "./chart.js";
import type { CollectionMark, Measurement } from "./measure.js";
import { formatBytes } from "./units.js";

/** One strategy's run, as the comparison draws it. */
export interface ComparedRun {
  readonly name: string;
  /** `[step, bytes]` of the mapped heap, at every change. */
  readonly heapSeries: readonly Point[];
  /** `[step, bytes]` in blocks handed out, sampled. */
  readonly liveSeries: readonly Point[];
  readonly liveSampleEvery: number;
  readonly collectionMarks: readonly CollectionMark[];
  /** Objects alive and unreachable at the end, shown beside the name when there are any. */
  readonly leaked?: number;
}

/** A {@link Measurement} as a {@link ComparedRun} named after its collector. */
export function comparedRun(m: Measurement): ComparedRun {
  return {
    name: m.summary.collector,
    heapSeries: m.heapSeries,
    liveSeries: m.liveSeries,
    liveSampleEvery: m.liveSampleEvery,
    collectionMarks: m.collectionMarks,
    leaked: m.summary.objects.leaked,
  };
}

/** The chart of `runs` of the trace `name` over `steps` steps (see {@link chartSvg}). */
export function compareChartInput(
  runs: readonly ComparedRun[],
  name: string,
  steps: number,
): ChartInput {
  const every = Math.max(1, ...runs.map((r) => r.liveSampleEvery));
  return {
    title: `${name}: live and mapped heap bytes over ${steps.toLocaleString("en-US")} steps, per collector`,
    xLabel: "step",
    xMax: steps,
    panels: [
      {
        heading: "live bytes, log scale: in blocks handed out (what the program still holds)",
        formatY: formatBytes,
        yStep: binaryStep,
        scale: "log",
      },
      {
        heading: "mapped heap bytes: pymalloc's arenas and the free store's regions",
        formatY: formatBytes,
        yStep: binaryStep,
      },
    ],
    series: runs.map((r) => ({
      name: r.name,
      ...(r.leaked ? { detail: `${r.leaked.toLocaleString("en-US")} leaked` } : {}),
      points: [r.liveSeries, r.heapSeries],
      marks: r.collectionMarks.map((m): ChartMark => ({ x: m.step, level: m.generation })),
    })),
    markLevels: ["gen0 collection", "gen1 collection", "gen2 / full"],
    markHeading: "collections",
    notes: [
      `Live bytes are read ${every === 1 ? "at every step" : `every ${every.toLocaleString("en-US")} steps`} and after every collection; mapped bytes at every step where they change. Arenas stay mapped for reuse, so mapped bytes alone can hide a leak that live bytes show; the live panel's scale is logarithmic so that runs a factor apart stay apart.`,
    ],
  };
}

/** The comparison chart as an SVG document. */
export function compareSvg(runs: readonly ComparedRun[], name: string, steps: number): string {
  return chartSvg(compareChartInput(runs, name, steps));
}

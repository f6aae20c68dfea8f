// Step-line charts of series over a shared x axis, as a model (every coordinate computed) and
// as SVG. Series stay apart when their lines coincide: each has its own colour, dash pattern
// and marker shape, and the legend shows all three, so the chart reads without colour. Marks
// (collections, say) sit in a strip under the plots, one row per series.

import { CHAR_WIDTH, element, round, svgDocument, text, titleLines, wrapText } from "./svg.js";

/** A point of a step function: the value `y` holds from `x` until the next point. */
export type Point = readonly [x: number, y: number];

/** A linear map from a data interval onto a pixel interval. */
export interface Scale {
  readonly domain: readonly [number, number];
  readonly range: readonly [number, number];
  (value: number): number;
}

/**
 * The linear scale taking `domain` onto `range` (an empty domain maps everything to the start
 * of the range). Values outside the domain are clamped to it, so nothing is drawn outside the
 * plot.
 */
export function linearScale(
  domain: readonly [number, number],
  range: readonly [number, number],
): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0;
  const scale = (value: number): number => {
    if (span === 0) return r0;
    const t = Math.min(1, Math.max(0, (value - d0) / span));
    return r0 + t * (r1 - r0);
  };
  return Object.assign(scale, { domain, range });
}

/**
 * The logarithmic scale taking `domain` (both ends positive) onto `range`: equal ratios take
 * equal distances. Values at or below the domain's start (zero included) go to the start of
 * the range, values above its end to the end.
 */
export function logScale(
  domain: readonly [number, number],
  range: readonly [number, number],
): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const l0 = Math.log2(d0);
  const span = Math.log2(d1) - l0;
  const scale = (value: number): number => {
    if (span <= 0 || !(value > d0)) return r0;
    const t = Math.min(1, (Math.log2(value) - l0) / span);
    return r0 + t * (r1 - r0);
  };
  return Object.assign(scale, { domain, range });
}

/** A tick step of 1, 2 or 5 times a power of ten that gives at most five ticks up to `max`. */
export function decimalStep(max: number): number {
  const rough = Math.max(max, Number.MIN_VALUE) / 5;
  const power = 10 ** Math.floor(Math.log10(rough));
  for (const m of [1, 2, 5]) if (m * power >= rough) return m * power;
  return 10 * power;
}

/** A tick step of 2^k that gives at most five ticks up to `max` (bytes read well this way). */
export function binaryStep(max: number): number {
  return 2 ** Math.max(0, Math.ceil(Math.log2(max / 5)));
}

/** A marker's shape. */
export type MarkerShape = "circle" | "square" | "triangle" | "diamond" | "cross" | "plus";

/** How a series is drawn: colour, dash pattern (SVG `stroke-dasharray`, "" for solid), marker. */
export interface SeriesStyle {
  readonly colour: string;
  readonly dash: string;
  readonly marker: MarkerShape;
}

// The Okabe–Ito palette (told apart by most colour-blind readers), each colour with its own
// dash and marker so that no two series depend on colour alone.
const STYLES: readonly SeriesStyle[] = [
  { colour: "#0072b2", dash: "", marker: "circle" },
  { colour: "#d55e00", dash: "9 4", marker: "square" },
  { colour: "#009e73", dash: "2 3", marker: "triangle" },
  { colour: "#7a7a7a", dash: "10 3 2 3", marker: "diamond" },
  { colour: "#cc79a7", dash: "5 2", marker: "cross" },
  { colour: "#e69f00", dash: "1 2 6 2", marker: "plus" },
];

/** The style of the `index`th series; styles repeat after six, their dash patterns shifted. */
export function seriesStyle(index: number): SeriesStyle {
  const style = STYLES[index % STYLES.length]!;
  const round = Math.floor(index / STYLES.length);
  return round === 0 ? style : { ...style, dash: `${style.dash || "12"} ${2 + round}` };
}

/** A mark on the x axis of one series, at `x`, of a `level` (a generation: 0, 1 or 2). */
export interface ChartMark {
  readonly x: number;
  readonly level: number;
}

/** One series: its name, its points in each panel (sorted by x), and its marks. */
export interface ChartSeries {
  readonly name: string;
  /** Words the legend shows after the name (the name alone labels the marks). */
  readonly detail?: string;
  /** One list of points per panel, in the panels' order. */
  readonly points: ReadonlyArray<readonly Point[]>;
  readonly marks?: readonly ChartMark[];
}

/** One plot of the chart: its heading and its y axis. */
export interface ChartPanel {
  readonly heading: string;
  /** Formats a y value for the axis ticks. */
  readonly formatY: (value: number) => string;
  /** The distance between y ticks for a largest value (linear scale). @defaultValue {@link decimalStep} */
  readonly yStep?: (max: number) => number;
  /**
   * `linear` from 0, or `log`: powers of two from the smallest positive value, for series that
   * differ by a factor and would lie flat together on a linear axis. @defaultValue `"linear"`
   */
  readonly scale?: "linear" | "log";
}

/** What a chart shows. */
export interface ChartInput {
  readonly title: string;
  /** Lines of notes under the chart (what the figures are, how they were measured). */
  readonly notes?: readonly string[];
  readonly xLabel: string;
  /** The right end of the x axis. @defaultValue the largest x of any point or mark */
  readonly xMax?: number;
  readonly panels: readonly ChartPanel[];
  readonly series: readonly ChartSeries[];
  /** What a mark of each level means (`["gen0", "gen1", "gen2"]`); marks are drawn if given. */
  readonly markLevels?: readonly string[];
  /** What the marks are, for the strip's heading. @defaultValue `"marks"` */
  readonly markHeading?: string;
  /** @defaultValue `800` */
  readonly width?: number;
}

/** A rectangle in pixels. */
export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** A tick of an axis: its value, its label and its pixel position along the axis. */
export interface Tick {
  readonly value: number;
  readonly label: string;
  readonly at: number;
}

/** A series' line in one panel: the step path's vertices and the markers on it, in pixels. */
export interface LineModel {
  readonly series: number;
  readonly path: readonly Point[];
  readonly markers: readonly Point[];
  /** The last value, just right of the plot in the series' column (drawn filled); null without points. */
  readonly end: Point | null;
}

/** One plot of the model. */
export interface PanelModel {
  readonly heading: string;
  readonly box: Box;
  readonly x: Scale;
  readonly y: Scale;
  readonly yTicks: readonly Tick[];
  readonly xTicks: readonly Tick[];
  readonly lines: readonly LineModel[];
}

/** A row of the marks strip: one series' marks as pixel positions. */
export interface MarkRowModel {
  readonly series: number;
  readonly y: number;
  readonly marks: ReadonlyArray<{ readonly x: number; readonly level: number }>;
}

/** A chart with every coordinate computed: what {@link chartSvg} draws. */
export interface ChartModel {
  readonly width: number;
  readonly height: number;
  readonly title: string;
  readonly titleWidth: number;
  readonly notes: readonly string[];
  readonly xLabel: string;
  readonly xMax: number;
  readonly panels: readonly PanelModel[];
  readonly styles: readonly SeriesStyle[];
  /** The series' names, as the marks strip labels them. */
  readonly names: readonly string[];
  /** The names with their details, as the legend shows them. */
  readonly legendNames: readonly string[];
  readonly markStrip: {
    readonly heading: string;
    readonly box: Box;
    readonly levels: readonly string[];
    readonly rows: readonly MarkRowModel[];
  } | null;
  readonly legend: { readonly x: number; readonly y: number };
}

const LEFT = 92;
const PANEL_HEIGHT = 200;
const PANEL_GAP = 58;
const MARK_ROW = 16;
/** The width of a series' column of end markers, right of the plots. */
const END_COLUMN = 9;
/** Markers per line, spread evenly along the x axis. */
const MARKERS = 8;

/** Lays out `input`: scales, ticks, step paths, markers, marks and legend, in pixels. */
export function chartModel(input: ChartInput): ChartModel {
  // The left margin fits the y labels and the marks' series names; the right one the legend.
  const left = Math.max(LEFT, ...input.series.map((s) => 14 + s.name.length * 12 * CHAR_WIDTH));
  const legendWidth = Math.max(
    150,
    ...input.series.map((s) => 60 + legendText(s).length * 12 * CHAR_WIDTH),
    ...(input.markLevels ?? []).map((l) => 30 + l.length * 12 * CHAR_WIDTH),
  );
  const width = Math.max(input.width ?? 800, left + 360 + legendWidth);
  const endColumns = END_COLUMN * (input.series.length + 1);
  const plotW = width - left - legendWidth - 16 - endColumns;
  const titleBlock = titleLines(20, 26, input.title, width - 40);
  let top = titleBlock.bottom + 34;
  const xs = input.series.flatMap((s) => [
    ...s.points.flatMap((points) => points.map((p) => p[0])),
    ...(s.marks ?? []).map((m) => m.x),
  ]);
  const xMax = Math.max(1, input.xMax ?? 0, ...xs);
  const x = linearScale([0, xMax], [left, left + plotW]);
  // Round steps along x, and the last step itself unless a round tick is close to it.
  const xStep = decimalStep(xMax);
  const xTicks: Tick[] = [];
  for (let v = 0; v <= xMax; v += xStep) xTicks.push(xTick(v, x));
  if (xMax - xTicks[xTicks.length - 1]!.value > xStep / 2) xTicks.push(xTick(xMax, x));
  else xTicks[xTicks.length - 1] = xTick(xMax, x);
  const panels = input.panels.map((panel, p): PanelModel => {
    const ys = input.series.flatMap((s) => (s.points[p] ?? []).map((point) => point[1]));
    const box = { x: left, y: top, width: plotW, height: PANEL_HEIGHT };
    top += PANEL_HEIGHT + PANEL_GAP;
    const { y, yTicks } =
      panel.scale === "log" ? logAxis(ys, box, panel) : linearAxis(ys, box, panel);
    return {
      heading: panel.heading,
      box,
      x,
      y,
      xTicks,
      yTicks,
      lines: input.series.map((s, index) => line(s.points[p] ?? [], index, x, y, xMax)),
    };
  });
  const levels = input.markLevels ?? [];
  let markStrip: ChartModel["markStrip"] = null;
  if (levels.length > 0) {
    const box = {
      x: left,
      y: top - 8,
      width: plotW,
      height: MARK_ROW * Math.max(1, input.series.length),
    };
    markStrip = {
      heading: input.markHeading ?? "marks",
      box,
      levels,
      rows: input.series.map((s, index) => ({
        series: index,
        y: box.y + MARK_ROW * index + MARK_ROW / 2,
        marks: (s.marks ?? []).map((m) => ({ x: x(m.x), level: m.level })),
      })),
    };
    top = box.y + box.height + 34;
  } else top -= 14;
  const notes = (input.notes ?? []).flatMap((note) => wrapText(note, width - 40, 11));
  const height = top + 16 + notes.length * 15;
  return {
    width,
    height,
    title: input.title,
    titleWidth: width - 40,
    notes,
    xLabel: input.xLabel,
    xMax,
    panels,
    styles: input.series.map((_, i) => seriesStyle(i)),
    names: input.series.map((s) => s.name),
    legendNames: input.series.map(legendText),
    markStrip,
    legend: { x: left + plotW + endColumns + 16, y: panels[0]?.box.y ?? top },
  };
}

function xTick(value: number, x: Scale): Tick {
  const v = Math.round(value);
  return { value: v, label: v.toLocaleString("en-US"), at: x(v) };
}

function legendText(s: ChartSeries): string {
  return s.detail ? `${s.name} (${s.detail})` : s.name;
}

type Axis = { readonly y: Scale; readonly yTicks: Tick[] };

/**
 * A linear y axis from 0 to a whole number of ticks above the largest value (one more when it
 * falls on a tick, so that no line runs along the plot's top edge).
 */
function linearAxis(ys: readonly number[], box: Box, panel: ChartPanel): Axis {
  const largest = Math.max(1, ...ys);
  const step = (panel.yStep ?? decimalStep)(largest);
  const ticks = Math.max(1, Math.floor(largest / step) + 1);
  const y = linearScale([0, ticks * step], [box.y + box.height, box.y]);
  return {
    y,
    yTicks: Array.from({ length: ticks + 1 }, (_, i) => ({
      value: i * step,
      label: panel.formatY(i * step),
      at: y(i * step),
    })),
  };
}

/**
 * A log y axis between the powers of two around the smallest positive and largest values; when
 * they are less than a factor of four apart, between round steps around them instead, so that
 * a narrow range fills the plot rather than lying flat in one band of it.
 */
function logAxis(ys: readonly number[], box: Box, panel: ChartPanel): Axis {
  const positive = ys.filter((v) => v > 0);
  const min = positive.length > 0 ? Math.min(...positive) : 1;
  const max = positive.length > 0 ? Math.max(...positive) : 2;
  const range: [number, number] = [box.y + box.height, box.y];
  if (max / min < 4) {
    const step = (panel.yStep ?? decimalStep)(Math.max(max - min, min / 8));
    const d0 = Math.max(Math.floor(min / step) * step, min / 2);
    const d1 = (Math.floor(max / step) + 1) * step;
    const y = logScale([d0, d1], range);
    const yTicks: Tick[] = [];
    for (let v = Math.ceil(d0 / step) * step; v <= d1; v += step)
      yTicks.push({ value: v, label: panel.formatY(v), at: y(v) });
    return { y, yTicks };
  }
  const lo = Math.floor(Math.log2(Math.max(1, min)));
  let hi = Math.ceil(Math.log2(Math.max(2, max)));
  if (hi <= lo) hi = lo + 1;
  const every = Math.max(1, Math.ceil((hi - lo) / 6));
  hi = lo + Math.ceil((hi - lo) / every) * every;
  const y = logScale([2 ** lo, 2 ** hi], range);
  const yTicks: Tick[] = [];
  for (let e = lo; e <= hi; e += every)
    yTicks.push({ value: 2 ** e, label: panel.formatY(2 ** e), at: y(2 ** e) });
  return { y, yTicks };
}

/** A step path through `points` (each value held until the next point, the last to `xMax`). */
function line(points: readonly Point[], series: number, x: Scale, y: Scale, xMax: number) {
  const path: Point[] = [];
  let last: number | undefined;
  for (const [px, py] of points) {
    if (last !== undefined) path.push([x(px), y(last)]);
    path.push([x(px), y(py)]);
    last = py;
  }
  if (last !== undefined) path.push([x(xMax), y(last)]);
  // Markers sit on the line at evenly spaced x, each series shifted a little along the axis
  // so that markers of coinciding lines do not cover each other.
  const markers: Point[] = [];
  if (points.length > 0) {
    let i = 0;
    for (let m = 0; m < MARKERS; m++) {
      const at = ((m + 0.5 + (series % 4) * 0.2) / MARKERS) * xMax;
      while (i + 1 < points.length && points[i + 1]![0] <= at) i++;
      if (points[0]![0] > at) continue;
      markers.push([x(at), y(points[i]![1])]);
    }
  }
  // The last value is marked again just right of the plot, each series in its own column, so
  // that where runs end stays readable when their lines drop at the last step or end together.
  const end: Point | null =
    points.length > 0
      ? [x(xMax) + END_COLUMN * (series + 1), y(points[points.length - 1]![1])]
      : null;
  return { series, path, markers, end };
}

/** An SVG document of the chart `input` (see {@link chartModel}). */
export function chartSvg(input: ChartInput | ChartModel): string {
  const model = "panels" in input && "styles" in input ? input : chartModel(input);
  const body: string[] = [...titleLines(20, 26, model.title, model.titleWidth).elements];
  for (const panel of model.panels) body.push(...panelSvg(panel, model));
  if (model.markStrip) body.push(...markStripSvg(model.markStrip, model));
  body.push(...legendSvg(model));
  const notesTop = model.height - 8 - model.notes.length * 15;
  model.notes.forEach((note, i) => {
    body.push(text(20, notesTop + 12 + i * 15, note, { fill: "#444", "font-size": 11 }));
  });
  return svgDocument(model.width, model.height, model.title, body);
}

function panelSvg(panel: PanelModel, model: ChartModel): string[] {
  const { box } = panel;
  const out = [
    text(box.x, box.y - 8, panel.heading, { "font-weight": "bold" }),
    element("rect", { ...box, fill: "none", stroke: "#999" }),
  ];
  for (const tick of panel.yTicks) {
    out.push(
      element("line", {
        x1: box.x,
        y1: tick.at,
        x2: box.x + box.width,
        y2: tick.at,
        stroke: "#eee",
      }),
      text(box.x - 6, tick.at + 4, tick.label, { "text-anchor": "end", fill: "#555" }),
    );
  }
  if (panel.lines.some((l) => l.end))
    out.push(
      text(box.x + box.width + 4, box.y + box.height + 30, "end", {
        fill: "#555",
        "font-size": 10,
      }),
    );
  for (const tick of panel.xTicks) {
    out.push(
      text(tick.at, box.y + box.height + 15, tick.label, { "text-anchor": "middle", fill: "#555" }),
    );
  }
  out.push(
    text(box.x + box.width, box.y + box.height + 30, model.xLabel, {
      "text-anchor": "end",
      fill: "#555",
    }),
  );
  // Earlier series are drawn wider, so that a later line on top of an earlier one leaves its
  // edges showing; the dashes and markers tell them apart where they coincide.
  for (const l of panel.lines) {
    const style = model.styles[l.series]!;
    const widthPx = Math.max(1.5, 1.5 + 1.2 * (model.panels[0]!.lines.length - 1 - l.series));
    if (l.path.length > 0) {
      out.push(
        element("path", {
          d: l.path
            .map(([px, py], i) => `${i === 0 ? "M" : "L"}${round(px)},${round(py)}`)
            .join(" "),
          fill: "none",
          stroke: style.colour,
          "stroke-width": widthPx,
          ...(style.dash ? { "stroke-dasharray": style.dash } : {}),
          "stroke-linejoin": "round",
        }),
      );
    }
    for (const [px, py] of l.markers) out.push(marker(style, px, py));
    if (l.end) out.push(marker(style, l.end[0], l.end[1], true));
  }
  return out;
}

function markStripSvg(strip: NonNullable<ChartModel["markStrip"]>, model: ChartModel): string[] {
  const { box } = strip;
  const out = [
    text(box.x, box.y - 8, strip.heading, { "font-weight": "bold" }),
    element("rect", { ...box, fill: "#fafafa", stroke: "#ccc" }),
  ];
  for (const row of strip.rows) {
    const style = model.styles[row.series]!;
    out.push(
      text(box.x - 6, row.y + 4, model.names[row.series]!, { "text-anchor": "end", fill: "#333" }),
    );
    for (const m of row.marks) {
      // Taller ticks for older generations: a full collection stands out.
      const half = 2 + 2 * Math.min(m.level, 2);
      out.push(
        element(
          "line",
          {
            x1: m.x,
            y1: row.y - half,
            x2: m.x,
            y2: row.y + half,
            stroke: style.colour,
            "stroke-width": m.level >= 2 ? 2 : 1,
          },
          strip.levels[m.level],
        ),
      );
    }
  }
  return out;
}

function legendSvg(model: ChartModel): string[] {
  const { x, y } = model.legend;
  const out: string[] = [];
  model.legendNames.forEach((name, i) => {
    const style = model.styles[i]!;
    const row = y + 8 + i * 22;
    out.push(
      element("line", {
        x1: x,
        y1: row,
        x2: x + 34,
        y2: row,
        stroke: style.colour,
        "stroke-width": 2.5,
        ...(style.dash ? { "stroke-dasharray": style.dash } : {}),
      }),
      marker(style, x + 17, row),
      text(x + 42, row + 4, name),
    );
  });
  if (model.markStrip) {
    const levels = model.markStrip.levels;
    const row = y + 8 + model.names.length * 22 + 10;
    out.push(text(x, row, "marks:", { fill: "#333" }));
    levels.forEach((level, i) => {
      const half = 2 + 2 * Math.min(i, 2);
      const ly = row + 18 + i * 18;
      out.push(
        element("line", {
          x1: x + 6,
          y1: ly - half,
          x2: x + 6,
          y2: ly + half,
          stroke: "#333",
          "stroke-width": i >= 2 ? 2 : 1,
        }),
        text(x + 16, ly + 4, level),
      );
    });
  }
  return out;
}

/**
 * A marker of `style`'s shape centred on (x, y): white-filled so that it shows on any line, or
 * `filled` with the series' colour.
 */
export function marker(style: SeriesStyle, x: number, y: number, filled = false): string {
  const r = 4;
  const common = {
    fill: filled ? style.colour : "#ffffff",
    stroke: style.colour,
    "stroke-width": 1.6,
  };
  switch (style.marker) {
    case "circle":
      return element("circle", { cx: x, cy: y, r, ...common });
    case "square":
      return element("rect", { x: x - r, y: y - r, width: 2 * r, height: 2 * r, ...common });
    case "triangle":
      return element("path", {
        d: `M${round(x)},${round(y - r - 1)} L${round(x + r + 1)},${round(y + r)} L${round(x - r - 1)},${round(y + r)} Z`,
        ...common,
      });
    case "diamond":
      return element("path", {
        d: `M${round(x)},${round(y - r - 1)} L${round(x + r + 1)},${round(y)} L${round(x)},${round(y + r + 1)} L${round(x - r - 1)},${round(y)} Z`,
        ...common,
      });
    case "cross":
      return element("path", {
        d: `M${round(x - r)},${round(y - r)} L${round(x + r)},${round(y + r)} M${round(x - r)},${round(y + r)} L${round(x + r)},${round(y - r)}`,
        stroke: style.colour,
        "stroke-width": 2,
      });
    case "plus":
      return element("path", {
        d: `M${round(x - r)},${round(y)} L${round(x + r)},${round(y)} M${round(x)},${round(y - r)} L${round(x)},${round(y + r)}`,
        stroke: style.colour,
        "stroke-width": 2,
      });
  }
}

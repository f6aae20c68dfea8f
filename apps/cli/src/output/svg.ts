// SVG documents built as strings: a line chart of series over a shared x axis, and the small
// pieces (escaping, rectangles, text) the heap picture uses.

/** Escapes text for an SVG attribute or element. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

/** A complete SVG document of the given size and title around `body`. */
export function svgDocument(
  width: number,
  height: number,
  title: string,
  body: readonly string[],
): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="ui-monospace, Menlo, Consolas, monospace" font-size="12">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    ...body,
    "</svg>",
    "",
  ].join("\n");
}

/** A `<text>` element. */
export function text(
  x: number,
  y: number,
  content: string,
  attributes: Readonly<Record<string, string | number>> = {},
): string {
  const extra = Object.entries(attributes)
    .map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`)
    .join("");
  return `<text x="${round(x)}" y="${round(y)}"${extra}>${escapeXml(content)}</text>`;
}

/** One series of a {@link lineChart}: points sorted by x. */
export interface ChartSeries {
  readonly name: string;
  readonly colour: string;
  readonly points: ReadonlyArray<readonly [number, number]>;
}

/** Options of {@link lineChart}. */
export interface ChartOptions {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  /** Formats a y value for the axis ticks. */
  readonly formatY: (value: number) => string;
  /** The distance between y ticks for a largest value. @defaultValue 1, 2 or 5 times a power of ten */
  readonly yStep?: (max: number) => number;
  /** The right end of the x axis. @defaultValue the largest x of any point */
  readonly xMax?: number;
  /** @defaultValue `760` */
  readonly width?: number;
  /** @defaultValue `420` */
  readonly height?: number;
}

/**
 * A line chart: every series drawn as a step line (a value holds until the next point) over
 * the same axes, from x = 0 to the largest x, and y = 0 to the largest y, with a legend.
 */
export function lineChart(series: readonly ChartSeries[], options: ChartOptions): string {
  const width = options.width ?? 760;
  const height = options.height ?? 420;
  const left = 90;
  const right = 150;
  const top = 40;
  const bottom = 50;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const xs = series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = series.flatMap((s) => s.points.map((p) => p[1]));
  const xMax = Math.max(1, options.xMax ?? 0, ...xs);
  const yStep = (options.yStep ?? decimalStep)(Math.max(1, ...ys));
  const yTicks = Math.max(1, Math.ceil(Math.max(1, ...ys) / yStep));
  const yMax = yTicks * yStep;
  const px = (x: number) => left + (x / xMax) * plotW;
  const py = (y: number) => top + plotH - (y / yMax) * plotH;
  const body: string[] = [
    text(left, 24, options.title, { "font-size": 14, "font-weight": "bold" }),
    `<rect x="${left}" y="${top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`,
  ];
  for (let i = 0; i <= yTicks; i++) {
    const y = i * yStep;
    body.push(
      `<line x1="${left}" y1="${round(py(y))}" x2="${left + plotW}" y2="${round(py(y))}" stroke="#eee"/>`,
      text(left - 6, py(y) + 4, options.formatY(y), { "text-anchor": "end", fill: "#555" }),
    );
  }
  for (let i = 0; i <= 4; i++) {
    const x = (xMax * i) / 4;
    body.push(
      text(px(x), top + plotH + 16, Math.round(x).toLocaleString("en-US"), {
        "text-anchor": "middle",
        fill: "#555",
      }),
    );
  }
  body.push(
    text(left + plotW / 2, height - 10, options.xLabel, { "text-anchor": "middle" }),
    text(16, top + plotH / 2, options.yLabel, {
      "text-anchor": "middle",
      transform: `rotate(-90 16 ${round(top + plotH / 2)})`,
    }),
  );
  // Later series are drawn thinner on top of earlier ones, so lines that coincide stay visible.
  series.forEach((s, i) => {
    const strokeWidth = Math.max(1.5, 2 * (series.length - i));
    const path: string[] = [];
    let lastY: number | undefined;
    for (const [x, y] of s.points) {
      if (lastY === undefined) path.push(`M${round(px(x))},${round(py(y))}`);
      else path.push(`L${round(px(x))},${round(py(lastY))}`, `L${round(px(x))},${round(py(y))}`);
      lastY = y;
    }
    if (lastY !== undefined) path.push(`L${round(px(xMax))},${round(py(lastY))}`);
    body.push(
      `<path d="${path.join(" ")}" fill="none" stroke="${s.colour}" stroke-width="${strokeWidth}"/>`,
      `<line x1="${width - right + 14}" y1="${top + 10 + i * 20}" x2="${width - right + 34}" y2="${top + 10 + i * 20}" stroke="${s.colour}" stroke-width="3"/>`,
      text(width - right + 40, top + 14 + i * 20, s.name),
    );
  });
  return svgDocument(width, height, options.title, body);
}

/** A tick step of 1, 2 or 5 times a power of ten that gives at most five ticks up to `max`. */
export function decimalStep(max: number): number {
  const rough = max / 5;
  const power = 10 ** Math.floor(Math.log10(rough));
  for (const m of [1, 2, 5]) if (m * power >= rough) return m * power;
  return 10 * power;
}

/** A tick step of 2^k bytes that gives at most five ticks up to `max`. */
export function binaryStep(max: number): number {
  return 2 ** Math.max(0, Math.ceil(Math.log2(max / 5)));
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

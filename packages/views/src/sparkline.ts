// Text sparklines: a series squeezed into a fixed number of block characters, each the largest
// value of its stretch (so a short peak is never averaged away).

const BARS = "▁▂▃▄▅▆▇█";

/**
 * Downsamples `values` to at most `width` buckets, keeping each bucket's maximum. Shorter
 * series are returned as they are.
 */
export function bucketMax(values: readonly number[], width: number): number[] {
  if (values.length <= width) return [...values];
  const out: number[] = [];
  for (let b = 0; b < width; b++) {
    const from = Math.floor((b * values.length) / width);
    const to = Math.floor(((b + 1) * values.length) / width);
    let max = values[from]!;
    for (let i = from + 1; i < to; i++) max = Math.max(max, values[i]!);
    out.push(max);
  }
  return out;
}

/**
 * A sparkline of `values` on the scale `[0, max]` (by default the series' own maximum), one
 * character per value after {@link bucketMax} to `width`. Zero is the lowest bar; `max` the
 * highest.
 */
export function sparkline(values: readonly number[], width: number, max?: number): string {
  const buckets = bucketMax(values, width);
  const top = max ?? Math.max(0, ...buckets);
  return buckets
    .map((v) => {
      if (top <= 0) return BARS[0];
      const level = Math.round((Math.min(v, top) / top) * (BARS.length - 1));
      return BARS[Math.max(0, level)];
    })
    .join("");
}

/**
 * A step function (`[x, y]` points sorted by x, each value holding until the next point)
 * sampled at `width` evenly spaced stretches of `[0, steps]`, taking each stretch's largest
 * value, so that a sparkline is drawn on the step axis and not on the change points.
 */
export function sampleSeries(
  series: ReadonlyArray<readonly [number, number]>,
  steps: number,
  width: number,
): number[] {
  const out: number[] = [];
  if (series.length === 0) return out;
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

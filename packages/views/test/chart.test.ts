// The chart's model: scales take data into the plot box, every line, marker and mark is drawn
// inside its box, every series has its own style, and the legend and title fit the picture.

import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { logScale } from "../src/chart.js";
import {
  binaryStep,
  type ChartInput,
  chartModel,
  chartSvg,
  decimalStep,
  formatBytes,
  linearScale,
  type Point,
  seriesStyle,
} from "../src/index.js";
import { wellFormed } from "./xml.js";

describe("scales", () => {
  test.prop([
    fc.double({ min: -1e9, max: 1e9, noNaN: true }),
    fc.double({ min: 0, max: 1e9, noNaN: true }),
    fc.double({ min: 0, max: 2000, noNaN: true }),
    fc.double({ min: 1, max: 2000, noNaN: true }),
    fc.double({ min: -1e12, max: 1e12, noNaN: true }),
  ])(
    "a linear scale maps any value into its range, the domain's ends to the range's",
    (d0, span, r0, rspan, v) => {
      const scale = linearScale([d0, d0 + span], [r0, r0 + rspan]);
      const at = scale(v);
      expect(at).toBeGreaterThanOrEqual(r0 - 1e-6);
      expect(at).toBeLessThanOrEqual(r0 + rspan + 1e-6);
      if (span > 1e-6) {
        expect(scale(d0)).toBeCloseTo(r0, 6);
        expect(scale(d0 + span)).toBeCloseTo(r0 + rspan, 3);
      }
    },
  );

  test.prop([
    fc.integer({ min: 0, max: 40 }),
    fc.integer({ min: 1, max: 20 }),
    fc.double({ min: 0, max: 2 ** 62, noNaN: true }),
  ])(
    "a log scale maps any value into its range, equal ratios to equal distances",
    (lo, octaves, v) => {
      const scale = logScale([2 ** lo, 2 ** (lo + octaves)], [300, 100]);
      const at = scale(v);
      expect(at).toBeLessThanOrEqual(300);
      expect(at).toBeGreaterThanOrEqual(100);
      if (octaves >= 2)
        expect(scale(2 ** (lo + 1)) - scale(2 ** lo)).toBeCloseTo(
          scale(2 ** (lo + 2)) - scale(2 ** (lo + 1)),
          6,
        );
    },
  );

  test.prop([fc.double({ min: 1, max: 2 ** 40, noNaN: true })])(
    "tick steps cover the largest value in at most five steps",
    (max) => {
      for (const step of [decimalStep(max), binaryStep(max)]) {
        expect(Math.ceil(max / step)).toBeLessThanOrEqual(5);
        expect(step).toBeGreaterThan(0);
      }
      expect(Number.isInteger(Math.log2(binaryStep(max)))).toBe(true);
    },
  );
});

const series = fc.array(
  fc.record({
    name: fc.stringMatching(/^[a-z][a-z0-9_-]{0,20}$/),
    live: fc.array(fc.tuple(fc.nat({ max: 100_000 }), fc.nat({ max: 2 ** 34 })), {
      maxLength: 40,
    }),
    mapped: fc.array(fc.tuple(fc.nat({ max: 100_000 }), fc.nat({ max: 2 ** 34 })), {
      maxLength: 40,
    }),
    marks: fc.array(
      fc.record({ x: fc.nat({ max: 100_000 }), level: fc.integer({ min: 0, max: 2 }) }),
      { maxLength: 20 },
    ),
    leaked: fc.nat({ max: 1_000_000 }),
  }),
  { minLength: 1, maxLength: 8 },
);

const sorted = (points: Array<[number, number]>): Point[] =>
  [...points].sort((a, b) => a[0] - b[0]);

function build(
  runs: Array<{
    name: string;
    live: Array<[number, number]>;
    mapped: Array<[number, number]>;
    marks: Array<{ x: number; level: number }>;
    leaked: number;
  }>,
  title: string,
): ChartInput {
  return {
    title,
    xLabel: "step",
    panels: [
      { heading: "live", formatY: formatBytes, scale: "log" },
      { heading: "mapped", formatY: formatBytes, yStep: binaryStep },
    ],
    series: runs.map((r) => ({
      name: r.name,
      ...(r.leaked > 0 ? { detail: `${r.leaked} leaked` } : {}),
      points: [sorted(r.live), sorted(r.mapped)],
      marks: r.marks,
    })),
    markLevels: ["gen0", "gen1", "gen2"],
  };
}

const inside = (box: { x: number; y: number; width: number; height: number }, [x, y]: Point) =>
  x >= box.x - 1e-6 &&
  x <= box.x + box.width + 1e-6 &&
  y >= box.y - 1e-6 &&
  y <= box.y + box.height + 1e-6;

describe("the chart model", () => {
  test.prop([series, fc.string({ maxLength: 300 })])(
    "draws every line, marker and mark inside its box, and fits its title and legend",
    (runs, title) => {
      const model = chartModel(build(runs, title));
      for (const panel of model.panels) {
        expect(panel.lines).toHaveLength(runs.length);
        for (const line of panel.lines) {
          for (const p of line.path) expect(inside(panel.box, p)).toBe(true);
          for (const p of line.markers) expect(inside(panel.box, p)).toBe(true);
          if (line.end) {
            // End markers sit right of the plot, each series in its own column, left of the legend.
            expect(line.end[0]).toBeGreaterThan(panel.box.x + panel.box.width);
            expect(line.end[0]).toBeLessThan(model.legend.x);
            expect(line.end[1]).toBeGreaterThanOrEqual(panel.box.y - 1e-6);
            expect(line.end[1]).toBeLessThanOrEqual(panel.box.y + panel.box.height + 1e-6);
          }
        }
        panel.xTicks.forEach((tick, i) => {
          expect(tick.at).toBeGreaterThanOrEqual(panel.box.x - 1e-6);
          expect(tick.at).toBeLessThanOrEqual(panel.box.x + panel.box.width + 1e-6);
          if (i > 0) expect(tick.value).toBeGreaterThan(panel.xTicks[i - 1]!.value);
        });
        expect(panel.xTicks.at(-1)!.value).toBe(Math.round(model.xMax));
        for (const tick of panel.yTicks) {
          expect(tick.at).toBeGreaterThanOrEqual(panel.box.y - 1e-6);
          expect(tick.at).toBeLessThanOrEqual(panel.box.y + panel.box.height + 1e-6);
        }
      }
      const strip = model.markStrip!;
      strip.rows.forEach((row, i) => {
        expect(row.marks).toHaveLength(runs[i]!.marks.length);
        for (const m of row.marks) expect(inside(strip.box, [m.x, row.y])).toBe(true);
      });
      // Panels do not overlap, and everything is above the bottom edge.
      for (let i = 1; i < model.panels.length; i++)
        expect(model.panels[i]!.box.y).toBeGreaterThan(
          model.panels[i - 1]!.box.y + model.panels[i - 1]!.box.height,
        );
      expect(strip.box.y + strip.box.height).toBeLessThan(model.height);
      // The legend's longest entry and the mark names fit the picture's width.
      const longest = Math.max(...model.legendNames.map((n) => n.length));
      expect(model.legend.x + 42 + longest * 7.2).toBeLessThanOrEqual(model.width + 1e-6);
      for (const name of model.names)
        expect(model.panels[0]!.box.x - 6 - name.length * 7.2).toBeGreaterThanOrEqual(0);
      // Every series has its own style: colour, dash and marker differ for the first six.
      const styles = model.styles.slice(0, 6).map((s) => `${s.colour}|${s.dash}|${s.marker}`);
      expect(new Set(styles).size).toBe(styles.length);
      expect(wellFormed(chartSvg(model))).toBe(true);
    },
  );

  it("puts a step line's vertices where the values change and holds the last one to the end", () => {
    const model = chartModel({
      title: "t",
      xLabel: "step",
      xMax: 10,
      panels: [{ heading: "h", formatY: String }],
      series: [
        {
          name: "a",
          points: [
            [
              [0, 0],
              [5, 10],
            ],
          ],
        },
      ],
    });
    const { x, y, lines } = model.panels[0]!;
    expect(lines[0]!.path).toEqual([
      [x(0), y(0)],
      [x(5), y(0)],
      [x(5), y(10)],
      [x(10), y(10)],
    ]);
    expect(model.markStrip).toBeNull();
  });

  test.prop([
    fc.integer({ min: 1, max: 2 ** 34 }),
    fc.double({ min: 1.25, max: 3.99, noNaN: true }),
  ])(
    "a log panel whose values lie 25% to four times apart still spreads them over a third of its height",
    (low, factor) => {
      const high = Math.round(low * factor);
      fc.pre(high > low);
      const model = chartModel({
        title: "t",
        xLabel: "step",
        panels: [{ heading: "h", formatY: String, yStep: binaryStep, scale: "log" }],
        series: [
          {
            name: "a",
            points: [
              [
                [0, low],
                [1, high],
              ],
            ],
          },
        ],
      });
      const { y, box } = model.panels[0]!;
      expect(y(low) - y(high)).toBeGreaterThanOrEqual(box.height / 3);
    },
  );

  it("tells series apart without colour: dash patterns and marker shapes differ", () => {
    const styles = Array.from({ length: 12 }, (_, i) => seriesStyle(i));
    expect(new Set(styles.slice(0, 6).map((s) => s.dash)).size).toBe(6);
    expect(new Set(styles.slice(0, 6).map((s) => s.marker)).size).toBe(6);
    expect(new Set(styles.map((s) => `${s.dash}|${s.marker}`)).size).toBe(12);
  });
});

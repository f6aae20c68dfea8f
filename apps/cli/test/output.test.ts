// The output helpers: sparklines, tables, chart ticks, number formats, and the step count of
// a trace, each against a plain model.

import { fc, test } from "@fast-check/vitest";
import { parseTrace, Runtime } from "@mm/runtime";
import { describe, expect, it } from "vitest";
import { sampleSeries } from "../src/commands/compare.js";
import { bucketMax, sparkline } from "../src/output/sparkline.js";
import { stripAnsi, styleFor } from "../src/output/style.js";
import { binaryStep, decimalStep } from "../src/output/svg.js";
import { table } from "../src/output/table.js";
import { bytes, count } from "../src/output/units.js";
import { countSteps } from "../src/trace/shape.js";

const values = fc.array(fc.nat({ max: 1 << 30 }), { minLength: 1, maxLength: 300 });

describe("sparkline", () => {
  test.prop([values, fc.integer({ min: 1, max: 80 })])(
    "has one bar per bucket, the maximum at full height",
    (v, width) => {
      const line = sparkline(v, width);
      expect([...line]).toHaveLength(Math.min(v.length, width));
      if (Math.max(...v) > 0) expect(line).toContain("█");
      expect(line).toMatch(/^[▁▂▃▄▅▆▇█]+$/);
    },
  );

  test.prop([values, fc.integer({ min: 1, max: 80 })])(
    "keeps each bucket's largest value, so no peak is lost",
    (v, width) => {
      const buckets = bucketMax(v, width);
      expect(Math.max(...buckets)).toBe(Math.max(...v));
      expect(buckets.length).toBe(Math.min(v.length, width));
    },
  );

  test.prop([
    fc.array(fc.tuple(fc.nat({ max: 10_000 }), fc.nat({ max: 1 << 30 })), {
      minLength: 1,
      maxLength: 50,
    }),
    fc.integer({ min: 1, max: 60 }),
  ])("samples a step series to its width without losing its peak", (points, width) => {
    const series = [...points].sort((a, b) => a[0] - b[0]);
    series[0] = [0, series[0]![1]];
    const steps = Math.max(1, series[series.length - 1]![0]);
    const sampled = sampleSeries(series, steps, width);
    expect(sampled).toHaveLength(width);
    expect(Math.max(...sampled)).toBe(Math.max(...series.map((p) => p[1])));
  });
});

describe("table", () => {
  test.prop([
    fc.array(
      fc.array(
        fc.string({ maxLength: 12 }).filter((s) => !/[\n\r]/.test(s)),
        { minLength: 3, maxLength: 3 },
      ),
      { maxLength: 10 },
    ),
  ])("pads every column to its widest cell", (rows) => {
    const lines = table(
      [{ header: "a" }, { header: "bb", align: "right" }, { header: "ccc" }],
      rows,
    ).split("\n");
    expect(lines).toHaveLength(rows.length + 2);
    const widths = [0, 1, 2].map((i) =>
      Math.max(["a", "bb", "ccc"][i]!.length, ...rows.map((r) => r[i]!.length)),
    );
    expect(lines[1]).toBe(widths.map((w) => "─".repeat(w)).join("  "));
  });

  it("does not count colour codes as width", () => {
    const style = styleFor({ write: () => {}, isTTY: true, columns: 80 }, {});
    const out = table([{ header: "x" }, { header: "y" }], [[style.red("ab"), "c"]]);
    expect(stripAnsi(out)).toBe("x   y\n──  ─\nab  c");
  });
});

describe("colours", () => {
  it("are on for a terminal only, and off with NO_COLOR or TERM=dumb", () => {
    const tty = { write: () => {}, isTTY: true, columns: 80 };
    expect(styleFor(tty, {}).red("x")).toBe("\x1b[31mx\x1b[39m");
    expect(styleFor(tty, { NO_COLOR: "1" }).red("x")).toBe("x");
    expect(styleFor(tty, { NO_COLOR: "" }).enabled).toBe(true);
    expect(styleFor(tty, { TERM: "dumb" }).enabled).toBe(false);
    expect(styleFor({ ...tty, isTTY: false }, {}).enabled).toBe(false);
  });
});

describe("chart ticks", () => {
  test.prop([fc.double({ min: 1, max: 2 ** 40, noNaN: true })])(
    "cover the largest value in at most five steps",
    (max) => {
      for (const step of [decimalStep(max), binaryStep(max)]) {
        expect(Math.ceil(max / step)).toBeLessThanOrEqual(5);
        expect(step).toBeGreaterThan(0);
      }
      expect(Number.isInteger(Math.log2(binaryStep(max)))).toBe(true);
    },
  );
});

describe("units", () => {
  it("group digits and scale bytes", () => {
    expect(count(1234567)).toBe("1,234,567");
    expect([bytes(512), bytes(1536), bytes(1 << 20), bytes(3.25 * (1 << 20))]).toEqual([
      "512 B",
      "1.5 KiB",
      "1 MiB",
      "3.25 MiB",
    ]);
  });
});

describe("countSteps", () => {
  const op = fc.oneof(
    fc.constant('{"op":"new","var":"a","type":"list"}'),
    fc.constant('{"op":"del","var":"nope"}'),
    fc.constant('{"op":"gc","call":"get_count"}'),
  );
  const body = fc.array(op, { minLength: 1, maxLength: 4 });
  const line = fc.oneof(
    op,
    fc
      .tuple(fc.nat({ max: 5 }), body)
      .map(([times, ops]) => `{"op":"repeat","times":${times},"ops":[${ops.join(",")}]}`),
    body.map((ops) => ['{"op":"call"}', ...ops, '{"op":"return"}'].join("\n")),
  );
  test.prop([fc.array(line, { maxLength: 12 })])("equals the steps the runner reports", (lines) => {
    const trace = parseTrace(['{"mm-trace": 1}', ...lines].join("\n"));
    let steps = 0;
    new Runtime({ env: {}, log: () => {} }).runTrace(trace, undefined, {
      onStep: (s) => {
        steps = s;
      },
    });
    expect(countSteps(trace.ops)).toBe(steps);
  });
});

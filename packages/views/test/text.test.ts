// The text pieces: sparklines and their sampling, units, XML escaping and title wrapping,
// each against a plain model.

import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import {
  bucketMax,
  count,
  escapeXml,
  formatBytes,
  ms,
  plural,
  sampleSeries,
  sparkline,
  wrapText,
} from "../src/index.js";

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

describe("units", () => {
  it("group digits and scale bytes", () => {
    expect(count(1234567)).toBe("1,234,567");
    expect([
      formatBytes(512),
      formatBytes(1536),
      formatBytes(1 << 20),
      formatBytes(3.25 * (1 << 20)),
    ]).toEqual(["512 B", "1.5 KiB", "1 MiB", "3.25 MiB"]);
  });
});

describe("units", () => {
  it("write milliseconds with three significant digits, and plurals", () => {
    expect([ms(0), ms(0.012345), ms(12.345), ms(1234.5)]).toEqual([
      "0 ms",
      "0.0123 ms",
      "12.3 ms",
      "1,235 ms",
    ]);
    expect([plural(1, "arena"), plural(2, "arena"), plural(3, "child", "children")]).toEqual([
      "1 arena",
      "2 arenas",
      "3 children",
    ]);
    expect([formatBytes(1000), formatBytes(2 ** 47), formatBytes(-1536)]).toEqual([
      "1,000 B",
      "128 TiB",
      "-1.5 KiB",
    ]);
  });

  test.prop([fc.nat({ max: 2 ** 50 })])(
    "formatBytes keeps three significant digits (four from 1000 to 1023 of a unit) and reads back within 1%",
    (n) => {
      const [number, unit] = formatBytes(n).split(" ");
      const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
      const value = Number(number!.replace(/,/g, "")) * 1024 ** units.indexOf(unit!);
      expect(units).toContain(unit);
      if (unit === "B") expect(value).toBe(n);
      else {
        expect(number!.replace(".", "").replace(/^0+/, "").length).toBeLessThanOrEqual(
          Number(number) >= 1000 ? 4 : 3,
        );
        expect(Math.abs(value - n) / n).toBeLessThan(0.01);
      }
    },
  );
});

describe("escapeXml", () => {
  test.prop([fc.string()])("leaves no markup character and reads back", (s) => {
    const escaped = escapeXml(s);
    expect(escaped).not.toMatch(/[<>"]|&(?!amp;|lt;|gt;|quot;)/);
    const back = escaped
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, "&");
    expect(back).toBe(s);
  });
});

describe("wrapText", () => {
  const words = fc.array(fc.stringMatching(/^[a-z0-9()/.,-]{1,30}$/), { maxLength: 40 });
  test.prop([words, fc.integer({ min: 40, max: 1200 }), fc.integer({ min: 8, max: 20 })])(
    "fits every line to the width and keeps the words in order",
    (w, maxWidth, fontSize) => {
      const lines = wrapText(w.join(" "), maxWidth, fontSize);
      const perLine = Math.max(1, Math.floor(maxWidth / (fontSize * 0.6)));
      for (const line of lines) expect(line.length).toBeLessThanOrEqual(perLine);
      expect(lines.join("").replace(/ /g, "")).toBe(w.join(""));
      if (w.length > 0 && w.every((word) => word.length <= perLine))
        expect(lines.join(" ")).toBe(w.join(" "));
    },
  );
});

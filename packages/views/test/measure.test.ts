// Measuring a trace: the figures, the heap and live series, the collection marks, the leaks
// and the warm-up, on small traces whose answers are known.

import { fc, test } from "@fast-check/vitest";
import { parseTrace, Runtime } from "@mm/runtime";
import { fcRuns } from "@mm/vitest-config/fast-check";
import { describe, expect, it } from "vitest";
import { countSteps, measureTrace, pauseFigures, pauseWarmth } from "../src/index.js";

const quiet = { env: {}, log: () => {} };

/** A two-cycle with a `__del__` collected by an explicit collect, then a two-cycle left over. */
const CYCLE = parseTrace(
  [
    '{"mm-trace": 1}',
    '{"op":"new","var":"keep","type":"dict"}',
    '{"op":"set","obj":"keep","key":"kept","value":"keep"}',
    '{"op":"new","var":"c","type":"object","name":"c","del":true}',
    '{"op":"new","var":"d","type":"object","name":"d"}',
    '{"op":"set","obj":"c","attr":"other","value":"d"}',
    '{"op":"set","obj":"d","attr":"other","value":"c"}',
    '{"op":"set","obj":"keep","key":"gone","value":{"str":"a value"}}',
    '{"op":"unset","obj":"keep","key":"gone"}',
    '{"op":"del","var":"c"}',
    '{"op":"del","var":"d"}',
    '{"op":"collect"}',
    '{"op":"new","var":"a","type":"object","name":"a"}',
    '{"op":"new","var":"b","type":"object","name":"b"}',
    '{"op":"set","obj":"a","attr":"other","value":"b"}',
    '{"op":"set","obj":"b","attr":"other","value":"a"}',
    '{"op":"del","var":"a"}',
    '{"op":"del","var":"b"}',
    '{"op":"refcount","var":"keep"}',
  ].join("\n"),
  "cycle.jsonl",
);

describe("measureTrace", () => {
  it("counts what each collector leaves: the leaked cycles, and where collections ran", () => {
    const none = measureTrace(CYCLE, { runtime: { ...quiet, collector: "none" } });
    const cpython = measureTrace(CYCLE, { runtime: { ...quiet, collector: "cpython" } });
    expect(none.summary.steps).toBe(18);
    expect(none.summary.objects.leaked).toBe(5);
    expect(cpython.summary.objects.leaked).toBe(2);
    // The explicit collect is step 11: a full collection.
    expect(cpython.collectionMarks).toEqual([{ step: 11, generation: 2 }]);
    expect(cpython.summary.collections).toEqual([0, 0, 1]);
    expect(none.collectionMarks).toEqual([]);
    // Live bytes: after the collection, the collector's run holds less than the leaking one.
    const at = (series: ReadonlyArray<readonly [number, number]>, step: number) =>
      [...series].reverse().find((p) => p[0] <= step)![1];
    expect(at(cpython.liveSeries, 11)).toBeLessThan(at(none.liveSeries, 11));
    expect(cpython.summary.liveBytes).toBeLessThan(none.summary.liveBytes);
  });

  test.prop(
    [fc.constantFrom("cpython", "refcount", "tracing", "none"), fc.integer({ min: 1, max: 60 })],
    {
      numRuns: fcRuns(12),
    },
  )(
    "gives series that start at step 0, rise in step order and end at the last step",
    (collector, samples) => {
      const trace = parseTrace(
        [
          '{"mm-trace": 1}',
          '{"op":"repeat","times":300,"ops":[{"op":"new","var":"a","type":"object","name":"a"},{"op":"new","var":"b","type":"object","name":"b"},{"op":"set","obj":"a","attr":"other","value":"b"},{"op":"set","obj":"b","attr":"other","value":"a"},{"op":"new","var":"l","type":"list","items":[{"int":1},{"int":2}]}]}',
        ].join("\n"),
      );
      const m = measureTrace(trace, {
        runtime: { ...quiet, collector: collector as "none" },
        liveSamples: samples,
      });
      const { steps, heapBytes, peakLiveBytes } = m.summary;
      expect(steps).toBe(1500);
      for (const series of [m.heapSeries, m.liveSeries]) {
        expect(series[0]![0]).toBe(0);
        for (let i = 1; i < series.length; i++)
          expect(series[i]![0]).toBeGreaterThan(series[i - 1]![0]);
      }
      expect(m.liveSeries.at(-1)).toEqual([steps, m.summary.liveBytes]);
      expect(Math.max(...m.heapSeries.map((p) => p[1]))).toBe(heapBytes.peak);
      expect(Math.max(...m.liveSeries.map((p) => p[1]))).toBe(peakLiveBytes);
      // Samples every liveSampleEvery steps, plus one after each collection, plus the ends.
      expect(m.liveSeries.length).toBeLessThanOrEqual(
        Math.floor(steps / m.liveSampleEvery) + m.collectionMarks.length + 2,
      );
      const marksSteps = m.collectionMarks.map((c) => c.step);
      for (const s of marksSteps) expect(m.liveSeries.some((p) => p[0] === s)).toBe(true);
      const total = m.summary.collections.reduce((a, b) => a + b, 0);
      expect(m.collectionMarks).toHaveLength(total);
      expect(m.summary.pauses.count).toBe(total);
    },
  );

  it("says when its pauses are cold, and warms up on a throwaway runtime when asked", () => {
    const cold = measureTrace(CYCLE, { runtime: { ...quiet, collector: "cpython" } });
    expect(cold.summary.pauses.warmupSteps).toBe(0);
    expect(pauseWarmth(cold.summary.pauses)).toMatch(/^cold/);
    const warm = measureTrace(CYCLE, {
      runtime: { ...quiet, collector: "cpython" },
      warmupSteps: 100,
    });
    // The warm-up is capped at the trace's steps, and leaves the measured run's figures alone.
    expect(warm.summary.pauses.warmupSteps).toBe(18);
    expect(pauseWarmth(warm.summary.pauses)).toBe("after a warm-up of 18 steps");
    expect(warm.summary.objects).toEqual(cold.summary.objects);
    expect(warm.collectionMarks).toEqual(cold.collectionMarks);
  });

  it("stops after maxSteps and reports progress at every step", () => {
    const seen: number[] = [];
    const m = measureTrace(CYCLE, {
      runtime: quiet,
      maxSteps: 5,
      onProgress: (step, total) => {
        expect(total).toBe(18);
        seen.push(step);
      },
    });
    expect(m.summary.steps).toBe(5);
    expect(seen).toEqual([1, 2, 3, 4, 5]);
  });
});

describe("pauseFigures", () => {
  test.prop([fc.array(fc.double({ min: 0, max: 1000, noNaN: true }), { maxLength: 50 })])(
    "gives the count, total, largest and median of any pauses",
    (pauses) => {
      const f = pauseFigures(pauses);
      const sorted = [...pauses].sort((a, b) => a - b);
      expect(f.count).toBe(pauses.length);
      expect(f.maxMs).toBe(sorted.at(-1) ?? 0);
      expect(f.totalMs).toBeCloseTo(
        pauses.reduce((a, b) => a + b, 0),
        6,
      );
      if (pauses.length > 0) {
        expect(f.medianMs).toBeGreaterThanOrEqual(sorted[0]!);
        expect(f.medianMs).toBeLessThanOrEqual(f.maxMs);
        expect(sorted.filter((p) => p < f.medianMs).length).toBeLessThanOrEqual(pauses.length / 2);
        expect(sorted.filter((p) => p > f.medianMs).length).toBeLessThanOrEqual(pauses.length / 2);
      }
    },
  );
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

  it("counts calls nested far deeper than the JavaScript stack would recurse", () => {
    const depth = 100_000;
    const lines = ['{"mm-trace": 1}'];
    for (let i = 0; i < depth; i++) lines.push('{"op":"call"}', '{"op":"gc","call":"get_count"}');
    for (let i = 0; i < depth; i++) lines.push('{"op":"return"}');
    expect(countSteps(parseTrace(lines.join("\n")).ops)).toBe(2 * depth);
  });
});

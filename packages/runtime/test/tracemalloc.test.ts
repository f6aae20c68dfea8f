import { describe, expect, it } from "vitest";
import { PythonError, Runtime } from "../src/index.js";

describe("tracemalloc", () => {
  it("traces requested sizes by file and line while tracing, with a peak", () => {
    const rt = new Runtime({ env: {}, log: () => {} });
    expect(rt.tracemalloc.isTracing()).toBe(false);
    expect(() => rt.tracemalloc.takeSnapshot()).toThrow(PythonError);
    rt.tracemalloc.start();
    const events = rt.runTrace(
      [
        '{"mm-trace": 1}',
        '{"op":"new","var":"a","type":"object","name":"alpha"}',
        '{"op":"new","var":"l","type":"list","items":["a","a","a"]}',
        '{"op":"new","var":"s","type":"str","value":"a fairly long string"}',
      ].join("\n"),
      "t.jsonl",
    );
    expect(events).toEqual([]);
    const [current, peak] = rt.tracemalloc.getTracedMemory();
    expect(current).toBeGreaterThan(0);
    expect(peak).toBeGreaterThanOrEqual(current);
    const stats = rt.tracemalloc.takeSnapshot().statistics("lineno");
    const byLine = new Map(stats.map((s) => [s.traceback[0]!.lineno, s]));
    // line 2: the instance (16 + 24 + 32 pre-header = 72 bytes) and its values block and name;
    // line 3: the list (56) and its item array (3 x 8); line 4: the str (48 + 21).
    expect(byLine.get(3)).toMatchObject({ size: 56 + 24, count: 2 });
    expect(byLine.get(4)).toMatchObject({ size: 48 + 21, count: 1 });
    expect(stats.every((s) => s.traceback[0]!.filename === "t.jsonl")).toBe(true);
  });

  it("traces nothing that untraced() makes, sees its frees, and goes on tracing after", () => {
    const rt = new Runtime({ env: {}, log: () => {} });
    rt.tracemalloc.start();
    const before = rt.tracemalloc.getTracedMemory()[0];
    const early = rt.str("a string made while tracing");
    const traced = rt.tracemalloc.getTracedMemory()[0];
    expect(traced).toBeGreaterThan(before);
    const hidden = rt.tracemalloc.untraced(() => rt.list(rt.str("made untraced, kept")));
    expect(rt.tracemalloc.isTracing()).toBe(true);
    expect(rt.tracemalloc.getTracedMemory()[0]).toBe(traced);
    // A traced block freed inside is forgotten; an error inside leaves tracing on.
    expect(() =>
      rt.tracemalloc.untraced(() => {
        early.release();
        throw new Error("inside");
      }),
    ).toThrow("inside");
    expect(rt.tracemalloc.getTracedMemory()[0]).toBe(before);
    expect(rt.tracemalloc.isTracing()).toBe(true);
    hidden.release();
    expect(rt.tracemalloc.getTracedMemory()[0]).toBe(before);
    const late = rt.str("a string made after");
    expect(rt.tracemalloc.getTracedMemory()[0]).toBeGreaterThan(before);
    late.release();
  });

  it("compares snapshots and forgets everything on stop", () => {
    const rt = new Runtime({ env: {}, log: () => {} });
    rt.tracemalloc.start(5);
    const before = rt.tracemalloc.takeSnapshot();
    const keep = rt.list(rt.str("one more string"), rt.str("and another one"));
    const after = rt.tracemalloc.takeSnapshot();
    const diff = after.compareTo(before, "filename");
    expect(diff[0]).toMatchObject({ countDiff: 4, sizeDiff: 56 + 16 + 48 + 16 + 48 + 16 });
    rt.tracemalloc.resetPeak();
    expect(rt.tracemalloc.getTracedMemory()[1]).toBe(rt.tracemalloc.getTracedMemory()[0]);
    keep.release();
    rt.tracemalloc.stop();
    expect(rt.tracemalloc.getTracedMemory()).toEqual([0, 0]);
    expect(() => rt.tracemalloc.start(0)).toThrow(
      "the number of frames must be in range [1; 65535]",
    );
  });

  it("gives a block reused from a free list the traceback of its reuse", () => {
    const rt = new Runtime({ env: {}, log: () => {} });
    rt.tracemalloc.start();
    // Line 2 makes a float and line 3 drops it onto the float free list; line 4's float takes
    // that block, and the trace moves to line 4 with the same size (_Py_NewReference).
    rt.runTrace(
      [
        '{"mm-trace": 1}',
        '{"op":"new","var":"a","type":"float","value":1.5}',
        '{"op":"del","var":"a"}',
        '{"op":"new","var":"b","type":"float","value":2.5}',
      ].join("\n"),
      "reuse.jsonl",
    );
    const lines = rt.tracemalloc
      .takeSnapshot()
      .traces.filter((t) => t.traceback[0]!.filename === "reuse.jsonl")
      .map((t) => [t.traceback[0]!.lineno, t.size]);
    expect(lines).toEqual([[4, 24]]);
  });

  it("records an allocation outside every frame as <unknown>:0, with its total depth", () => {
    const rt = new Runtime({ env: {}, log: () => {} });
    rt.tracemalloc.setWhere(() => []);
    rt.tracemalloc.start();
    const keep = rt.str("made outside any frame");
    const traces = rt.tracemalloc.takeSnapshot().traces;
    expect(traces.map((t) => [t.traceback, t.totalNframe])).toEqual([
      [[{ filename: "<unknown>", lineno: 0 }], 1],
    ]);
    keep.release();
  });
});

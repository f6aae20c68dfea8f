// Traces written to break the reader rather than to describe a program: keys that JavaScript
// objects treat specially, and nesting deep enough to exhaust a recursive reader's stack.
// Each must either run as CPython's driver runs it or be refused with one TraceError.

import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatEvent, parseTrace, Runtime, TraceError } from "../src/index.js";

const DRIVER = join(import.meta.dirname, "..", "conformance", "mmtrace.py");
const line = (o: object) => JSON.stringify(o);
const trace = (...ops: string[]) => `${[line({ "mm-trace": 1 }), ...ops].join("\n")}\n`;

describe('"__proto__" in trace JSON', () => {
  it("is an ordinary dict key, as in CPython (the live driver gives the expected log)", () => {
    const text = trace(
      line({ op: "new", type: "list", var: "l" }),
      '{"op":"new","type":"dict","var":"d","items":{"__proto__":"l","a":{"int":2},"b":{"int":3},"c":{"int":4},"e":{"int":5},"f":{"int":6}}}',
      line({ op: "sizeof", var: "d" }),
      line({ op: "get", var: "v", obj: "d", key: "__proto__" }),
      line({ op: "refcount", var: "v" }),
      line({ op: "unset", obj: "d", key: "__proto__" }),
      line({ op: "get", var: "w", obj: "d", key: "__proto__" }),
      line({ op: "set", obj: "d", key: "__proto__", value: { str: "x" } }),
      line({ op: "sizeof", var: "d" }),
    );
    const file = join(mkdtempSync(join(tmpdir(), "mm-proto-")), "proto.jsonl");
    writeFileSync(file, text);
    const run = spawnSync("python3", [DRIVER, file], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    const expected = run.stdout.split("\n").filter((l) => l !== "");
    // The driver's log, whatever the numbers: a 6-item dict, then one KeyError (line 8 only).
    expect(expected.filter((l) => l.includes('"error"'))).toEqual([
      '{"event":"error","line":8,"type":"KeyError","message":"\'__proto__\'"}',
    ]);
    const rt = new Runtime({ env: {} });
    expect(rt.runTrace(text, "proto.jsonl").map(formatEvent)).toEqual(expected);
    rt.verify();
  });

  it("cannot hide a header or an op: a key of that name is just an unknown key", () => {
    expect(() => parseTrace('{"__proto__":{"mm-trace":1}}\n')).toThrow(
      /^trace:1: the first line must be the header/,
    );
    expect(() =>
      parseTrace(`${line({ "mm-trace": 1 })}\n{"__proto__":{"op":"collect"}}\n`),
    ).toThrow(/^trace:2: an op needs a string field 'op'/);
    expect(() =>
      parseTrace(`${line({ "mm-trace": 1 })}\n{"op":"collect","__proto__":{"generation":1}}\n`),
    ).toThrow(/^trace:2: op 'collect' has no field '__proto__'/);
  });
});

describe("deep nesting", () => {
  it("in one line's JSON is refused with a TraceError, not a JavaScript stack overflow", () => {
    const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
    const text = trace(`{"op":"assign","var":"x","value":${deep}}`);
    expect(() => parseTrace(text)).toThrow(TraceError);
    expect(() => parseTrace(text)).toThrow(
      /^trace:2: not valid JSON: arrays and objects nested deeper than 500 at character/,
    );
    // Within the bound, a nested value is read and refused for what it is.
    const shallow = `${"[".repeat(400)}${"]".repeat(400)}`;
    expect(() => parseTrace(trace(`{"op":"assign","var":"x","value":${shallow}}`))).toThrow(
      /^trace:2: 'value' must be a variable name/,
    );
  });
});

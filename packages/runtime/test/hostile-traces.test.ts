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

/** A trace of `depth` nested calls, each binding one local, the innermost reading a refcount. */
function nestedCalls(depth: number): string {
  const ops: string[] = [];
  for (let i = 0; i < depth; i++) {
    ops.push(line({ op: "call" }));
    ops.push(line({ op: "new", var: `v${i}`, type: "list" }));
  }
  ops.push(line({ op: "refcount", var: `v${depth - 1}` }));
  for (let i = 0; i < depth; i++) ops.push(line({ op: "return" }));
  return trace(...ops);
}

describe("the recursion limit", () => {
  it("holds at any value: a trace's calls do not use the JavaScript stack", () => {
    for (const process of [false, true]) {
      const rt = new Runtime({ env: {}, recursionLimit: 1_000_000, process });
      const events = rt.runTrace(nestedCalls(3_000), "deep.jsonl").map(formatEvent);
      expect(events).toEqual(['{"event":"refcount","var":"v2999","value":1}']);
      expect(rt.inspect().frames).toHaveLength(1);
      rt.verify();
    }
    // Below the depth, the limit stops the program with CPython's RecursionError.
    const rt = new Runtime({ env: {}, recursionLimit: 1_500 });
    const events = rt.runTrace(nestedCalls(3_000), "deep.jsonl");
    // The 1,500th call fails at its return's line: after the header, 3,000 call and new lines,
    // the refcount, and the returns of the 1,500 calls nested deeper.
    expect(events[0]).toEqual({
      event: "error",
      line: 1 + 2 * 3_000 + 1 + 1_500 + 1,
      type: "RecursionError",
      message: "maximum recursion depth exceeded",
    });
    rt.verify();
  });

  it("through Runtime.call, a JavaScript stack that runs out is a RecursionError and leaves no frame", () => {
    const rt = new Runtime({ env: {}, recursionLimit: 10_000_000 });
    let deepest = 0;
    const down = (depth: number): number =>
      rt.call("f", () => {
        deepest = depth;
        return down(depth + 1);
      });
    expect(() => down(1)).toThrow(
      expect.objectContaining({
        pythonType: "RecursionError",
        message: "maximum recursion depth exceeded",
      }),
    );
    expect(deepest).toBeGreaterThan(100);
    expect(rt.inspect().frames).toHaveLength(1);
    rt.verify();
  });
});

describe("a trace in a process whose strings overflow rodata's constants area", () => {
  it("is a TraceError at the line of the string that does not fit", () => {
    const big = trace(
      line({ op: "new", var: "a", type: "str", value: "short" }),
      line({ op: "new", var: "s", type: "str", value: "x".repeat(300_000) }),
    );
    const rt = new Runtime({ env: {}, process: true });
    expect(() => rt.runTrace(big, "big.jsonl")).toThrow(TraceError);
    expect(() => rt.runTrace(big, "big.jsonl")).toThrow(
      /^big\.jsonl:3: the program's names and strings do not fit the process's 256 KiB constants area in rodata \(\d+ bytes used; a string of 300001 bytes with its NUL does not fit\)$/,
    );
    const names = trace(
      ...Array.from({ length: 20_000 }, (_, i) =>
        line({ op: "new", var: `variable_number_${i}`, type: "list" }),
      ),
    );
    expect(() => new Runtime({ env: {}, process: true }).runTrace(names, "names.jsonl")).toThrow(
      /^names\.jsonl:\d+: the program's names and strings do not fit/,
    );
  });
});

describe("an integer of more than 4,300 digits", () => {
  it("is refused as CPython's json refuses it, before any slow conversion", () => {
    const digits = (n: number) => `{"op":"new","var":"x","type":"int","value":${"7".repeat(n)}}`;
    const file = join(mkdtempSync(join(tmpdir(), "mm-digits-")), "digits.jsonl");
    writeFileSync(file, trace(digits(4301)));
    const run = spawnSync("python3", [DRIVER, file], { encoding: "utf8" });
    // mmtrace: FILE:2: not valid JSON: <int()'s ValueError>
    const driver = /^mmtrace: [^:]*:2: not valid JSON: (.*)\n$/.exec(run.stderr);
    expect(driver, run.stderr).not.toBeNull();
    expect(() => parseTrace(trace(digits(4301)), "digits.jsonl")).toThrow(
      `digits.jsonl:2: not valid JSON: ${driver![1]!} at character 44`,
    );
    // A million digits are refused as quickly (converting them would take minutes).
    expect(() => parseTrace(trace(digits(1_000_000)))).toThrow(/value has 1000000 digits/);
    // At the limit, and negative, the value is read.
    const at = parseTrace(trace(digits(4300).replace(":7", ":-7")));
    expect(at.ops[0]).toMatchObject({ value: { kind: "int", value: -BigInt("7".repeat(4300)) } });
  });
});

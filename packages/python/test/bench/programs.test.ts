// The benchmark suite's programs at their smoke-test sizes: runPython must print what python3
// prints (timings are not compared, only that both harnesses report them), and the harness's
// parsing helpers keep their contracts.

import { spawnSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BENCH_MARK,
  casesFor,
  lastLine,
  outputDifference,
  parseRun,
  programSource,
} from "../../bench/programs.js";
import { runPython } from "../../src/vm/run.js";

/**
 * Programs that runPython cannot run yet, with the last line of the error it prints. The test
 * checks that error exactly, so it fails (asking for the entry to go) once the program runs.
 */
const failsToday: Readonly<Record<string, string>> = {};

// Every program traced, in one python3 process, each in its own namespace as `python3 FILE`
// would run it; an exception is answered with its last traceback line.
const DRIVER = `
import contextlib, io, json, sys
out = []
for source in json.load(sys.stdin):
    buffer = io.StringIO()
    try:
        with contextlib.redirect_stdout(buffer):
            exec(compile(source, "<bench>", "exec"), {"__name__": "__main__"})
        out.append({"stdout": buffer.getvalue()})
    except Exception as e:
        out.append({"error": f"{type(e).__name__}: {e}"})
print(json.dumps(out))
`;

const cases = casesFor("tiny");
const sources = cases.map((c) => programSource(c.program, c.n, true));
const python = spawnSync("python3", ["-c", DRIVER], {
  input: JSON.stringify(sources),
  encoding: "utf8",
  maxBuffer: 1 << 26,
});
if (python.status !== 0) throw new Error(`python3 failed: ${python.stderr}`);
const answers = JSON.parse(python.stdout) as ({ stdout: string } | { error: string })[];

describe("the benchmark programs at their smoke-test sizes", () => {
  cases.forEach((c, i) => {
    it(`${c.name} prints what python3 prints`, () => {
      const answer = answers[i]!;
      if ("error" in answer) throw new Error(`python3 raised ${answer.error}`);
      const theirs = parseRun(answer.stdout);
      expect(theirs, "python3's harness line").toBeDefined();
      expect(theirs!.peak).toBeGreaterThan(0);
      const result = runPython(sources[i]!, { filename: `${c.program.name}.py` });
      const known = failsToday[c.program.name];
      if (known !== undefined) {
        expect(result.status).toBe(1);
        expect(lastLine(result.stderr)).toBe(known);
        return;
      }
      expect(result.stderr).toBe("");
      expect(result.status).toBe(0);
      const ours = parseRun(result.stdout);
      expect(ours, "runPython's harness line").toBeDefined();
      expect(outputDifference(ours!.output, theirs!.output)).toBeUndefined();
      expect(ours!.output).toBe(theirs!.output);
      expect(ours!.ms).toBeGreaterThanOrEqual(0);
      expect(ours!.peak).toBeGreaterThan(0);
    });
  });

  it("covers every program of the suite in every mode", () => {
    const names = new Set(cases.map((c) => c.program.name));
    for (const mode of ["quick", "full"] as const) {
      expect(new Set(casesFor(mode).map((c) => c.program.name))).toEqual(names);
    }
    expect(
      casesFor("full")
        .filter((c) => c.program.name === "binary-trees")
        .map((c) => c.n),
    ).toEqual([14, 16]);
  });
});

describe("the harness's helpers", () => {
  it("parseRun splits off the harness line whatever the program printed", () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: "grapheme" }).filter((s) => !s.includes("\n"))),
        fc.double({ min: 0, max: 1e7, noNaN: true }).map((x) => x + 0), // no -0: it prints as 0
        fc.nat(),
        (lines, ms, peak) => {
          const output = lines.map((l) => `${l}\n`).join("");
          const parsed = parseRun(`${output}${BENCH_MARK} ${ms} ${peak}\n`);
          expect(parsed).toEqual({ output, ms, peak });
        },
      ),
    );
  });

  it("parseRun refuses output without a well-formed harness line", () => {
    expect(parseRun("fib(10) = 55\n")).toBeUndefined();
    expect(parseRun(`x${BENCH_MARK} 1.5 10\n`)).toBeUndefined();
    expect(parseRun(`${BENCH_MARK} 1.5\n`)).toBeUndefined();
    expect(parseRun(`${BENCH_MARK} fast 10\n`)).toBeUndefined();
    expect(parseRun(`${BENCH_MARK} 1.5 10.5\n`)).toBeUndefined();
  });

  it("outputDifference is silent exactly when the outputs are equal", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(outputDifference(a, a)).toBeUndefined();
        expect(outputDifference(a, b) === undefined).toBe(a === b);
      }),
    );
    expect(outputDifference("a\nb\nc\n", "a\nB\nc\n")).toBe(
      'output differs from python3 at line 2: "b", python3 "B"',
    );
    expect(outputDifference("a\n", "a\nb\n")).toBe(
      'output differs from python3 at line 2: "", python3 "b"',
    );
  });

  it("lastLine names the exception of a traceback", () => {
    const traceback =
      'Traceback (most recent call last):\n  File "x.py", line 1, in <module>\nKeyError: 3\n\n';
    expect(lastLine(traceback)).toBe("KeyError: 3");
    expect(lastLine("")).toBe("no output");
  });
});

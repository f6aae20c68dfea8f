// The worker's run, in Node: steps stream in batches with the first one alone, the budget cuts
// the recording but not the counts, a runaway program is stopped with a message, and the
// process's layout comes with each step of a process run.

import { recordPython } from "@mm/python";
import { describe, expect, it } from "vitest";
import type { DoneMessage, PageStep, RunRequest, WorkerMessage } from "../src/protocol.js";
import { DEFAULT_STRATEGY } from "../src/protocol.js";
import { run } from "../src/worker.js";

function record(source: string, budget = 1000, maxInstructions = 1_000_000) {
  const messages: WorkerMessage[] = [];
  const request: RunRequest = {
    kind: "run",
    source,
    strategy: DEFAULT_STRATEGY,
    budget,
    maxInstructions,
  };
  run(request, (m) => messages.push(m));
  const steps = messages.flatMap((m): readonly PageStep[] => (m.kind === "steps" ? m.steps : []));
  const done = messages.at(-1) as DoneMessage;
  return { messages, steps, done };
}

describe("a run in the worker", () => {
  it("streams the steps the recorder records, the first in a batch of its own", () => {
    const source = "x = [1, 2]\ny = x\ndel x\nprint(y)\n";
    const { messages, steps, done } = record(source);
    expect(messages[0]).toMatchObject({ kind: "steps", steps: [expect.anything()] });
    expect(done.kind).toBe("done");
    const expected = recordPython(source, {
      filename: "main.py",
      objects: true,
      objectLimit: 60,
      runtimeOptions: { process: true },
    });
    expect(steps.map((s) => [s.line, s.stdout, s.events])).toEqual(
      expected.steps.map((s) => [s.line, s.stdout, s.events]),
    );
    expect(done.trace.summary).toEqual(expected.summary);
    for (const step of steps) {
      expect(step.layout?.blocks.length).toBeGreaterThan(0);
      for (const o of step.objects!) expect(step.virtual?.get(o.address)).toBeGreaterThan(0);
    }
  });

  it("records the budget's steps in full and counts the rest", () => {
    const source = "t = 0\nfor i in range(100):\n    t += i\n";
    const { steps, done } = record(source, 50);
    expect(steps).toHaveLength(50);
    expect(done.trace.truncated).toBe(true);
    expect(done.trace.summary.lines).toBe(recordPython(source).summary.lines);
    expect(done.trace.summary.lines).toBeGreaterThan(200);
  });

  it("stops a runaway program with a message", () => {
    const { done } = record("n = 0\nwhile True:\n    n += 1\n", 100, 20_000);
    expect(done.trace.status).toBe(1);
    expect(done.trace.stderr).toBe("the program was stopped after 20000 instructions\n");
  });
});

// The corpus under every registered collector and allocator. What a program observes about
// memory may differ between strategies (a cycle that only a collector frees is never freed
// under `refcount`; under `tracing` a `del` runs no finalizer, so a program that counts on one
// may even fail), but nothing else may: every program runs to an end python3 could give it
// (status 0 or 1, never an internal error), and the programs about the language itself
// (`language/` and `errors/`) print exactly the same text with the same status.

import { defaultRegistry, type RuntimeOptions } from "@mm/runtime";
import { describe, expect, it } from "vitest";
import { runPython } from "../src/index.js";
import { corpusPrograms, pending, programSource } from "./corpus-files.js";

// Programs that do not run on the reference strategy yet say nothing about the others.
const all = corpusPrograms().filter((p) => pending[p] === undefined);

const references = new Map<string, ReturnType<typeof runPython>>();

/** The program's run on the default strategy (cpython, pymalloc), made once. */
function reference(program: string) {
  let result = references.get(program);
  if (result === undefined) {
    result = run(program, {});
    references.set(program, result);
  }
  return result;
}

function run(program: string, runtimeOptions: RuntimeOptions) {
  const source = programSource(program);
  return runPython(source, { filename: program, runtimeOptions, maxSteps: 50_000_000 });
}

const strategies: RuntimeOptions[] = [
  ...defaultRegistry
    .collectorNames()
    .filter((c) => c !== "cpython")
    .map((collector) => ({ collector })),
  ...defaultRegistry
    .allocatorNames()
    .filter((a) => a !== "pymalloc")
    .map((allocator) => ({ allocator })),
];

describe("the corpus under every strategy", () => {
  it("covers every registered collector and allocator", () => {
    expect(strategies.length).toBe(
      defaultRegistry.collectorNames().length + defaultRegistry.allocatorNames().length - 2,
    );
  });

  for (const options of strategies) {
    const name = options.collector ?? options.allocator;
    it(`${name}: every program ends as python3 could, the language programs as on cpython`, () => {
      const differences: string[] = [];
      for (const program of all) {
        const expected = reference(program);
        const other = run(program, options);
        if (other.status !== 0 && other.status !== 1)
          differences.push(`${program}: status ${other.status}`);
        const languageOnly = program.startsWith("language/") || program.startsWith("errors/");
        if (languageOnly && other.status !== expected.status)
          differences.push(`${program}: status ${other.status}, not ${expected.status}`);
        if (languageOnly && other.stdout !== expected.stdout)
          differences.push(`${program}: printed something else`);
      }
      expect(differences).toEqual([]);
      // Each test runs the whole corpus (the first also makes the reference runs): minutes on a
      // loaded machine, where a fixed two-minute limit failed runs that were only slow.
    }, 600_000);
  }
});

// The "Did you mean" CPython 3.11's printer of uncaught exceptions adds to a NameError or an
// AttributeError: random names defined in a namespace or on an object, random names looked
// up, each error handed to sys.excepthook (the same printer), by python3 and by runPython.

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { runPython } from "../../src/vm/run.js";
import { levenshtein, nearestName } from "../../src/vm/suggestions.js";

const dir = mkdtempSync(join(tmpdir(), "suggestions-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** python3's stdout and stderr for the program at `file`. */
function python3(file: string, source: string): { stdout: string; stderr: string } {
  writeFileSync(file, source);
  const run = spawnSync("python3", [file], { encoding: "utf8", env: { ...process.env } });
  return { stdout: run.stdout, stderr: run.stderr };
}

/** Identifiers near each other: a few letters in both cases, digits and underscores. */
const identifier = fc
  .tuple(
    fc.constantFrom("a", "b", "c", "A", "B", "_"),
    fc.array(fc.constantFrom("a", "b", "c", "d", "A", "B", "C", "_", "1", "é"), { maxLength: 9 }),
  )
  .map(([first, rest]) => first + rest.join(""));

/** One case: names a namespace (and an object) holds, and a name looked up in it. */
const lookup = fc.record({
  names: fc.uniqueArray(identifier, { maxLength: 8 }),
  probe: identifier,
});

/** A program looking each case's name up as a global (exec) and as an attribute. */
function program(cases: readonly { names: readonly string[]; probe: string }[]): string {
  const lines = ["import sys", "class Holder:", "    pass"];
  for (const { names, probe } of cases) {
    const ns = `{${names.map((n) => `${JSON.stringify(n)}: 1`).join(", ")}}`;
    lines.push(
      "try:",
      `    exec(${JSON.stringify(probe)}, ${ns})`,
      "except NameError as e:",
      "    sys.excepthook(type(e), e, e.__traceback__)",
      "h = Holder()",
      ...names.map((n) => `setattr(h, ${JSON.stringify(n)}, 1)`),
      "try:",
      `    getattr(h, ${JSON.stringify(probe)})`,
      "except AttributeError as e:",
      "    sys.excepthook(type(e), e, e.__traceback__)",
    );
  }
  return `${lines.join("\n")}\n`;
}

describe("Did you mean", () => {
  it("suggests what python3's printer suggests", () => {
    const file = join(dir, "prog.py");
    fc.assert(
      fc.property(fc.array(lookup, { minLength: 1, maxLength: 12 }), (cases) => {
        const source = program(cases);
        const expected = python3(file, source);
        const got = runPython(source, { filename: file });
        expect(got.stderr).toBe(expected.stderr);
      }),
      { numRuns: 15, endOnFailure: true },
    );
  });

  it("says nothing for a subclass, an UnboundLocalError or a long name", () => {
    const file = join(dir, "plain.py");
    const source = [
      "import sys",
      "class Error(NameError): pass",
      "value = 1",
      "try:",
      "    raise Error('x', name='valeu')",
      "except Error as e:",
      "    sys.excepthook(type(e), e, e.__traceback__)",
      "def f():",
      "    print(valeu)",
      "    valeu = 2",
      "try:",
      "    f()",
      "except UnboundLocalError as e:",
      "    sys.excepthook(type(e), e, e.__traceback__)",
      `${"x".repeat(41)} = 1`,
      "try:",
      `    ${"x".repeat(40)}y`,
      "except NameError as e:",
      "    sys.excepthook(type(e), e, e.__traceback__)",
      "",
    ].join("\n");
    const got = runPython(source, { filename: file });
    expect(got.stderr).toBe(python3(file, source).stderr);
  });

  it("weighs a change of case half of another edit", () => {
    const units = (s: string) => [...new TextEncoder().encode(s)];
    expect(levenshtein(units("value"), units("Value"), 10)).toBe(1);
    expect(levenshtein(units("value"), units("valeu"), 10)).toBe(4);
    expect(levenshtein(units("value"), units("values"), 10)).toBe(2);
    expect(nearestName("valeu", ["values", "value", "Valeu"])).toBe("Valeu");
    expect(nearestName("x", ["y"])).toBeUndefined();
  });
});

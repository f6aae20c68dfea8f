// Slices of strs against python3: a str's characters are its code points, whatever their kind
// (ASCII, Latin-1, the BMP, beyond it, a lone surrogate), and an exact str sliced whole is
// itself. A slice indexes a str's text directly unless it holds a surrogate unit.

import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPython } from "../../src/vm/run.js";
import { CPythonForks } from "../fuzz/cpython.js";

// Code points of every kind, lone surrogates included (written as escapes in the program). Only
// high ones: a high surrogate followed by a low one makes one character here where CPython keeps
// two (a known difference of the strs themselves, not of slicing).
const codePoint = fc.oneof(
  fc.integer({ min: 0x20, max: 0x7e }),
  fc.integer({ min: 0xa0, max: 0xff }),
  fc.integer({ min: 0x100, max: 0xd7ff }),
  fc.integer({ min: 0xd800, max: 0xdbff }),
  fc.integer({ min: 0x10000, max: 0x10ffff }),
);
const text = fc.array(codePoint, { maxLength: 12 });
const bound = fc.option(fc.integer({ min: -15, max: 15 }), { nil: undefined });
const step = fc.option(
  fc.integer({ min: -4, max: 4 }).filter((s) => s !== 0),
  { nil: undefined },
);

/** A Python literal of the code points, every one escaped. */
function literal(points: readonly number[]): string {
  return `"${points.map((p) => `\\U${p.toString(16).padStart(8, "0")}`).join("")}"`;
}

const part = (v: number | undefined): string => (v === undefined ? "" : String(v));

describe("str slices against python3", () => {
  let cpython: CPythonForks;
  beforeAll(() => {
    cpython = new CPythonForks();
  });
  afterAll(() => cpython.close());

  it("picks the same code points and keeps a whole exact str", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(text, bound, bound, step), { minLength: 1, maxLength: 12 }),
        async (cases) => {
          const lines = ["class S(str): pass", ""];
          for (const [points, start, stop, by] of cases) {
            const s = literal(points);
            const sl = `${part(start)}:${part(stop)}${by === undefined ? "" : `:${by}`}`;
            lines.push(`s = ${s}`);
            lines.push(`t = s[${sl}]`);
            lines.push(`u = S(s)[${sl}]`);
            // One-character strs are shared here where a constant is another object in CPython.
            lines.push(
              "print(ascii(t), len(t), len(t) == 1 or t is s, ascii(u), type(u).__name__)",
            );
          }
          const program = `${lines.join("\n")}\n`;
          const want = await cpython.run(program);
          const got = runPython(program, { filename: "prog.py" });
          expect(got.stderr).toBe("");
          expect(got.stdout).toBe(want.stdout);
        },
      ),
      { numRuns: 40 },
    );
  });
});

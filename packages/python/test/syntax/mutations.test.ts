import { fc } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { PySyntaxError } from "../../src/syntax/errors.js";
import { parse } from "../../src/syntax/parse.js";
import { askCPython, toJson } from "./cpython.js";

// A valid program, damaged at one or two random places (characters deleted, or a token
// inserted), then judged by CPython and by `parse`. The grammar recovers from errors, so this is
// where dropped code or an error hidden by its recovery would show.

const PROGRAM = `class Point:
    def __init__(self, x, y=0, *args, **kw):
        self.x, self.y = x, y
        self.tags = [t for t in args if t]

    def norm(self):
        return (self.x ** 2 + self.y ** 2) ** 0.5

def main(items):
    total = 0
    for i, p in enumerate(items):
        if p.norm() > 1 and not p.tags:
            total += i
        elif p.x:
            continue
        else:
            break
    try:
        d = {k: v for k, v in zip("ab", [1, 2])}
    except KeyError as e:
        print(f"missing {e!r:>5}")
    finally:
        pass
    return lambda z=1: total + z

print(main([Point(1, 2), Point(3)])(), sep="")
`;

const INSERTS = [
  "(",
  ")",
  "[",
  "]",
  "{",
  "}",
  ":",
  ",",
  "=",
  " ",
  "\n",
  "    ",
  "'",
  '"',
  "*",
  "**",
  ".",
  "@",
  "\\",
  "#",
  ";",
  "1",
  "x",
  "0x",
  "1_",
  "f'{",
  "if ",
  "else ",
  "for ",
  "in ",
  "lambda ",
  "not ",
  "and ",
  "def ",
  "return ",
  "as ",
  "del ",
  "pass",
  "global x",
];

const edit = fc.oneof(
  fc.record({ at: fc.nat(PROGRAM.length), remove: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ at: fc.nat(PROGRAM.length), insert: fc.constantFrom(...INSERTS) }),
);

function damage(
  edits: readonly ({ at: number; remove: number } | { at: number; insert: string })[],
): string {
  let s = PROGRAM;
  for (const e of edits) {
    const at = Math.min(e.at, s.length);
    s =
      "remove" in e
        ? s.slice(0, at) + s.slice(at + e.remove)
        : s.slice(0, at) + e.insert + s.slice(at);
  }
  return s;
}

const MUTANTS = fc
  .sample(fc.array(edit, { minLength: 1, maxLength: 2 }), { seed: 3111, numRuns: 300 })
  .map(damage);
const answers = askCPython({ asts: MUTANTS, errors: MUTANTS });

describe("damaged programs", () => {
  const outcomes = MUTANTS.map((src, i) => {
    let tree: unknown = null;
    let error: unknown = null;
    try {
      tree = toJson(parse(src));
    } catch (e) {
      error = e;
    }
    return { src, tree, error, cpython: answers.errors[i] ?? null, cpythonAst: answers.asts[i] };
  });

  it("never crash: each is parsed or rejected with a PySyntaxError", () => {
    for (const o of outcomes) {
      if (o.error !== null) expect(o.error, o.src).toBeInstanceOf(PySyntaxError);
    }
  });

  it("are rejected exactly when CPython rejects them (or use a refused construct)", () => {
    for (const o of outcomes) {
      const e = o.error as PySyntaxError | null;
      if (o.cpython === null) {
        if (e !== null) expect(e.unsupported, `${o.src}\n${e.message}`).toBe(true);
      } else {
        expect(e, o.src).not.toBeNull();
        expect(e?.unsupported, o.src).toBe(false);
      }
    }
  });

  it("give CPython's tree when accepted", () => {
    for (const o of outcomes) if (o.error === null) expect(o.tree, o.src).toEqual(o.cpythonAst);
  });

  it("are reported on CPython's line almost always, and by CPython's exception class", () => {
    const rejected = outcomes.filter((o) => o.cpython !== null && o.error instanceof PySyntaxError);
    const sameLine = rejected.filter((o) => (o.error as PySyntaxError).line === o.cpython?.line);
    // The grammar's recovery can place the first error elsewhere than CPython's second pass
    // does when two damages interact: this sample agrees on every line, other seeds on 97-100%.
    expect(sameLine.length / rejected.length).toBeGreaterThan(0.95);
    const sameType = sameLine.filter((o) => (o.error as PySyntaxError).pyType === o.cpython?.type);
    expect(sameType.length / sameLine.length).toBeGreaterThan(0.95);
  });

  it("carry CPython's message and column almost always", () => {
    const rejected = outcomes.filter((o) => o.cpython !== null && o.error instanceof PySyntaxError);
    const same = rejected.filter((o) => {
      const e = o.error as PySyntaxError;
      return e.message === o.cpython?.msg && e.line === o.cpython.line && e.col === o.cpython.col;
    });
    // This sample agrees on 222 of 235: the rest are mostly two damages whose first error the
    // grammar's recovery places elsewhere. Before the parser's descriptive messages ("Perhaps
    // you forgot a comma?", "expected '('", whole-token ranges) were rebuilt, 193 agreed.
    expect(same.length / rejected.length).toBeGreaterThan(0.93);
  });
});

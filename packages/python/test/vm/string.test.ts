// The string module against python3: its constants, capwords, Template's substitutions and
// errors (line and column of a bad placeholder), a subclass's delimiter; and a property over
// random templates, whose substitute/safe_substitute/get_identifiers/is_valid python3 answers.

import { fcRuns, fcSeed } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPython } from "../../src/vm/run.js";
import { CPythonForks } from "../fuzz/cpython.js";
import { describeAgainstPython } from "./against-python.js";

describeAgainstPython("string", [
  [
    "constants, capwords and Template",
    `import string
print(string.ascii_letters, string.digits, string.hexdigits, string.octdigits, repr(string.whitespace))
print(repr(string.punctuation), repr(string.printable), len(string.printable), string.__all__)
print(string.capwords("hello   big world"), string.capwords("a-b-c", "-"), string.capwords(" x y "))
T = string.Template
t = T("$who likes \${what}; costs $$5 and $who_2!")
print(t.substitute(who="tim", what="ham", who_2=3), t.substitute({"who": 1, "what": 2, "who_2": 3}, who="kw"))
print(t.safe_substitute(who="x"), t.get_identifiers(), t.is_valid(), t.template)
try:
    T("$missing").substitute()
except KeyError as e:
    print("KeyError", e)
class P(T):
    delimiter = "%"
print(P("%a costs %% %{b}").substitute(a="tea", b=1), P("100$").substitute())`,
  ],
  [
    "Formatter",
    `import string
f = string.Formatter()
print(f.format("{0!r:>10}|{1[k]}|{2.real}", "hi", {"k": 5}, 3+4j), f.format("{} and {}", 1, 2), f.format("{x:{w}}|", x=3, w=5))
print(f.vformat("{0}{a}", (1,), {"a": 2}), f.format("{:{}.{}}", 3.14159, 8, 3), list(f.parse("a{{b}}c{0!s:>{1}}")))
class Up(string.Formatter):
    def format_field(self, v, spec):
        return super().format_field(v, spec).upper()
print(Up().format("{} {x}", "abc", x="d"))`,
  ],
]);

describeAgainstPython("keyword", [
  [
    "keywords and soft keywords",
    `import keyword
print(keyword.kwlist, keyword.softkwlist, keyword.__all__)
for w in keyword.kwlist + keyword.softkwlist + ["print", "self", "Def", "", "none", "type"]:
    print(repr(w), keyword.iskeyword(w), keyword.issoftkeyword(w))`,
  ],
]);

describe("string.Template and string.Formatter against python3", () => {
  let cpython: CPythonForks;
  beforeAll(() => {
    cpython = new CPythonForks();
  });
  afterAll(() => cpython.close());

  it("substitutes random templates as python3 does", async () => {
    const seed = fcSeed();
    const piece = fc.constantFrom(
      "$",
      "$$",
      "{",
      "}",
      "a",
      "b1",
      "_x",
      "1",
      " ",
      "\n",
      "$" + "{a}",
      "$b1",
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(piece, { maxLength: 10 }), { minLength: 1, maxLength: 6 }),
        async (ts) => {
          const lines = ["from string import Template"];
          for (const parts of ts) {
            lines.push(`t = Template(${JSON.stringify(parts.join(""))})`);
            lines.push(
              "print(repr(t.safe_substitute(a=1, _x='X')), t.is_valid(), t.get_identifiers())",
            );
            lines.push("try:");
            lines.push("    print(repr(t.substitute({'a': 'A', 'b1': 2}, _x=3)))");
            lines.push("except (KeyError, ValueError) as e:");
            lines.push("    print(type(e).__name__, e)");
          }
          const source = `${lines.join("\n")}\n`;
          const want = await cpython.run(source);
          const got = runPython(source, { filename: "prog.py" });
          expect(got.stdout).toBe(want.stdout);
          expect(got.status).toBe(want.status);
        },
      ),
      { numRuns: fcRuns(40), ...(seed !== undefined ? { seed } : {}) },
    );
  });

  it("formats random format strings as python3 does, errors included", async () => {
    const seed = fcSeed();
    const piece = fc.constantFrom(
      "{",
      "}",
      "{{",
      "}}",
      "{}",
      "{0}",
      "{1}",
      "{x}",
      "{0!r}",
      "{0!s:>6}",
      "{x:{w}}",
      "{0[1]}",
      "{y.real}",
      "{0[}",
      "!",
      ":",
      "[",
      "]",
      ".",
      "a",
      " ",
      "{0:{1}}",
      "{!a}",
      "{0!}",
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(piece, { maxLength: 6 }), { minLength: 1, maxLength: 6 }),
        async (fs) => {
          const lines = ["import string", "f = string.Formatter()"];
          for (const parts of fs) {
            const text = JSON.stringify(parts.join(""));
            lines.push("try:");
            lines.push(`    print(list(f.parse(${text})))`);
            lines.push(`    print(repr(f.format(${text}, [1, 2], 5, x='X', w=4, y=2.5)))`);
            lines.push("except Exception as e:");
            lines.push("    print(type(e).__name__, e)");
          }
          const source = `${lines.join("\n")}\n`;
          const want = await cpython.run(source);
          const got = runPython(source, { filename: "prog.py" });
          expect(got.stdout).toBe(want.stdout);
          expect(got.status).toBe(want.status);
        },
      ),
      { numRuns: fcRuns(40), ...(seed !== undefined ? { seed } : {}) },
    );
  });
});

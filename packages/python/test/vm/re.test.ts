// The re and textwrap modules against python3: the API's results, reprs and errors by named
// programs, and properties over random patterns of the supported syntax and random subjects
// (findall, sub, split, spans and the errors of bad patterns), and over random paragraphs
// wrapped, filled and shortened.

import { fcRuns, fcSeed } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPython } from "../../src/vm/run.js";
import { CPythonForks } from "../fuzz/cpython.js";
import { describeAgainstPython } from "./against-python.js";

describeAgainstPython("re", [
  [
    "the module functions, Pattern and Match",
    String.raw`import re
p = re.compile(r"(?P<key>\w+)=(?P<value>\d*)", re.I | re.M)
print(p, p.pattern, p.flags, p.groups, dict(p.groupindex), re.compile(b"a+"))
m = p.search("x: width=80 height=")
print(m, m.group(), m.group(1, 2), m["key"], m.groups(), m.groupdict(), m.span(2), m.start(), m.end("value"))
print(m.lastindex, m.lastgroup, m.re is p, m.string, m.pos, m.endpos, m.expand(r"\g<value>:\1"))
print(re.findall(r"\d+", "a1b22c333"), re.findall(r"(a)(b)?", "ab a"), list(re.finditer(r"o", "foo")))
print(re.sub(r"(\w+) (\w+)", r"\2 \1", "hello world"), re.subn("a", lambda m: m.group().upper(), "banana", 2))
print(re.split(r"\W+", "Words, words, words."), re.split(r"(\W+)", "Words, words.", 1), re.split("x*", "axbc"))
print(re.fullmatch(r"a|ab", "ab"), re.match(r"a", "ba"), re.escape("1.5*[x]"), re.escape(b"a-b"))
print(re.findall(r"(?<=-)\w+", "a-bc-d"), re.findall(r"\b\w", "it's ok"), re.search(r"$", "a\n").span())
print(re.match(r"(a)(?(1)b|c)", "ab"), re.match(r"(?>a+)b", "aaab"), re.match(r"a*+a", "aaa"))
print(re.match(r"(\w)\1", "xx"), re.match(r"(?P<q>['\"]).*?(?P=q)", "'hi' there"), re.findall(r"(?i)straße", "STRAßE"))
print(re.I | re.S, re.A, ~re.I & re.M, re.X.value, re.NOFLAG, re.compile(r"\d", re.A).match("\u0663"))
print(re.compile("x") is re.compile("x"), re.compile("x") == re.compile("x"))
re.purge()
print(re.match(r"(?x) a b # comment", "ab"), re.findall(r"^\w", "a\nb", re.M), re.findall(r".", "a\nb", re.S))`,
  ],
  [
    "the errors of bad patterns and templates",
    String.raw`import re
for pat in ["a(b", "a)b", "[ab", "*a", "a**", "\\q", "(?<=a+)b", "(?P<1>a)", "(?P<a>x)(?P<a>y)", "(?z)",
            "[z-a]", "\\2(a)", "a{3,2}", "(?P=x)", "(a\nb", "x(?i)y", "(?(2)a|b)"]:
    try:
        re.compile(pat)
    except re.error as e:
        print(repr(pat), type(e).__name__, e, e.msg, e.pos, e.lineno, e.colno)
for repl in [r"\3", r"\g<x>", r"\g<1", r"\q", "\\"]:
    try:
        re.sub("(a)", repl, "a")
    except (re.error, IndexError) as e:
        print(repr(repl), type(e).__name__, e)
for f in [lambda: re.match("a", b"a"), lambda: re.match(b"a", "a"), lambda: re.match(1, "a"),
          lambda: re.compile("a").match("a").group(3), lambda: re.sub("a", 1, "a")]:
    try:
        f()
    except Exception as e:
        print(type(e).__name__, e)`,
  ],
  [
    "textwrap",
    String.raw`import textwrap
t = "The quick brown fox jumps over the lazy dog; a well-known pangram, self-explanatory -- and short."
print(textwrap.wrap(t, 20))
print(textwrap.fill(t, 30, initial_indent="* ", subsequent_indent="  "))
print(textwrap.shorten(t, 40), textwrap.shorten("Hello  world!", 11), textwrap.wrap(t, 12, max_lines=3))
print(repr(textwrap.dedent("    def f():\n        return 1\n")), repr(textwrap.indent("a\n\nb\n", "> ")))
w = textwrap.TextWrapper(width=10, break_long_words=False, break_on_hyphens=False)
print(w.wrap("supercalifragilistic well-known words"), textwrap.wrap("Mr. Smith.  Hi.", 40, fix_sentence_endings=True))
try:
    textwrap.wrap("x", 0)
except ValueError as e:
    print(e)`,
  ],
]);

/** A random pattern of the supported syntax (python3 decides which of them are errors). */
const pattern: fc.Arbitrary<string> = fc.letrec<{ node: string }>((tie) => ({
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom(
      "a",
      "b",
      ".",
      "\\d",
      "\\w",
      "\\s",
      "\\W",
      "\\b",
      "\\B",
      "^",
      "$",
      "[ab]",
      "[^a]",
      "[a-c1]",
      "\\A",
      "\\Z",
      "x",
      "(?i:a)",
      "\\n",
      "-",
      "(",
      ")",
      "[",
      "*",
      "{2}",
      "\\1",
      "(?<=a)",
    ),
    fc.tuple(tie("node"), tie("node")).map(([x, y]) => x + y),
    fc.tuple(tie("node"), tie("node")).map(([x, y]) => `${x}|${y}`),
    tie("node").map((x) => `(${x})`),
    tie("node").map((x) => `(?P<n>${x})`),
    tie("node").map((x) => `(?:${x})`),
    tie("node").map((x) => `(?=${x})`),
    tie("node").map((x) => `(?!${x})`),
    tie("node").map((x) => `(?>${x})`),
    fc
      .tuple(tie("node"), fc.constantFrom("*", "+", "?", "*?", "+?", "??", "{1,2}", "{,2}", "{2}"))
      .map(([x, q]) => `(?:${x})${q}`),
  ),
})).node;

describe("re against python3", () => {
  let cpython: CPythonForks;
  beforeAll(() => {
    cpython = new CPythonForks();
  });
  afterAll(() => cpython.close());

  it("finds, substitutes, splits and rejects as python3 does", async () => {
    const seed = fcSeed();
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(
            pattern,
            fc
              .array(fc.constantFrom("a", "b", "A", "1", " ", "\n", "x", "-"), { maxLength: 8 })
              .map((cs) => cs.join("")),
            fc.constantFrom("0", "re.I", "re.M", "re.S", "re.A"),
          ),
          { minLength: 1, maxLength: 6 },
        ),
        async (cases) => {
          const lines = ["import re"];
          for (const [p, s, flags] of cases) {
            lines.push(
              "try:",
              `    c = re.compile(${JSON.stringify(p)}, ${flags}); s = ${JSON.stringify(s)}`,
              "    print(c.findall(s), c.sub(r'<\\g<0>>', s), c.split(s), [m.span() for m in c.finditer(s)])",
              "    print(c.groups, c.search(s), c.fullmatch(s), c.subn(lambda m: '', s, 1))",
              "except (re.error, IndexError) as e:",
              "    print(type(e).__name__, e)",
            );
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

  it("wraps, fills and shortens random paragraphs as python3 does", async () => {
    const seed = fcSeed();
    const word = fc.constantFrom(
      "hello",
      "a",
      "self-contained",
      "--",
      "long-long-word",
      "end.",
      " ",
      "\t",
      "x-y",
      "Mr.",
      "supercalifragilistic",
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(word, { maxLength: 14 }),
        fc.integer({ min: 1, max: 25 }),
        fc.constantFrom(
          "",
          "break_long_words=False",
          "break_on_hyphens=False",
          "max_lines=2",
          "fix_sentence_endings=True",
          "initial_indent='* '",
        ),
        async (words, width, option) => {
          const text = JSON.stringify(words.join(" "));
          const kw = option === "" ? "" : `, ${option}`;
          const source = [
            "import textwrap",
            "for f in (textwrap.wrap, textwrap.fill):",
            "    try:",
            `        print(repr(f(${text}, ${width}${kw})))`,
            "    except ValueError as e:",
            "        print(e)",
            `print(repr(textwrap.shorten(${text}, ${width + 10})))`,
            "",
          ].join("\n");
          const want = await cpython.run(source);
          const got = runPython(source, { filename: "prog.py" });
          expect(got.stdout).toBe(want.stdout);
          expect(got.status).toBe(want.status);
        },
      ),
      { numRuns: fcRuns(25), ...(seed !== undefined ? { seed } : {}) },
    );
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as S from "../../src/text/str.js";
import { type Check, disagreements } from "./python.js";

const seed = 5112026;
const sample = <T>(arb: fc.Arbitrary<T>, n: number): T[] => fc.sample(arb, { numRuns: n, seed });

/** Characters that exercise the str methods: whitespace of every kind, case specials, astral. */
const CHARS = [
  "a",
  "b",
  "A",
  "Z",
  "x",
  "0",
  "7",
  " ",
  " ",
  "\t",
  "\n",
  "\r",
  "\r\n",
  "\x0b",
  "\x0c",
  "\x1c",
  "\x1d",
  "\x1f",
  "\x85",
  "\xa0",
  "\u2028",
  "\u3000",
  "\u200b",
  "\ufeff",
  "'",
  '"',
  "\\",
  "\x00",
  "\x7f",
  "é",
  "ß",
  "Σ",
  "σ",
  "ς",
  "ǅ",
  "ǆ",
  "İ",
  "ﬁ",
  "ŉ",
  "ᾳ",
  "Ꭰ",
  "ꭰ",
  "\u0301",
  "\u00ad",
  "²",
  "①",
  "٣",
  "Ⅻ",
  "一",
  "😀",
  "𝐀",
  "\u{10ffff}",
  "\ue000",
  "\u0378",
  "_",
  "-",
  "+",
  ".",
  ",",
  "ab",
  "aa",
  "Hello",
  "wORLD",
];
const text = fc.array(fc.constantFrom(...CHARS), { maxLength: 10 }).map((parts) => parts.join(""));
const needle = fc.oneof(
  fc.constantFrom("", "a", "aa", "ab", " ", "😀", "ς", "\r\n", "xyz"),
  text.map((t) => t.slice(0, 3)),
);
const index = fc.oneof(fc.constant(null), fc.integer({ min: -14, max: 14 }).map(BigInt));
const count = fc.oneof(fc.constant(-1n), fc.integer({ min: 0, max: 4 }).map(BigInt));

const num = (n: number) => BigInt(n);
const opt = (v: bigint | null) => v ?? undefined;

function checks(): Record<string, Check[]> {
  const strs = sample(text, 700);
  const withNeedle = sample(fc.tuple(text, needle, index, index), 900);
  const splits = sample(fc.tuple(text, fc.oneof(fc.constant(null), needle), count), 900);
  const replaces = sample(fc.tuple(text, needle, fc.constantFrom("", "-", "😀", "XY"), count), 600);
  const pads = sample(
    fc.tuple(
      text,
      fc.integer({ min: -2, max: 16 }).map(BigInt),
      fc.constantFrom(" ", "*", "😀", "ab", ""),
    ),
    600,
  );
  const slices = sample(
    fc.tuple(
      text,
      index,
      index,
      fc.oneof(fc.constant(null), fc.integer({ min: -4, max: 4 }).map(BigInt)),
    ),
    900,
  );
  const lengths = sample(
    fc.tuple(
      fc.integer({ min: 0, max: 12 }),
      index,
      index,
      fc.oneof(fc.constant(null), fc.integer({ min: -5, max: 5 }).map(BigInt)),
    ),
    600,
  );
  const predicates = [
    ["isspace", S.strIsSpace],
    ["isalpha", S.strIsAlpha],
    ["isalnum", S.strIsAlnum],
    ["isdecimal", S.strIsDecimal],
    ["isdigit", S.strIsDigit],
    ["isnumeric", S.strIsNumeric],
    ["isascii", S.strIsAscii],
    ["isprintable", S.strIsPrintable],
    ["isupper", S.strIsUpper],
    ["islower", S.strIsLower],
    ["istitle", S.strIsTitle],
    ["isidentifier", S.strIsIdentifier],
  ] as const;
  const mappings = [
    ["upper", S.strUpper],
    ["lower", S.strLower],
    ["casefold", S.strCasefold],
    ["capitalize", S.strCapitalize],
    ["title", S.strTitle],
    ["swapcase", S.strSwapcase],
  ] as const;
  const one = (expr: string, f: (s: string) => unknown): Check[] =>
    strs.map((s) => ({ expr, args: [s], run: () => f(s) }));
  return {
    repr: one("repr(a[0])", S.strRepr),
    ascii: one("ascii(a[0])", S.strAscii),
    len: one("len(a[0])", (s) => num(S.strLen(s))),
    predicates: predicates.flatMap(([name, f]) => one(`a[0].${name}()`, f)),
    "case mappings": mappings.flatMap(([name, f]) => one(`a[0].${name}()`, f)),
    "split()": splits.map(([s, sep, n]) => ({
      expr: "a[0].split(a[1], a[2])",
      args: [s, sep, n],
      run: () => S.strSplit(s, sep, n),
    })),
    "rsplit()": splits.map(([s, sep, n]) => ({
      expr: "a[0].rsplit(a[1], a[2])",
      args: [s, sep, n],
      run: () => S.strRSplit(s, sep, n),
    })),
    splitlines: strs.flatMap((s) =>
      [false, true].map((keep) => ({
        expr: "a[0].splitlines(a[1])",
        args: [s, keep],
        run: () => S.strSplitLines(s, keep),
      })),
    ),
    strip: splits.flatMap(([s, chars]) => [
      { expr: "a[0].strip(a[1])", args: [s, chars], run: () => S.strStrip(s, chars) },
      { expr: "a[0].lstrip(a[1])", args: [s, chars], run: () => S.strLStrip(s, chars) },
      { expr: "a[0].rstrip(a[1])", args: [s, chars], run: () => S.strRStrip(s, chars) },
    ]),
    replace: replaces.map(([s, old, rep, n]) => ({
      expr: "a[0].replace(a[1], a[2], a[3])",
      args: [s, old, rep, n],
      run: () => S.strReplace(s, old, rep, n),
    })),
    "find family": withNeedle.flatMap(([s, sub, a, b]) => [
      {
        expr: "a[0].find(a[1], a[2], a[3])",
        args: [s, sub, a, b],
        run: () => num(S.strFind(s, sub, a, b)),
      },
      {
        expr: "a[0].rfind(a[1], a[2], a[3])",
        args: [s, sub, a, b],
        run: () => num(S.strRFind(s, sub, a, b)),
      },
      {
        expr: "a[0].index(a[1], a[2], a[3])",
        args: [s, sub, a, b],
        run: () => num(S.strIndexOf(s, sub, a, b)),
      },
      {
        expr: "a[0].rindex(a[1], a[2], a[3])",
        args: [s, sub, a, b],
        run: () => num(S.strRIndexOf(s, sub, a, b)),
      },
      {
        expr: "a[0].count(a[1], a[2], a[3])",
        args: [s, sub, a, b],
        run: () => num(S.strCount(s, sub, a, b)),
      },
      {
        expr: "a[0].startswith(a[1], a[2], a[3])",
        args: [s, sub, a, b],
        run: () => S.strStartsWith(s, sub, a, b),
      },
      {
        expr: "a[0].endswith(a[1], a[2], a[3])",
        args: [s, sub, a, b],
        run: () => S.strEndsWith(s, sub, a, b),
      },
      { expr: "a[1] in a[0]", args: [s, sub], run: () => S.strContains(s, sub) },
    ]),
    "partition family": withNeedle.flatMap(([s, sep]) => [
      { expr: "a[0].partition(a[1])", args: [s, sep], run: () => S.strPartition(s, sep) },
      { expr: "a[0].rpartition(a[1])", args: [s, sep], run: () => S.strRPartition(s, sep) },
      { expr: "a[0].removeprefix(a[1])", args: [s, sep], run: () => S.strRemovePrefix(s, sep) },
      { expr: "a[0].removesuffix(a[1])", args: [s, sep], run: () => S.strRemoveSuffix(s, sep) },
      { expr: "a[1].join(a[0].split())", args: [s, sep], run: () => S.strJoin(sep, S.strSplit(s)) },
    ]),
    padding: pads.flatMap(([s, w, fill]) => [
      { expr: "a[0].center(a[1], a[2])", args: [s, w, fill], run: () => S.strCenter(s, w, fill) },
      { expr: "a[0].ljust(a[1], a[2])", args: [s, w, fill], run: () => S.strLJust(s, w, fill) },
      { expr: "a[0].rjust(a[1], a[2])", args: [s, w, fill], run: () => S.strRJust(s, w, fill) },
      { expr: "a[0].zfill(a[1])", args: [s, w], run: () => S.strZFill(s, w) },
      { expr: "a[0].expandtabs(a[1])", args: [s, w], run: () => S.strExpandTabs(s, w) },
      { expr: "a[0] * a[1]", args: [s, w], run: () => S.strRepeat(s, w) },
    ]),
    slicing: slices.flatMap(([s, a, b, c]) => [
      { expr: "a[0][a[1]:a[2]:a[3]]", args: [s, a, b, c], run: () => S.strSlice(s, a, b, c) },
      { expr: "a[0][a[1]]", args: [s, a ?? 0n], run: () => S.strIndex(s, a ?? 0n) },
    ]),
    "ints beyond 64 bits": [10n ** 20n, -(10n ** 20n)].flatMap((big) => [
      { expr: "a[0][a[1]]", args: ["abc", big], run: () => S.strIndex("abc", big) },
      { expr: "a[0] * a[1]", args: ["abc", big], run: () => S.strRepeat("abc", big) },
      { expr: "a[0].center(a[1])", args: ["abc", big], run: () => S.strCenter("abc", big) },
      { expr: "a[0].zfill(a[1])", args: ["abc", big], run: () => S.strZFill("abc", big) },
      {
        expr: "a[0].split(None, a[1])",
        args: ["a b", big],
        run: () => S.strSplit("a b", null, big),
      },
      {
        expr: "a[0].replace('a', 'b', a[1])",
        args: ["aa", big],
        run: () => S.strReplace("aa", "a", "b", big),
      },
      {
        expr: "a[0].expandtabs(a[1])",
        args: ["a\tb", big],
        run: () => S.strExpandTabs("a\tb", big),
      },
      {
        expr: "a[0].find('a', a[1])",
        args: ["abc", big],
        run: () => num(S.strFind("abc", "a", big)),
      },
      {
        expr: "a[0][a[1]:a[2]:a[1]]",
        args: ["abc", big, -big],
        run: () => S.strSlice("abc", big, -big, big),
      },
    ]),
    "slice.indices": lengths.map(([n, a, b, c]) => ({
      expr: "(lambda t: [*t, len(range(*t))])(slice(a[1], a[2], a[3]).indices(a[0]))",
      args: [num(n), a, b, c],
      run: () => {
        const r = S.sliceIndices(n, opt(a), opt(b), opt(c));
        return [num(r.start), num(r.stop), num(r.step), num(r.length)];
      },
    })),
  };
}

const results = disagreements(checks());

describe("str semantics agree with CPython 3.11", () => {
  for (const [name, failures] of Object.entries(results)) {
    it(name, () => {
      expect(failures.slice(0, 10)).toEqual([]);
    });
  }
});

describe("str invariants", () => {
  it("split on a separator then join restores the text", () => {
    fc.assert(
      fc.property(
        text,
        fc.constantFrom("a", " ", "😀", "\r\n"),
        (s, sep) => S.strJoin(sep, S.strSplit(s, sep)) === s,
      ),
    );
  });

  it("a reversing slice reverses the code points", () => {
    fc.assert(
      fc.property(text, (s) => S.strSlice(s, null, null, -1n) === Array.from(s).reverse().join("")),
    );
  });

  it("centring pads to the width exactly", () => {
    fc.assert(
      fc.property(
        text,
        fc.integer({ min: 0, max: 30 }),
        (s, w) => S.strLen(S.strCenter(s, w, "😀")) === Math.max(w, S.strLen(s)),
      ),
    );
  });
});

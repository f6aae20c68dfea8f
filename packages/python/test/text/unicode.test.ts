import { describe, expect, it } from "vitest";
import { strCasefold, strLower, strTitle, strUpper } from "../../src/text/str.js";
import * as u from "../../src/text/unicode.js";
import { askPython } from "./python.js";

// Every code point's str predicates, compared as range lists with CPython's (all 0x110000 code
// points in one python3 call): the JS side must see Unicode 14.0.0, not the engine's version.
const PREDICATES = {
  isspace: u.isSpace,
  isalpha: u.isAlpha,
  isdecimal: u.isDecimal,
  isdigit: u.isDigit,
  isnumeric: u.isNumeric,
  isupper: u.isUpper,
  islower: u.isLower,
  isprintable: u.isPrintable,
  isidentifier: (cp: number) => cp === 0x5f || u.isXidStart(cp),
  "isidentifier after a letter": u.isXidContinue,
  istitle: (cp: number) => u.isUpper(cp) || u.isTitle(cp),
  // The final-sigma rule sees through case-ignorable characters and stops at cased ones.
  "final sigma after it": (cp: number) =>
    strLower(`A${String.fromCodePoint(cp)}\u03a3`).endsWith("\u03c2"),
  "final sigma before it": (cp: number) =>
    strLower(`A\u03a3${String.fromCodePoint(cp)}`).startsWith("a\u03c2"),
} as const;
const PY_SUBJECT: Record<string, string> = {
  "isidentifier after a letter": "('a' + chr(c)).isidentifier()",
  "final sigma after it": "('A' + chr(c) + '\\u03a3').lower().endswith('\\u03c2')",
  "final sigma before it": "('A\\u03a3' + chr(c)).lower().startswith('a\\u03c2')",
};

/** The code points where `pred` differs from the bit string python3 answered (at most 20). */
function mismatches(pred: (cp: number) => boolean, bits: string): string[] {
  const out: string[] = [];
  for (let cp = 0; cp < 0x110000 && out.length < 20; cp++) {
    if (pred(cp) !== (bits[cp] === "1")) out.push(cp.toString(16));
  }
  return out;
}

const names = Object.keys(PREDICATES) as (keyof typeof PREDICATES)[];
const script = (name: string) =>
  `''.join('1' if ${PY_SUBJECT[name] ?? `chr(c).${name}()`} else '0' for c in range(0x110000))`;
const MAPPINGS = {
  upper: strUpper,
  lower: strLower,
  title: strTitle,
  casefold: strCasefold,
} as const;
const mappings = Object.keys(MAPPINGS) as (keyof typeof MAPPINGS)[];
// Only the code points a mapping changes, as "cp:mapped" entries.
const mapScript = (name: string) =>
  `[f"{c:x}:{chr(c).${name}()}" for c in range(0x110000) if chr(c).${name}() != chr(c)]`;
const answers = askPython([
  ...names.map((name): [string, []] => [script(name), []]),
  ...mappings.map((name): [string, []] => [mapScript(name), []]),
]);

describe("Unicode 14.0.0 properties of every code point", () => {
  names.forEach((name, i) => {
    it(`${name} agrees with CPython on all code points`, () => {
      const answer = answers[i]!;
      expect("ok" in answer).toBe(true);
      const bits = "ok" in answer ? String(answer.ok) : "";
      expect(bits).toHaveLength(0x110000);
      expect(mismatches(PREDICATES[name], bits)).toEqual([]);
    });
  });
});

describe("Unicode 14.0.0 case mappings of every code point", () => {
  mappings.forEach((name, i) => {
    it(`str.${name}() of each single character agrees with CPython`, () => {
      const answer = answers[names.length + i]!;
      expect("ok" in answer).toBe(true);
      const want = "ok" in answer ? (answer.ok as string[]) : [];
      const got: string[] = [];
      for (let cp = 0; cp < 0x110000; cp++) {
        const ch = String.fromCodePoint(cp);
        const mapped = MAPPINGS[name](ch);
        if (mapped !== ch) got.push(`${cp.toString(16)}:${mapped}`);
      }
      expect(got.filter((e) => !want.includes(e)).slice(0, 20)).toEqual([]);
      expect(want.filter((e) => !got.includes(e)).slice(0, 20)).toEqual([]);
    });
  });
});

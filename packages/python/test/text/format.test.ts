import { PythonError } from "@mm/runtime";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { floatRepr } from "../../src/text/float.js";
import {
  formatBool,
  formatFloat,
  formatInt,
  formatStr,
  type PercentHooks,
  percentFormat,
  strFormat,
  type TemplateHooks,
} from "../../src/text/format.js";
import { intToDecimal } from "../../src/text/int.js";
import { asciiFromRepr, strRepr } from "../../src/text/str.js";
import { type Check, disagreements } from "./python.js";

const seed = 4112026;
const sample = <T>(arb: fc.Arbitrary<T>, n: number): T[] => fc.sample(arb, { numRuns: n, seed });

const anyFloat: fc.Arbitrary<number> = fc.oneof(
  fc.double(),
  fc
    .tuple(fc.integer({ min: -99999, max: 99999 }), fc.integer({ min: -12, max: 12 }))
    .map(([m, e]) => m * 10 ** e),
  fc.integer({ min: -4000, max: 4000 }).map((k) => k / 8),
  fc.constantFrom(
    0,
    -0,
    Infinity,
    -Infinity,
    Number.NaN,
    1e16,
    1e-5,
    0.1,
    2.5,
    -0.5,
    1234567.875,
    1e22,
    5e-324,
  ),
);
const anyInt = fc.oneof(
  fc.bigInt({ min: -100000n, max: 100000n }),
  fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }),
);
const anyStr = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.constantFrom("", "abc", "héllo", "日本語", "a\u{1F600}b", "  x "),
);

/** Specs from the mini-language's grammar, with an occasional stray character. */
const validSpec: fc.Arbitrary<string> = fc
  .record({
    fill: fc.constantFrom("", "", "*", "0", " ", "€", "\u{1F600}", "x"),
    align: fc.constantFrom("", "", "<", ">", "^", "="),
    sign: fc.constantFrom("", "", "+", "-", " "),
    z: fc.constantFrom("", "", "", "z"),
    alt: fc.constantFrom("", "", "#"),
    zero: fc.constantFrom("", "", "0"),
    width: fc.constantFrom("", "", "1", "5", "12", "20"),
    grouping: fc.constantFrom("", "", "", ",", "_"),
    precision: fc.constantFrom("", "", ".0", ".1", ".3", ".6", ".12", ".20"),
    type: fc.constantFrom(
      "",
      "",
      "b",
      "c",
      "d",
      "o",
      "x",
      "X",
      "n",
      "e",
      "E",
      "f",
      "F",
      "g",
      "G",
      "%",
      "s",
      "r",
      "q",
    ),
  })
  .map(
    (r) =>
      (r.align === "" ? "" : r.fill) +
      r.align +
      r.sign +
      r.z +
      r.alt +
      r.zero +
      r.width +
      r.grouping +
      r.precision +
      r.type,
  );
const anySpec = fc.oneof(
  { weight: 6, arbitrary: validSpec },
  {
    weight: 1,
    arbitrary: fc.string({
      unit: fc.constantFrom("<", "0", "5", ",", "_", ".", "d", "f", "#", "z", "+", "x", "é"),
      maxLength: 5,
    }),
  },
);

/** A value of the template and % tests: int, float, str, or a list (of those) for item access. */
type Value = bigint | number | string | boolean | Value[];

function reprOf(v: Value): string {
  if (typeof v === "bigint") return intToDecimal(v);
  if (typeof v === "number") return floatRepr(v);
  if (typeof v === "boolean") return v ? "True" : "False";
  if (typeof v === "string") return strRepr(v);
  return `[${v.map(reprOf).join(", ")}]`;
}

function strOf(v: Value): string {
  return typeof v === "string" ? v : reprOf(v);
}

function formatValue(v: Value, spec: string): string {
  if (typeof v === "bigint") return formatInt(v, spec);
  if (typeof v === "number") return formatFloat(v, spec);
  if (typeof v === "boolean") return formatBool(v, spec);
  if (typeof v === "string") return formatStr(v, spec);
  if (spec !== "")
    throw new PythonError("TypeError", "unsupported format string passed to list.__format__");
  return reprOf(v);
}

const KEYWORDS: Record<string, Value> = { name: "Ada", n: 42n, x: 2.5, items: ["p", "q"] };
const KEYWORDS_PY = "name='Ada', n=42, x=2.5, items=['p', 'q']";

function templateHooks(args: readonly Value[]): TemplateHooks<Value> {
  return {
    positional: (i) => args[i],
    keyword: (name) => KEYWORDS[name],
    attribute: (value, name) => {
      if (name === "real" && (typeof value === "bigint" || typeof value === "number")) return value;
      throw new PythonError(
        "AttributeError",
        `'${typeName(value)}' object has no attribute '${name}'`,
      );
    },
    item: (value, key) => {
      if (typeof value === "string" || Array.isArray(value)) {
        const kind = typeof value === "string" ? "string" : "list";
        if (typeof key === "string") {
          throw new PythonError(
            "TypeError",
            `${kind} indices must be integers${kind === "list" ? " or slices" : ""}, not str`,
          );
        }
        const item = typeof value === "string" ? Array.from(value)[key] : value[key];
        if (item === undefined) throw new PythonError("IndexError", `${kind} index out of range`);
        return item;
      }
      throw new PythonError("TypeError", `'${typeName(value)}' object is not subscriptable`);
    },
    convert: (value, conversion) =>
      conversion === "s"
        ? strOf(value)
        : conversion === "r"
          ? reprOf(value)
          : asciiFromRepr(reprOf(value)),
    format: formatValue,
  };
}

/** A dict for `%(key)s`: the only mapping of these tests. */
class Dict {
  constructor(readonly entries: Map<string, Value>) {}
}

function typeName(v: Value): string {
  if (typeof v === "bigint") return "int";
  if (typeof v === "number") return "float";
  if (typeof v === "boolean") return "bool";
  return typeof v === "string" ? "str" : "list";
}

function dictRepr(d: Dict): string {
  return `{${[...d.entries].map(([k, v]) => `${strRepr(k)}: ${reprOf(v)}`).join(", ")}}`;
}

const percentHooks: PercentHooks<Value | Dict> = {
  tupleItems: (v) => (Array.isArray(v) ? v : undefined),
  isMapping: (v) => v instanceof Dict,
  getItem: (m, key) => {
    const found = m instanceof Dict ? m.entries.get(key) : undefined;
    if (found === undefined) throw new Error(`missing key ${key} in these tests`);
    return found;
  },
  str: (v) => (v instanceof Dict ? dictRepr(v) : strOf(v)),
  repr: (v) => (v instanceof Dict ? dictRepr(v) : reprOf(v)),
  number: (v) =>
    typeof v === "bigint" || typeof v === "number"
      ? v
      : typeof v === "boolean"
        ? BigInt(v)
        : undefined,
  text: (v) => (typeof v === "string" ? v : undefined),
  typeName: (v) => (v instanceof Dict ? "dict" : typeName(v)),
};

/** Templates for str.format: literal text, braces, and fields with names, conversions and specs. */
const templateText: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        "a",
        " ",
        "{{",
        "}}",
        "é",
        "{",
        "}",
        "{!",
        "{0!x}",
        "{:{}}",
        "{0[1]}",
        "{0.real}",
        "{0[0]x}",
        "{:{:{}}}",
        "{0!r:>8}",
      ),
      fc
        .record({
          name: fc.constantFrom("", "", "0", "1", "2", "name", "n", "x", "3"),
          conversion: fc.constantFrom("", "", "!r", "!s", "!a"),
          spec: fc.constantFrom("", "", ":>6", ":*^9", ":.2", ":{}", ":{1}", ":x"),
        })
        .map((f) => `{${f.name}${f.conversion}${f.spec}}`),
    ),
    { maxLength: 5 },
  )
  .map((parts) => parts.join(""));

/** Templates for %: conversions with flags, widths, precisions, keys and stray characters. */
const percentText: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      fc.constantFrom("a", " ", "%%", "%", "é", "%(k)s", "%(k", "%*d", "%.*f", "%z", "%5%"),
      fc
        .record({
          flags: fc.constantFrom("", "", "-", "+", " ", "#", "0", "-0", "+0", "#0"),
          width: fc.constantFrom("", "", "1", "6", "12"),
          precision: fc.constantFrom("", "", ".0", ".2", ".5"),
          length: fc.constantFrom("", "", "", "l"),
          type: fc.constantFrom(
            "d",
            "i",
            "u",
            "o",
            "x",
            "X",
            "e",
            "E",
            "f",
            "F",
            "g",
            "G",
            "c",
            "s",
            "r",
            "a",
          ),
        })
        .map((c) => `%${c.flags}${c.width}${c.precision}${c.length}${c.type}`),
    ),
    { maxLength: 4 },
  )
  .map((parts) => parts.join(""));

const smallValue: fc.Arbitrary<Value> = fc.oneof(
  anyInt,
  anyFloat,
  anyStr,
  fc.boolean(),
  fc.integer({ min: 32, max: 0x1f000 }).map(BigInt),
);

function checks(): Record<string, Check[]> {
  const ints = sample(
    fc.tuple(fc.oneof(anyInt, fc.bigInt({ min: 0n, max: 0x10ffffn })), anySpec),
    1500,
  );
  const floats = sample(fc.tuple(anyFloat, anySpec), 2000);
  const strs = sample(fc.tuple(anyStr, anySpec), 800);
  const bools = sample(fc.tuple(fc.boolean(), anySpec), 300);
  const templates = sample(
    fc.tuple(
      templateText,
      fc.array(fc.oneof(anyInt, anyFloat, anyStr), { minLength: 0, maxLength: 4 }),
    ),
    1200,
  ).map(([t, args]): [string, Value[]] => [
    t,
    [...args, ["p", "q"]].slice(0, Math.max(args.length, 2)),
  ]);
  const percents = sample(fc.tuple(percentText, fc.array(smallValue, { maxLength: 5 })), 1500);
  const singles = sample(fc.tuple(percentText, smallValue), 400);
  const keyed = sample(fc.tuple(percentText, smallValue), 300);
  const fixedFloats: [number, string][] = [
    [1.0, ""],
    [1e16, "g"],
    [0.1, ".20f"],
    [-0.0, ""],
    [-0.0, "z.1f"],
    [-0.0001, "z.2f"],
    [1e16, ""],
    [1e-5, ""],
    [1e-4, ""],
    [123456789012345.0, ""],
    [1e22, ",.2f"],
    [1234567.891, "_.3f"],
    [Number.NaN, "+010"],
    [-Infinity, "=+12,"],
    [0.5, ".0f"],
    [1.5, ".0f"],
    [2.5, ".0e"],
    [0.125, ".2f"],
    [5e-324, ".1e"],
    [1.7976931348623157e308, ",f"],
    [0.1, "%"],
    [2.0, "#.0f"],
    [100.0, "#g"],
  ];
  const fixedInts: [bigint, string][] = [
    [1234n, "08,"],
    [1234n, "09,"],
    [1234n, "0=12,"],
    [255n, "#010_x"],
    [12345n, "_b"],
    [-42n, " 08d"],
    [65n, "05c"],
    [10n ** 30n, ","],
    [-(2n ** 70n), "#_o"],
  ];
  const fixedTemplates = [
    "{",
    "}",
    "{0",
    "{!x}",
    "{0}{}",
    "{}{0}",
    "{5}",
    "{a}",
    "{0.}",
    "{0[}",
    "{0[0]x}",
    "{!}",
    "{0!r",
    "{:{:{}}}",
    "{0:{1",
    "{0!rr}",
    "{0[}]}",
    "{2[1]}",
    "{0:\u0663}",
    "{name!r:^9}|{n:+05}|{x:.3%}",
    "{{}}{{{0}}}",
    "{0!\u00e9}",
  ];
  const fixedPercents: [string, Value[]][] = [
    ["%d", ["a"]],
    ["%x", [3.5]],
    ["%f", ["a"]],
    ["%c", ["ab"]],
    ["%z", [1n]],
    ["%", [1n]],
    ["%d %d", [1n]],
    ["%d", [1n, 2n]],
    ["%*d", ["a", 1n]],
    ["%.*d", ["a", 1n]],
    ["%c", [0x110000n]],
    ["%-5d|%05.1f|%+x|%#o|% d", [-3n, -2.25, 255n, 8n, 7n]],
    ["%5%", [1n]],
    ["%#X|%.3d|%-#8x|", [255n, -7n, 4096n]],
    ["%c%c", ["\u{1F600}", 0x1f600n]],
  ];
  return {
    "documented templates": fixedTemplates.map((t) => {
      const args: Value[] = [1n, 2.5, ["p", "q"]];
      return {
        expr: `a[0].format(*a[1], ${KEYWORDS_PY})`,
        args: [t, args],
        run: () => strFormat(t, templateHooks(args)),
      };
    }),
    "documented % cases": fixedPercents.map(([t, args]) => ({
      expr: "a[0] % tuple(a[1])",
      args: [t, args],
      run: () => percentFormat<Value | Dict>(t, args, percentHooks),
    })),
    "documented cases": [
      ...fixedFloats.map(([x, spec]) => ({
        expr: "format(a[0], a[1])",
        args: [x, spec],
        run: () => formatFloat(x, spec),
      })),
      ...fixedInts.map(([n, spec]) => ({
        expr: "format(a[0], a[1])",
        args: [n, spec],
        run: () => formatInt(n, spec),
      })),
    ],
    "format(int, spec)": ints.map(([n, spec]) => ({
      expr: "format(a[0], a[1])",
      args: [n, spec],
      run: () => formatInt(n, spec),
    })),
    "format(float, spec)": floats.map(([x, spec]) => ({
      expr: "format(a[0], a[1])",
      args: [x, spec],
      run: () => formatFloat(x, spec),
    })),
    "format(str, spec)": strs.map(([s, spec]) => ({
      expr: "format(a[0], a[1])",
      args: [s, spec],
      run: () => formatStr(s, spec),
    })),
    "format(bool, spec)": bools.map(([b, spec]) => ({
      expr: "format(a[0], a[1])",
      args: [b, spec],
      run: () => formatBool(b, spec),
    })),
    "str.format": templates.map(([t, args]) => ({
      expr: `a[0].format(*a[1], ${KEYWORDS_PY})`,
      args: [t, args],
      run: () => strFormat(t, templateHooks(args)),
    })),
    "% with a tuple": percents.map(([t, args]) => ({
      expr: "a[0] % tuple(a[1])",
      args: [t, args],
      run: () => percentFormat<Value | Dict>(t, args, percentHooks),
    })),
    "% with one value": singles
      .filter(([, v]) => !Array.isArray(v))
      .map(([t, v]) => ({
        expr: "a[0] % a[1]",
        args: [t, v],
        run: () => percentFormat<Value | Dict>(t, v, percentHooks),
      })),
    "% with a dict": keyed.map(([t, v]) => ({
      expr: "a[0] % {'k': a[1]}",
      args: [t, v],
      run: () => percentFormat<Value | Dict>(t, new Dict(new Map([["k", v]])), percentHooks),
    })),
  };
}

const results = disagreements(checks());

describe("formatting agrees with CPython 3.11", () => {
  for (const [name, failures] of Object.entries(results)) {
    it(name, () => {
      expect(failures.slice(0, 10)).toEqual([]);
    });
  }
});

describe("formatting invariants", () => {
  it("a width pads to exactly that many code points, whatever the fill", () => {
    fc.assert(
      fc.property(
        anyStr,
        fc.constantFrom("<", ">", "^"),
        fc.constantFrom("*", "\u{1F600}", "é"),
        fc.integer({ min: 0, max: 30 }),
        (s, align, fill, width) => {
          const out = formatStr(s, `${fill}${align}${width}`);
          return Array.from(out).length === Math.max(width, Array.from(s).length);
        },
      ),
    );
  });
});

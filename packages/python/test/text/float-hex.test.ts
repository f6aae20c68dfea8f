import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { floatFromHex, floatHex } from "../../src/text/float.js";
import { type Answer, askPython, decode } from "./python.js";

const doubles = fc.sample(fc.double(), { numRuns: 400, seed: 11 });
const hexDigit = fc.constantFrom(..."0123456789abcdefABCDEF");
const texts = fc.sample(
  fc
    .tuple(
      fc.constantFrom("", "-", "+", " "),
      fc.constantFrom("", "0x", "0X"),
      fc.string({ unit: hexDigit, maxLength: 18 }),
      fc.option(fc.string({ unit: hexDigit, maxLength: 18 })),
      fc.option(fc.integer({ min: -1200, max: 1100 })),
    )
    .map(
      ([sign, prefix, whole, fraction, exponent]) =>
        `${sign}${prefix}${whole}${fraction === null ? "" : `.${fraction}`}${exponent === null ? "" : `p${exponent}`}`,
    ),
  { numRuns: 600, seed: 12 },
);

/** What mm answers in python3's terms: the value, or the exception's class and message. */
function ours(text: string): Answer {
  const v = floatFromHex(text);
  if (v === "invalid") return { err: ["ValueError", "invalid hexadecimal floating-point string"] };
  if (v === "overflow")
    return { err: ["OverflowError", "hexadecimal value too large to represent as a float"] };
  return { ok: { f: bitsOf(v) } };
}

function bitsOf(v: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, v);
  return view.getBigUint64(0).toString(16).padStart(16, "0");
}

describe("float.hex and float.fromhex agree with CPython 3.11", () => {
  it("writes every sampled double as python3 does", () => {
    const answers = askPython(doubles.map((x) => ["a[0].hex()", [x]] as const));
    const theirs = answers.map((a) => ("ok" in a ? decode(a.ok) : a.err));
    expect(doubles.map(floatHex)).toEqual(theirs);
  });

  it("reads its own text back to the same double", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), (x) => Object.is(floatFromHex(floatHex(x)), x)),
    );
  });

  it("reads sampled hexadecimal texts, rounding and refusing as python3 does", () => {
    const answers = askPython(texts.map((t) => ["float.fromhex(a[0])", [t]] as const));
    expect(texts.map(ours)).toEqual(answers);
  });
});

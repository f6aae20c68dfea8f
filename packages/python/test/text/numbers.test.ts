import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  dtoa,
  exactDtoa,
  floatDivmod,
  floatFloorDiv,
  floatFromStr,
  floatIsInteger,
  floatMod,
  floatPow,
  floatRepr,
  floatRoundToInt,
  floatToInt,
  floatTrueDiv,
  roundFloat,
} from "../../src/text/float.js";
import {
  compareIntFloat,
  intDivmod,
  intFloorDiv,
  intFromStr,
  intLShift,
  intMod,
  intPow,
  intPowMod,
  intRShift,
  intToDecimal,
  intToFloat,
  intToStr,
  intTrueDiv,
  roundInt,
} from "../../src/text/int.js";
import { type Check, disagreements } from "./python.js";

const seed = 3112026;
const sample = <T>(arb: fc.Arbitrary<T>, n: number): T[] => fc.sample(arb, { numRuns: n, seed });

/** Doubles of every kind: any bit pattern, short decimals, exact halves, huge and tiny ones. */
const anyFloat: fc.Arbitrary<number> = fc.oneof(
  fc.double(),
  fc
    .tuple(fc.integer({ min: -99999, max: 99999 }), fc.integer({ min: -8, max: 8 }))
    .map(([m, e]) => m * 10 ** e),
  fc.integer({ min: -4000, max: 4000 }).map((k) => k / 8),
  fc.double({ min: -1e-300, max: 1e-300 }),
  fc.constantFrom(
    0,
    -0,
    Infinity,
    -Infinity,
    Number.NaN,
    1e16,
    1e-5,
    1e-4,
    5e-324,
    2 ** 53 + 2,
    0.1,
    123456789012345.0,
    1.7976931348623157e308,
  ),
);
const smallInt = fc.bigInt({ min: -1000n, max: 1000n });
const bigInt = fc.oneof(
  smallInt,
  fc.bigInt({ min: -(10n ** 100n), max: 10n ** 100n }),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
);

function floatChecks(): Record<string, Check[]> {
  const xs = sample(anyFloat, 600);
  const pairs = sample(fc.tuple(anyFloat, anyFloat), 600);
  const powPairs = sample(
    fc
      .tuple(
        fc.oneof(
          anyFloat,
          fc.double({ min: -10, max: 10 }),
          fc.integer({ min: -5, max: 5 }).map(Number),
        ),
        fc.oneof(
          fc.integer({ min: -40, max: 40 }).map(Number),
          fc.double({ min: -30, max: 30 }),
          anyFloat,
        ),
      )
      .filter(([x, y]) => !(x < 0 && Number.isFinite(y) && Math.floor(y) !== y)),
    600,
  );
  // Positive bases to non-integral powers whose result is a normal double: the power is
  // correctly rounded, checked against an exact decimal power rounded once to a double.
  const roundedPairs = sample(
    fc
      .tuple(
        fc.oneof(
          fc.double({ min: 1e-300, max: 1e300, noNaN: true }),
          fc.double({ min: 0.5, max: 2, noNaN: true }),
          fc.integer({ min: 2, max: 1000 }).map(Number),
        ),
        fc.oneof(
          fc.double({ min: -40, max: 40, noNaN: true }),
          fc.constantFrom(0.5, 1 / 3, 0.25, 1.5, -0.5, 0.1, 2.2),
        ),
      )
      .filter(([x, y]) => x > 0 && !Number.isInteger(y) && Math.abs(y * Math.log(x)) < 700),
    600,
  );
  const rounds = sample(
    fc.tuple(
      anyFloat,
      fc.oneof(fc.integer({ min: -20, max: 20 }), fc.integer({ min: -400, max: 400 })),
    ),
    600,
  );
  return {
    repr: xs.map((x) => ({ expr: "repr(a[0])", args: [x], run: () => floatRepr(x) })),
    "true division": pairs.map(([x, y]) => ({
      expr: "a[0] / a[1]",
      args: [x, y],
      run: () => floatTrueDiv(x, y),
    })),
    "floor division": pairs.map(([x, y]) => ({
      expr: "a[0] // a[1]",
      args: [x, y],
      run: () => floatFloorDiv(x, y),
    })),
    modulo: pairs.map(([x, y]) => ({
      expr: "a[0] % a[1]",
      args: [x, y],
      run: () => floatMod(x, y),
    })),
    divmod: pairs.map(([x, y]) => ({
      expr: "list(divmod(a[0], a[1]))",
      args: [x, y],
      run: () => floatDivmod(x, y),
    })),
    power: powPairs.map(([x, y]) => ({
      expr: "a[0] ** a[1]",
      args: [x, y],
      run: () => floatPow(x, y),
      ulps: 1,
    })),
    "power, correctly rounded": roundedPairs.map(([x, y]) => ({
      expr: "(lambda d: float(d.Context(prec=60).power(d.Decimal(a[0]), d.Decimal(a[1]))))(__import__('decimal'))",
      args: [x, y],
      run: () => floatPow(x, y),
    })),
    "round(x, n)": rounds.map(([x, n]) => ({
      expr: "round(a[0], a[1])",
      args: [x, BigInt(n)],
      run: () => roundFloat(x, BigInt(n)),
    })),
    "round(x, huge n)": [10n ** 20n, -(10n ** 20n)].flatMap((n) =>
      [1.5, -1.5, 0.0].map((x) => ({
        expr: "round(a[0], a[1])",
        args: [x, n],
        run: () => roundFloat(x, n),
      })),
    ),
    "round(x)": xs.map((x) => ({ expr: "round(a[0])", args: [x], run: () => floatRoundToInt(x) })),
    "int(x)": xs.map((x) => ({ expr: "int(a[0])", args: [x], run: () => floatToInt(x) })),
    is_integer: xs.map((x) => ({
      expr: "a[0].is_integer()",
      args: [x],
      run: () => floatIsInteger(x),
    })),
  };
}

/** Strings near and far from float syntax: signs, digits, points, exponents, underscores, spaces. */
const floatText: fc.Arbitrary<string> = fc
  .array(
    fc.constantFrom(
      "1",
      "0",
      "9",
      "5",
      ".",
      "e",
      "E",
      "-",
      "+",
      "_",
      " ",
      "\t",
      "\u2003",
      "\x1c",
      "\u0661",
      "inf",
      "Infinity",
      "nan",
      "NaN",
      "x",
      "1_0",
      "e5",
      "é",
      "\u00a0",
    ),
    { maxLength: 8 },
  )
  .map((parts) => parts.join(""));

/** Strings near and far from int syntax for every base. */
const intText: fc.Arbitrary<string> = fc
  .array(
    fc.constantFrom(
      "1",
      "0",
      "7",
      "9",
      "a",
      "F",
      "z",
      "Z",
      "_",
      "0x",
      "0o",
      "0b",
      "0X",
      "-",
      "+",
      " ",
      "\u3000",
      "\u0663",
      "\u1d7ce",
      "g",
      "08",
      "00",
    ),
    { maxLength: 8 },
  )
  .map((parts) => parts.join(""));

function intChecks(): Record<string, Check[]> {
  const pairs = sample(fc.tuple(bigInt, bigInt), 600);
  const pows = sample(fc.tuple(fc.oneof(smallInt, bigInt), fc.bigInt({ min: -6n, max: 60n })), 400);
  const powMods = sample(
    fc.tuple(bigInt, fc.bigInt({ min: -50n, max: 200n }), fc.oneof(smallInt, bigInt)),
    300,
  );
  const shifts = sample(fc.tuple(bigInt, fc.bigInt({ min: -3n, max: 400n })), 400);
  const divs = sample(
    fc.tuple(
      fc.oneof(
        bigInt,
        fc.bigInt({ min: -(10n ** 400n), max: 10n ** 400n }),
        fc.bigInt({ min: 1n, max: 10n ** 20n }),
      ),
      fc.oneof(
        bigInt,
        fc.bigInt({ min: -(10n ** 400n), max: 10n ** 400n }),
        fc.bigInt({ min: 10n ** 300n, max: 10n ** 330n }),
      ),
    ),
    800,
  );
  const compares = sample(
    fc.tuple(
      fc.oneof(bigInt, fc.bigInt({ min: 2n ** 53n - 5n, max: 2n ** 53n + 5n })),
      fc.oneof(
        anyFloat,
        fc.integer().map((k) => 2 ** 53 + k * 2),
      ),
    ),
    600,
  );
  const rounds = sample(fc.tuple(bigInt, fc.bigInt({ min: -110n, max: 5n })), 400);
  const texts = sample(
    fc.tuple(intText, fc.constantFrom(0n, 2n, 8n, 10n, 16n, 36n, 7n, 1n, 37n)),
    800,
  );
  const huge = sample(
    fc.integer({ min: 4290, max: 4310 }).map((d) => 10n ** BigInt(d - 1) + 7n),
    20,
  );
  return {
    "floor division": pairs.map(([a, b]) => ({
      expr: "a[0] // a[1]",
      args: [a, b],
      run: () => intFloorDiv(a, b),
    })),
    modulo: pairs.map(([a, b]) => ({ expr: "a[0] % a[1]", args: [a, b], run: () => intMod(a, b) })),
    divmod: pairs.map(([a, b]) => ({
      expr: "list(divmod(a[0], a[1]))",
      args: [a, b],
      run: () => intDivmod(a, b),
    })),
    power: pows.map(([a, b]) => ({
      expr: "a[0] ** a[1]",
      args: [a, b],
      run: () => intPow(a, b),
      ulps: 1,
    })),
    "pow(a, b, m)": powMods.map(([a, b, m]) => ({
      expr: "pow(a[0], a[1], a[2])",
      args: [a, b, m],
      run: () => intPowMod(a, b, m),
    })),
    "<<": shifts.map(([a, n]) => ({
      expr: "a[0] << a[1]",
      args: [a, n],
      run: () => intLShift(a, n),
    })),
    ">>": shifts.map(([a, n]) => ({
      expr: "a[0] >> a[1]",
      args: [a, n],
      run: () => intRShift(a, n),
    })),
    "true division": divs.map(([a, b]) => ({
      expr: "a[0] / a[1]",
      args: [a, b],
      run: () => intTrueDiv(a, b),
    })),
    "float(n)": divs.map(([a]) => ({ expr: "float(a[0])", args: [a], run: () => intToFloat(a) })),
    "int vs float": compares.map(([i, f]) => ({
      expr: "[a[0] < a[1], a[0] == a[1], a[0] > a[1]]",
      args: [i, f],
      run: () => {
        const c = compareIntFloat(i, f);
        return [c === -1, c === 0, c === 1];
      },
    })),
    "round(n, huge d)": [5n, -7n, 10n ** 30n].map((n) => ({
      expr: "round(a[0], a[1])",
      args: [n, 10n ** 20n],
      run: () => roundInt(n, 10n ** 20n),
    })),
    "round(n, d)": rounds.map(([n, d]) => ({
      expr: "round(a[0], a[1])",
      args: [n, d],
      run: () => roundInt(n, d),
    })),
    "int(s, base)": texts.map(([s, b]) => ({
      expr: "int(a[0], a[1])",
      args: [s, b],
      run: () => intFromStr(s, b),
    })),
    "str(n) and its limit": [...pairs.map(([a]) => a), ...huge, ...huge.map((n) => -n)].map(
      (n) => ({
        expr: "str(a[0])",
        args: [n],
        run: () => intToDecimal(n),
      }),
    ),
    "int(s) and its limit": huge.map((n) => ({
      expr: "int(a[0])",
      args: [n.toString()],
      run: () => intFromStr(n.toString()),
    })),
    "bin oct hex": pairs.map(([a]) => ({
      expr: "[bin(a[0]), oct(a[0]), hex(a[0])]",
      args: [a],
      run: () => [intToStr(a, 2), intToStr(a, 8), intToStr(a, 16)],
    })),
    "float(s)": sample(floatText, 1000).map((s) => ({
      expr: "float(a[0])",
      args: [s],
      run: () => floatFromStr(s),
    })),
  };
}

const floatResults = floatChecks();
const intResults = intChecks();
const results = disagreements({
  ...Object.fromEntries(Object.entries(floatResults).map(([k, v]) => [`float ${k}`, v])),
  ...Object.fromEntries(Object.entries(intResults).map(([k, v]) => [`int ${k}`, v])),
});

describe("float and int semantics agree with CPython 3.11", () => {
  for (const [name, failures] of Object.entries(results)) {
    it(name, () => {
      expect(failures.slice(0, 8)).toEqual([]);
    });
  }
});

describe("round trips", () => {
  it("float(repr(x)) is x for every double", () => {
    fc.assert(
      fc.property(fc.double(), (x) => {
        const back = floatFromStr(floatRepr(x));
        return Number.isNaN(x) ? Number.isNaN(back) : Object.is(back, x);
      }),
    );
  });

  it("int(bin/oct/hex(n), 0) is n", () => {
    fc.assert(
      fc.property(
        bigInt,
        fc.constantFrom(2 as const, 8 as const, 16 as const),
        (n, base) => intFromStr(intToStr(n, base), 0n) === n,
      ),
    );
  });

  it("divmod(a, b) recombines: q*b + r == a, with r of b's sign and smaller", () => {
    fc.assert(
      fc.property(
        bigInt,
        bigInt.filter((b) => b !== 0n),
        (a, b) => {
          const [q, r] = intDivmod(a, b);
          return (
            q * b + r === a &&
            (r === 0n || r < 0n === b < 0n) &&
            (r < 0n ? -r : r) < (b < 0n ? -b : b)
          );
        },
      ),
    );
  });
});

describe("digit generation", () => {
  it("dtoa's fast paths give the exact expansion's half-even digits", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          anyFloat,
          fc.integer({ min: -1e6, max: 1e6 }).map((k) => k / 16),
          fc.integer({ min: 1, max: 1e9 }).map((k) => k * 5),
        ),
        fc.constantFrom(2 as const, 3 as const),
        fc.integer({ min: 0, max: 40 }),
        (x, mode, n) => {
          if (!Number.isFinite(x) || x === 0) return true;
          const fast = dtoa(x, mode, n);
          const exact = exactDtoa(Math.abs(x), mode, n);
          return fast.digits === exact.digits && fast.decpt === exact.decpt;
        },
      ),
      { numRuns: 3000 },
    );
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileModule } from "../../src/compile/codegen.js";
import {
  deserializeCode,
  SerializedCodeError,
  serializeCode,
} from "../../src/compile/serialize.js";
import { type ConstantValue, Ellipsis } from "../../src/syntax/ast.js";
import { parse } from "../../src/syntax/parse.js";
import { precompiledModules } from "../../src/vm/precompiled.js";
import { corpusPrograms, programSource } from "../corpus-files.js";

const compile = (source: string, filename = "prog.py") =>
  compileModule(parse(source, filename), filename);

/** Constants of every kind a code unit holds, nested as constant folding nests them. */
const constant: fc.Arbitrary<ConstantValue> = fc.letrec<{ c: ConstantValue }>((tie) => ({
  c: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.bigInt(),
    fc.double(),
    fc.constantFrom(0, -0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e300),
    fc.string({ unit: "grapheme" }),
    fc.uint8Array({ maxLength: 8 }),
    fc.constant(Ellipsis),
    fc.array(tie("c"), { maxLength: 3 }).map((tuple) => ({ tuple })),
    fc.array(tie("c"), { maxLength: 3 }).map((frozenset) => ({ frozenset })),
    fc
      .tuple(
        fc.oneof(fc.double(), fc.constantFrom(0, -0, Number.NaN, Number.NEGATIVE_INFINITY)),
        fc.oneof(fc.double(), fc.constantFrom(0, -0, Number.NaN, Number.POSITIVE_INFINITY)),
      )
      .map(([real, imag]) => ({ complex: [real, imag] as const })),
  ),
})).c;

describe("serialized code units", () => {
  it.each(precompiledModules.map((m) => [m.name, m] as const))(
    "hold the %s module exactly as compiling its source now gives it",
    (_name, module) => {
      // When this fails, the module's source changed: run `pnpm --filter @mm/python precompile`.
      expect(module.stored).toBe(module.compile());
    },
  );

  it("round-trip every corpus program's code, nested units included", () => {
    let checked = 0;
    for (const program of corpusPrograms()) {
      let unit: ReturnType<typeof compile>;
      try {
        unit = compile(programSource(program), program);
      } catch {
        continue; // a program about syntax errors has no code
      }
      const text = serializeCode(unit);
      const back = deserializeCode(text);
      expect(back).toStrictEqual(unit);
      expect(serializeCode(back)).toBe(text);
      checked++;
    }
    expect(checked).toBeGreaterThan(150);
  });

  it("round-trip any constant: floats to the bit (NaN, infinities, -0.0), ints of any size, bytes, nested tuples and frozensets", () => {
    const base = compile("x = 1\n");
    fc.assert(
      fc.property(fc.array(constant, { maxLength: 6 }), (consts) => {
        const unit = { ...base, consts };
        const text = serializeCode(unit);
        const back = deserializeCode(text);
        expect(serializeCode(back)).toBe(text);
        expect(back.consts.length).toBe(consts.length);
        for (let i = 0; i < consts.length; i++) {
          const [a, b] = [consts[i], back.consts[i]];
          if (typeof a === "number") expect(Object.is(a, b)).toBe(true);
          else expect(b).toStrictEqual(a);
        }
      }),
    );
  });

  it("refuse what is not a serialized unit with a SerializedCodeError", () => {
    const good = JSON.parse(serializeCode(compile("def f(a):\n    return a\n"))) as {
      version: number;
      unit: Record<string, unknown>;
    };
    const bad = [
      "not json",
      "[]",
      JSON.stringify({ ...good, version: 99 }),
      JSON.stringify({ ...good, unit: { ...good.unit, code: ["x"] } }),
      JSON.stringify({ ...good, unit: { ...good.unit, names: [1] } }),
      JSON.stringify({ ...good, unit: { ...good.unit, handlers: [[1, 2]] } }),
      JSON.stringify({ ...good, unit: { ...good.unit, consts: [{ what: 1 }] } }),
      JSON.stringify({ ...good, unit: { ...good.unit, stackSize: "3" } }),
    ];
    for (const text of bad) expect(() => deserializeCode(text)).toThrow(SerializedCodeError);
  });
});

// int.to_bytes and int.from_bytes against python3: random values, lengths, byte orders and
// signedness, every result or error printed by both; and the round trip through from_bytes.

import { fcRuns, fcSeed } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPython } from "../../src/vm/run.js";
import { CPythonForks } from "../fuzz/cpython.js";

const seed = fcSeed();
const seeded = seed !== undefined ? { seed } : {};

const call = fc
  .record({
    value: fc.oneof(
      fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
      fc.constantFrom(0n, 1n, -1n, 127n, 128n, -128n, -129n, 255n, 256n, 65535n, -32768n),
    ),
    length: fc.option(fc.integer({ min: -1, max: 10 }), { nil: undefined }),
    order: fc.option(fc.constantFrom("'big'", "'little'", "'middle'", "5"), { nil: undefined }),
    signed: fc.option(fc.boolean(), { nil: undefined }),
    byName: fc.boolean(),
  })
  .map(({ value, length, order, signed, byName }) => {
    const args: string[] = [];
    if (length !== undefined) args.push(byName ? `length=${length}` : `${length}`);
    if (order !== undefined)
      args.push(byName || length === undefined ? `byteorder=${order}` : order);
    if (signed !== undefined) args.push(`signed=${signed ? "True" : "False"}`);
    const from = [order !== undefined ? `byteorder=${order}` : "", signed ? "signed=True" : ""]
      .filter(Boolean)
      .join(", ");
    return { expr: `(${value}).to_bytes(${args.join(", ")})`, from };
  });

describe("int.to_bytes and int.from_bytes against python3", () => {
  let cpython: CPythonForks;
  beforeAll(() => {
    cpython = new CPythonForks();
  });
  afterAll(() => cpython.close());

  it("print the same bytes, ints and errors", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(call, { minLength: 1, maxLength: 12 }), async (calls) => {
        const lines = ["class Flag(int):", "    pass"];
        for (const { expr, from } of calls)
          lines.push(
            "try:",
            `    b = ${expr}`,
            "    print(repr(b), int.from_bytes(b" +
              (from ? `, ${from}` : "") +
              "), Flag.from_bytes(b, 'big'))",
            "except Exception as e:",
            "    print(type(e).__name__, e)",
          );
        lines.push(
          "print(int.from_bytes([1, 2, 3], 'big'), bool.from_bytes(b'\\x02'), (-7).bit_count())",
        );
        const source = `${lines.join("\n")}\n`;
        const want = await cpython.run(source);
        const got = runPython(source, { filename: "prog.py" });
        expect(got.stdout, source).toBe(want.stdout);
      }),
      { numRuns: fcRuns(30), ...seeded },
    );
  });
});

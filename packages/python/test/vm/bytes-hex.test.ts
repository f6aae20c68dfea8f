// `hex()` of bytes, bytearray and memoryview with a separator (`_Py_strhex_impl`): the
// separator between groups of |bytes_per_sep| bytes counted from the right end (positive) or the
// left (negative), by position or by keyword, and python3's errors for a separator that is not
// one ASCII character of a str or bytes and a group size that is no C int, in a property
// against python3 over random data, separators and sizes.

import { fcRuns, fcSeed } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { afterAll, describe, it } from "vitest";
import { CPythonForks } from "../fuzz/cpython.js";
import { expectAsPython, printEach } from "./against-python.js";

const seed = fcSeed();

describe("bytes.hex with a separator", () => {
  const cpython = new CPythonForks(20);
  afterAll(() => cpython.close());

  const data = fc
    .tuple(fc.uint8Array({ maxLength: 12 }), fc.constantFrom("bytes", "bytearray", "memoryview"))
    .map(([d, type]) => `${type}(bytes(${JSON.stringify([...d])}))`);
  const separator = fc.oneof(
    fc.constantFrom('":"', '"-"', 'b"_"', "b' '", '"é"', '"€"', 'b"\\xff"', '""', '"ab"'),
    fc.constantFrom("None", "1", '[":"]', 'bytearray(b":")', '(":",)'),
  );
  const perSep = fc.oneof(
    fc.integer({ min: -14, max: 14 }).map(String),
    fc.constantFrom("True", "2**31", "-2**31", "-2**31 - 1", "2**70", "1.5", '"2"'),
  );
  const call = fc
    .tuple(data, fc.option(separator), fc.option(perSep), fc.nat(2))
    .map(([d, sep, per, form]) => {
      if (sep === null) return per === null ? `${d}.hex()` : `${d}.hex(bytes_per_sep=${per})`;
      if (per === null) return form === 0 ? `${d}.hex(${sep})` : `${d}.hex(sep=${sep})`;
      return [
        `${d}.hex(${sep}, ${per})`,
        `${d}.hex(${sep}, bytes_per_sep=${per})`,
        `${d}.hex(sep=${sep}, bytes_per_sep=${per})`,
      ][form]!;
    });

  it("writes and refuses what python3 does", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(call, { minLength: 1, maxLength: 15 }), async (calls) => {
        await expectAsPython(cpython, printEach(calls));
      }),
      { numRuns: fcRuns(60), ...(seed !== undefined ? { seed } : {}) },
    );
  });
});

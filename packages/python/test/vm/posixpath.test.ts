// os.path's string functions against python3's posixpath: random paths of empty, `.`, `..`,
// dotted and plain components, with leading, doubled and trailing slashes, each given to
// basename, dirname, split, splitext, normpath, abspath and isabs by both interpreters.

import { fcRuns, fcSeed } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPython } from "../../src/vm/run.js";
import { CPythonForks } from "../fuzz/cpython.js";

const seed = fcSeed();
const seeded = seed !== undefined ? { seed } : {};

const component = fc.constantFrom("", ".", "..", "...", "a", "b.txt", ".hidden", "c.tar.gz", "d.");
const path = fc
  .tuple(fc.integer({ min: 0, max: 3 }), fc.array(component, { maxLength: 5 }))
  .map(([slashes, parts]) => "/".repeat(slashes) + parts.join("/"));

describe("os.path against python3's posixpath", () => {
  let cpython: CPythonForks;
  beforeAll(() => {
    cpython = new CPythonForks();
  });
  afterAll(() => cpython.close());

  it("splits, normalises and joins random paths as python3 does", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(path, { minLength: 1, maxLength: 12 }), async (paths) => {
        const lines = ["import os", "os_path = os.path", `for p in ${JSON.stringify(paths)}:`];
        lines.push(
          "    print(repr(p), os_path.basename(p), os_path.dirname(p), os_path.split(p),",
          "          os_path.splitext(p), os_path.normpath(p), os_path.isabs(p),",
          "          os_path.abspath(p) == os_path.normpath(os_path.join(os.getcwd(), p)))",
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

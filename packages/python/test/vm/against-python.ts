// The harness of the tests that run named programs by python3 (a fork of one driver process per
// describe block, see ../fuzz/cpython.ts) and by runPython, and require the same stdout and exit
// status.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPython } from "../../src/vm/run.js";
import { CPythonForks } from "../fuzz/cpython.js";

/**
 * One test per `[name, source]` program under `title`: runPython's stdout and status must be
 * python3's; with `quiet`, runPython must also write nothing to stderr.
 */
export function describeAgainstPython(
  title: string,
  programs: ReadonlyArray<readonly [string, string]>,
  options: { readonly quiet?: boolean } = {},
): void {
  describe(title, () => {
    let cpython: CPythonForks;
    beforeAll(() => {
      cpython = new CPythonForks();
    });
    afterAll(() => cpython.close());

    it.each(programs)("%s", async (_, source) => {
      const want = await cpython.run(`${source}\n`);
      const got = runPython(`${source}\n`, { filename: "prog.py" });
      if (options.quiet) expect(got.stderr).toBe("");
      expect(got.stdout).toBe(want.stdout);
      expect(got.status).toBe(want.status);
    });
  });
}

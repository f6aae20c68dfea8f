// A dict searched for a key calls the key's __hash__ and __eq__ as CPython 3.11 does: `del d[k]`
// (dict_ass_sub → PyDict_DelItem) and `d.pop(k)` (_PyDict_Pop) hash once and search once, and
// pop from an empty dict does not hash at all. Random runs of stores, deletions and pops with
// keys that log their calls (equal keys of different objects, and colliding hashes) print
// python3's log.

import { fcRuns, fcSeed } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { runPython } from "../../src/vm/run.js";
import { CPythonForks } from "../fuzz/cpython.js";

const seed = fcSeed();
const seeded = seed !== undefined ? { seed } : {};

const PRELUDE = `log = []
class K:
    def __init__(self, n):
        self.n = n
    def __hash__(self):
        log.append(f"h{self.n}")
        return self.n % 3
    def __eq__(self, other):
        log.append(f"e{self.n}")
        return isinstance(other, K) and self.n == other.n
d = {}
def run(label, f):
    log.clear()
    try:
        r = f()
        print(label, "->", r if not isinstance(r, K) else f"K{r.n}", log)
    except KeyError as e:
        print(label, "KeyError", e.args[0].n, log)
    print(sorted(k.n for k in d))
`;

describe("deleting and popping keys", () => {
  const cpython = new CPythonForks(20);
  afterAll(() => cpython.close());

  const key = fc.integer({ min: 0, max: 5 });
  const op = fc.oneof(
    fc
      .tuple(key, fc.nat(9))
      .map(([k, v]) => `run("set ${k}", lambda: d.__setitem__(K(${k}), ${v}))`),
    key.map((k) => `run("del ${k}", lambda: d.__delitem__(K(${k})))`),
    key.map((k) => `run("pop ${k}", lambda: d.pop(K(${k})))`),
    key.map((k) => `run("pop ${k} default", lambda: d.pop(K(${k}), None))`),
    key.map((k) => `run("get ${k}", lambda: d.get(K(${k})))`),
    key.map(
      (k) => `\ntry:\n    del d[K(${k})]\nexcept KeyError:\n    pass\nprint("stmt del", log)`,
    ),
  );

  it("calls __hash__ and __eq__ as python3 does", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
        const source = `${PRELUDE}${ops.join("\n")}\n`;
        const want = await cpython.run(source);
        const got = runPython(source, { filename: "prog.py" });
        expect(got.stdout).toBe(want.stdout);
        expect(got.status).toBe(want.status);
      }),
      { numRuns: fcRuns(40), ...seeded },
    );
  }, 120_000);
});

// gc.get_referents of a function and a class lists what CPython 3.11's func_traverse
// and type_traverse visit, in their order, whichever optional parts the
// function has (defaults, keyword defaults, doc, closure, annotations, attributes) and
// whichever bases the class has (a module's, its dict alone, is in the corpus).

import { fcRuns, fcSeed } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { runPython } from "../../src/vm/run.js";
import { CPythonForks } from "../fuzz/cpython.js";

const seed = fcSeed();
const seeded = seed !== undefined ? { seed } : {};

const DESCRIBE = `import gc, sys
def describe(objects):
    out = []
    for o in objects:
        if isinstance(o, dict):
            out.append("dict" + str(sorted(k for k in o if not k.startswith("__"))[:3]))
        elif isinstance(o, (str, int)):
            out.append(repr(o))
        elif isinstance(o, tuple):
            out.append("tuple" + str([type(x).__name__ for x in o]))
        else:
            out.append(type(o).__name__ + (" " + o.__name__ if isinstance(o, type) else ""))
    return out
class A: pass
class B: pass
class C(A): pass
`;

describe("referents in traverse order", () => {
  const cpython = new CPythonForks(20);
  afterAll(() => cpython.close());

  const fn = fc
    .record({
      defaults: fc.boolean(),
      kwdefaults: fc.boolean(),
      doc: fc.boolean(),
      closure: fc.boolean(),
      annotations: fc.boolean(),
      attribute: fc.boolean(),
    })
    .map((p) => {
      const params = [p.defaults ? "a=1" : "a", ...(p.kwdefaults ? ["*", "k=2"] : [])].join(", ");
      const ret = p.annotations ? " -> int" : "";
      const body = [p.doc ? '    "doc"' : "", p.closure ? "    return free" : "    return 0"]
        .filter(Boolean)
        .join("\n");
      const def = `def f(${params})${ret}:\n${body}`;
      const src = p.closure
        ? `def outer():\n    free = 1\n${def.replace(/^/gm, "    ")}\n    return f\nf = outer()`
        : def;
      return `${src}\n${p.attribute ? "f.x = 1\n" : ""}print(describe(gc.get_referents(f)))\n`;
    });
  const cls = fc
    .tuple(fc.subarray(["A", "B", "C"]), fc.boolean())
    .map(
      ([bases, attr]) =>
        `class K(${bases.join(", ")}):\n    ${attr ? "y = 1" : "pass"}\nprint(describe(gc.get_referents(K)))\n`,
    );

  it("is python3's", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fn, cls), { minLength: 1, maxLength: 6 }),
        async (parts) => {
          const source = `${DESCRIBE}${parts.join("")}`;
          const want = await cpython.run(source);
          const got = runPython(source, { filename: "prog.py" });
          expect(got.stdout).toBe(want.stdout);
          expect(got.status).toBe(want.status);
        },
      ),
      { numRuns: fcRuns(40), ...seeded },
    );
  }, 120_000);
});

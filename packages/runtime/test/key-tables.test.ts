// Class key tables against CPython 3.11, live: random programs of one class (make an instance,
// set or delete one of 60 names on one of them) run in python3 and in the runtime, and after
// every op the two must agree on whether that instance has its own dict (the key table had no
// room for a name) and on the op's error. One python3 process runs the whole batch.

import { spawnSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Embedding, PythonError, Runtime } from "../src/index.js";

type Op = { op: "new" } | { op: "set" | "del"; at: number; name: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 1, arbitrary: fc.constant<Op>({ op: "new" }) },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constantFrom<"set" | "del">("set", "set", "set", "del"),
      at: fc.nat(),
      name: fc.nat({ max: 59 }),
    }),
  },
);
const programs = fc.sample(fc.array(opArb, { minLength: 60, maxLength: 120 }), {
  seed: 3011,
  numRuns: 60,
});

/** What each op did: whether the instance it touched has a dict after it, and its error. */
type Outcome = [boolean, string | null];

const script = `
import gc, json, sys
programs = json.loads(sys.stdin.read())
def hasdict(o): return any(type(r) is dict for r in gc.get_referents(o))
out = []
for program in programs:
    class C: pass
    objs, res = [], []
    for op in program:
        if op["op"] == "new":
            objs.append(C()); res.append([hasdict(objs[-1]), None]); continue
        if not objs: continue
        o = objs[op["at"] % len(objs)]
        err = None
        try:
            if op["op"] == "set": setattr(o, "n%d" % op["name"], None)
            else: delattr(o, "n%d" % op["name"])
        except AttributeError as e:
            err = str(e)
        res.append([hasdict(o), err])
    out.append(res)
print(json.dumps(out))
`;

const run = spawnSync("python3", ["-c", script], {
  input: JSON.stringify(programs),
  encoding: "utf8",
});
const python = run.status === 0;

describe.runIf(python)("class key tables equal CPython 3.11's", () => {
  it("decide which instances get their own dict, op by op", () => {
    const expected = JSON.parse(run.stdout) as Outcome[][];
    const actual = programs.map((program): Outcome[] => {
      const rt = new Runtime({ env: {}, log: () => {} });
      const py = new Embedding(rt);
      const C = py.defineClass("C");
      const objs: number[] = [];
      const hasDict = (o: number) =>
        rt.objects.referents(o).some((r) => rt.objects.typeName(r) === "dict");
      const res: Outcome[] = [];
      for (const op of program) {
        if (op.op === "new") {
          objs.push(py.instance(C));
          res.push([hasDict(objs.at(-1)!), null]);
          continue;
        }
        if (objs.length === 0) continue;
        const o = objs[op.at % objs.length]!;
        let error: string | null = null;
        try {
          if (op.op === "set") py.setAttr(o, `n${op.name}`, py.none);
          else py.delAttr(o, `n${op.name}`);
        } catch (e) {
          if (!(e instanceof PythonError)) throw e;
          error = e.message;
        }
        res.push([hasDict(o), error]);
      }
      rt.verify();
      return res;
    });
    // Some program must reach the boundary, or the test would prove nothing.
    expect(expected.flat().some(([dict]) => dict)).toBe(true);
    expect(actual).toEqual(expected);
  });
});

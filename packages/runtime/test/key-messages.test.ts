// Item access and deletion through the embedding API, with CPython 3.11's messages asked live:
// they depend on the key's type (PySequence_DelItem or the mapping path), on the type's name
// (a weak reference is 'weakref.ReferenceType'), and on whether an index fits 64 bits.

import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { Embedding, PythonError, type Ref, Runtime } from "../src/index.js";

const targets = ["instance", "tuple", "str", "weakref", "list"] as const;
/** Each key as Python writes it, and its value here. */
const keys: ReadonlyArray<readonly [string, bigint | string]> = [
  ["0", 0n],
  ["'k'", "k"],
  ["2**63", 2n ** 63n],
  ["-2**63 - 1", -(2n ** 63n) - 1n],
  ["2**63 - 1", 2n ** 63n - 1n],
];
const ops = ["get", "del"] as const;

const script = `
import json, weakref
class Obj: pass
o = Obj()
made = {"instance": o, "tuple": (o,), "str": "abc", "weakref": weakref.ref(o), "list": [o]}
out = []
for op in ${JSON.stringify(ops)}:
    for t in ${JSON.stringify(targets)}:
        for k in ${JSON.stringify(keys.map(([text]) => text))}:
            key = eval(k)
            try:
                if op == "get": made[t][key]
                else: del made[t][key]
                out.append(None)
            except Exception as e:
                out.append([type(e).__name__, str(e)])
print(json.dumps(out))
`;

const probe = spawnSync("python3", ["-c", script], { encoding: "utf8" });
const python = probe.status === 0;

describe.runIf(python)("item errors equal CPython 3.11's", () => {
  it("for every target, key and op", () => {
    const expected = JSON.parse(probe.stdout) as Array<[string, string] | null>;
    const rt = new Runtime({ env: {}, log: () => {} });
    const py = new Embedding(rt);
    const Obj = py.defineClass("Obj");
    const o = py.instance(Obj);
    const made: Record<(typeof targets)[number], Ref> = {
      instance: o,
      tuple: py.tuple([o]),
      str: py.str("abc"),
      weakref: py.weakref(o),
      list: py.list([o]),
    };
    const keyOf = ([, value]: (typeof keys)[number]): Ref =>
      typeof value === "string" ? py.str(value) : py.int(value);
    const actual: Array<[string, string] | null> = [];
    for (const op of ops) {
      for (const t of targets) {
        for (const k of keys) {
          try {
            if (op === "get") py.decref(py.getItem(made[t], keyOf(k)));
            else py.delItem(made[t], keyOf(k));
            actual.push(null);
          } catch (error) {
            if (!(error instanceof PythonError)) throw error;
            actual.push([error.pythonType, error.message]);
          }
        }
      }
    }
    expect(actual).toEqual(expected);
  });
});

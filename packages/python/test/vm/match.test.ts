// The match statement (PEP 634) against python3: random patterns tried on random subjects pick
// the same case with the same bindings; CPython's compile-time and run-time errors are raised
// with its words; and the code generated is CPython 3.11's, opcode for opcode.

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fcRuns, fcSeed } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileModule } from "../../src/compile/codegen.js";
import { opNames } from "../../src/compile/opcodes.js";
import { parse } from "../../src/syntax/parse.js";
import { runPython } from "../../src/vm/run.js";
import { CPythonForks } from "../fuzz/cpython.js";
import { describeAgainstPython } from "./against-python.js";

const PRELUDE = `class Pt:
    __match_args__ = ("x", "y")
    def __init__(self, x, y):
        self.x = x
        self.y = y
    def __repr__(self):
        return f"Pt({self.x!r}, {self.y!r})"
class K:
    A = "k"
    B = 1
    P = Pt
`;

const SUBJECTS = [
  "0",
  "1",
  "-1",
  "'a'",
  "None",
  "True",
  "(1, 'a')",
  "[0, 1, 2]",
  "[]",
  "{'k': 1, 'j': 2}",
  "{}",
  "Pt(1, 2)",
  "Pt(0, [1])",
  "[[1], 'a']",
  "2.0",
  "(1,)",
  "{'k': 'a', 1: 0, 'j': 2}",
  "b'x'",
  "Pt('', None)",
];

const NAMES = ["a", "b", "c"];

/** Random patterns of every kind (some of them invalid, which both must refuse alike). */
const pattern: fc.Arbitrary<string> = fc.letrec<{ p: string }>((tie) => ({
  p: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom("0", "1", "-1", "'a'", "None", "True", "2.0", "_"),
    fc.constantFrom(...NAMES),
    fc.tuple(tie("p"), tie("p")).map(([x, y]) => `[${x}, ${y}]`),
    fc.tuple(tie("p"), fc.constantFrom("*_", "*r")).map(([x, s]) => `[${x}, ${s}]`),
    tie("p").map((x) => `{'k': ${x}}`),
    tie("p").map((x) => `{'k': ${x}, **rest}`),
    fc.tuple(tie("p"), tie("p")).map(([x, y]) => `Pt(${x}, y=${y})`),
    tie("p").map((x) => `Pt(x=${x})`),
    tie("p").map((x) => `int(${x})`),
    fc.tuple(tie("p"), tie("p")).map(([x, y]) => `${x} | ${y}`),
    fc.tuple(tie("p"), fc.constantFrom(...NAMES)).map(([x, n]) => `[${x}] as ${n}`),
    // What the grammar reads only through the lowering's own reading of the tokens: implicitly
    // concatenated strings, dotted keys, empty class patterns inside others, one-item tuples.
    fc.constantFrom("'a' ''", "'' 'a' ''", "b'x' b''", "'a' b''", "'a' f''"),
    tie("p").map((x) => `{K.A: ${x}}`),
    fc.tuple(tie("p"), tie("p")).map(([x, y]) => `{K.B: ${x}, 'j': ${y}}`),
    fc.constantFrom("int()", "str()", "K.P()", "Pt()"),
    tie("p").map((x) => `Pt(str() | (${x}) as a)`),
    tie("p").map((x) => `(${x},)`),
  ),
})).p;

const matchCase = fc.record({ pattern, guard: fc.boolean() });

function program(
  cases: readonly { pattern: string; guard: boolean }[],
  tupleSubject = false,
): string {
  // A tuple subject without parentheses: each case then matches its pattern and the 0.
  const lines = [PRELUDE, "def f(s):", tupleSubject ? "    match s, 0:" : "    match s:"];
  cases.forEach((c, i) => {
    const p = tupleSubject ? `${c.pattern}, 0` : c.pattern;
    lines.push(`        case ${p}${c.guard ? " if len(locals()) % 2" : ""}:`);
    lines.push(
      `            return ${i}, sorted((k, repr(v)) for k, v in locals().items() if k != "s")`,
    );
  });
  lines.push("    return None", `for s in (${SUBJECTS.join(", ")}):`, "    print(f(s))");
  return `${lines.join("\n")}\n`;
}

describe("match statements against python3", () => {
  let cpython: CPythonForks;
  beforeAll(() => {
    cpython = new CPythonForks();
  });
  afterAll(() => cpython.close());

  it("choose the same case with the same bindings, or refuse the same programs", async () => {
    const seed = fcSeed();
    let ran = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(matchCase, { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        async (cases, tupleSubject) => {
          const source = program(cases, tupleSubject);
          const want = await cpython.run(source);
          const got = runPython(source, { filename: "prog.py" });
          expect(got.stdout).toBe(want.stdout);
          expect(got.status).toBe(want.status);
          if (want.status === 0) ran++;
        },
      ),
      { numRuns: fcRuns(60), ...(seed !== undefined ? { seed } : {}) },
    );
    // Most random programs are valid ones that run (not all refused alike).
    expect(ran).toBeGreaterThan(0);
  });
});

/** The opcodes a match compiles to (jump targets left out), as `dis` names them. */
const MATCH_OPS =
  /^(MATCH_|GET_LEN|COPY|SWAP|UNPACK|IS_OP|COMPARE_OP|BINARY_SUBSCR|BUILD_MAP|DICT_UPDATE|DELETE_SUBSCR|STORE_NAME|POP_JUMP|POP_TOP)/;

function ourOps(source: string): string[] {
  const code = compileModule(parse(source, "prog.py"), "prog.py").code;
  const out: string[] = [];
  for (let i = 0; i < code.length; i += 2) {
    const name = opNames[code[i]!]!;
    if (MATCH_OPS.test(name))
      out.push(name.startsWith("POP_JUMP") ? name : `${name} ${code[i + 1]}`);
  }
  return out;
}

/** Match statements of every pattern kind, whose code python3's dis shows. */
const DIS_SOURCES: ReadonlyArray<readonly [string, string]> = [
  [
    "sequences, mappings, classes and alternatives",
    'match s:\n    case [a, *r]: pass\n    case [a, *_, b]: pass\n    case {"k": v, **kw}: pass\n    case {**kw}: pass\n    case C(1, y=b): pass\n    case [q, a] | (3 as q, 4 as a): pass\n    case _: pass\n',
  ],
  [
    "singletons, values and guards",
    "match s:\n    case None:\n        pass\n    case True | 1.5:\n        pass\n    case m.x if g:\n        pass\n    case {'k': Pt(0, y=Pt(x=None))}:\n        pass\n    case _:\n        pass\n",
  ],
];

describe("match bytecode", () => {
  let cpython: CPythonForks;
  beforeAll(() => {
    cpython = new CPythonForks();
  });
  afterAll(() => cpython.close());

  it.each(DIS_SOURCES)("%s: python3's dis, instruction for instruction", async (_, source) => {
    const want = await cpython.run(`import dis
code = compile(${JSON.stringify(source)}, "prog.py", "exec")
for i in dis.get_instructions(code):
    n = i.opname.replace("_FORWARD", "").replace("_BACKWARD", "")
    print(n if n.startswith("POP_JUMP") else f"{n} {i.arg or 0}")
`);
    expect(want.status).toBe(0);
    const theirs = want.stdout
      .trim()
      .split("\n")
      .filter((l) => MATCH_OPS.test(l));
    expect(ourOps(source)).toEqual(theirs);
  });
});

/** Programs python3 refuses at compile time, each printed as it prints it. */
const INVALID: ReadonlyArray<readonly [string, string]> = [
  ["a tuple subject with a statement after its colon", "match a, b: pass"],
  ["two values in a mapping pattern", 'match 1:\n    case {"k": 1 x}:\n        pass'],
  ["two items in a sequence pattern", "match 1:\n    case [1 2]:\n        pass"],
  ["two names in a group", "match 1:\n    case (a b):\n        pass"],
  ["two sub-patterns of a class", "match 1:\n    case int(1 2):\n        pass"],
  ["two names in a guard", "match 1:\n    case 1 if (a b):\n        pass"],
  ["an empty class pattern as a key", "match 1:\n    case {str(): 1}:\n        pass"],
  ["a starred subject alone", "match *a:\n    case _: pass"],
  ["an f-string among concatenated strings", "match 1:\n    case 'a' f'b':\n        pass"],
  ["bytes and str concatenated", "match 1:\n    case ('a'\n          b'b'):\n        pass"],
  ["an empty class pattern captured as _", "match 1, 2:\n    case (int() as _, 2):\n        pass"],
  ["a dotted key after the rest", "match 1:\n    case {**r, a.b: 1}:\n        pass"],
  [
    "capture before the last case",
    "match 1:\n    case x:\n        pass\n    case 2:\n        pass",
  ],
  [
    "wildcard before the last case",
    "match 1:\n    case _:\n        pass\n    case 2:\n        pass",
  ],
  ["irrefutable alternative first", "match 1:\n    case x | 1:\n        pass"],
  ["a name bound twice", "match 1:\n    case [x, x]:\n        pass"],
  ["a name bound twice through an or", "match 1:\n    case [x, (1 | 2) as x]:\n        pass"],
  ["alternatives binding different names", "match 1:\n    case [x] | [y]:\n        pass"],
  ["positional after keyword", "match 1:\n    case C(x=1, 2):\n        pass"],
  ["a repeated attribute", "match 1:\n    case C(x=1, x=2):\n        pass"],
  ["a duplicate key", "match 1:\n    case {'a': 1, 'a': 2}:\n        pass"],
  ["a name as a key", "match 1:\n    case {x: 1}:\n        pass"],
  ["two stars", "match 1:\n    case [*a, *b]:\n        pass"],
  ["an imaginary real part", "match 1:\n    case 1j + 2j:\n        pass"],
];

describe("invalid match statements", () => {
  it.each(INVALID)("%s: python3's SyntaxError, printed alike", (_, body) => {
    const source = `${body}\n`;
    const dir = mkdtempSync(join(tmpdir(), "match-"));
    try {
      const file = join(dir, "prog.py");
      writeFileSync(file, source);
      const want = spawnSync("python3", [file], { encoding: "utf8" });
      const got = runPython(source, { filename: file });
      expect(want.stderr).toContain("SyntaxError");
      expect(got.stderr).toBe(want.stderr);
      expect(got.status).toBe(want.status);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});

describeAgainstPython("match statements' run-time errors and matches", [
  [
    "class pattern errors",
    `class C:
    pass
class D:
    __match_args__ = ["x"]
    x = 1
class E:
    __match_args__ = ("x",)
    x = 1
class F:
    __match_args__ = (1,)
def attempt(subject, which):
    try:
        match subject:
            case C(1) if which == 0: pass
            case D(1) if which == 1: pass
            case E(1, x=2) if which == 2: pass
            case len() if which == 3: pass
            case int(1, 2) if which == 4: pass
            case F(1) if which == 5: pass
    except TypeError as e:
        print(e)
for i, s in enumerate((C(), D(), E(), 1, 5, F())):
    attempt(s, i)`,
  ],
  [
    "an uncaught error's traceback",
    `class C:
    pass
match C():
    case C(1):
        pass`,
  ],
  [
    "mapping lookups through get, defaultdict not growing",
    `from collections import defaultdict
d = defaultdict(list, a=1)
match d:
    case {"a": 1, "b": _}:
        print("no")
    case {"a": x}:
        print("a", x, sorted(d))
class M(dict):
    def get(self, k, default=None):
        print("get", k)
        return super().get(k, default)
match M(q=2):
    case {"q": v, **rest}:
        print(v, rest, type(rest).__name__)`,
  ],
  [
    "soft keywords as names",
    `match = [1, 2]
case = 3
match match:
    case [case, *_]:
        print(case)
print(match, case)`,
  ],
  [
    "value patterns by dotted names and singletons by identity",
    `import enum
class Color(enum.Enum):
    RED = 1
    GREEN = 2
def name(c):
    match c:
        case Color.RED:
            return "red"
        case Color.GREEN:
            return "green"
        case 1.0 | False:
            return "one or false"
        case None:
            return "none"
    return "other"
print([name(v) for v in (Color.RED, Color.GREEN, 1, 0, None, 0.0)])`,
  ],
]);

// compile(), exec() and eval(): programs the fuzz grammar generates, run as text by exec(), must
// print what python3 prints running the same text the same way (their objects' lifetimes,
// refcounts and sizes included: a code object compiled at run time holds its constants as
// CPython's does); expressions given to eval() and the errors of bad arguments likewise; and a
// heap after failed calls must verify.

import { Runtime } from "@mm/runtime";
import { fcRuns, fcSeed } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPython } from "../../src/vm/run.js";
import { CPythonForks } from "../fuzz/cpython.js";
import { programs } from "../fuzz/program.js";

const seed = fcSeed();
const seeded = seed !== undefined ? { seed } : {};

/** `text` as a Python string literal (JSON's escapes are Python's for these programs). */
const literal = (text: string) => JSON.stringify(text);

describe("exec and eval against python3", () => {
  let cpython: CPythonForks;
  beforeAll(() => {
    cpython = new CPythonForks();
  });
  afterAll(() => cpython.close());

  const same = async (source: string) => {
    const pending = cpython.run(source);
    const got = runPython(source, { filename: "prog.py", maxSteps: 2_000_000 });
    const want = await pending;
    return { got, want };
  };

  it("a generated program run by exec() prints what it prints in python3", async () => {
    let ran = 0;
    await fc.assert(
      fc.asyncProperty(programs, fc.boolean(), async (program, viaCompile) => {
        const call = viaCompile
          ? `exec(compile(${literal(program.source)}, "<generated>", "exec"))`
          : `exec(${literal(program.source)})`;
        const { got, want } = await same(`${call}\n`);
        fc.pre(want.overrun === null);
        expect(got.stdout, program.source).toBe(want.stdout);
        expect(got.status, program.source).toBe(want.status);
        ran++;
      }),
      { numRuns: fcRuns(60), ...seeded },
    );
    expect(ran).toBeGreaterThan(30);
  }, 300_000);

  /** Python expressions over a few names: numbers, strings, containers, calls, lambdas. */
  const expression: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
    e: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      fc.constantFrom("x", "y", "s", "1", "2.5", "-3", "'ab'", "[1, 2]", "(3,)", "None", "True"),
      fc
        .tuple(tie("e"), fc.constantFrom("+", "-", "*", "==", "<", "and", "or", "in"), tie("e"))
        .map(([a, op, b]) => `(${a} ${op} ${b})`),
      tie("e").map((a) => `[${a} for _ in range(2)]`),
      tie("e").map((a) => `(lambda v: ${a})(x)`),
      tie("e").map((a) => `len(str(${a}))`),
      tie("e").map((a) => `  ${a}`),
    ),
  })).e;

  it("eval() of a generated expression gives python3's value or error", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(expression, { minLength: 1, maxLength: 8 }), async (list) => {
        const lines = [
          "x, y, s = 4, 0.5, 'text'",
          "for text in [",
          ...list.map((e) => `    ${literal(e)},`),
          "]:",
          "    try:",
          "        print(repr(eval(text)), repr(eval(text, {'x': 1, 'y': 2, 's': 'q'})))",
          "    except Exception as err:",
          "        print(type(err).__name__, err)",
        ];
        const { got, want } = await same(`${lines.join("\n")}\n`);
        fc.pre(want.overrun === null);
        expect(got.stdout, list.join("\n")).toBe(want.stdout);
      }),
      { numRuns: fcRuns(40), ...seeded },
    );
  }, 120_000);

  /** Texts `compile(…, "single")` takes or refuses: one line of statements, a block, or more. */
  const singleText: fc.Arbitrary<string> = fc.oneof(
    expression,
    expression.map((e) => `x = ${e}`),
    fc.tuple(expression, expression).map(([a, b]) => `${a}; ${b}`),
    fc.tuple(expression, expression).map(([a, b]) => `if x:\n    ${a}\nelse:\n    ${b}\n`),
    expression.map((e) => `for _ in range(2):\n    ${e}\n`),
    fc.tuple(expression, expression).map(([a, b]) => `${a}\n${b}\n`),
    expression.map((e) => `if x:\n    pass\n${e}\n`),
    fc.constantFrom("", "'a docstring'", "None", "_", "del x", "def f():\n    3\n"),
  );

  it("compile(..., 'single') shows values through sys.displayhook as python3 does", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(singleText, { minLength: 1, maxLength: 6 }), async (texts) => {
        const lines = [
          "import builtins",
          "import sys",
          "x, y, s = 4, 0.5, 'text'",
          "shown = []",
          "for i, text in enumerate([",
          ...texts.map((t) => `    ${literal(t)},`),
          "]):",
          "    if i % 2:",
          "        sys.displayhook = shown.append",
          "    else:",
          "        sys.displayhook = sys.__displayhook__",
          "    try:",
          "        exec(compile(text, '<input>', 'single'))",
          "    except SyntaxError as err:",
          "        print(type(err).__name__, err.msg, err.lineno, err.offset, repr(err.text))",
          "    except Exception as err:",
          "        print(type(err).__name__, err)",
          "    print(repr(getattr(builtins, '_', 'unset')))",
          "print(shown)",
        ];
        const { got, want } = await same(`${lines.join("\n")}\n`);
        fc.pre(want.overrun === null);
        expect(got.stdout, texts.join("\n---\n")).toBe(want.stdout);
      }),
      { numRuns: fcRuns(40), ...seeded },
    );
  }, 120_000);

  it("bad arguments raise python3's errors and leave a heap that verifies", async () => {
    const calls = [
      "eval(1)",
      "exec(2)",
      "eval('1', [])",
      "eval('1', {}, 5)",
      "exec('1', {}, 5)",
      "exec('1', 'g')",
      "eval()",
      "exec('1', {}, {}, {})",
      "eval('1', x=1)",
      "compile('1', 'f', 'bogus')",
      "compile('1', 3, 'exec')",
      "compile('1', 'f')",
      "compile(5, 'f', 'exec')",
      "compile('a\\0b', 'f', 'exec')",
      "exec()",
      "exec('1', x=1)",
      "exec('1', closure=5)",
      "exec('1', closure=None)",
      "compile('1', 'f', 'exec', x=1)",
      "compile('1', 'f', 'exec', 0, False, -1, 1)",
      "compile('1', 'f', 5)",
      "exec('x = = 1')",
      "eval('import os')",
      "exec('  indented')",
      "exec(compile('def f():\\n    return 1\\n', 'f', 'exec'), None, None)",
    ];
    const source = [
      "import gc",
      "for call in [",
      ...calls.map((c) => `    ${literal(c)},`),
      "]:",
      "    try:",
      "        print(call, '->', repr(eval(call)))",
      "    except Exception as err:",
      "        print(call, '->', type(err).__name__, err)",
      "print(gc.collect())",
    ].join("\n");
    const runtime = new Runtime({ log: () => {} });
    try {
      const pending = cpython.run(`${source}\n`);
      const got = runPython(`${source}\n`, { filename: "prog.py", runtime });
      const want = await pending;
      expect(got.stdout).toBe(want.stdout);
      expect(got.stderr).toBe("");
      expect(() => runtime.verify()).not.toThrow();
    } finally {
      runtime[Symbol.dispose]();
    }
  });
});

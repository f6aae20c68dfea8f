import { describe, expect, it } from "vitest";
import { PySyntaxError } from "../../src/syntax/errors.js";
import { parse } from "../../src/syntax/parse.js";
import { askCPython } from "./cpython.js";

// Invalid programs whose exception class, message, line and column match CPython 3.11's.
const EXACT: readonly string[] = [
  // tokenizer
  "x = (1,\ny = 2\n",
  "x = (1,\ny = 2 2\n",
  "x = )\n",
  "x = (]\n",
  "x = (1,\n  2]\n",
  "x = [1, 2\n",
  "'abc\n",
  "x = 'a' 'b\n",
  "x = '''abc\n\n",
  "x = 1 \\ 2\n",
  "  x = 1\n",
  "x = 1\n    y = 2\n",
  "def f():\n    x = 1\n     y = 2\n",
  "if x:\n    a\n  b\n",
  "if x:\n    pass\n  else:\n    pass\n",
  "if x:\n\tpass\n        pass\n",
  // blocks
  "if x\n    pass\n",
  "def f()\n    pass\n",
  "class C\n    pass\n",
  "for x in y\n    pass\n",
  "if x:\npass\n",
  "def f():\nreturn 1\n",
  "class C:\nx\n",
  "for x in y:\nx\n",
  "while x:\nx\n",
  "with x:\nx\n",
  "try:\nx\n",
  "try:\n  x\nexcept:\nx\n",
  "try:\n  x\nfinally:\nx\n",
  "if x:\n  x\nelif y:\nx\n",
  "if x:\n  x\nelse:\nx\n",
  "else: pass\n",
  "x = 1 +\n",
  "x = 1 2\n",
  "'a' 1\n",
  "x = $\n",
  "x€ = 1\n",
  "x = a→b\n",
  "x = 1 ⁄ 2\n",
  "a = 1; ; b\n",
  "import a.b as c.d\n",
  "x.None = 1\n",
  "print x\n",
  // literals
  "x = 08\n",
  "x = 0777\n",
  "x = 1_\n",
  "x = 1__0\n",
  "x = 0x\n",
  "x = 0xg\n",
  "x = 0b\n",
  "x = 0o8\n",
  "x = 0b12\n",
  "x = 1e\n",
  "x = 1e+\n",
  "x = 1.e\n",
  "x = 1_e5\n",
  "x = 1e5_\n",
  "x = 0_7\n",
  "x = 1abc\n",
  "x = 1.5a\n",
  // past CPython's 4,300-digit limit on int↔str conversion (written out, not a constant,
  // for the test's name)
  `x = 1 + ${"7".repeat(4301)}\n`,
  "x = 1jx\n",
  "x = 5.real\n",
  "x = 1._5\n",
  "x = 1 if 0x1else 2\n",
  "'\\x4'\n",
  "b'\\x4'\n",
  "b'é'\n",
  "'a' b'b'\n",
  "f'{a!x}'\n",
  "f'{a!}'\n",
  "f'{a!r'\n",
  "f'{}'\n",
  "f'{ }'\n",
  "f'{=}'\n",
  "f'{a'\n",
  "f'{'\n",
  "f'}'\n",
  "f'{a}}'\n",
  "f'{#}'\n",
  "f'{\\'a\\'}'\n",
  "f'{a!rr}'\n",
  "f'{a:{b:{c}}}'\n",
  "x = f'{a}' f'{'\n",
  // targets
  "1 = x\n",
  "x + 1 = 2\n",
  "f() = 1\n",
  "-a = 1\n",
  "... = 1\n",
  "f'{x}' = 1\n",
  "[x for x in y] = 1\n",
  "{a: b} = 1\n",
  "(a := 1) = 2\n",
  "None = 1\n",
  "True = 1\n",
  "a < b = 1\n",
  "not a = 1\n",
  "a if b else c = 1\n",
  "lambda: 1 = 1\n",
  "(a, 1) = x\n",
  "[a, f()] = x\n",
  "x = 1 = 2\n",
  "del 1\n",
  "del f()\n",
  "del (a, 1)\n",
  "f() += 1\n",
  "(a, b) += 1\n",
  "a, b += 1\n",
  "for 1 in x: pass\n",
  "with a as 1: pass\n",
  "with a as f(): pass\n",
  "with (a as 1): pass\n",
  "f(x for x in y,)\n",
  "[x for 1 in y]\n",
  "(a.b := 1)\n",
  "*a = b\n",
  "x = *a\n",
  "a, *b, *c = d\n",
  "a, b: int\n",
  "a.b: int, c = 1\n",
  // parameters and arguments
  "def f(a, a): pass\n",
  "def f(a, *, b, a): pass\n",
  "def f(a, /, a): pass\n",
  "lambda a, a: 1\n",
  "def f(a=1, b): pass\n",
  "def f(a, b=1, /, c): pass\n",
  "def f(*): pass\n",
  "def f(a, *): pass\n",
  "def f(*, **k): pass\n",
  "def f(**k, a): pass\n",
  "def f(/, a): pass\n",
  "def f(a, /, /): pass\n",
  "def f(*a, *b): pass\n",
  "f(a=1, a=2)\n",
  "f(x for x in y, 1)\n",
  "f(**a, *b)\n",
  "f(a=1, b)\n",
  "f(a=1, b, c)\n",
  "f(**a, b)\n",
  "class C(x for x in y): pass\n",
  "x = {**a: 1}\n",
  // statements in the wrong place
  "return 1\n",
  "return\n",
  "class C:\n    return 1\n",
  "break\n",
  "continue\n",
  "def f():\n  break\n",
  "while x:\n  def f():\n    continue\n",
  "for x in y:\n    pass\nelse:\n    break\n",
  "nonlocal x\n",
  "def f():\n    from a import *\n",
  "try:\n    pass\nexcept:\n    pass\nexcept E:\n    pass\n",
  "raise E, V\n",
  "try:\n    pass\nexcept E, e:\n    pass\n",
  // the first error wins
  "x = 1 2\nreturn\n",
  "break\nx = (\n",
  "def f(a, a): pass\nreturn\n",
  "async def f(): pass\nx = 1 2\n",
  "match x:\n    case 1: pass\nbreak\n",
];

// Invalid programs reported on CPython's line, with a message of our own: the grammar rejects
// them before the check that would give CPython's wording.
const LINE_ONLY: readonly string[] = [
  "f(True=1)\n",
  "del *a\n",
  "x = 1 if 2\n",
  "print(*a for a in b)\n",
  "f'{lambda x: 1}'\n",
  "f'{a['b']}'\n",
  "def f(/): pass\n",
  "x = 1\n  if y:\n      pass\n",
];

// Valid Python outside the subset: the construct named, and its position.
const UNSUPPORTED: readonly [src: string, message: string, line: number, col: number][] = [
  ["async def f(): pass\n", "async functions are not supported", 1, 1],
  ["async def f():\n    async for x in y: pass\n", "async functions are not supported", 1, 1],
  ["async def f():\n    await x\n", "async functions are not supported", 1, 1],
  ["async def f():\n    async with a: pass\n", "async functions are not supported", 1, 1],
  ["x = '\\N{BULLET}'\n", "\\N{...} escapes are not supported", 1, 6],
  ["async def f():\n    return [x async for x in y]\n", "async functions are not supported", 1, 1],
];

const answers = askCPython({
  errors: [...EXACT, ...LINE_ONLY, ...UNSUPPORTED.map(([src]) => src)],
});

function parseError(src: string): PySyntaxError {
  try {
    parse(src, "prog.py");
  } catch (e) {
    if (e instanceof PySyntaxError) return e;
    throw e;
  }
  throw new Error(`no error for ${JSON.stringify(src)}`);
}

describe("invalid Python: CPython's exception, message and position", () => {
  EXACT.forEach((src, i) => {
    it(JSON.stringify(src), () => {
      const expected = answers.errors[i];
      expect(expected, "CPython rejects it").not.toBeNull();
      const e = parseError(src);
      expect({ type: e.pyType, msg: e.message, line: e.line, col: e.col }).toEqual(expected);
      expect(e.unsupported).toBe(false);
      expect(e.filename).toBe("prog.py");
      expect(e.location).toBe(`prog.py:${e.line}:${e.col}`);
    });
  });
});

describe("invalid Python the grammar rejects early: CPython's line", () => {
  LINE_ONLY.forEach((src, i) => {
    it(JSON.stringify(src), () => {
      const expected = answers.errors[EXACT.length + i];
      expect(expected, "CPython rejects it").not.toBeNull();
      const e = parseError(src);
      expect(e.line).toBe(expected?.line);
      expect(e.unsupported).toBe(false);
    });
  });
});

describe("valid Python outside the subset", () => {
  UNSUPPORTED.forEach(([src, message, line, col], i) => {
    it(JSON.stringify(src), () => {
      expect(answers.errors[EXACT.length + LINE_ONLY.length + i], "CPython compiles it").toBeNull();
      const e = parseError(src);
      expect({ message: e.message, line: e.line, col: e.col, unsupported: e.unsupported }).toEqual({
        message,
        line,
        col,
        unsupported: true,
      });
      expect(e.pyType).toBe("SyntaxError");
    });
  });

  it("generator expressions, lambdas, walrus, decorators and f-strings are supported", () => {
    expect(() =>
      parse(
        "@d\ndef f(a, *b, **c):\n    return sum(x for x in b) + (lambda y=1: y)() + (n := 2)\nprint(f'{f(1):>{n}}')\n",
      ),
    ).not.toThrow();
  });
});

describe("the grammar's error recovery never hides code", () => {
  // Each line is valid alone; one broken line anywhere must be reported at its line.
  const lines = [
    "x = 1",
    "if x:",
    "    y = [1, 2]",
    "    z = f(y)",
    "def g(a):",
    "    return a",
    "print(g(x))",
  ];
  const breakers = [
    "x = = 1",
    "y = (1 2)",
    "1 +* 2",
    "def (): pass",
    "@",
    "class",
    "x = [1,, 2]",
    "lambda x",
  ];
  for (const [b, breaker] of breakers.entries()) {
    it(`reports ${JSON.stringify(breaker)} at its line`, () => {
      const at = (b % (lines.length - 1)) + 1;
      const indent =
        lines[at - 1]?.endsWith(":") || lines[at - 1]?.startsWith("    ") ? "    " : "";
      const prog = [...lines.slice(0, at), indent + breaker, ...lines.slice(at)].join("\n");
      const e = parseError(`${prog}\n`);
      expect(e.line).toBe(at + 1);
      expect(e.unsupported).toBe(false);
    });
  }
});

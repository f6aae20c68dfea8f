// What a failing program prints on stderr, against `python3 prog.py` itself: tracebacks with
// CPython 3.11's carets under the failing expression (`~` under operands, `^` under the
// operator or subscript), the cut of a recursion's repeated entries, exception chains, and the
// SyntaxError report of invalid code. Each program is written to a file that python3 runs, so
// that the file name, the lines and the exit status come from the real interpreter.

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runPython } from "../../src/vm/run.js";

const dir = mkdtempSync(join(tmpdir(), "mm-traceback-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** python3's stderr and status for `source`, run as a file named `name` in a scratch folder. */
function cpython(name: string, source: string): { stderr: string; status: number } {
  const file = join(dir, name);
  writeFileSync(file, source);
  const run = spawnSync("python3", [file], { encoding: "utf8", timeout: 30_000 });
  if (run.error || run.status === null) throw new Error(`python3 did not run: ${run.error}`);
  return { stderr: run.stderr, status: run.status };
}

function ours(name: string, source: string): { stderr: string; status: number } {
  const result = runPython(source, { filename: join(dir, name) });
  return { stderr: result.stderr, status: result.status };
}

const failing: ReadonlyArray<readonly [string, string]> = [
  ["a binary operation", "a = 1\nb = 0\nprint(a // b)\n"],
  ["an operation on a parenthesised operand", "a = 1\nb = 0\nx = (a) / b\n"],
  ["an operation that is the whole line", "a = 1\nb = 0\na/b\n"],
  ["an operation with wide spaces", "n = None\nprint(n   +   1)\n"],
  ["a str and an int", "x = 'a' + 1\n"],
  ["a non-ASCII line", "s = 'héllo'\nt = s + 1\n"],
  ["a subscript in an operation", "d = {}\ny = d['k'] + 1\n"],
  ["a nested subscript", "x = [[1]]\nprint(x[0][2])\n"],
  ["a subscript with spaces", "x = [1]\nx [ 2 ]\n"],
  ["a subscript over two lines", "x = [1,\n     2][5]\n"],
  ["a subscript store", "a = [1]\na[5] = 2\n"],
  ["a subscript delete", "x = {1: 2}\ndel x[3]\n"],
  ["an attribute that is the whole line", "class A: pass\na = A()\na.b.c\n"],
  ["an attribute in a call", "class A: pass\nprint(A().missing)\n"],
  ["an attribute of an attribute", "x = 1\nif x:\n\tprint(x.real.nope)\n"],
  ["an attribute of a call's result", "x = 'abc'\nx.upper().nope()\n"],
  ["a call assigned", "def f():\n    raise ValueError('bad')\nx = f()\n"],
  ["a method call", "class O:\n    def m(self):\n        return 1 / 0\no = O()\no.m()\n"],
  [
    "a call over several lines",
    "class O:\n    def m(self, a):\n        return a['x']\no = O()\nv = o.m(\n    {},\n)\n",
  ],
  ["an argument over two lines", "print(1,\n      2 / 0)\n"],
  ["a comprehension", "def g(x):\n    return [1 / v for v in x]\ng([1, 0])\n"],
  [
    "a comprehension over two lines",
    "def h(a, b):\n    return a // b\ny = [h(1, 0)\n     for i in range(1)]\n",
  ],
  [
    "a nested for's iterable in a comprehension",
    "xs = [1, 2]\ndef g(): return 5\nprint([a for a in xs for b in g()])\n",
  ],
  ["a nested for over a target", "print({a: b for a in [1] for b in a})\n"],
  ["a nested for after a test", "print([a for a in [1] if a for b in a])\n"],
  ["a nested for after a comparison", "print({a for a in [1] if not a < 0 for b in a})\n"],
  ["a third for in a generator", "print(list(a for a in [1] for b in [1] for c in b))\n"],
  [
    "a nested for's iterable on its own line",
    "print([a for a in [1]\n       for b in\n         a])\n",
  ],
  ["a lambda", "f = lambda x: x.nope\nf(1)\n"],
  ["an import of a missing module", "import nonexistent_module_x\n"],
  ["an import after a semicolon", "x = 1; import nonexistent_module_x\n"],
  ["one of several imports", "import gc, sys, nonexistent_module_x\n"],
  ["a name a module lacks", "from gc import (collect,\n    nothing)\n"],
  ["calling None", "x = None\nx()\n"],
  [
    "a closure",
    "def outer():\n    def inner():\n        return missing\n    return inner()\nouter()\n",
  ],
  ["unpacking", "x = [1, 2]\na, b, c = x\n"],
  ["a builtin", "int('x')\n"],
  ["a missing argument", "def f(a, b): pass\nf(1)\n"],
  ["an error in __init__", "class A:\n    def __init__(self):\n        self.x = 1 / 0\nA()\n"],
  ["a raise in a loop", "for i in range(3):\n    if i == 2:\n        raise KeyError(i)\n"],
  ["an assert with a message", "assert 1 == 2, 'no'\n"],
  ["an assert of a name", "x = 0\nassert x, 'm'\n"],
  ["an assert over two lines", "x = 0\nassert (x ==\n 1)\n"],
  ["a float overflow", "x = 10 ** 400\ny = float(x)\n"],
  ["a recursion", "def f(n):\n    return f(n + 1)\nf(0)\n"],
  [
    "a recursion through two functions",
    "def a(n):\n    return b(n)\ndef b(n):\n    return a(n) + 1\na(0)\n",
  ],
  [
    "a short repetition",
    "def f(n):\n    if n == 0:\n        return 1 / 0\n    return f(n - 1)\nf(5)\n",
  ],
  [
    "an exception raised from another",
    "try:\n    {}['a']\nexcept KeyError as e:\n    raise RuntimeError('wrap') from e\n",
  ],
  ["a name error while handling", "try:\n    1/0\nexcept ZeroDivisionError:\n    undefined_name\n"],
  [
    "a key error while handling",
    "try:\n    1/0\nexcept ZeroDivisionError:\n    d = {}\n    d[1]\n",
  ],
  [
    "a raise in a finally",
    "def f():\n    try:\n        return 1 / 0\n    finally:\n        raise ValueError('f')\nf()\n",
  ],
];

const invalid: ReadonlyArray<readonly [string, string]> = [
  ["an unclosed bracket", "x = (1,\n"],
  ["a dangling operator", "x = 1 +\n"],
  ["a bad parameter list", "def f(:\n  pass\n"],
  ["an unmatched bracket", "x = )\n"],
  ["a missing colon", "if x\n  pass\n"],
  ["a missing indented block", "def f():\nreturn 1\n"],
  ["an unexpected indent", "  x = 1\n"],
  ["the print statement", "print 'hi'\n"],
  ["return outside a function", "return 5\n"],
  ["break outside a loop", "break\n"],
  ["an unknown nonlocal", "def f():\n    nonlocal q\n"],
  ["an unterminated string", "x = 'abc\n"],
  ["an assignment to a literal", "1 = x\n"],
  ["deleting a call", "del f()\n"],
  ["an assignment to None", "None = 1\n"],
  ["a class without a colon", "class A\n    pass\n"],
  ["an unindent that matches nothing", "if True:\n    x = 1\n  y = 2\n"],
  ["a repeated parameter", "def f(a, a): pass\n"],
  ["a leading-zero literal", "x = 08\n"],
  ["a keyword unpacking before a star", "f(**x, *y)\n"],
  ["a missing comma in a call", "f(a b)\n"],
  ["a missing comma after strings", "print('hello' 'world' 1)\n"],
  ["a missing comma in a list", "x = [1 2 3]\n"],
  ["a missing comma after a starred argument", "f(*a b)\n"],
  ["no comma after a soft keyword's prefix", "f(m b)\n"],
  ["two names in a comprehension's targets", "[t for t  args if t]\n"],
  ["a lone starred comprehension target", "print([a for *a in [[1]]])\n"],
  ["two starred comprehension targets", "print([a for *a, *b in [[1]]])\n"],
  ["two starred assignment targets", "*a, *b = [1]\n"],
  ["a lone starred for target", "for *a in [[1]]: pass\n"],
  ["two names after a comprehension's in", "[x for x in y z]\n"],
  ["two parameters without a comma", "def f(x y): pass\n"],
  ["two defaults without a comma", "def f(a=1 b=2): pass\n"],
  ["print inside a call", "f(print x, y)\n"],
  ["a conditional expression without else", "x = 1 if y\n"],
  ["a conditional argument without else", "print(x = 1 if y)\n"],
  ["an assignment in a condition", "if x = 1:\n  pass\n"],
  ["an assignment in a condition without a colon", "if x = 1\n  pass\n"],
  ["an assignment to an attribute in a condition", "if x.y = 1:\n  pass\n"],
  ["an assignment in a group", "if (x = 1):\n  pass\n"],
  ["an assignment to True in a condition", "if True = x:\n  pass\n"],
  ["an expression as a keyword", "f(x + 1 = 2)\n"],
  ["an unclosed dict", "x = {1: 2\n"],
  ["an unclosed group with two names", "x = (a b\n"],
  ["a misplaced else", "else:\n  pass\n"],
  ["a number after a dot", "a.1 = 2\n"],
  ["a function without parentheses", "def f: pass\n"],
  ["a name after a function's name", "def f x(): pass\n"],
  ["a function header without a colon", "def main(items)    total = 0\n"],
  ["finally without a colon", "try:\n  pass\nfinally pass\n"],
  ["a try without handlers at the end", "try:\n  pass\n"],
  ["a try without handlers before a statement", "try:\n  pass\nprint(1)\n"],
  ["an illegal augmented target", "a, b += 1\n"],
  ["an unparenthesised generator argument", "f(x for x in y, 1)\n"],
  ["a starred value", "x = *a\n"],
  ["nonlocal at module level", "nonlocal x\n"],
  ["an assignment before global", "def f():\n  x = 1\n  global x\n"],
  ["an indented line after a tab", "x = 1\n\tif x:\n"],
  ["a dedent that matches nothing after a header", "if x:\n    pass\nelif y:\n pass\n"],
  ["an assignment to __debug__", "__debug__ = 1\n"],
  ["a __debug__ parameter", "def f(__debug__): pass\n"],
  ["a __debug__ keyword", "f(__debug__=1)\n"],
  ["deleting __debug__", "del __debug__\n"],
  ["an assignment to a yield", "def f():\n    x = yield = 1\n"],
  ["an assignment to a parenthesised yield", "def f():\n    (yield) = 1\n"],
  ["an assignment to a yield statement", "def f():\n    yield x = 1\n"],
  ["an assignment to a yield from statement", "def f():\n    yield from x = 1\n"],
  ["an assignment to a bare yield statement", "def f():\n    yield = 1\n"],
  ["an assignment to a yield in a chain", "def f():\n    z = yield x, y = 1\n"],
  ["a comparison after a yield statement", "def f():\n    yield x == 1 = 2\n"],
];

describe("a failing program's stderr, against python3", () => {
  let n = 0;
  for (const [what, source] of failing) {
    const name = `fail${++n}.py`;
    it(`prints python3's traceback for ${what}`, () => {
      expect(ours(name, source)).toEqual(cpython(name, source));
    });
  }
});

describe("invalid code's SyntaxError report, against python3", () => {
  let n = 0;
  for (const [what, source] of invalid) {
    const name = `invalid${++n}.py`;
    it(`prints python3's report for ${what}`, () => {
      expect(ours(name, source)).toEqual(cpython(name, source));
    });
  }
});

describe("a construct outside the subset", () => {
  it("is one line naming it, with status 2", () => {
    const result = runPython("async def f(): pass\n", {
      filename: "/x/prog.py",
      displayName: "prog.py",
    });
    expect(result).toMatchObject({
      status: 2,
      stderr: "prog.py:1:1: async functions are not supported\n",
    });
  });
});

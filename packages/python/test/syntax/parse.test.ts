import { describe, expect, it } from "vitest";
import { parse } from "../../src/syntax/parse.js";
import { askCPython, toJson } from "./cpython.js";

// Snippets covering every node kind and field of ast.ts, each compared with CPython's
// `ast.parse` (kinds, fields, contexts and positions).
const SNIPPETS: readonly string[] = [
  // literals
  "1\n0x_ff\n0o17\n0b1_01\n1_000_000\n123456789012345678901234567890\n0\n00\n",
  "1.5\n1e3\n1_000.5\n.5\n1.5e-3\n3.14_15\n1e400\n0.1\n",
  "1.\nx = [1., 2.e3, 1_0., 0.]\n1.E-2\n",
  "1j\n2.5J\n1_0j\n1e3j\n.5j\n1e400j\nx = 1 + 2j\n0j\n",
  "'a'\n\"b\"\n'''c\nd'''\n\"\"\"e\"\"\"\n''\n",
  "'\\n\\t\\\\\\'\\\"\\a\\b\\f\\v\\r'\n'\\x41\\u00e9\\U0001F600'\n'\\101\\7\\0'\n'a\\\nb'\n'\\d\\q'\n",
  "r'\\n\\x'\nR'\\''\nrb'\\n'\nBR'x'\nu'u'\n",
  "b'abc'\nb'\\x00\\xff\\n'\nb'\\777'\nb'\\u0041'\nb''\n",
  "x = 'a' 'b' \"c\"\ny = b'a' b'b'\nz = ('a'\n  'b')\n",
  "f'a{x}b'\nf'{x!r}'\nf'{x!s:>10}'\nf'{x:{w}.{p}}'\nf'{{}}{x}{{'\nf''\nf'{x=}'\nf'{x = !s}'\nf'{x=:>3}'\n",
  "f'a' 'b'\n'a' f'{x}' 'b'\nf'{a}' f'{b}'\nf'{x:}'\nf'{x:02d}'\nrf'\\n{x}'\nf'{a, b}'\nf'{\"q\"}'\n",
  "f'''{\nx\n}'''\nf'{x!a}'\n",
  "'a' f'{x:>{w}}' f'{y:3}'\nf'a{x!r:>{w}}b{{' 'c'\nf'{x:a{w}b{v}c}' f'{y:{z}}'\nf'{x:{w}}' f'{y}' 'z'\n",
  "x = rf'a\\{y}b'\nx = f'a\\}}'\nx = f'{-0.:.1f}'\nx = f'v 1. {y} 2.5 {1.e3}'\n",
  "None\nTrue\nFalse\n...\n",
  // operators
  "a + b * c - d / e // f % g ** h @ i\n",
  "a << b >> c | d ^ e & f\n",
  "-x\n+x\n~x\nnot x\n-1\n- - x\n-x ** 2\n(-x) ** 2\n2 ** -1\n",
  "a and b and c\na or b or c\na and b or c and d\nnot a or not b\na and (b and c)\n",
  "a < b\na < b <= c > d >= e == f != g\na is b\na is not b\na in b\na not in b\nnot a == b\n(a < b) < c\n",
  "a if b else c\na if b else c if d else e\n(a if b else c) if d else e\n",
  "(x := 1)\nf(y := 2)\nif (n := len(a)) > 1: pass\n[z := 1, 2]\n",
  "lambda: 0\nlambda x: x\nlambda x, y=1, *a, k, m=2, **kw: x\nlambda *, k: k\nlambda *a: a\n",
  // containers
  "[]\n[1]\n[1, 2,]\n[*a, b]\n()\n(1,)\n(1, 2)\n1, 2\n1,\n(*a, b)\n",
  "{}\n{1: 2}\n{1: 2, **m, 3: 4}\n{1}\n{1, 2, *s}\n",
  "[x for x in y]\n[x for x in y if x if not x]\n[x * y for x in a for y in b if x]\n",
  "{x for x in y}\n{k: v for k, v in d.items() if k}\n(x for x in y)\nf(x for x in y)\nf((x for x in y), 1)\n",
  "[(a, b) for a, b in c]\n[x for [x, y] in z]\n[y for x in a if x for y in x]\n",
  // calls, attributes, subscripts
  "f()\nf(1, 2)\nf(*a)\nf(**k)\nf(a, *b, c=1, **d)\nf(a=1, *b)\nf(*a, *b, **c, **d)\nf(1,)\n",
  "a.b\na.b.c\nf(a).b\na[1]\na[1:2]\na[:]\na[::]\na[1:]\na[:2]\na[::3]\na[1:2:3]\n",
  "a[1, 2]\na[1:2, 3]\na[1,]\na[:, ::2]\na[b][c]\na.b[c](d).e\n",
  // statements
  "x = 1\nx = y = 2\nx, y = 1, 2\n[x, y] = z\n(x, y) = z\nx, = y\na.b = 1\na[0] = 1\na[1:2] = b\n",
  "a, *b = c\n*a, b = c\n[a, *b] = c\n(a, (b, *c)) = d\nx = *a, *b\n",
  "x += 1\nx -= 1\nx *= 1\nx /= 1\nx //= 1\nx %= 1\nx **= 1\nx @= 1\nx <<= 1\nx >>= 1\nx &= 1\nx |= 1\nx ^= 1\na.b += 1\na[0] += 1\nx += 1, 2\n",
  "x: int\nx: int = 1\na.b: int = 1\na[0]: int\n(x): int = 1\nx: list[int] = [1, 2]\nx: int = 1, 2\n",
  "del x\ndel x, y\ndel a.b, a[0]\ndel (a, b)\ndel [a, b]\ndel a[1:2]\n",
  "pass\nif x:\n    pass\n",
  "if a:\n    x\nelif b:\n    y\nelif c:\n    z\nelse:\n    w\n",
  "if a: x\nelse: y\nif a:\n    pass\nelse:\n    if b:\n        pass\n",
  "while x:\n    break\nelse:\n    pass\nwhile True:\n    continue\n",
  "for x in y:\n    pass\nfor x, y in z:\n    pass\nelse:\n    pass\nfor *a, b in c: pass\nfor x in 1, 2: pass\nfor (a, b) in c: pass\n",
  "try:\n    pass\nexcept E:\n    pass\nexcept (A, B) as e:\n    pass\nexcept:\n    pass\nelse:\n    pass\nfinally:\n    pass\n",
  "try:\n    x\nfinally:\n    y\ntry:\n    x\nexcept E as e:\n    y\n",
  "with a:\n    pass\nwith a as b, c as d:\n    pass\nwith a as b, c: pass\n",
  "with (a as b, c):\n    pass\nwith (a, b):\n    pass\nwith (a):\n    pass\nwith (a) as b:\n    pass\nwith (a, b) as c:\n    pass\n",
  "with (\n    open(x) as f,\n    open(y) as g,\n):\n    pass\nwith (a as b): pass\n",
  "with a as (b, c): pass\nwith a as b.c, d as [e, f], g as h: pass\nwith f(x) as d[0]:\n    pass\n",
  "with (a as (b, c), d as e.f):\n    pass\nwith (a, b) as (c, d): pass\nwith a == b as c: pass\n",
  "[v for k, v in d]\nf(k for k, v in d)\nf(x for x, in y)\nsum(a * b for a, b in zip(x, y) if a)\n",
  "raise\nraise E\nraise E from F\nraise E(1) from None\n",
  "assert x\nassert x, 'msg'\n",
  "import a\nimport a.b.c\nimport a as b, c.d as e\nfrom a import b\nfrom a.b import c as d, e\nfrom . import x\nfrom .. import y\nfrom ...a import z\nfrom .a import (b, c,)\nfrom a import *\n",
  "global x\nglobal x, y\ndef f():\n    nonlocal a, b\n",
  "x; y\nx = 1; y = 2;\n",
  "def f(): pass\ndef f(a, b): return a\ndef f(a, b=1, *c, d, e=2, **f): pass\ndef f(a, /, b): pass\ndef f(a, b=1, /, c=2, *, d): pass\n",
  "def f(a: int, *b: str, c: int = 1, **d: bool) -> None:\n    return\ndef f(*, a): pass\ndef f(a,): pass\n",
  "def f():\n    '''doc'''\n    return 1, 2\ndef g():\n    return *a, b\n",
  "@d\ndef f(): pass\n@a.b.c\n@e(1, k=2)\ndef g(): pass\n@d\nclass C: pass\n",
  "class C: pass\nclass C(B): pass\nclass C(A, B):\n    x = 1\n    def m(self): return self\nclass C(*bases): pass\n",
  "# comment\nx = 1  # trailing\n\n\ny = (1,  # inside\n     2)\n",
  "x = (1 +\n     2)\ny = 1 + \\\n    2\nz = [\n  1,\n  2,\n]\n",
  "if x:\n    if y:\n        pass\n    # comment\n\n    z = 1\n",
  "def f():\n\tif x:\n\t\treturn 1\n\treturn 2\n",
  "x = 'é'\ny = 'é' + z\né = 1\nf'{é}' + 'ü'\n",
  "print(1, 2, sep='')\nprint(*[1, 2])\n",
  "async_ = 1\nmatch = 2\ncase = 3\n_ = 4\nprint(match)\n",
  "match a, b:\n    case 1, 2: pass\nmatch *a, b,:\n    case [x, *_]: pass\n",
  "match x:\n    case 'a' 'b' | b'c' b'd': pass\n    case {C.RED: y, a.b.c: z, 'k' \"j\": w}: pass\n",
  "match x:\n    case int(str() | (0) as a): pass\n    case m.K(x=str(), y=[a.B()]) | (0,): pass\n",
  "match (a,\n       b), c:\n    case (str()\n          | int()): pass\n",
  "x = [(a, b) for a, *b in c]\ny = {k: v for *k, v in d}\nz = [c for (a, *c), [*e] in f]\n",
  "x = [b for a, * b in c]\ny = [a for * a, b in c]\n",
  "x = 1if y else 2\nx = [1for y in z]\nx = [0x1for y in z]\nx = 1in y\nx = 1if 1else 2\n00\n0_0\n09.5\n0777e1\n1_0.0_1e1_0\n",
];

const answers = askCPython({ asts: SNIPPETS });

describe("parse, against CPython's ast.parse", () => {
  SNIPPETS.forEach((src, i) => {
    it(`snippet ${i}: ${JSON.stringify(src.slice(0, 50))}`, () => {
      expect(toJson(parse(src))).toEqual(answers.asts[i]);
    });
  });
});

describe("parse basics", () => {
  it("gives an empty module for empty or blank source", () => {
    expect(parse("")).toEqual({ kind: "Module", body: [] });
    expect(parse("\n\n# only a comment\n")).toEqual({ kind: "Module", body: [] });
  });

  it("reads CRLF and CR newlines as CPython does", () => {
    const lf = parse("if x:\n    y = 1\nz = 'a'\n");
    expect(parse("if x:\r\n    y = 1\r\nz = 'a'\r\n")).toEqual(lf);
    expect(parse("if x:\r    y = 1\rz = 'a'\r")).toEqual(lf);
  });

  it("keeps ints exact and floats as numbers", () => {
    const body = parse("2 ** 100\n12345678901234567890123\n1.0\n").body;
    const values = body.map((s) =>
      s.kind === "Expr" && s.value.kind === "Constant" ? s.value.value : undefined,
    );
    expect(values.slice(1)).toEqual([12345678901234567890123n, 1]);
  });
});

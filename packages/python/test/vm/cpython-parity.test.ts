// Behaviours that once differed from CPython 3.11, each a small program run by python3 (in a
// fork of one driver process for the file, see ../fuzz/cpython.ts) and by runPython: stdout
// and exit status must be equal. The programs print error messages, identities, sizes and
// finalizer order, so a wording, a shortcut or a release order that drifts shows.

import { describe, expect, it } from "vitest";
import { runPython } from "../../src/vm/run.js";
import { describeAgainstPython } from "./against-python.js";

/** A class whose instances say when they die, for release orders. */
const NODE = `
class N:
    def __init__(self, n): self.n = n
    def __del__(self): print("del", self.n)
`;

/** Runs each statement of `cases` in a `try`, printing the exception's class and text. */
function attempts(cases: readonly string[]): string {
  return cases
    .map((c) =>
      [
        "try:",
        ...c.split(";;").map((line) => `    ${line}`),
        "except Exception as e:",
        `    print(${JSON.stringify(c)}, type(e).__name__, e)`,
      ].join("\n"),
    )
    .join("\n");
}

const programs: ReadonlyArray<readonly [string, string]> = [
  [
    "starred targets in a comprehension's for",
    [
      "print([(a, b) for a, *b in [[1, 2, 3], [4]]])",
      "print({b: a for *a, b in ['xy', 'z']})",
      "print(list(c for (a, *c), d in [((1, 2, 3), 4)]))",
      "print([(b, c) for x in [1] for [*b, c] in ['ab', [x]]])",
    ].join("\n"),
  ],
  [
    "a list made from a sized iterable is allocated at its length first",
    [
      "import sys",
      "for source in [b'abcdefghij', 'abcdefghij', range(10), {1: 2, 3: 4}, {5, 6, 7}]:",
      "    print(type(source).__name__, sys.getsizeof(list(source)))",
    ].join("\n"),
  ],
  [
    "the number attributes, and what they share",
    [
      "import sys",
      'n = int("12345")',
      "print(n.real, n.imag, n.numerator, n.denominator, n.real is n, sys.getrefcount(n))",
      "f = 2.5",
      "print(f.real, f.imag, f.real is f, True.real, False.imag, True.numerator is 1)",
    ].join("\n"),
  ],
  [
    "an exception's fields: set, checked and released in CPython's order",
    [
      NODE,
      "e = RuntimeError(N('args'))",
      "e.__cause__ = ValueError(N('cause'))",
      "e.__context__ = KeyError(N('context'))",
      "e.note = N('dict')",
      "print(sorted(e.__dict__), e.__suppress_context__, type(e.__cause__), type(e.__context__))",
      "for name, value in [('__cause__', 5), ('__context__', 'x'), ('__traceback__', 1),",
      "                    ('__suppress_context__', 1)]:",
      "    try:",
      "        setattr(e, name, value)",
      "    except TypeError as x:",
      "        print(name, x)",
      "e.__suppress_context__ = False",
      "e.args = [1, 2]",
      "print(e.args, e.__suppress_context__)",
      "e.args = (N('args2'),)",
      "del e",
      "def g():",
      "    y = N('frame')",
      "    return N('obj').p",
      "try:",
      "    g()",
      "except AttributeError as a:",
      "    print(a.name, type(a.obj).__name__)",
      "print('end')",
    ].join("\n"),
  ],
  [
    "the context of exceptions the interpreter raises while handling one",
    [
      "def ctx(f):",
      "    try:",
      "        f()",
      "    except Exception as e:",
      "        return type(e.__context__).__name__",
      "try:",
      "    1 / 0",
      "except ZeroDivisionError:",
      "    print(ctx(lambda: undefined_name), ctx(lambda: {}[1]), ctx(lambda: [][0]))",
      "    print(ctx(lambda: int('x')), ctx(lambda: None.a))",
      "print(ctx(lambda: undefined_name))",
    ].join("\n"),
  ],
  [
    "operator errors in CPython's words",
    attempts([
      "1 % 0",
      "x = 1;;x %= 0",
      "1 // 0",
      "divmod(1, 0)",
      "[1] + 1",
      "(1,) + [1]",
      "'a' + 1",
      "1 + 'a'",
      "b'a' + 'a'",
      "'a' * 'b'",
      "[1] * None",
      "x = [1];;x *= None",
      "x = 1;;x += 'a'",
      "x = (1,);;x += 1",
      "x = None;;x -= 1",
      "x = {};;x += {}",
      "x = [1];;x += 1",
      "1 in 1",
      "'a' in None",
      "'a' % [1]",
      "print('a' % [1], '%s' % [1], 'a' % {})",
    ]),
  ],
  [
    "item deletion, dict slices and KeyError's text",
    attempts([
      "x = 1;;del x[0]",
      "x = None;;del x['k']",
      "x = (1,);;del x[0]",
      "x = (1,);;del x['k']",
      "x = 'ab';;del x[:1]",
      "x = {1};;del x[0]",
      "x = b'a';;del x[0]",
      "class C: pass;;del C()[0]",
      "{}[:3]",
      "x = {};;x[:3] = 1",
      "x = {};;del x[:3]",
      "hash(slice(1))",
      "{}.pop('k')",
      "{}.popitem()",
      "set().pop()",
      "set().remove('k')",
      "{'a': 1}[(1, 'b')]",
      "print(str(KeyError('k')), str(KeyError()), str(KeyError(1, 2)))",
    ]),
  ],
  [
    "a list emptied by del frees its items array",
    `import sys
x = [1]; del x[0]; print(sys.getsizeof(x))
x = [1, 2, 3]; del x[:]; print(sys.getsizeof(x))
x = [1, 2]; del x[0]; print(sys.getsizeof(x))`,
  ],
  [
    "a failing operation releases its left operand, then its right one",
    `${NODE}
for i in range(4):
    try:
        if i == 0: [N(1)] + [N(2)] + 1
        if i == 1: [N(3)] < (N(4),)
        if i == 2: [N(5)][(N(6), 1)]
        if i == 3: [N(7)] in N(8)
    except TypeError as e:
        print(e)`,
  ],
  [
    "a dict display's overwritten values die as the value stack is popped",
    `${NODE}
d = {"k": N(1), "k": N(2), "k": N(3), "j": N(4)}
print(sorted(d))
d = None
try:
    d = {"k": N(5), "k": N(6), [1]: N(7)}
except TypeError as e:
    print(e)
print("end")`,
  ],
  [
    "AttributeError keeps name and obj",
    `import sys
${NODE}
e0 = AttributeError("x")
print(sys.getsizeof(e0), e0.name, e0.obj)
try:
    N(1).p
except AttributeError as e:
    print("caught", e, e.name, type(e.obj).__name__)
print("after")
try:
    getattr(N(2), "zz")
except AttributeError as e:
    print("caught", e.name)
print(hasattr(N(3), "zz"), getattr(N(4), "zz", 5))
try:
    None.zz
except AttributeError as e:
    print(e.name, e.obj)`,
  ],
  [
    "constant tuples are the module's own",
    `import gc
gc.disable()
print(gc.is_tracked((None,)), gc.is_tracked((1, 2)))
for y in ((None,), 1):
    print(gc.is_tracked(y))`,
  ],
  [
    "bytes' str-like methods",
    `b = b"  Hello World, hello bytes!  "
print(b.upper(), b.lower(), b.swapcase(), b.title(), b.capitalize())
print(b.strip(), b.lstrip(), b.rstrip(b" "), b.strip(b" !H"))
print(b.replace(b"l", b"L"), b.replace(b"l", b"L", 2), b"abc".replace(b"", b"-"), b"aaa".replace(b"a", b""))
print(b.startswith(b"  He"), b.startswith((b"x", b"  ")), b.endswith(b"!", 0, -2), b"abc".startswith(b"", 4))
print(b"-".join([b"a", b"b"]), b"".join([]), b.count(b"l"), b.count(b"l", 5, 10), b"aaaa".count(b"aa"), b.count(b""))
print(b.find(b"o"), b.rfind(b"o"), b.index(b"W"), b.rindex(b"l"), b.find(b"", 100), b.find(111))
print(b.split(), b.split(b","), b.split(None, 1), b.rsplit(None, 1), b"a,b,,c".rsplit(b",", 1), b"".split())
print(b"ab\\ncd\\r\\nef".splitlines(), b"ab\\n".splitlines(True), b.partition(b","), b"abc".rpartition(b"z"))
print(b"ab".center(7, b"*"), b"abc".center(6), b"ab".ljust(5), b"-42".zfill(6), b"a\\tb".expandtabs(4))
print(b"pre-x".removeprefix(b"pre-"), b"x.txt".removesuffix(b".txt"))
print(b"abc".isalpha(), b"ab1".isalnum(), b"12".isdigit(), b" ".isspace(), b"Ab Cd".istitle(), b"".isascii())
x = b"abc"
print(x.strip() is x, x.replace(b"z", b"y") is x, x.center(3) is x, x.split()[0] is x, b",".join([x]) is x)
try:
    b"\\xe2\\x82\\x28".decode()
except UnicodeDecodeError as e:
    print(type(e).__name__, e)
try:
    "a\\u00e9\\u00e9".encode("ascii")
except UnicodeEncodeError as e:
    print(type(e).__name__, e)`,
  ],
  [
    "bytes methods' errors",
    attempts([
      "b'a'.find('c')",
      "b'a'.startswith('a')",
      "b','.join(['a'])",
      "b'a'.center(5, b'ab')",
      "b'abc'.index(b'z')",
      "b'a'.split(b'')",
      "b'a'.upper(1)",
      "b'a'.find(300)",
      "b'a'.replace('a', 'b')",
      "b'\\xff'.decode('ascii')",
    ]),
  ],
  [
    "split lists keep stringlib's preallocated slots",
    `import sys
print(sys.getsizeof("a b".split()), sys.getsizeof("a,b".split(",")), sys.getsizeof("".split(",")))
print(sys.getsizeof("a b c d e f g h i j k l m n o p".split()), sys.getsizeof("a b".split(None, 1)))
print(sys.getsizeof(b"a b".split()), sys.getsizeof("a\\nb".splitlines()))
s = "abc"
print(s.split()[0] is s, s.split(",")[0] is s, s.split(None, 0)[0] is s, s.rsplit()[0] is s)`,
  ],
  [
    "print's and a class call's argument tuples wait on the tuple free list",
    `import gc, sys
class P:
    def __init__(self, a, b): pass
gc.disable()
r = []
a0 = a1 = 0
def freed_by_collect():
    global a0, a1
    a0 = sys.getallocatedblocks()
    gc.collect()
    a1 = sys.getallocatedblocks()
    return a0 - a1
r.append(freed_by_collect())
r.append(freed_by_collect())
print("x")
r.append(freed_by_collect())
print(end="")
r.append(freed_by_collect())
p = P(1, 2)
r.append(freed_by_collect())
# (The first collection also frees what came before the program.)
print(r[1:])`,
  ],
  [
    "f-string fields read strings whole, '#' included",
    `n = 3
print(f"{'#' * n}", f'{"a#b"}', f"{n:#x}")`,
  ],
  [
    "a str iterator's type",
    `print(type(iter("abc")).__name__, type(iter("h\\u00e9")).__name__, type(iter("")).__name__)`,
  ],
  [
    "a finalizer failing at the recursion limit is not reported",
    `class Marker:
    inits = dels = 0
    def __init__(self): Marker.inits += 1
    def __del__(self): Marker.dels += 1
def grow(n):
    m = Marker()
    return grow(n + 1)
try:
    grow(0)
except RecursionError as e:
    print(e, Marker.dels)
# (The depth reached depends on the frames below the program, so only equalities print.)
print(Marker.inits == Marker.dels)`,
  ],
];

describeAgainstPython("behaviours CPython 3.11 shows", programs);

describe("print", () => {
  it("hands its text to the output stream at once with flush=True", () => {
    const chunks: string[] = [];
    const run = (source: string) => {
      chunks.length = 0;
      runPython(source, { stdout: (text) => chunks.push(text) });
      return [...chunks];
    };
    expect(run('print("a", flush=True)\nprint("b")\nprint("c", end="", flush=1)\n')).toEqual([
      "a\n",
      "b\nc",
    ]);
    // Without it the output waits for the end (or 8 KiB).
    expect(run('print("a")\nprint("b", flush=False)\n')).toEqual(["a\nb\n"]);
  });
});

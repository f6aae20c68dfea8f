// The evaluator's inline caches against python3: each program loads names and attributes in a
// loop (so the first pass fills a cache and the later ones hit it) while the program changes
// what those loads must find, in every way a Python program can. Any stale entry prints a value
// CPython does not.

import { fcRuns } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPython } from "../../src/vm/run.js";
import { CPythonForks } from "../fuzz/cpython.js";
import { describeAgainstPython } from "./against-python.js";

const programs: ReadonlyArray<readonly [string, string]> = [
  [
    "a global rebound, written through globals(), deleted and restored by update()",
    `
def read_g():
    return g

out = []
for step in range(7):
    if step == 1:
        g = "first"
    elif step == 2:
        g = "second"
    elif step == 3:
        globals()["g"] = "through globals()"
    elif step == 4:
        del g
    elif step == 5:
        globals().update(g="updated")
    elif step == 6:
        globals().pop("g")
    try:
        out.append(read_g())
    except NameError as e:
        out.append(str(e))
print(out)`,
  ],
  [
    "a builtin shadowed by a global, the global deleted, the builtin replaced and deleted",
    `
import builtins

def use_len():
    return len([1, 2, 3])

saved = builtins.len
out = []
for step in range(8):
    if step == 1:
        len = lambda x: "shadowed"
    elif step == 2:
        del len
    elif step == 3:
        builtins.len = lambda x: "builtin replaced"
    elif step == 4:
        del builtins.len
    elif step == 5:
        globals().setdefault("len", lambda x: "setdefault")
    elif step == 6:
        globals().popitem()
    elif step == 7:
        builtins.len = saved
    try:
        out.append(use_len())
    except NameError as e:
        out.append(str(e))
print(out)`,
  ],
  [
    "a global rebound and deleted by other functions' global statements",
    `
def read():
    return counter

def bump(n):
    global counter
    counter = n

def drop():
    global counter
    del counter

counter = 0
seen = []
for i in range(6):
    seen.append(read())
    if i % 3 == 2:
        drop()
        try:
            read()
        except NameError as e:
            seen.append(str(e))
    bump(i * 10)
print(seen)`,
  ],
  [
    "a global's object freed and another made at its address",
    `
class Box:
    def __init__(self, n):
        self.n = n

def get():
    return obj

obj = Box(1)
for n in range(2, 6):
    print(get().n, get() is obj)
    del obj
    obj = Box(n)
print(get().n)`,
  ],
  [
    "methods and class attributes changed, deleted and shadowed after their lookups were kept",
    `
class Base:
    kind = "base"
    def who(self):
        return "Base.who"

class Child(Base):
    def who(self):
        return "Child.who"

c = Child()
out = []
for step in range(9):
    if step == 1:
        Child.who = lambda self: "replaced on Child"
    elif step == 2:
        del Child.who
    elif step == 3:
        Base.who = lambda self: "replaced on Base"
    elif step == 4:
        c.who = lambda: "instance attribute"
    elif step == 5:
        del c.who
    elif step == 6:
        Child.kind = "child"
    elif step == 7:
        setattr(Base, "who", lambda self: "setattr on Base")
    elif step == 8:
        Child.__dict__  # reading the namespace changes nothing
    out.append((c.who(), c.kind, Child.kind, getattr(c, "who")()))
for row in out:
    print(row)`,
  ],
  [
    "a property added over a method, and dunder methods replaced on the class",
    `
class P:
    def value(self):
        return 1
    def __len__(self):
        return 3

p = P()
print(p.value(), len(p))
P.value = property(lambda self: 2)
print(p.value, len(p))
P.__len__ = lambda self: 5
print(len(p))
del P.__len__
try:
    len(p)
except TypeError as e:
    print(e)`,
  ],
  [
    "a method replaced on a base class and a property put over an instance attribute after their accesses were cached",
    `
class P:
    def norm(self):
        return "old"

class R(P):
    pass

def call(o):
    return o.norm()

def load(o):
    return o.x

def store(o, v):
    o.x = v

p = R()
p.x = -1
for step in range(6):
    if step == 2:
        P.norm = lambda self: "new"
    elif step == 3:
        P.x = property(lambda self: "property x", lambda self, v: print("setter", v))
    elif step == 4:
        del P.x
    store(p, step)
    print(call(p), load(p))
print(vars(p))`,
  ],
  [
    "instance attributes loaded, stored and methods called while classes, instances and their dicts change",
    `
import sys

class P:
    def __init__(self, x, y):
        self.x = x
        self.y = y
    def moved(self, dx):
        return P(self.x + dx, self.y)
    def norm(self):
        return (self.x, self.y)

class Q:
    def __init__(self, y, x):
        self.y = y
        self.x = x
    def norm(self):
        return [self.x, self.y]

class R(P):
    pass

def load(o):
    return o.x, o.y

def store(o, v):
    o.x = v

def call(o):
    return o.norm()

out = []
p = P(1, 2)
for step in range(16):
    if step == 1:
        p = p.moved(10)
    elif step == 2:
        p = Q(p.x, p.y)
    elif step == 3:
        p = R(2, 3)
    elif step == 4:
        p.norm = lambda: "own norm"
    elif step == 5:
        del p.norm
    elif step == 6:
        P.norm = lambda self: "replaced norm"
    elif step == 7:
        P.x = property(lambda self: "class property")
    elif step == 8:
        del P.x
    elif step == 9:
        R.norm = lambda self: "R.norm"
    elif step == 10:
        del p.x
    elif step == 11:
        d = p.__dict__
        d["z"] = 5
    elif step == 12:
        p = Q(3, 4)
    elif step == 13:
        for i in range(40):
            setattr(p, "a%d" % i, i)
    elif step == 14:
        Q.norm = property(lambda self: lambda: "property's function")
    elif step == 15:
        p = P(7, 8)
    row = []
    for f in (load, call):
        try:
            row.append(f(p))
        except AttributeError as e:
            row.append(str(e))
    try:
        store(p, step * 1000)
    except AttributeError as e:
        row.append(type(e).__name__)
    row.append(p.x)
    row.append(list(vars(p))[:4])
    out.append(row)
for row in out:
    print(row)
v = object()
q = P(v, v)
before = sys.getrefcount(v)
for i in range(3):
    store(q, v)
    q.y = v
    print(sys.getrefcount(v) - before, load(q)[0] is v)
store(q, None)
q.y = None
print(sys.getrefcount(v) - before)`,
  ],
  [
    "one method call site on objects of built-in types, their subclasses and instances",
    `
class L(list):
    def copy(self):
        return "L.copy"

class D(dict):
    pass

class Plain:
    def copy(self):
        return "Plain.copy"

def copies(xs):
    out = []
    for x in xs:
        c = x.copy()
        out.append(c if isinstance(c, str) else type(c).__name__)
    return out

plain = Plain()
xs = [[1], {"a": 1}, {2}, L([3]), D(b=2), plain, [4], frozenset({5}), {6: 7}]
for step in range(4):
    if step == 2:
        plain.copy = lambda: "instance attribute"
        xs[3].copy = lambda: "L instance attribute"
    if step == 3:
        D.copy = lambda self: "D.copy added"
    print(copies(xs))

def joined(sep, parts):
    return sep.join(parts)

print([joined(s, ["a", "b"]) for s in ["-", "+", b"|", "--"] if isinstance(s, str)])
print([joined(s, [b"a", b"b"]) for s in [b"-", b"+"]])
stack = []
for i in range(6):
    (stack if i % 2 else [0]).append(i)
    stack.extend((i,))
    if len(stack) > 3:
        stack.pop(0)
print(stack)`,
  ],
];

describeAgainstPython("inline caches against python3", programs, { quiet: true });

/**
 * One change a program makes to what the loads of `x`, `len` and `C.m` find: each is a statement
 * of the loop's body below, picked by step.
 */
const CHANGES = [
  "x = step",
  "del x",
  "globals()['x'] = -step",
  "len = lambda o: 'global len'",
  "del len",
  "builtins.len = lambda o: 'replaced len'",
  "builtins.len = saved_len",
  "C.m = lambda self: 'C.m'",
  "del C.m",
  "B.m = lambda self: 'B.m ' + str(step)",
  "obj.m = lambda: 'own m'",
  "del obj.m",
  "obj.a = step",
  "del obj.a",
  "C.a = property(lambda self: 'C.a property')",
  "del C.a",
  "obj.__dict__['m'] = lambda: 'm in the dict'",
  "obj.__dict__.pop('a')",
] as const;

/**
 * A program that makes `changes` in turn, reading the names and attributes after each through
 * caches.
 */
function changeProgram(changes: readonly number[]): string {
  const body = changes.map((c, step) =>
    [
      `    if step == ${step}:`,
      `        try:`,
      `            ${CHANGES[c]}`,
      `        except Exception as e:`,
      `            print("change", type(e).__name__)`,
    ].join("\n"),
  );
  return `
import builtins
saved_len = builtins.len

class B:
    def m(self):
        return "B.m"

class C(B):
    pass

obj = C()

def read():
    out = []
    obj.s = step
    for attempt in (lambda: x, lambda: len([1]), lambda: obj.m(), lambda: C.m(obj), lambda: obj.a):
        try:
            out.append(attempt())
        except Exception as e:
            out.append(type(e).__name__)
    return out

for step in range(${changes.length}):
    print(read())
${body.join("\n")}
    print(read())
builtins.len = saved_len
`;
}

describe("inline caches against python3, random changes", () => {
  let cpython: CPythonForks;
  beforeAll(() => {
    cpython = new CPythonForks();
  });
  afterAll(() => cpython.close());

  it("every load after any sequence of changes finds what python3's finds", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: CHANGES.length - 1 }), { minLength: 1, maxLength: 12 }),
        async (changes) => {
          const source = changeProgram(changes);
          const want = await cpython.run(source);
          const got = runPython(source, { filename: "prog.py" });
          expect(got.stdout).toBe(want.stdout);
          expect(got.status).toBe(want.status);
        },
      ),
      { numRuns: fcRuns(25) },
    );
  });
});

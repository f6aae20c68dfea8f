// A class call `C(...)` runs a Python `__init__` in the evaluator's loop rather than in a nested
// run, as CPython 3.11's type_call calls it from C. What a program can see of the call must be
// CPython's: reference counts inside and after `__init__`, the recursion depth it counts (the
// class call as a C call, then `__init__`'s frame), the traceback of an exception leaving it,
// the TypeError of an `__init__` returning something else than None, the frames `sys._getframe`
// walks, and the order objects are made and freed in (ids, gc counts).

import { describeAgainstPython } from "./against-python.js";

const programs: ReadonlyArray<readonly [string, string]> = [
  [
    "reference counts of the instance and the arguments inside __init__ and after",
    `
import sys

class P:
    def __init__(self, x, y):
        print("self", sys.getrefcount(self), "x", sys.getrefcount(x), "y", sys.getrefcount(y))
        self.x = x
        self.y = y

a = object()
b = [1, 2]
before = sys.getrefcount(a), sys.getrefcount(b)
p = P(a, b)
print(before, sys.getrefcount(a), sys.getrefcount(b), sys.getrefcount(p))
q = P(a, b).x
print(sys.getrefcount(a), sys.getrefcount(b), q is a)`,
  ],
  [
    "an exception leaving __init__: its traceback, and what was freed by the time it is caught",
    `
import sys

class Noisy:
    def __del__(self):
        print("del", type(self).__name__)

class Boom(Noisy):
    def __init__(self, n):
        self.n = n
        if n > 1:
            raise ValueError(f"no {n}")

def make(n):
    return Boom(n)

for n in (1, 2):
    try:
        b = make(n)
        print("made", b.n)
        del b
    except ValueError as e:
        tb = e.__traceback__
        lines = []
        while tb is not None:
            lines.append(tb.tb_lineno)
            tb = tb.tb_next
        print("caught", e, lines)
        del e
print("end")`,
  ],
  [
    "__init__ returning something else than None",
    `
class Odd:
    def __init__(self, v):
        self.v = v
        return v

try:
    Odd(5)
except TypeError as e:
    print(e, e.__traceback__.tb_next)
try:
    Odd(None)
    print("None is fine")
except TypeError as e:
    print("unexpected", e)`,
  ],
  [
    "recursion through __init__ counts two levels a call, as the C call and the frame",
    `
import sys

class Node:
    def __init__(self, depth):
        self.child = Node(depth + 1) if depth < 10_000 else None

sys.setrecursionlimit(200)
try:
    Node(0)
except RecursionError as e:
    print(e)
class Deep:
    def __init__(self, n):
        if n:
            Deep(n - 1)
def plain(n):
    return plain(n - 1) if n else 0

def lowest(call):
    # The lowest recursion limit under which call() succeeds, and the errors just below it.
    limit = 2
    errors = []
    while True:
        try:
            sys.setrecursionlimit(limit)
        except RecursionError:
            limit += 1
            continue
        try:
            call()
            return limit, errors[-4:]
        except RecursionError as e:
            errors.append(str(e))
        limit += 1

# Relative to a plain recursion as deep, so that the frames below the program do not count.
plain_limit, _ = lowest(lambda: plain(12))
deep_limit, errors = lowest(lambda: Deep(12))
sys.setrecursionlimit(1000)
print(deep_limit - plain_limit, errors)`,
  ],
  [
    "sys._getframe inside __init__ is __init__'s own frame",
    `
import sys

class Where:
    def __init__(self):
        self.frame = sys._getframe()

def outer():
    w = Where()
    return w.frame is sys._getframe(), type(w.frame).__name__

print(outer())`,
  ],
  [
    "ids and gc counts across instances made and dropped, and the errors of other calls",
    `
import gc
class Pair:
    def __init__(self, index):
        self.index = index
        self.partner = None

gc.collect()
ids = []
counts = []
for i in range(300):
    a = Pair(i)
    b = Pair(i + 1)
    a.partner = b
    b.partner = a
    ids.append(id(a) == id(b))
    counts.append(gc.get_count()[0])
print(sum(ids), counts[:20], counts[-5:])

class Kw:
    def __init__(self, a, b=2, *, c=3):
        self.s = a + b + c

print(Kw(1).s, Kw(1, c=10).s, Kw(a=1, b=1).s)
try:
    Kw()
except TypeError as e:
    print(e)
try:
    Pair(1, 2)
except TypeError as e:
    print(e)
class NoInit:
    pass
try:
    NoInit(1)
except TypeError as e:
    print(e)
print(type(NoInit()).__name__)`,
  ],
];

describeAgainstPython("class calls against python3", programs);

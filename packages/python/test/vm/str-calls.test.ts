// `str(x)` as CALL runs it itself: the C call and the packed argument tuple of
// `_PyObject_MakeTpCall`, PyObject_Str's recursion level and what it gives for each kind of
// argument, against python3. Each program prints what only the same behaviour prints: values,
// errors and their messages at the recursion limit, reference counts inside `__str__` and ids
// of the results.

import { describeAgainstPython } from "./against-python.js";

describeAgainstPython("str() calls", [
  [
    "str of every kind of argument, and its errors",
    `
class S(str):
    pass

class I(int):
    def __str__(self):
        return "I!"

class Named:
    def __str__(self):
        return "named"

class Bad:
    def __str__(self):
        return 5

class ReprOnly:
    def __repr__(self):
        return "repr-only"

for x in (0, 7, -3, 2**40, -2**62, 10**30, True, False, None, 1.5, "abc", S("sub"), I(3),
          Named(), ReprOnly(), b"by", [1, "a"], (2,), {3: 4}, {5}, str, len):
    r = str(x)
    print(type(r).__name__, r)
for x in (Bad(),):
    try:
        str(x)
    except TypeError as e:
        print(e)
s = "kept"
print(str(s) is s, type(str(S("x"))).__name__, str(S("x")) == "x")
print(str(), str(b"ab", "ascii"))
for args in ((1, 2, 3, 4), ("a", "ascii")):
    try:
        str(*args)
    except TypeError as e:
        print(e)
try:
    str(10**5000)
except ValueError as e:
    print(str(e)[:40])
`,
  ],
  [
    "the recursion limit reached inside str(int)",
    `
import sys

def probe(depth):
    out = []
    def f(n):
        if n == 0:
            try:
                out.append((lambda: str(5))())
            except RecursionError as e:
                out.append(str(e))
            return
        f(n - 1)
    f(depth)
    return out

sys.setrecursionlimit(100)
# The depth where the call itself fails, then the last depths before it.
top = 0
while True:
    try:
        probe(top)
    except RecursionError:
        break
    top += 1
for d in range(top - 4, top):
    print(top - d, probe(d))
`,
  ],
  [
    "ids and reference counts of str() results",
    `
import sys

def digits(n):
    s = ""
    for i in range(n):
        s += str(i % 10)
    return s

def keys(n):
    d = {}
    for i in range(n):
        d["k" + str(i)] = i
    return d

print(len(digits(2000)), len(keys(500)))
a = str(12345)
b = str(12345)
print(a == b, a is b, sys.getrefcount(a))
seen = set()
for i in range(20):
    seen.add(id(str(i + 1000)))
print(len(seen))
`,
  ],
  [
    "the packed tuple of str(x) before and after its code is quickened, at sites of one and of many callables",
    `
# A reference count taken inside __str__ is one higher while the call packs its argument:
# before the code is quickened (eight calls or loop iterations), and at a site whose adaptive
# call specialised on another callable until it misses often enough to try again.
import sys

class P:
    def __iter__(self):
        return iter(())

    def __abs__(self):
        return 1

    def __str__(self):
        return str(sys.getrefcount(self))

p = P()

def mono(n):
    return [str(p) for _ in range(n)]

def call(f, x):
    return f(x)

def mixed(fs, rounds):
    out = []
    for _ in range(rounds):
        for f in fs:
            r = call(f, p)
            out.append(r if type(r) is str and len(r) < 3 else "-")
    return "".join(out)

class C:
    def __init__(self, x):
        self.x = x

def py_str(x):
    return "f"

print(" ".join(mono(12)))
print(mixed((str,), 20))
print(mixed((repr, str), 80))
print(mixed((str, repr), 80))
print(mixed((py_str, str, str), 70))
print(mixed((C, str), 80))
print(mixed((len, str), 3) if False else "", mixed((abs, str, repr), 60))
print(mixed((bool, str), 70))
print(mixed((type, str, tuple), 70))
for f in (str, repr, str):
    for _ in range(10):
        print(f(p) if f is str else "r", end=" ")
print()
def gen():
    while True:
        yield str(p)
g = gen()
print(" ".join(next(g) for _ in range(12)))
`,
  ],
]);

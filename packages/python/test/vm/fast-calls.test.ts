// The evaluator's shortcuts against python3: builtins CALL runs without their general entry
// (`len`, `list.append`, `list.pop()`, any builtin with few operands), and a comparison of two
// ints or floats fused with the jump after it. Each program reaches a shortcut and its edges
// (other receivers, wrong argument counts, errors, objects dying as the call ends) and prints
// what only the same behaviour prints: values, errors, ids, reference counts and traced memory.
// `sum` is here too: its totals stay outside the heap while they fit, as in CPython.

import { describeAgainstPython } from "./against-python.js";

describeAgainstPython("calls the evaluator runs itself", [
  [
    "len of every sized kind, of __len__ classes, and its errors",
    `
class Sized:
    def __init__(self, n):
        self.n = n
    def __len__(self):
        return self.n

class Bad:
    def __len__(self):
        return "three"

print(len([1, 2]), len((1,)), len("héllo"), len({1: 2}), len({1, 2, 3}), len(range(0, 10, 3)))
print(len(b"abc"), len(frozenset()), len(Sized(4)))

class Short(list):
    def __len__(self):
        return 1

class Pair(tuple):
    def __len__(self):
        return 2

print(len(Short([1, 2, 3])), len(Pair((1, 2, 3))), len(type("L", (list,), {})([4, 5])))
big = list(range(300))
print(len(big), len(tuple(big)), len([]), len(()), len(big * 4))
for thing in (Sized(-1), Bad(), 5, None):
    try:
        len(thing)
    except Exception as e:
        print(type(e).__name__, e)
try:
    len()
except TypeError as e:
    print(e)
try:
    len([], [])
except TypeError as e:
    print(e)
try:
    len(x=[])
except TypeError as e:
    print(e)`,
  ],
  [
    "the truth of lists and ints in conditions, subclasses with their own truth",
    `
class Never(list):
    def __bool__(self):
        return False

class Empty(list):
    def __len__(self):
        return 0

class Yes(int):
    def __bool__(self):
        return True

items = [3, 2, 1]
popped = []
while items:
    popped.append(items.pop())
print(popped, items)
for value in (0, 1, -1, 2**30, 2**64, -(2**64), [], [0], [[]], Never([1]), Empty([1]), Yes(0), Yes(5), True, False):
    if value:
        print(repr(value), "true")
    else:
        print(repr(value), "false")
    print(repr(value), "not" if not value else "is")
n = 5
while n:
    n -= 1
print(n)`,
  ],
  [
    "append and pop on lists, through the class, with wrong argument counts",
    `
import sys

items = []
for i in range(5):
    items.append(i)
print(items, items.pop(), items.pop(0), items)
list.append(items, "via the class")
print(items, list.pop(items))
for call in (lambda: [].pop(), lambda: items.append(), lambda: items.append(1, 2), lambda: items.pop(1, 2),
             lambda: items.pop(99)):
    try:
        call()
    except Exception as e:
        print(type(e).__name__, e)
x = object()
before = sys.getrefcount(x)
items.append(x)
print(sys.getrefcount(x) - before)
items.pop()
print(sys.getrefcount(x) - before)`,
  ],
  [
    "a temporary list dies as append returns, and popped items die when dropped",
    `
class Noisy:
    def __init__(self, name):
        self.name = name
    def __del__(self):
        print("del", self.name)

[Noisy("in a temporary list")].append(Noisy("appended"))
print("after the append")
keep = [Noisy("a"), Noisy("b")]
keep.pop()
print("after the pop")
print(keep.pop().name)
print("end")`,
  ],
  [
    "ids of popped and re-appended objects, and of the lists' item blocks' reuse",
    `
a = [object() for _ in range(3)]
ids = [id(o) for o in a]
b = []
while a:
    b.append(a.pop())
print([ids.index(id(o)) for o in b])
b.append(b.pop())
print([ids.index(id(o)) for o in b], len(a), len(b))`,
  ],
  [
    "other builtins with few and many arguments, bound builtin methods, keyword calls",
    `
d = {"a": 1}
get = d.get
print(get("a"), get("b", 2), abs(-3), max(1, 5, 3, 2), min([4, 2, 8]), isinstance(1, int))
print(divmod(7, 2), pow(2, 10, 1000), round(2.675, 2), sorted([3, 1, 2], reverse=True))
print("-".join(["x", "y"]), "a,b".split(","), sum([1, 2, 3], 10))
try:
    abs()
except TypeError as e:
    print(e)`,
  ],
  [
    "sum keeps an int or float total outside the heap while the items fit, as CPython's",
    `
import tracemalloc
xs = list(range(1000, 2000))
tracemalloc.start()
s = sum(xs)
print(s, tracemalloc.get_traced_memory())
tracemalloc.stop()
print(sum([2**62, 2**62, 2**62, -2**63, 1]), sum([], 2**80), sum([1, 2], 2**80), sum([True, True, 3]))
print(sum([0.5] * 10 + [1, True, 2**70]), sum([1, 2.5, 3]), sum([1.5, 2**1000]), sum([1, 2], 0.5))
print(sum((x * x for x in range(10)), -5), sum([[1], [2]], []), sum([1, 2], start=10))
for bad in (lambda: sum(["a"]), lambda: sum([1, "a"]), lambda: sum([1.5, "a"]), lambda: sum(["a"], "")):
    try:
        bad()
    except TypeError as e:
        print(e)
print(float("inf") == sum([float("inf"), 1]), sum([float("nan")]) != 0)`,
  ],
  [
    "int and float comparisons before a jump, NaN, mixed kinds and chains",
    `
nan = float("nan")
out = []
for a, b in ((1, 2), (2, 1), (2, 2), (-5, 3), (1.5, 1.5), (nan, nan), (nan, 1.0), (2**40, 2**40 + 1),
             (1, 1.0), (True, 1), ("a", "b")):
    r = []
    if a < b: r.append("<")
    if a <= b: r.append("<=")
    if a == b: r.append("==")
    if a != b: r.append("!=")
    if a > b: r.append(">")
    if a >= b: r.append(">=")
    if not a < b: r.append("not <")
    out.append("".join(r) or "-")
print(out)
i = 0
while i < 10:
    i += 3
print(i, 1 < 2 < 3, 3 > 2 > 2, [x for x in range(10) if 2 < x <= 5])`,
  ],
]);

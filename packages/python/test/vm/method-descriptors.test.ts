// A built-in type's methods as the class holds them, against python3: `list.append` is a
// `method_descriptor` and `list.__init__` a `wrapper_descriptor`, with their reprs, sizes,
// tracking and referents, called with the object first, and CPython's TypeErrors for a missing
// or foreign first argument.

import { describeAgainstPython } from "./against-python.js";

describeAgainstPython("built-in method descriptors", [
  [
    "types, reprs, sizes and tracking",
    `import gc, sys
for d in (list.append, str.upper, dict.get, list.__init__, int.__add__, set.add):
    print(repr(d), type(d).__name__, sys.getsizeof(d), gc.is_tracked(d))
print(gc.get_referents(list.append), gc.get_referents(dict.get))
print(list.append.__name__, list.append.__qualname__, list.append.__objclass__)
print(len.__name__, [].append.__name__, [].append.__qualname__, type([].append).__name__)
print(list.append is list.append, list.append is [].append)
class L(list):
    pass
print(L.append is list.append, type(L.append).__name__)`,
  ],
  [
    "called with the object first",
    `l = []
list.append(l, 1)
list.extend(l, (2, 3))
print(l, list.__len__(l), str.upper("ab"), dict.get({1: 2}, 1), int.__add__(2, 3))
class L(list):
    pass
x = L()
list.append(x, 3)
print(x, list.pop(x), x)
print(list(map(str.strip, [" a ", "b "])), sorted(["B", "a"], key=str.lower))
print(int.__add__(True, 2))`,
  ],
  [
    "a missing or foreign first argument",
    `def show(f, *args):
    try:
        print(f(*args))
    except TypeError as e:
        print(type(e).__name__, e)
show(list.append, 1, 2)
show(list.append)
show(str.upper, 1)
show(str.upper)
show(dict.get, [], 1)
show(list.__init__, 1)
show(list.__len__)
show(int.__add__, 1.5, 2)
show(list.append, [])
show(list.sort, [], 1)
l = []
f = list.append
for i in range(3):
    f(l, i)
print(l)`,
  ],
]);

// The built-in types' class methods and static methods, reached through the class and through
// an instance (dict.fromkeys, bytes.fromhex, str.maketrans), and str.translate, against python3.

import { describeAgainstPython } from "./against-python.js";

describeAgainstPython("class and static methods of built-in types", [
  [
    "dict.fromkeys and bytes.fromhex, from the class, an instance and a subclass",
    `import sys
print(dict.fromkeys("ab"), {}.fromkeys("cd", 1), dict.fromkeys([1], 2), {"z": 0}.fromkeys("q"))
class D(dict):
    pass
d = D.fromkeys("xy", 0)
print(type(d).__name__, d, sys.getsizeof(dict.fromkeys(range(3))))
print(bytes.fromhex("41 42"), b"".fromhex("43"))`,
  ],
  [
    "str.maketrans and str.translate",
    `import sys
t = str.maketrans("abc", "xyz", "d")
print(sorted(t.items()), "abcd-abcd".translate(t))
print("hello".translate({ord("l"): "L", ord("o"): None, ord("h"): 72}))
print("hi".translate(str.maketrans({"h": "J", 105: "o"})), "".maketrans("a", "b"))
for bad in (lambda: str.maketrans(1), lambda: str.maketrans("ab", "c"), lambda: str.maketrans({"ab": 1}),
            lambda: str.maketrans({1.5: 1}), lambda: "x".translate({120: 1.5}), lambda: "x".translate({120: -1}),
            lambda: str.maketrans(1, "a"), lambda: dict.fromkeys(), lambda: {}.fromkeys(1, 2, 3)):
    try:
        print(bad())
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)
class Table:
    def __getitem__(self, k):
        if k == ord("a"):
            return "A"
        raise IndexError(k)
print("banana".translate(Table()))
print(callable(dict.fromkeys), callable({}.fromkeys))`,
  ],
]);

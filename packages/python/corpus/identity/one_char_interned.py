# A one-character str literal that looks like an identifier is interned by the compiler. CPython
# 3.11 starts with some of those characters already interned as static strs of its own modules
# (not the cached latin-1 singletons), so for them the literal and chr() are different objects;
# for the others the interned str is the singleton itself.
import sys

for literal in ("a", "b", "g", "z", "B", "G", "_", "9", "!"):
    singleton = chr(ord(literal))
    print(repr(literal), "literal is chr():", literal is singleton,
          " interned is chr():", sys.intern(singleton) is singleton,
          " literal is interned:", literal is sys.intern(singleton))

a, g, ab, gh = "a", "g", "ab", "gh"
print("'ab'[0] is 'a':", ab[0] is a, " 'gh'[0] is 'g':", gh[0] is g)


class Point:
    x = 0
    z = 0


names = list(vars(Point))
print("attribute x is chr(120):", names[names.index("x")] is chr(120),
      " attribute z is chr(122):", names[names.index("z")] is chr(122))

# A module's attributes live in its __dict__, the one dict gc.get_referents shows for it.
import gc
import math
import sys

print(type(sys.__dict__).__name__, sys.__dict__ is vars(sys))
print(any(r is math.__dict__ for r in gc.get_referents(math)))
math.answer = 42
print(math.__dict__["answer"], "answer" in dir(math))
del math.answer
print("answer" in math.__dict__)
try:
    math.__dict__ = {}
except AttributeError as e:
    print("AttributeError:", e)

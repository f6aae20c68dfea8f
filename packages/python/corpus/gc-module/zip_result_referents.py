# A zip object refers to the tuple of its iterators and to a result tuple it keeps for reuse.
# The result tuple exists from the start, filled with None, and afterwards holds the last items.
import gc
import sys

z = zip("ab", [10, 20], (True, False))
iterators, result = gc.get_referents(z)
print("size:", sys.getsizeof(z))
print("iterators:", [type(it).__name__ for it in iterators])
print("result before any step:", result)
step = next(z)
print("while we hold it too, a step makes a new tuple:", step is not result)
del iterators, result, step
step = next(z)
print("once only zip holds it, the step is that tuple:", step is gc.get_referents(z)[1])
print("result now:", step)
e = enumerate("xy")
print("enumerate refers to:", [type(r).__name__ for r in gc.get_referents(e)], gc.get_referents(e)[1])

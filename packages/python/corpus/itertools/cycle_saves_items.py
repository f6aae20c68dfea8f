# itertools.cycle saves every item of its first pass in a list of its own, so it can repeat
# them after its source is exhausted: each item gains a reference, held until the cycle object
# is gone.
import itertools
import sys

word = "".join(["re", "d"])
source = [word, "blue"]
before = sys.getrefcount(word)
colours = itertools.cycle(source)
print("created:", sys.getrefcount(word) - before)
# (The items are compared rather than printed: a printed str waits in sys.stdout's buffer.)
print(next(colours) is word, next(colours))
print("after the first pass:", sys.getrefcount(word) - before)
print(next(colours) is word, next(colours), next(colours) is word)
del colours
print("after del:", sys.getrefcount(word) - before)

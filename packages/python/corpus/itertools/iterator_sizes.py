# itertools objects are small fixed-size structures tracked by the collector; the combinatoric
# ones also keep arrays of indices whose length follows their input and r.
import gc
import itertools
import sys

print("count", sys.getsizeof(itertools.count()), gc.is_tracked(itertools.count()))
print("repeat", sys.getsizeof(itertools.repeat("x", 3)))
print("chain", sys.getsizeof(itertools.chain([1], [2])))
print("islice", sys.getsizeof(itertools.islice(range(10), 3)))
print("groupby", sys.getsizeof(itertools.groupby("aab")))
for r in range(4):
    print("combinations of 5, r =", r, sys.getsizeof(itertools.combinations(range(5), r)))
for n in range(1, 4):
    print("product of", n, "pools", sys.getsizeof(itertools.product(*["ab"] * n)))
print("permutations(range(4))", sys.getsizeof(itertools.permutations(range(4))))

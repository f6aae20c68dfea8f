# groupby yields (key, group) pairs whose groups share one underlying iterator: a group holds
# its groupby object, and advancing the groupby ends the previous group.
import itertools
import sys

runs = itertools.groupby("aaabbc")
key, group = next(runs)
print(key, "groupby references:", sys.getrefcount(runs))
print("first of the group:", next(group))
key2, group2 = next(runs)
print("after advancing, the old group is finished:", list(group))
print(key2, list(group2))
print([(k, len(list(g))) for k, g in itertools.groupby("xxyzz")])

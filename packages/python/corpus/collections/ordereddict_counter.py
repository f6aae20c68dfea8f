# OrderedDict remembers order in its own linked nodes (bigger than a dict), and Counter is a
# plain dict subclass whose missing keys count as 0.
import sys
from collections import Counter, OrderedDict

d = {}
od = OrderedDict()
for k in "abcde":
    d[k] = 1
    od[k] = 1
# odict adds a node per key and a table of node pointers the size of the hash table.
print("dict", sys.getsizeof(d), "OrderedDict", sys.getsizeof(od))
od.move_to_end("a")
print(list(od), od == OrderedDict.fromkeys("bcdea", 1), dict(od) == d)

c = Counter("mississippi")
print(c.most_common(2), c["x"], "x" in c)
print(sys.getsizeof(Counter()), sys.getsizeof({}))

# The first repr of a container makes the thread state's dict and its Py_Repr list, for good.
import gc

# Py_ReprEnter records which containers are being printed (that is how [...] is shown for a
# list inside itself). Its list lives in a per-thread dict that is made on first use: two
# tracked objects, counted in generation 0, that stay. Empty lists and tuples skip the guard.
empty, pair, other, nested = [], [1, 2], [3, 4], {"a": (1, 2)}
gc.collect()
c0 = gc.get_count()[0]
s = repr(empty)
c1 = gc.get_count()[0]
s = repr(pair)
c2 = gc.get_count()[0]
s = repr(other)
c3 = gc.get_count()[0]
s = repr(nested)
c4 = gc.get_count()[0]
# The first reading's tuple is counted in the first step (the others reuse it).
print("repr([]), the first repr([1, 2]), then [3, 4], then a dict:")
print(c1 - c0, c2 - c1, c3 - c2, c4 - c3)

# A self-containing list shows [...] where it meets itself; a dict inside itself shows {...}.
a = [1]
a.append(a)
d = {}
d["me"] = d
print(a, d)

# tracemalloc sees an in-place s += t as a realloc: the old block's trace goes, the new one's
# comes, so the peak never holds both. A copy holds the old and the new str at once.
import tracemalloc


def grow(n, alias):
    s = "t" + str(n)
    keep = None
    for i in range(n):
        if alias:
            keep = s
        s += "x"
    return len(s)


grow(10, False)
grow(10, True)
for n in [100, 1000, 5000]:
    for alias in [False, True]:
        tracemalloc.start()
        base = tracemalloc.get_traced_memory()[0]
        length = grow(n, alias)
        current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(n, "aliased" if alias else "alone  ", length, "peak above start:", peak - base)

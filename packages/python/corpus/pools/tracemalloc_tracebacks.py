# tracemalloc.start(3) keeps three frames per block: statistics by whole traceback tell a
# helper's allocations apart by who called it, and cumulative statistics count a block once
# for every frame it was allocated under.
import gc
import tracemalloc

gc.collect()
tracemalloc.start(3)


def make(n):
    return [row_of(i) for i in range(n)]


def row_of(i):
    return [i] * 8  # a list object and an 8-slot item array


small = make(3)   # called from line 19
large = make(10)  # called from line 20

here = [tracemalloc.Filter(True, __file__)]
snapshot = tracemalloc.take_snapshot().filter_traces(here)
for stat in snapshot.statistics("traceback")[:4]:
    lines = [frame.lineno for frame in stat.traceback]
    print("frames", lines, "size", stat.size, "count", stat.count)

by_line = snapshot.statistics("lineno", cumulative=True)
print("cumulative:", [(s.traceback[0].lineno, s.count) for s in by_line[:4]])
whole = snapshot.statistics("filename", cumulative=True)[0]
print("one file, each block counted per frame:", whole.count)

tracebacks = [stat.traceback for stat in snapshot.statistics("traceback")]
print(sorted(tracebacks) == sorted(tracebacks, key=lambda t: [f.lineno for f in t]))
first = tracebacks[0]
print(first == first, first != tracebacks[1], first[0] in first, len(first), first.total_nframe)
print(tracemalloc.get_object_traceback(large[0]).format()[-1].strip())
for bad in ("bad", "traceback"):
    try:
        snapshot.statistics(bad, cumulative=bad == "traceback")
    except ValueError as e:
        print("ValueError:", e)

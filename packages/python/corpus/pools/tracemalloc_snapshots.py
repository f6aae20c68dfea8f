# tracemalloc snapshots: which lines own the live blocks, and what changed between two.
# A snapshot lists every traced block with the line that allocated it; statistics group
# them by line (or file, or whole traceback), biggest first; compare_to gives each line's
# change. Filtering on this file leaves out the blocks tracemalloc's own code made.
import gc
import tracemalloc

gc.collect()  # empties the free lists, so every block below is a new allocation
tracemalloc.start()


def make_rows(n):
    return [list(range(20)) for _ in range(n)]  # one list object and one item array per row


rows = make_rows(30)
table = {i: str(i) * 3 for i in range(200)}
words = " ".join(["memory"] * 50)

here = (tracemalloc.Filter(True, __file__),)
first = tracemalloc.take_snapshot().filter_traces(here)
for stat in first.statistics("lineno")[:3]:
    frame = stat.traceback[0]
    print("line", frame.lineno, "size", stat.size, "count", stat.count)

print(sum(s.size for s in first.statistics("filename")) == sum(s.size for s in first.statistics("lineno")))
print(len(first.traces) == sum(s.count for s in first.statistics("lineno")))

tb = tracemalloc.get_object_traceback(rows[0])
print("rows[0] made at line", tb[0].lineno, "of this file:", tb[0].filename == __file__)
print(tracemalloc.get_object_traceback(12) is None)  # a small int was never allocated here

del rows[:20]
table.clear()
second = tracemalloc.take_snapshot().filter_traces(here)
# (Further down the lists come lines whose blocks python3 reuses from its free lists while
# tracemalloc's own code runs, which depends on where the program's file is.)
for diff in second.compare_to(first, "lineno")[:2]:
    print("line", diff.traceback[0].lineno, "size", diff.size, "change", diff.size_diff,
          "count", diff.count, "change", diff.count_diff)

current, peak = tracemalloc.get_traced_memory()
print(peak >= current > 0)
tracemalloc.stop()
print(tracemalloc.is_tracing(), tracemalloc.get_traced_memory())
try:
    tracemalloc.take_snapshot()
except RuntimeError as e:
    print("RuntimeError:", e)

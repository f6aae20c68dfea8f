# What json.loads builds has the sizes of containers grown one item at a time: each list is
# appended to and each dict filled key by key, so they carry the same spare room as a list built
# with append() or a dict built by assignment, not the exact fit of a literal display.
import json
import sys

for n in [1, 3, 5, 9, 17]:
    loaded = json.loads(json.dumps(list(range(n))))
    appended = []
    for i in range(n):
        appended.append(i)
    display = eval(repr(list(range(n))))
    print(f"list of {n:2}: loaded {sys.getsizeof(loaded)}, appended {sys.getsizeof(appended)},",
          f"display {sys.getsizeof(display)}")

for n in [1, 5, 6, 11, 22]:
    keys = [f"k{i}" for i in range(n)]
    loaded = json.loads(json.dumps(dict.fromkeys(keys, 0)))
    assigned = {}
    for k in keys:
        assigned[k] = 0
    print(f"dict of {n:2}: loaded {sys.getsizeof(loaded)}, assigned {sys.getsizeof(assigned)}")

# defaultdict's factory runs on missing keys only: d[key] on a missing key calls
# default_factory(), stores the result and returns it; get() and `in` never call it.
import sys
from collections import defaultdict

calls = []


def make_list():
    calls.append(1)
    return []


groups = defaultdict(make_list)
for word in ["apple", "avocado", "banana", "blueberry", "cherry"]:
    groups[word[0]].append(word)
print(dict(groups), "factory calls:", len(calls))

print(groups.get("z"), "z" in groups, "factory calls:", len(calls))
print(groups["z"], "factory calls:", len(calls), "len", len(groups))

# A defaultdict is a dict with one more pointer: 8 bytes bigger than a dict.
print(sys.getsizeof({}), sys.getsizeof(defaultdict(list)))
print(repr(defaultdict(int)))

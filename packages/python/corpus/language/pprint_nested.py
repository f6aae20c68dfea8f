# pprint lays out nested containers to fit a width: a dict too long for one line puts each key
# on its own line (sorted), and the lists inside break only when they do not fit either.
import pprint

inventory = {
    "fruit": ["apple", "banana", "cherry", "damson", "elderberry", "fig", "grape"],
    "counts": {"apple": 3, "banana": 12, "cherry": 40},
    "empty": [],
    "matrix": [[row * 4 + col for col in range(4)] for row in range(4)],
}
pprint.pprint(inventory)
pprint.pprint(inventory, width=40, compact=True)
pprint.pp(inventory, depth=1)
print(pprint.pformat(tuple(range(12)), width=20))

# Which objects a sequence or a mapping pattern accepts: lists, tuples, ranges, deques and
# registered Sequence classes are sequences, str and bytes are not; dicts and their subclasses
# are mappings, and a mapping pattern reads keys with get(), leaving a defaultdict unchanged.
from collections import defaultdict, deque
from collections.abc import Sequence


class Pair(Sequence):
    def __getitem__(self, i):
        return ("left", "right")[i]

    def __len__(self):
        return 2


def kind(subject):
    match subject:
        case {"a": value}:
            return f"mapping with a={value}"
        case {}:
            return "mapping"
        case [x, y]:
            return f"pair {x!r}, {y!r}"
        case [*items]:
            return f"sequence of {len(items)}"
        case _:
            return "neither"


for s in ["ab", b"ab", [1, 2], (1, 2, 3), range(2), deque("xy"), Pair(), {"a": 1}, {}, {1, 2}]:
    print(type(s).__name__, "->", kind(s))

counts = defaultdict(int, a=1)
print(kind(counts), sorted(counts))

match {"x": 1, "y": 2, "z": 3}:
    case {"x": 1, **others}:
        print("others:", others)
match (1, 2, 3, 4):
    case (first, *middle, last):
        print(first, middle, last)

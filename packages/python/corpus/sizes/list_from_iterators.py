# A list filled from an iterator without a length first makes room for eight items (the
# length-hint default), grows as appends grow it, and gives back the room only if over half is unused.
import sys


def sizes(n):
    data = list(range(n))
    built = [
        list(x for x in data),
        list(map(abs, data)),
        [*filter(None, data)],
        list(iter(data)),
        list(range(n)),
        list(zip(data, data)),
        tuple(x for x in data),
    ]
    grown = [0, 1, 2]
    grown.extend(x for x in data)
    built.append(grown)
    return [sys.getsizeof(x) for x in built]


for n in (0, 1, 3, 4, 5, 8, 9, 12, 17, 30, 100):
    print(n, sizes(n))

# Recursion that passes through list(map(...)) stops at the same depth as plain recursion:
# calling list or map (types CPython calls through vectorcall) adds no level to the count,
# only the Python frames do. Calling int() does: it goes through the generic type call.
import sys

sys.setrecursionlimit(300)


def plain(n):
    global reached
    reached = n
    return plain(n + 1)


def through_map(n):
    global reached
    reached = n
    return list(map(through_map, [n + 1]))


class Deeper:
    def __init__(self, n):
        self.n = n

    def __int__(self):
        return through_int(self.n + 1)


def through_int(n):
    global reached
    reached = n
    return int(Deeper(n))


for f in (plain, through_map, through_int):
    reached = 0
    try:
        f(0)
    except RecursionError as e:
        print(f.__name__, reached, e)

# sys.setrecursionlimit changes how deep calls may go: the deepest frame sits exactly at the limit.
import sys


def dive(depth):
    # `depth` is this frame's depth, counting the module frame as 1.
    try:
        return dive(depth + 1)
    except RecursionError:
        return depth


old = sys.getrecursionlimit()
for limit in [50, 200, 3000]:
    sys.setrecursionlimit(limit)
    print("limit", limit, "-> deepest", dive(2))
sys.setrecursionlimit(old)
print("restored:", sys.getrecursionlimit())

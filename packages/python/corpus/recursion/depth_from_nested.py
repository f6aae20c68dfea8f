# Frames already on the stack count against the limit: starting deeper leaves less room.
import sys


def dive(depth):
    # `depth` is this frame's depth, counting the module frame as 1.
    try:
        return dive(depth + 1)
    except RecursionError:
        return depth


def start_at(levels_above, depth):
    if levels_above == 0:
        return dive(depth + 1)
    return start_at(levels_above - 1, depth + 1)


limit = sys.getrecursionlimit()
for above in [0, 1, 10, 100]:
    deepest = start_at(above, 2)
    room = deepest - (above + 2)
    print("with", above + 2, "frames below dive: deepest frame", deepest, "room left", room)
print("deepest frame equals the limit:", start_at(5, 2) == limit)

# The recursion limit must be positive and above the current depth (which counts the call itself).
import sys


def at_depth(n):
    if n > 1:
        return at_depth(n - 1)
    try:
        sys.setrecursionlimit(5)
        return "accepted"
    except RecursionError as e:
        return "RecursionError: " + str(e)


for value in [0, -3]:
    try:
        sys.setrecursionlimit(value)
    except ValueError as e:
        print("ValueError:", e)
print(at_depth(10))
print("limit unchanged:", sys.getrecursionlimit())

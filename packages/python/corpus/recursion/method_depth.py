# Method calls count toward the recursion limit like plain function calls.
import sys


class Walker:
    def __init__(self):
        self.deepest = 0

    def step(self, depth):
        # `depth` is this frame's depth, counting the module frame as 1.
        self.deepest = depth
        self.step(depth + 1)


w = Walker()
try:
    w.step(2)
except RecursionError:
    pass
print("deepest method frame:", w.deepest)
print("equals the limit:", w.deepest == sys.getrecursionlimit())

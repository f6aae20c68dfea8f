# Python stops runaway recursion with RecursionError when the call depth would pass the limit.
import sys


def dive(calls):
    try:
        return dive(calls + 1)
    except RecursionError:
        return calls


print("limit:", sys.getrecursionlimit())
# The module's own frame is one of the allowed frames, so limit - 1 calls of dive fit.
print("calls of dive that fit:", dive(1))

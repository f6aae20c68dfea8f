# Which builtin calls count toward the recursion limit in CPython 3.11: once a
# call site is specialised (after its code has run a few times), next(), sum()
# and the other METH_FASTCALL builtins add no level, while min() and max()
# always add one, and str() adds one for PyObject_Str.
import sys

sys.setrecursionlimit(200)
reached = 0


def depth_through(step):
    global reached
    reached = 0
    try:
        step(0)
    except RecursionError:
        pass
    return reached


def plain(n):
    global reached
    reached = n
    return plain(n + 1)


def numbers(n, f):
    yield f(n + 1)


def via_next(n):
    global reached
    reached = n
    return next(numbers(n, via_next))


def via_sum(n):
    global reached
    reached = n
    return sum(numbers(n, via_sum))


def via_min(n):
    global reached
    reached = n
    return min(numbers(n, via_min))


class Text:
    def __init__(self, n):
        self.n = n

    def __str__(self):
        return via_str(self.n + 1)


def via_str(n):
    global reached
    reached = n
    return str(Text(n))


base = depth_through(plain)
for name, step in [("next", via_next), ("sum", via_sum), ("min", via_min), ("str", via_str)]:
    print(name, "reaches", depth_through(step), "levels; plain recursion", base)

# A generator embeds its frame: sys.getsizeof grows with the code's locals and value-stack slots.
import sys


def no_locals():
    yield


def two_args(a, b):
    yield a + b


def many_locals(n):
    a = b = c = d = e = f = n
    yield a, b, c, d, e, f


def nested_calls(x):
    yield len(str(abs(max(x, 0))))


for g in [no_locals(), two_args(1, 2), many_locals(0), nested_calls(5), (i for i in "ab")]:
    print(g.__name__, sys.getsizeof(g))
# The size does not change as the generator runs: the frame is allocated with it.
g = many_locals(3)
before = sys.getsizeof(g)
next(g)
print("same size after running:", sys.getsizeof(g) == before)

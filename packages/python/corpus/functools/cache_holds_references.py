# functools.cache stores each call's argument and result in its dict: both gain a reference
# from the cache, which only cache_clear() gives back.
import functools
import sys


class Point:
    def __init__(self, x):
        self.x = x


@functools.cache
def double(p):
    return Point(p.x * 2)


p = Point(1)
print("argument before the call:", sys.getrefcount(p))
result = double(p)
# The key is the call's arguments tuple, which holds p; the dict holds the tuple and the result.
print("argument after the call:", sys.getrefcount(p))
print("result:", sys.getrefcount(result))
print("same object on a hit:", double(p) is result, double.cache_info())

double.cache_clear()
print("after cache_clear:", sys.getrefcount(p), sys.getrefcount(result))

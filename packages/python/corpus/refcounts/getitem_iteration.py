# A class with only __getitem__ is iterable: iter() wraps it in a small `iterator` object that
# asks for items 0, 1, 2, ... until IndexError, holding the sequence until then.
import gc
import sys


class Squares:
    def __init__(self, n):
        self.n = n

    def __getitem__(self, i):
        if i >= self.n:
            raise IndexError(i)
        return i * i


s = Squares(5)
print(list(s), 9 in s, 10 in s, sum(s), max(s))

base = sys.getrefcount(s)
it = iter(s)
print(type(it).__name__, sys.getsizeof(it), gc.is_tracked(it), sys.getrefcount(s) - base)
print(next(it), next(it), list(it))
print(sys.getrefcount(s) - base)  # exhausted: the iterator let go of s
print(next(it, "done"))  # and stays exhausted

# StopIteration from __getitem__ ends the iteration too; any other exception propagates.
class Letters:
    def __getitem__(self, i):
        if i == 3:
            raise StopIteration
        if i > 3:
            raise KeyError(i)
        return "abc"[i]


print(list(Letters()), "".join(Letters()))


class Broken:
    def __getitem__(self, i):
        if i == 2:
            raise ValueError("no item 2")
        return i


try:
    print(list(Broken()))
except ValueError as e:
    print("ValueError:", e)

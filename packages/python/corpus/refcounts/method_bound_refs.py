# A bound method object holds a reference to its instance while the method object lives.
import sys


class Counter:
    def __init__(self):
        self.n = 0

    def bump(self):
        self.n += 1
        return self.n


c = Counter()
print("instance alone:", sys.getrefcount(c))

bound = c.bump
print("with a bound method:", sys.getrefcount(c))
bound()
bound()
print("count:", c.n)

del bound
print("bound method dropped:", sys.getrefcount(c))

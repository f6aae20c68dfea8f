# Two instances pointing at each other keep each other's refcount above zero after the names go.
import gc
import sys


class Peer:
    def __init__(self, name):
        self.name = name
        self.other = None


gc.collect()
a = Peer("a")
b = Peer("b")
a.other = b
b.other = a
print("a refcount:", sys.getrefcount(a))
print("b refcount:", sys.getrefcount(b))
del a, b
# Both instances are garbage together.
print("collected:", gc.collect())

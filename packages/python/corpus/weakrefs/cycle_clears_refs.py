# When the collector frees a cycle, weak references to its members are cleared and callbacks run.
import gc
import weakref


class Node:
    def __init__(self, name):
        self.name = name
        self.peer = None


gc.collect()
a = Node("a")
b = Node("b")
a.peer = b
b.peer = a
ra = weakref.ref(a, lambda r: print("callback for a"))
rb = weakref.ref(b)
del a, b
print("before collect:", ra() is not None, rb() is not None)
print("collected:", gc.collect())
print("after collect:", ra(), rb())

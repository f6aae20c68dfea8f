# Objects with __del__ on a cycle are finalized by the collector and then freed (since Python 3.4).
import gc


class Node:
    def __init__(self, name):
        self.name = name
        self.other = None

    def __del__(self):
        print("finalize", self.name)


gc.collect()
a = Node("a")
b = Node("b")
a.other = b
b.other = a
del a, b
print("nothing finalized yet")
found = gc.collect()
print("collected:", found)
print("garbage left:", len(gc.garbage))

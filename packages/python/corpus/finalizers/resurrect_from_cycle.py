# A cycle whose finalizer resurrects it is not freed: the collector sees it became reachable.
import gc

rescued = []


class Node:
    def __init__(self, name):
        self.name = name
        self.peer = None

    def __del__(self):
        print("finalize", self.name)
        rescued.append(self)


gc.collect()
a = Node("a")
b = Node("b")
a.peer = b
b.peer = a
del a, b
print("first collect:", gc.collect())
print("rescued:", sorted(n.name for n in rescued))
rescued.clear()
# Now unreachable again, but finalizers already ran: the cycle is simply freed.
print("second collect:", gc.collect())

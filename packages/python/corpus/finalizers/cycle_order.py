# In one collection, all finalizers on garbage cycles run before any of the objects is freed.
import gc

events = []


class Node:
    def __init__(self, name):
        self.name = name
        self.next = None

    def __del__(self):
        events.append("del " + self.name + " next=" + self.next.name)


gc.collect()
ring = [Node(n) for n in "abc"]
for i in range(3):
    ring[i].next = ring[(i + 1) % 3]
del ring
print("collected:", gc.collect())
# Each finalizer could still follow its `next` link: nothing was torn down yet.
for e in sorted(events):
    print(e)

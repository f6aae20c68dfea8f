# A deque is a container the cycle collector sees into: it is tracked from birth, its items are
# its referents, and a cycle through a deque is collected like one through a list.
import gc
import sys
from collections import deque

gc.collect()
d = deque(["a", "b"])
print("tracked:", gc.is_tracked(d), gc.is_tracked(deque()))
print("referents:", gc.get_referents(d))


class Task:
    def __init__(self, name):
        self.name = name
        self.queue = None


t = Task("job")
q = deque([t])
t.queue = q  # task -> queue -> task
print("refcount of task:", sys.getrefcount(t))
del t, q
print("collected:", gc.collect())

# A deque that holds itself repr's as [...] and is garbage once the name is gone.
s = deque()
s.append(s)
print(s)
del s
print("collected:", gc.collect())

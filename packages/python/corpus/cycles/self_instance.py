# An instance whose attribute points back at itself forms a one-object cycle.
import gc


class Node:
    def __init__(self):
        self.me = self


gc.collect()
n = Node()
print("self reference:", n.me is n)
del n
# Only the instance itself is unreachable (its attributes live inline, not in a separate dict).
print("collected:", gc.collect())

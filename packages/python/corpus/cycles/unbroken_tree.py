# The same parent/child structure left intact must wait for the collector.
import gc


class Parent:
    def __init__(self):
        self.children = []


class Child:
    def __init__(self, parent):
        self.parent = parent
        parent.children.append(self)


gc.collect()
p = Parent()
for _ in range(3):
    Child(p)
del p
# The parent, its children list, and the three children.
print("collected:", gc.collect())

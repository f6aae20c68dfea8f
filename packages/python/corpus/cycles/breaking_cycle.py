# Breaking a cycle by hand lets plain reference counting free it: the collector then finds nothing.
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
print("children:", len(p.children))

# Cut the back edges before dropping the last name.
for c in p.children:
    c.parent = None
del c
del p
print("collected after manual break:", gc.collect())

# A list subclass can hold itself, or hold an object that points back through its instance
# dict: reference counting cannot free either, and the collector has to look inside both the
# items and the dict.
import gc


class Node(list):
    def __del__(self):
        print("  finalizing", self.name)


gc.disable()
gc.collect()

a = Node()
a.name = "a"
a.append(a)  # the list holds itself
del a
print("self-holding list found:", gc.collect())

b = Node()
b.name = "b"
c = Node()
c.name = "c"
b.append(c)
c.partner = b  # back through the instance dict
del b, c
print("list/dict cycle found:", gc.collect())


class Graph(dict):
    pass


g = Graph()
g["self"] = g
g.meta = {"graph": g}
del g
print("dict subclass cycle found:", gc.collect())


class Bag(set):
    pass


holder = []
bag = Bag([1, 2])
bag.holder = holder
holder.append(bag)
del bag, holder
print("set subclass cycle found:", gc.collect())
gc.enable()

# An int or str never refers to anything, so it can never be part of a cycle, and the
# collector does not track them. Give it a subclass and an instance dict, and it can: this
# one stores itself as an attribute. The collector tracks such instances, and frees the
# cycle once nothing else refers to it. A tuple subclass is tracked too, and is never
# untracked the way a plain tuple of atoms is.
import gc


class Node(int):
    pass


class Label(str):
    pass


class Row(tuple):
    pass


print("plain int and str tracked:", gc.is_tracked(12345), gc.is_tracked("text"))
print("subclass instances tracked:", gc.is_tracked(Node(1)), gc.is_tracked(Label("x")))

gc.disable()
gc.collect()
a = Node(10**20)
a.me = a
b = Label("loop")
b.partner = b
holder = []
r = Row((holder,))
holder.append(r)
del a, b, holder, r
print("unreachable objects found:", gc.collect())

row = Row((1, 2, 3))
plain = tuple([1, 2, 3])
gc.collect()
print("after a collection, row tracked:", gc.is_tracked(row), "plain tuple tracked:", gc.is_tracked(plain))
gc.enable()

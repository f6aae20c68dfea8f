# An instance of a list subclass holds references to its items, to its attribute dict, and to
# its class: gc.get_referents lists the dict and the class first, then the items (a list
# visits them last to first).
import gc
import sys


class Basket(list):
    pass


apple = "apple" + str(1)
pear = "pear" + str(2)
print("apple refs:", sys.getrefcount(apple))
b = Basket([apple, pear])
print("apple refs inside a basket:", sys.getrefcount(apple))
print("basket refs:", sys.getrefcount(b))
print(gc.get_referents(b))

b.owner = "sam"
refs = gc.get_referents(b)
print(type(refs[0]).__name__, refs[0], refs[1] is Basket, refs[2:])

before = sys.getrefcount(Basket)
more = [Basket() for _ in range(5)]
print("each instance holds its class:", sys.getrefcount(Basket) - before)
del more
print("and lets go of it when it dies:", sys.getrefcount(Basket) - before)

del b, refs
print("apple refs after the basket died:", sys.getrefcount(apple))


class Registry(dict):
    pass


r = Registry(one=apple)
r.extra = pear
print(gc.get_referents(r)[:2][1] is Registry, sorted(map(str, gc.get_referents(r)[2:])))
print("apple refs in a registry:", sys.getrefcount(apple))
r.clear()
print("after clear():", sys.getrefcount(apple))

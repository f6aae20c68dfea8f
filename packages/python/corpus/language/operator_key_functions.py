# The operator module names what the operators do, so sorting keys and reductions need no lambdas:
# itemgetter and attrgetter build key functions, and add/mul are the functions behind + and *.
import operator
from functools import reduce
from operator import attrgetter, itemgetter, methodcaller

inventory = [("pear", 3, 0.5), ("apple", 10, 0.25), ("fig", 3, 1.25)]
print(sorted(inventory, key=itemgetter(1, 0)))  # by count, then name
print(list(map(itemgetter(0), inventory)), itemgetter(0, 2)(inventory[1]))
print(repr(itemgetter(1, 0)), repr(attrgetter("name")), repr(methodcaller("strip", "x")))


class Item:
    def __init__(self, name, price):
        self.name, self.price = name, price


items = [Item("lamp", 30), Item("desk", 120), Item("mug", 8)]
print([i.name for i in sorted(items, key=attrgetter("price"))])
print(list(map(methodcaller("upper"), ["a", "b"])))

print(reduce(operator.add, [1, 2, 3, 4]), reduce(operator.mul, range(1, 6)))
print(operator.add("ab", "cd"), operator.truediv(7, 2), operator.not_([]), operator.contains("team", "ea"))
# The in-place forms behave like +=: a list is extended and returned, an int gives a new int.
parts = [1]
print(operator.iadd(parts, [2, 3]) is parts, parts, operator.iadd(5, 1))

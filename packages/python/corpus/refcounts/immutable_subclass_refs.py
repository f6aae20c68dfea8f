# Instances of a subclass of int, str or tuple hold a reference to their class, like any
# instance of a class statement. Their values are their own: a subclass instance is never
# one of the shared small ints, so I(5) is not I(5). As dict keys they hash and compare as
# their base does, unless the class says otherwise.
import sys


class I(int):
    pass


class S(str):
    pass


class T(tuple):
    pass


before = sys.getrefcount(I)
many = [I(5) for _ in range(10)]
print("ten instances, ten more references to the class:", sys.getrefcount(I) - before)
print("small ints are shared, subclass instances are not:", int("5") is int("5"), many[0] is many[1])
del many
print("back to where it was:", sys.getrefcount(I) == before)

word = "w" + str(1)
t = T((word, word))
print("the tuple holds the item twice:", sys.getrefcount(word))
del t
print("and lets go of it:", sys.getrefcount(word))

table = {I(1): "one", S("two"): 2, T((3,)): "three"}
print(table[1], table["two"], table[(3,)])
print(hash(I(10)) == hash(10), hash(S("k")) == hash("k"), hash(T((1, 2))) == hash((1, 2)))
print(I(1) in {1, 2}, S("a") in {"a": 0}, {1: "x"}[I(1)])


class Loud(str):
    def __eq__(self, other):
        return str(self).lower() == str(other).lower()

    def __hash__(self):
        return hash(str(self).lower())


d = {Loud("Key"): 1}
print(d[Loud("KEY")], Loud("a") == "A", "A" == Loud("a"))

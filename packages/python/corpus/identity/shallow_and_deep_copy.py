# copy.copy makes one new object that shares everything inside; copy.deepcopy copies everything
# it reaches, once each, keeping shared parts shared and cycles cycles.
import copy
import gc
import sys

grid = [[0, 0], [0, 0]]
alias = grid
shallow = copy.copy(grid)
deep = copy.deepcopy(grid)
print(alias is grid, shallow is grid, shallow[0] is grid[0], deep[0] is grid[0])
grid[0][0] = 1
print(shallow[0], deep[0])

# The inner lists gain a reference from the shallow copy, none from the deep one.
row = grid[1]
print(sys.getrefcount(row))
del shallow
print(sys.getrefcount(row))

# Immutable objects are their own copies, even deep ones when nothing inside changes.
t = (1, "two", 3.0)
print(copy.copy(t) is t, copy.deepcopy(t) is t)
mixed = (1, [2])
print(copy.deepcopy(mixed) is mixed, copy.deepcopy(mixed)[1] is mixed[1])

# Sharing inside the original is kept: both slots of the copy hold one new list.
shared = [0]
pair = [shared, shared]
twin = copy.deepcopy(pair)
print(twin[0] is twin[1], twin[0] is shared)

# A cycle is copied as a cycle: the memo maps id(original) to its copy.
ring = {"name": "ring"}
ring["self"] = ring
ring2 = copy.deepcopy(ring)
print(ring2["self"] is ring2, ring2 is ring)
memo = {}
copy.deepcopy(pair, memo)
print(len(memo), id(pair) in memo, id(shared) in memo)


# Instances are rebuilt without __init__: a new object, then the attributes copied over.
class Account:
    def __init__(self, owner):
        print("__init__ runs")
        self.owner = owner
        self.history = []


a = Account("ann")
b = copy.copy(a)
c = copy.deepcopy(a)
print(b.owner is a.owner, b.history is a.history, c.history is a.history)
print(type(c).__name__, vars(c), sys.getsizeof(c) == sys.getsizeof(a))


# A class decides for itself with __copy__ and __deepcopy__.
class Config:
    def __init__(self):
        self.values = {"debug": False}

    def __copy__(self):
        print("__copy__")
        new = Config()
        new.values = dict(self.values)
        return new

    def __deepcopy__(self, memo):
        print("__deepcopy__", type(memo).__name__)
        return self


cfg = Config()
print(copy.copy(cfg).values is cfg.values, copy.deepcopy(cfg) is cfg)

# The copies are ordinary objects: the collector tracks the containers among them.
gc.collect()
before = len(gc.get_objects())
nested = copy.deepcopy([[i, [i]] for i in range(5)])
print(len(gc.get_objects()) - before)
del nested
print(gc.collect())

# A closure cell holds its value's reference; assigning or deleting cell_contents moves it.
import sys


class Obj:
    pass


def make():
    o = Obj()

    def get():
        return o

    def also():
        return o

    return get, also


get, also = make()
cell = get.__closure__[0]
print("one cell shared:", cell is also.__closure__[0])
o = get()
base = sys.getrefcount(o)
print("cell refers to the object:", cell.cell_contents is o)

# Rebinding the cell drops its reference to the object; both closures see the new value.
cell.cell_contents = 5
print("after assigning:", sys.getrefcount(o) - base, get(), also())

cell.cell_contents = o
print("assigned back:", sys.getrefcount(o) - base)

# Deleting empties the cell: reading it, or calling a closure that reads it, fails.
del cell.cell_contents
print("after del:", sys.getrefcount(o) - base)
try:
    cell.cell_contents
except ValueError as e:
    print("ValueError:", e)
try:
    get()
except NameError as e:
    print("NameError:", e)

# Deleting an empty cell is allowed; other attributes cannot be set.
del cell.cell_contents
try:
    cell.other = 1
except AttributeError as e:
    print("AttributeError:", e)

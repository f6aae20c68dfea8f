# Sets hold one reference per element; adding an equal element twice does not add a reference.
import sys

key = (1, 2, 3)
base = sys.getrefcount(key)

bag = set()
bag.add(key)
print("delta after add:", sys.getrefcount(key) - base)

# The same object again: the set already contains it, nothing new is stored.
bag.add(key)
print("delta after second add:", sys.getrefcount(key) - base)

other = {key}
print("delta with a second set:", sys.getrefcount(key) - base)

bag.discard(key)
del other
print("delta after discard and del:", sys.getrefcount(key) - base)

# A built-in method taken from an object (l.append) is a new object that holds the object as
# its __self__: one more reference while it lives. A module's function holds its module.
import gc
import sys

shelf = []
print("refs before:", sys.getrefcount(shelf))
add = shelf.append
print("refs with a bound append:", sys.getrefcount(shelf))
print(add.__self__ is shelf, add.__name__, add.__qualname__, add.__module__)
add("book")
del add
print("refs after del:", sys.getrefcount(shelf), shelf)

# Each attribute read makes a new bound method.
print(shelf.append is shelf.append, shelf.append == shelf.append)

# Functions of the builtins module and of gc: their __self__ is the module.
print(len.__self__, len.__module__, len.__qualname__)
print(gc.collect.__self__, gc.get_referents(gc.collect))
print(repr(len), type(len).__name__, sys.getsizeof(len))

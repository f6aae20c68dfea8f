# Reading a special method from an object makes a method-wrapper: a small object (48 bytes with
# its GC head) holding the slot wrapper of the class and a reference to the object. Each read
# makes a new one, while the slot wrapper in the class dict is always the same object.
import sys
import tracemalloc

n = 1000
w = n.__add__
print(type(w).__name__, sys.getsizeof(w), "bytes")
print("same wrapper each read:", n.__add__ is n.__add__, "| equal:", n.__add__ == n.__add__)
print("same slot wrapper each read:", int.__add__ is int.__add__, int.__dict__["__add__"] is int.__add__)

# The method-wrapper keeps its object alive: one more reference while it exists.
items = [1, 2, 3]
before = sys.getrefcount(items)
eq = items.__eq__
print("references added by the wrapper:", sys.getrefcount(items) - before, eq.__self__ is items)
del eq
print("after del:", sys.getrefcount(items) - before)

# The class dicts of the built-in types exist before the program runs: reading them allocates
# only the mappingproxy view (40 bytes), and a method-wrapper its own 48 bytes.
tracemalloc.start()
base = tracemalloc.get_traced_memory()[0]
view = float.__dict__
print("a view of float's dict:", tracemalloc.get_traced_memory()[0] - base, "bytes traced")
del view
box = [None]
before = tracemalloc.take_snapshot()
box[0] = n.__add__
after = tracemalloc.take_snapshot()
grown = [d for d in after.compare_to(before, "lineno") if d.traceback[0].filename == __file__ and d.size_diff]
print("one more method-wrapper:", [(d.size_diff, d.count_diff) for d in grown], "(bytes, blocks)")
tracemalloc.stop()

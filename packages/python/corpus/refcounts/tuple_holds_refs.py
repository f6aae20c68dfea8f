# Tuples own their items too; building and dropping a tuple moves the count up and back.
import sys

item = [42]
base = sys.getrefcount(item)

pair = (item, item)
print("delta while pair lives:", sys.getrefcount(item) - base)

del pair
print("delta after del pair:", sys.getrefcount(item) - base)

# A nested tuple holds the inner tuple once, the inner holds the item once.
inner = (item,)
outer = (inner, inner)
print("item delta with nesting:", sys.getrefcount(item) - base)
print("inner refcount:", sys.getrefcount(inner))

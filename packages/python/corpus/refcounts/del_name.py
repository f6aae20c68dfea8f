# `del name` removes a reference, not the object: other names keep it alive.
import sys

data = {"k": 1}
a = data
b = data
print("three names:", sys.getrefcount(data))

# Each del removes exactly one reference.
del a
print("after del a:", sys.getrefcount(data))
del b
print("after del b:", sys.getrefcount(data))

# The object is still reachable through `data` and still intact.
print("still there:", data["k"])

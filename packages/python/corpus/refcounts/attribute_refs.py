# Instance attributes are references held by the instance's attribute storage.
import sys


class Box:
    def __init__(self, content):
        self.content = content


shared = [7, 8]
print("before boxes:", sys.getrefcount(shared))

b1 = Box(shared)
b2 = Box(shared)
print("held by two boxes:", sys.getrefcount(shared))

# Deleting an attribute releases its reference.
del b1.content
print("after del b1.content:", sys.getrefcount(shared))

# Dropping the whole box releases everything it held.
del b2
print("after del b2:", sys.getrefcount(shared))

# Counting references as deltas: each container that stores an object adds exactly one.
import sys

target = ["t"]
start = sys.getrefcount(target)

owners = []
for i in range(10):
    owners.append([target])
print("ten wrappers add:", sys.getrefcount(target) - start)

# A dict mapping ten keys to it adds ten more.
index = {n: target for n in range(10)}
print("plus a dict of ten:", sys.getrefcount(target) - start)

# Releasing the containers returns to the start.
owners = None
index = None
print("after releasing:", sys.getrefcount(target) - start)

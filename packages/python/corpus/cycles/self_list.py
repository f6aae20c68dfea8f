# A list that contains itself is a cycle: refcounting alone can never free it, the collector can.
import gc

gc.collect()
loop = []
loop.append(loop)
print("contains itself:", loop[0] is loop)

# Dropping the name leaves the list referenced only by itself.
del loop
# The collector finds exactly one unreachable object: the list.
print("collected:", gc.collect())
print("nothing left:", gc.collect())

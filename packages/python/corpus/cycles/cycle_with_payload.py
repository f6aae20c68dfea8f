# Objects only reachable from a cycle die with it: the count includes the cycle's payload.
import gc

gc.collect()
a = []
b = [a]
a.append(b)
# The payload is an acyclic list of three lists, reachable only through the cycle.
a.append([[1], [2], [3]])
del a, b
# Two cycle members, the payload list, and its three inner lists.
print("collected:", gc.collect())

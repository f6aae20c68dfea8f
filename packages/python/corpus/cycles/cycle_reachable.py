# A cycle that is still reachable from a name is not garbage: collect() leaves it alone.
import gc

gc.collect()
a = []
b = [a]
a.append(b)
holder = [a]
del a, b
print("collected while held:", gc.collect())
print("still linked:", holder[0][0][0] is holder[0])
holder.clear()
print("collected after release:", gc.collect())

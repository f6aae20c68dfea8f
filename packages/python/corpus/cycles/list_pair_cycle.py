# Two lists referencing each other: one cycle, two objects for the collector to reclaim.
import gc

gc.collect()
first = [1]
second = [2, first]
first.append(second)
print("first[1] is second:", first[1] is second)
print("second[1] is first:", second[1] is first)
del first, second
print("collected:", gc.collect())

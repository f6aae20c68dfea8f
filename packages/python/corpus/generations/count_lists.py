# Every new container tracked by the collector bumps generation 0's counter by one.
import gc

# A full collection also empties the list and dict free lists, so these are fresh allocations.
gc.collect()
first = []
print("one list:", gc.get_count())

gc.collect()
l1 = []
l2 = []
l3 = []
print("three lists:", gc.get_count())

gc.collect()
d1 = {}
d2 = {"k": 1}
print("two dicts:", gc.get_count())

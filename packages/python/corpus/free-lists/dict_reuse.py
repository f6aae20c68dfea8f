# Dicts are recycled through the dict free list.
k = "key"
d1 = {k: 1}
d1_id = id(d1)
del d1
d2 = {k: 2, "other": 3}
print("dict object reused:", id(d2) == d1_id)
print("contents are new:", sorted(d2.items()))
# A list cannot take a dict's slot from the dict free list.
d2_id = id(d2)
del d2
lst = [k]
print("list took the dict's slot:", id(lst) == d2_id)

# Many independent small cycles are all found in a single collection.
import gc

gc.collect()
for _ in range(100):
    pair_a = []
    pair_b = [pair_a]
    pair_a.append(pair_b)
del pair_a, pair_b
# 100 pairs of lists.
print("collected:", gc.collect())
print("second pass:", gc.collect())

# A garbage cycle that was frozen is not collected until it is unfrozen.
import gc

gc.collect()
a = []
b = [a]
a.append(b)
gc.freeze()
del a, b
print("collect while frozen:", gc.collect())
gc.unfreeze()
print("collect after unfreeze:", gc.collect())

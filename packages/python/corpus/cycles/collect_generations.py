# gc.collect(generation) only examines the young generations up to the one asked for.
import gc

gc.collect()
gc.disable()
x = []
x.append(x)
del x
# Still in generation 0: collecting generation 0 finds it.
print("collect(0):", gc.collect(0))

y = []
y.append(y)
del y
# A full collection finds it as well.
print("collect(2):", gc.collect(2))
gc.enable()

# Disabling the collector stops automatic collections; explicit gc.collect() still works.
import gc

print("enabled at start:", gc.isenabled())
gc.disable()
print("after disable:", gc.isenabled())
gc.collect()
cycle = []
cycle.append(cycle)
del cycle
print("explicit collect while disabled:", gc.collect())
gc.enable()
print("after enable:", gc.isenabled())

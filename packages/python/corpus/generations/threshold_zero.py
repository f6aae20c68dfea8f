# A generation 0 threshold of zero turns automatic collection off, like gc.disable().
import gc

runs = []


def cb(phase, info):
    runs.append(phase)


old = gc.get_threshold()
gc.collect()
gc.set_threshold(0)
gc.callbacks.append(cb)
keep = [[] for _ in range(5000)]
gc.callbacks.remove(cb)
print("automatic collections:", len(runs))
print("young counter grew past 700:", gc.get_count()[0] > 700)
gc.set_threshold(*old)
print("thresholds restored:", gc.get_threshold() == old)

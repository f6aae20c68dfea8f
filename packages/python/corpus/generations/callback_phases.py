# gc.callbacks are called with "start" before and "stop" after each collection, with an info dict.
import gc

log = []


def cb(phase, info):
    log.append((phase, info["generation"], sorted(info)))


gc.callbacks.append(cb)
gc.collect(1)
gc.collect()
gc.callbacks.remove(cb)
for phase, gen, keys in log:
    print(phase, gen, keys)

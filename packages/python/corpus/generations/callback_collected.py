# The "stop" callback's info reports how many unreachable objects that collection found.
import gc

found = []


def cb(phase, info):
    if phase == "stop":
        found.append((info["generation"], info["collected"], info["uncollectable"]))


gc.collect()
a = []
b = [a]
a.append(b)
del a, b
gc.callbacks.append(cb)
result = gc.collect()
gc.callbacks.remove(cb)
print("collect() returned:", result)
print("callback saw:", found)

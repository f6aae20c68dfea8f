# After ten generation 0 collections, the next collection is a generation 1 collection instead.
import gc

starts = []


def watch(phase, info):
    if phase == "start":
        starts.append(info["generation"])


gc.collect()
gc.callbacks.append(watch)
keep = []
for i in range(20000):
    keep.append([])
gc.callbacks.remove(watch)
print("collections:", len(starts))
print("generation 0:", starts.count(0))
print("generation 1:", starts.count(1))
print("generation 2:", starts.count(2))

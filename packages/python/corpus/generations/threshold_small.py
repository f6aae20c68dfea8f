# A small threshold makes young collections frequent: one starts whenever the counter exceeds 10.
import gc

starts = []


def cb(phase, info):
    if phase == "start":
        starts.append(info["generation"])


old = gc.get_threshold()
gc.collect()
gc.set_threshold(10, 1000, 1000)
gc.callbacks.append(cb)
keep = []
for i in range(100):
    keep.append([])
gc.callbacks.remove(cb)
gc.set_threshold(*old)
print("young collections for 100 lists:", len(starts))
print("all generation 0:", all(g == 0 for g in starts))

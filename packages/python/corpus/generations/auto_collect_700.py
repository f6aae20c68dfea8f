# Allocating tracked objects past the threshold of 700 starts generation 0 collections by itself.
import gc

gens = []


def watch(phase, info):
    if phase == "start":
        gens.append(info["generation"])


gc.collect()
gc.callbacks.append(watch)
keep = []
for i in range(650):
    keep.append([i])
print("collections after 650 lists:", len(gens))
for i in range(100):
    keep.append([i])
print("collections after 750 lists:", len(gens))
print("generations collected:", gens)
gc.callbacks.remove(watch)

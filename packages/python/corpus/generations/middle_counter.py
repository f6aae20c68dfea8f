# Each young collection increments generation 1's counter; a middle collection resets it.
import gc

gc.collect()
counts = []
for _ in range(3):
    gc.collect(0)
    counts.append(gc.get_count()[1])
print("generation 1 counter after three collect(0):", counts)
gc.collect(1)
print("generation 2 counter after collect(1):", gc.get_count()[2])
print("generation 1 counter after collect(1):", gc.get_count()[1])

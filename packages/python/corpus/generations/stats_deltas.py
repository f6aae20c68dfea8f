# gc.get_stats() counts collections per generation; differences across explicit collections are exact.
import gc

before = gc.get_stats()
print("fields:", sorted(before[0]))
gc.collect(0)
gc.collect(0)
gc.collect(1)
after = gc.get_stats()
for gen in range(3):
    print("generation", gen, "ran", after[gen]["collections"] - before[gen]["collections"], "more times")

x = []
x.append(x)
del x
mid = gc.get_stats()
gc.collect(0)
end = gc.get_stats()
print("collected delta in generation 0:", end[0]["collected"] - mid[0]["collected"])

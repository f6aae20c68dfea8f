# A program does not start with an empty collector: python3's start-up has already made and
# dropped thousands of containers, run two dozen collections of the young generations and none
# of the oldest, and left its modules' objects in the oldest generation. So the first gen-1
# collection comes after the 11th gen-0 one, and the first full collection comes once the
# oldest generation's count passes its threshold of 10, the middle generation having been
# collected nine more times; from then on a full collection also waits until a quarter of the
# long-lived objects are new.
import gc

print(gc.get_stats())
count0, count1, count2 = gc.get_count()
print(count1, count2)

order = []


def note(phase, info):
    if phase == "start":
        order.append(info["generation"])


gc.callbacks.append(note)


class Pair:
    pass


for i in range(45000):
    a = Pair()
    b = Pair()
    a.other = b
    b.other = a
gc.callbacks.remove(note)
print("collections:", len(order))
print("gen-1 collections at", [i for i, g in enumerate(order) if g == 1])
print("full collections at", [i for i, g in enumerate(order) if g == 2])
print([s["collections"] for s in gc.get_stats()])

# itertools.tee buffers the items one copy has read and the other has not, in blocks of 57
# items: an item lives until every copy has moved past the block that holds it.
import itertools

freed = []


class Item:
    def __init__(self, n):
        self.n = n

    def __del__(self):
        freed.append(self.n)


def produce(count):
    for n in range(count):
        yield Item(n)


ahead, behind = itertools.tee(produce(130))
for _ in range(120):
    next(ahead)
print("ahead read 120 items, behind none; freed:", len(freed))

for _ in range(57):
    next(behind)
print("behind read the first block's 57 items; freed:", len(freed))
next(behind)
print("behind moved into the second block; freed:", len(freed), "first and last:", freed[0], freed[-1])
for _ in range(57):
    next(behind)
print("behind moved into the third block; freed:", len(freed))
del ahead, behind
print("both copies gone; freed:", len(freed))

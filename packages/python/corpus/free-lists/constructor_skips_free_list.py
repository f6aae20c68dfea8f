# [] and {} reuse a dead list or dict from the free list; calling list() or dict() never does.
import gc

gc.collect()


def reused(make):
    a = make()
    old = id(a)
    del a  # goes onto the free list
    b = make()
    return id(b) == old


print("[] after a dead []:", reused(lambda: []))
print("list() after a dead list():", reused(list))
print("{} after a dead {}:", reused(lambda: {}))
print("dict() after a dead dict():", reused(dict))

# A list() or dict() is a new allocation, so it counts toward the collector's threshold;
# a literal taken from the free list does not.
young = gc.get_count
x = [1]
y = {"k": x}
del x, y
before = young()[0]
made = [], {}  # both from the free list (the tuple is counted)
print("literals:", young()[0] - before)
before = young()[0]
made = list(), dict()
print("constructors:", young()[0] - before)

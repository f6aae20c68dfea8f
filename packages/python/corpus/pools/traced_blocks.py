# tracemalloc counts what each allocation asked for: an int made by arithmetic asks for a whole
# PyLongObject (32 bytes, though sys.getsizeof says 28), and an instance's values array has a
# slot for every name its class's shared key table can still take, one fewer for each instance.
import sys
import tracemalloc


def traced(make):
    tracemalloc.clear_traces()
    made = make()
    return tracemalloc.get_traced_memory()[0], made


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y


base = 1000
tracemalloc.start()
traced(lambda: None)  # warm up
size, one = traced(lambda: base + 1)
print("base + 1:", size, "bytes traced,", sys.getsizeof(one), "by getsizeof")
size, two = traced(lambda: base * 2**21)
print("base * 2**21:", size, "bytes traced,", sys.getsizeof(two), "by getsizeof")
points = []
for i in range(5):
    size, p = traced(lambda: Point(base, base))
    points.append(p)
    print("instance", i, "with its values:", size, "bytes traced,", sys.getsizeof(p), "by getsizeof")
tracemalloc.stop()

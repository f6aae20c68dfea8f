# python3's start-up leaves objects on its free lists: a program's first tuples, lists, dicts and
# floats take those blocks, which tracemalloc never sees allocated.
import tracemalloc

x, y = 7, 11


def first_objects():
    tracemalloc.clear_traces()
    pair = (x, y)
    triple = (x, y, x)
    empty = []
    table = {}
    ratio = x / y
    return tracemalloc.get_traced_memory()[0], pair, triple, empty, table, ratio


tracemalloc.start()
print("traced bytes of the first objects:", first_objects()[0])
many = [[] for _ in range(60)]
print("sixty lists, past the free list:", tracemalloc.get_traced_memory()[0] > 0)
tracemalloc.stop()

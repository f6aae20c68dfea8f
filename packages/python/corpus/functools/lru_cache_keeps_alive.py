# A memoising cache keeps every result it returned alive: lru_cache's dict holds each result
# until the entry is evicted (the least recently used one, once maxsize is reached) or
# cache_clear() empties the cache.
import functools


class Report:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print("  freed", self.name)


@functools.lru_cache(maxsize=2)
def load(name):
    print("  loading", name)
    return Report(name)


print("first calls")
load("a")
load("b")
print("a again (a hit: a becomes the most recently used)")
load("a")
print("c: the cache is full, b is evicted")
load("c")
print(load.cache_info())

print("cache_clear")
load.cache_clear()
print(load.cache_info())
print("done")

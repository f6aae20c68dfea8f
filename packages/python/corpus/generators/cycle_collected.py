# A generator in a reference cycle is finalized by the collector (PEP 442): its `finally` runs.
import gc


class Holder:
    pass


def watcher(holder):
    try:
        yield "watching"
        yield "still watching"
    finally:
        print("watcher's finally ran")


gc.collect()
h = Holder()
h.gen = watcher(h)  # holder -> generator -> frame -> holder: a cycle
print(next(h.gen))
print("tracked:", gc.is_tracked(h.gen))
del h  # nothing outside the cycle refers to it now, but counting alone cannot free it
print("before collect")
found = gc.collect()
print("collected:", found)
print("garbage:", gc.garbage)

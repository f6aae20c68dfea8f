# tracemalloc counts the bytes of each traced allocation; a bytes object costs its header plus data.
import tracemalloc


def traced_cost(n):
    base = tracemalloc.get_traced_memory()[0]
    payload = bytes(n)
    grown = tracemalloc.get_traced_memory()[0]
    return grown - base


tracemalloc.start()
traced_cost(1)  # warm up
size = 10000
print("bytes(10000) is at least 10000 bytes:", traced_cost(size) >= size)
print("bytes(20000) costs 10000 more:", traced_cost(2 * size) - traced_cost(size))
print("tracing:", tracemalloc.is_tracing())
tracemalloc.stop()
print("after stop:", tracemalloc.get_traced_memory(), tracemalloc.is_tracing())

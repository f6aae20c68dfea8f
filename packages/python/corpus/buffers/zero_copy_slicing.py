# Slicing bytes copies the bytes; slicing a memoryview does not: it makes one more small view
# object over the same memory, whatever the slice's length. tracemalloc shows the difference.
import sys
import tracemalloc

data = bytes(100_000)

tracemalloc.start()
before = tracemalloc.get_traced_memory()[0]
copy = data[10:90_000]
print("bytes slice:", tracemalloc.get_traced_memory()[0] - before, "bytes traced")
print("its size:", sys.getsizeof(copy))

view = memoryview(data)
before = tracemalloc.get_traced_memory()[0]
part = view[10:90_000]
print("memoryview slice:", tracemalloc.get_traced_memory()[0] - before, "bytes traced")
print("its size:", sys.getsizeof(part), "nbytes:", part.nbytes)
print("same bytes:", part == copy, part.obj is data)

# A slice of a slice is still a view of the original.
inner = part[::1000]
print(len(inner), inner.strides, inner.tolist()[:3], inner.obj is data)
tracemalloc.stop()

# A buffered file's buffer is a PyMem block of st_blksize bytes (4 KiB here) that tracemalloc
# traces: open() allocates it, close() frees it although the file object lives on, and the
# small objects go when the last reference does.
import os
import sys
import tracemalloc

with open("traced.bin", "wb") as f:
    f.write(b"x" * 100)
warm = open("traced.bin", "rb")  # the first open() makes one-time things; measure the second
warm.close()
del warm

# Everything is measured before anything is printed: what print writes waits in sys.stdout's
# buffer, which tracemalloc would count.
tracemalloc.start()
start = tracemalloc.get_traced_memory()[0]
f = open("traced.bin", "rb")
opened = tracemalloc.get_traced_memory()[0]
with_buffer = sys.getsizeof(f)
f.close()
closed = tracemalloc.get_traced_memory()[0]
without_buffer = sys.getsizeof(f)
del f
left = tracemalloc.get_traced_memory()[0] - start
tracemalloc.stop()
print("open() traced at least the buffer:", opened - start >= 4096)
print("buffered object size with its buffer:", with_buffer)
print("close() freed about", round((opened - closed) / 1024), "KiB")
print("buffered object size without it:", without_buffer)
print("what is left after del is small:", left < 100)
os.remove("traced.bin")

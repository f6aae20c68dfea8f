# Deleting from the front of a bytearray is cheap: instead of moving the rest of the bytes,
# CPython 3.11 moves the start of the data inside the same block. The block is only replaced
# when less than half of it would be used.
import sys
import tracemalloc

tracemalloc.start()
b = bytearray(range(200))
# The measurements are printed at the end: printing between them would count print's own
# allocations.
rows = []
before = tracemalloc.get_traced_memory()[0]
for step in range(6):
    before = tracemalloc.get_traced_memory()[0]
    del b[:30]
    after = tracemalloc.get_traced_memory()[0]
    rows.append((len(b), b.__alloc__(), sys.getsizeof(b), after - before, b[0]))
for n, block, size, traced, first in rows:
    print(f"len {n:3}  block {block:3}  getsizeof {size:3}  traced change {traced:+}  first byte {first}")

# A queue of messages read off the front: each read is a slice copy plus a cheap delete.
queue = bytearray(b"one;two;three;")
while queue:
    end = queue.index(b";")
    print(bytes(queue[:end]), queue.__alloc__())
    del queue[: end + 1]
tracemalloc.stop()

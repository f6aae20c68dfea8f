# Deleting from the front of a bytearray is cheap: instead of moving the rest of the bytes,
# CPython 3.11 moves the start of the data inside the same block. The block is only replaced
# when less than half of it would be used. (The ±32 bytes traced are the int of the previous
# measurement, made and freed by the loop.)
import sys
import tracemalloc

tracemalloc.start()
b = bytearray(range(200))
for step in range(6):
    before = tracemalloc.get_traced_memory()[0]
    del b[:30]
    traced = tracemalloc.get_traced_memory()[0] - before
    print(
        f"len {len(b):3}  block {b.__alloc__():3}  getsizeof {sys.getsizeof(b):3}  "
        f"traced change {traced:+}  first byte {b[0]}"
    )

# A queue of messages read off the front: each read is a slice copy plus a cheap delete.
queue = bytearray(b"one;two;three;")
while queue:
    end = queue.index(b";")
    print(bytes(queue[:end]), queue.__alloc__())
    del queue[: end + 1]
tracemalloc.stop()

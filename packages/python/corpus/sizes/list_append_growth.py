# Appending over-allocates: capacity jumps in steps, so most appends need no reallocation.
import sys

items = []
last = sys.getsizeof(items)
print("empty:", last)
for i in range(70):
    items.append(i)
    size = sys.getsizeof(items)
    if size != last:
        # Each slot is an 8-byte pointer; the list header is 56 bytes.
        print("len", len(items), "-> size", size, "capacity", (size - 56) // 8)
        last = size

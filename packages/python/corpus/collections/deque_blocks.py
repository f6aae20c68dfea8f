# A deque allocates a block per 64 items: its items live in fixed blocks of 64 slots linked in
# a chain, so appending never moves an item, and the deque grows one 528-byte block at a time.
import sys
from collections import deque

d = deque()
print("empty", sys.getsizeof(d))
last = sys.getsizeof(d)
for i in range(300):
    d.append(i)
    size = sys.getsizeof(d)
    if size != last:
        # A new block: 64 slots of 8 bytes plus two links.
        print("item", i, "size", size, "grew by", size - last)
        last = size

# A list of the same length over-allocates instead, and copies its items as it grows.
print("list of 300:", sys.getsizeof(list(range(300))), "deque of 300:", sys.getsizeof(d))

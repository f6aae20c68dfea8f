# Popping shrinks a list's capacity once fewer than half of the slots are in use.
import sys

items = [0] * 64
last = sys.getsizeof(items)
print("len 64:", last)
while items:
    items.pop()
    size = sys.getsizeof(items)
    if size != last:
        print("len", len(items), "-> size", size)
        last = size

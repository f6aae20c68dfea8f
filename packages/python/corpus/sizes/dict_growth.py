# A dict's table grows in powers of two when two thirds full, and never shrinks on deletion.
import sys

d = {}
last = sys.getsizeof(d)
print("empty:", last)
for i in range(50):
    d[i] = None
    size = sys.getsizeof(d)
    if size != last:
        print("len", len(d), "-> size", size)
        last = size
for i in range(45):
    del d[i]
print("after deleting 45:", sys.getsizeof(d))
d.clear()
print("after clear:", sys.getsizeof(d))

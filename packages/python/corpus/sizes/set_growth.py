# A set starts with 8 inline slots; when 60% full it moves to a table at least four times its length.
import sys

s = set()
last = sys.getsizeof(s)
print("empty:", last)
for i in range(100):
    s.add(i)
    size = sys.getsizeof(s)
    if size != last:
        print("len", len(s), "-> size", size)
        last = size
s.clear()
print("after clear:", sys.getsizeof(s))

# A tuple stores its items inline: a 40-byte header plus 8 bytes per item, never over-allocated.
import sys

k = 0
for n in [0, 1, 2, 5, 10]:
    t = tuple([k] * n)
    print("tuple of", n, "->", sys.getsizeof(t))
# A tuple and a list of the same items: the tuple is smaller.
print("list of 5:", sys.getsizeof([k] * 5), "tuple of 5:", sys.getsizeof((k,) * 5))

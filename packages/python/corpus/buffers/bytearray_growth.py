# A bytearray keeps its bytes in a separate block that it over-allocates as it grows, as a
# list does: sys.getsizeof is the 56-byte object plus that block, and __alloc__() says how big
# the block is. Most appends fit in the room left by the last resize.
import sys

b = bytearray()
print("empty:", len(b), b.__alloc__(), sys.getsizeof(b))
last = b.__alloc__()
for i in range(40):
    b.append(i)
    if b.__alloc__() != last:
        last = b.__alloc__()
        print("append to", len(b), "-> block of", last, "bytes, getsizeof", sys.getsizeof(b))

# Made at a known length, the block is exactly one byte longer (room for a trailing NUL).
for source in (10, b"abc", [1, 2, 3], "héllo"):
    made = bytearray(source, "utf-8") if isinstance(source, str) else bytearray(source)
    print(repr(source), len(made), made.__alloc__(), sys.getsizeof(made))

# Growing by a lot at once allocates just what is needed; growing a little over-allocates.
b = bytearray(b"ab")
b *= 5
print("*= 5:", len(b), b.__alloc__())
b += b"xyz"
print("+= 3:", len(b), b.__alloc__())
b.extend(range(100))
print("extend by 100:", len(b), b.__alloc__())

# Shrinking keeps the block until less than half of it is used; clear() keeps one byte.
b = bytearray(100)
for n in (90, 60, 50, 49, 10):
    del b[n:]
    print("shrunk to", n, "block", b.__alloc__())
b.clear()
print("cleared:", len(b), b.__alloc__(), sys.getsizeof(b))

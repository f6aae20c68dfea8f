# `x *= n` on a list resizes it once to the whole length and then copies the items in: its
# size afterwards is list_resize's for that length, not what n - 1 extends in a row would
# leave. `x *= 0` empties the list and frees its items array; a bytearray does the same with
# its bytes. A count too large for any list is an error before anything changes.
import sys

x = [1, 2, 3]
print("before:", sys.getsizeof(x))
x *= 5
print("after *= 5:", len(x), sys.getsizeof(x))
x *= 2
print("after *= 2:", len(x), sys.getsizeof(x))
x *= 0
print("after *= 0:", x, sys.getsizeof(x))

y = [None] * 4
y *= 1
print("times one keeps the size:", sys.getsizeof(y))

b = bytearray(b"ab")
b *= 4
print(b, sys.getsizeof(b))
b *= 0
print(b, sys.getsizeof(b))

z = [1, 2]
for count in (2**70, 2**62):
    try:
        z *= count
    except (OverflowError, MemoryError) as e:
        print(type(e).__name__, e, z)

# A bytes object is a 33-byte header plus one byte per element.
import sys

for n in [0, 1, 10, 100, 1000]:
    print("bytes of", n, "->", sys.getsizeof(bytes(n)))
print("b'abc' * 100:", sys.getsizeof(b"abc" * 100))

# io.BytesIO keeps its data in a bytes object it resizes as writes go past the end: small
# growth is over-allocated by an eighth, a large jump gets exactly what it needs.
import io
import sys

b = io.BytesIO()
empty = sys.getsizeof(b)
print("empty:", empty)
for chunk in (1, 1, 1, 10, 100, 5, 1000):
    b.write(b"x" * chunk)
    print("after", chunk, "more bytes:", sys.getsizeof(b) - empty, "bytes of buffer")
print("length:", len(b.getvalue()), "position:", b.tell())
b.seek(0)
print(b.read(3), b.readline()[:5])
s = io.StringIO("one\ntwo\n")
print(s.readline(), end="")
s.seek(0, 2)
s.write("three\n")
print(s.getvalue().split())

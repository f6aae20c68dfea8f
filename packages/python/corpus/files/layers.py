# A text file is three objects: a TextIOWrapper over a BufferedWriter over a FileIO. Each is
# tracked by the collector; the buffered layer's size counts its 4 KiB buffer (st_blksize)
# until close() frees it.
import gc
import os
import sys

f = open("layers.txt", "w")
buf = f.buffer
raw = buf.raw
for obj in (f, buf, raw):
    print(type(obj).__name__, "tracked:", gc.is_tracked(obj))
print("wrapper size:", sys.getsizeof(f))
print("buffer size:", sys.getsizeof(buf))
print("raw size:", sys.getsizeof(raw))
# The buffer is held by the wrapper (and by `buf`); the raw file by the buffer and the wrapper.
print("refs to buffer:", sys.getrefcount(buf) - 1)
print("refs to raw:", sys.getrefcount(raw) - 1)
print("buffer holds:", [type(o).__name__ for o in gc.get_referents(buf)])
print("raw holds its name:", gc.get_referents(raw) == [{"name": "layers.txt"}])
print("modes:", f.mode, buf.mode, raw.mode)
f.close()
print("buffer size after close:", sys.getsizeof(buf))
print("all closed:", f.closed, buf.closed, raw.closed)

b = open("layers.txt", "rb")
print(type(b).__name__, sys.getsizeof(b), b.mode)
b.close()
u = open("layers.txt", "rb", buffering=0)
print(type(u).__name__, sys.getsizeof(u), u.mode)
u.close()
os.remove("layers.txt")

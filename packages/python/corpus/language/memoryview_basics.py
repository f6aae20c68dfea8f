# memoryview looks at the bytes of another object without copying them: indexing gives ints,
# slicing gives another view, and a view of a bytearray can write through to it.
data = bytearray(b"abcdefgh")
m = memoryview(data)
print(len(m), m[0], m[-1], m.nbytes, m.readonly, m.format, m.itemsize, m.ndim)
print(m.shape, m.strides, m.suboffsets, m.contiguous, m.obj is data)
part = m[2:6]
print(part.tobytes(), part.tolist(), part.hex(), bytes(part), len(part))
part[0] = ord("C")
part[1:3] = b"DE"
print(data)
every_other = m[::2]
print(every_other.tolist(), every_other.strides, every_other.c_contiguous)
print(list(m[:3]), [x for x in m[5:]])

# Views compare equal to anything with the same bytes; read-only views hash as their bytes.
ro = memoryview(b"xyz")
print(ro == b"xyz", ro == bytearray(b"xyz"), ro != b"xy", ro == "xyz", ro.readonly)
print(hash(ro) == hash(b"xyz"), hash(ro[1:]) == hash(b"yz"))
print(ro.cast("c").tolist(), memoryview(bytes([200, 1])).cast("b").tolist())
print(b"".join([ro, b"-", data]), bytearray(ro), b"y" in bytes(ro))

with memoryview(b"temporary") as t:
    print(t[:4].tobytes())
print(repr(t).startswith("<released memory"))

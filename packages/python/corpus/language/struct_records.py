# struct packs Python values into the bytes a C struct would hold: '<' gives a fixed little-endian
# layout with no padding, while '@' (the default) pads fields to their natural alignment.
import struct

record = struct.Struct("<HIf8s")  # id, count, ratio, a fixed 8-byte name
print("record size:", record.size, "bytes")
data = record.pack(7, 1_000_000, 0.25, b"widget")
print(data)
print(record.unpack(data))

# Native alignment: a 1-byte char followed by a 4-byte int gets 3 bytes of padding in between.
print(struct.calcsize("@ci"), struct.calcsize("<ci"), struct.calcsize("@ic"))

# Several records back to back, read one at a time.
table = b"".join(record.pack(i, i * i, i / 4, f"row{i}".encode()) for i in range(3))
for rid, count, ratio, name in record.iter_unpack(table):
    print(rid, count, ratio, name.rstrip(b"\0"))

# Values that do not fit the field are refused rather than truncated.
try:
    struct.pack("<h", 40000)
except struct.error as err:
    print("struct.error:", err)
print(struct.pack(">I", 1), struct.pack("<I", 1), struct.unpack("<e", struct.pack("<e", 0.1)))

# Formatting bytes with % (PEP 461) builds a new object every time: a bytes is one block holding
# its 33-byte header and the text, a bytearray keeps its text in a block of its own. Only an
# empty or one-byte result is a cached object shared by the whole program.
import sys

name = b"cache"
line = b"%s: %d hits, %.1f%% of %5d" % (name, 42, 87.5, 48)
print(line, len(line), sys.getsizeof(line))
print("a new object:", (b"%s" % name) is name, b"%s" % name == name)
a, empty = b"A", b""
print("one byte is shared:", (b"%c" % 65) is a, (b"%s" % empty) is empty)

# %s and %b take anything with the buffer protocol, or an object that knows its own bytes.
class Packet:
    def __init__(self, payload):
        self.payload = payload

    def __bytes__(self):
        return b"<" + self.payload + b">"

print(b"[%s|%b|%s]" % (bytearray(b"ba"), memoryview(b"mv"), Packet(b"pk")))
try:
    b"%s" % "text"
except TypeError as e:
    print("TypeError:", e)

# A bytearray template gives a bytearray, sized exactly: its block is one byte over the text.
template = bytearray(b"%s=%d")
out = template % (b"x", 12345)
print(type(out).__name__, out, len(out), out.__alloc__(), sys.getsizeof(out))
print("the template is left alone:", template, out is template)

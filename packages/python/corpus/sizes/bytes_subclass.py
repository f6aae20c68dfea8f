# A bytes subclass keeps its bytes inline as bytes does, with room for an instance dict after
# them: one more byte costs one more byte, and the dict pointer costs 8.
import sys


class Packet(bytes):
    def checksum(self):
        return sum(self) % 256


p = Packet(b"\x01\x02\x03")
p.port = 8080
print(p, p.checksum(), p.port, type(p[:2]).__name__)
for n in (0, 1, 7, 8):
    print(n, "bytes:", sys.getsizeof(bytes(n)), "Packet:", sys.getsizeof(Packet(bytes(n))))
print("same key as bytes:", {p: "x"}[b"\x01\x02\x03"])

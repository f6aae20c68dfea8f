# bytes are immutable sequences of small ints; str.encode and bytes.decode convert between them.
b = "héllo".encode("utf-8")
print(b, len(b), list(b[:3]))
print(b.decode("utf-8"), b[0], b[1:3], b.upper())
print(bytes([72, 105]), b"ab" + b"cd", b"x" * 3, b"a,b".split(b","))
print(b.hex(), bytes.fromhex("4142"), b"abc".find(b"c"), b"\x00\xff")
print("€".encode("utf-8"), len("€"), len("€".encode("utf-8")))
try:
    b"\xff".decode("utf-8")
except UnicodeDecodeError as e:
    print("UnicodeDecodeError:", e)

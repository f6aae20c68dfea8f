# bytearray is the mutable bytes: the same methods as bytes (their results are new bytearrays),
# plus item assignment, slice assignment and the list-like methods that change it in place.
b = bytearray(b"hello world")
print(b, len(b), b[0], b[-1], b[0:5], b[::-2])
b[0] = ord("H")
b[6:11] = b"Python"
print(b)
b.append(ord("!"))
b.extend(b" ok")
b.insert(0, ord(">"))
print(b, b.pop(), b.pop(0), b)
b.remove(ord(" "))
print(b)
b.reverse()
print(b)
b.reverse()
del b[5:7]
print(b, b.count(b"o"), b.find(b"tho"), b.index(ord("P")), ord("y") in b, b"Py" in b)
print(b.upper(), b.lower(), b.split(b"o"), b.replace(b"o", b"0"), b.strip(b"!H"))
print(b.startswith(b"Hel"), b.endswith((b"x", b"ok")), b.decode(), b.hex())
print(bytearray.fromhex("de ad be ef"), bytearray(b"-").join([b"a", bytearray(b"b"), b"c"]))
print(bytearray(b"a,b").partition(b","), bytearray(b" x ").strip(), bytearray(b"x").center(5, b"*"))

# Comparisons and concatenation mix freely with bytes; the left operand picks the type.
print(b"abc" == bytearray(b"abc"), bytearray(b"abc") < b"abd", bytearray(b"") == b"")
print(b"ab" + bytearray(b"cd"), bytearray(b"ab") + b"cd", bytearray(b"ab") * 3, 2 * bytearray(b"x"))
print(bytes(bytearray(b"frozen")), list(bytearray(b"\x01\x02\xff")), bytearray(3))
print(bytearray("naïve", "utf-8"), bytearray([65, 66, 67]), bytearray(range(3)), bytearray())
print(repr(bytearray(b"it's")), str(bytearray(b'say "hi"')), bool(bytearray()))

# Every slice assignment form: growing, shrinking, extended slices, deletion.
c = bytearray(range(10))
c[2:4] = b"\xaa\xbb\xcc\xdd"
c[::3] = bytes(len(c[::3]))
del c[1::2]
c[5:] = [7, 8, 9]
print(c)
c += c
c *= 2
print(len(c), c[:8])
it = iter(bytearray(b"xy"))
print(next(it), next(it), next(it, "done"))

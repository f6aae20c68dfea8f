# A codec that cannot handle a character or a byte raises UnicodeEncodeError or
# UnicodeDecodeError, naming the codec, the position and the reason; an unknown codec or error
# handler is a LookupError. The last decode is not caught.
cases = [
    lambda: "naïve".encode("ascii"),
    lambda: "x\ud800y".encode("utf-8"),
    lambda: "x\ud800y".encode("utf-16"),
    lambda: "\u0100\u0101".encode("cp1252"),
    lambda: b"\x00\xd8".decode("utf-16-le"),
    lambda: b"abc".decode("utf-32"),
    lambda: b"\x81".decode("cp1252"),
    lambda: "x".encode("no-such-codec"),
    lambda: "\u0100".encode("l1", "no-such-handler"),
    lambda: b"\xff".decode("utf-8", "xmlcharrefreplace"),
]
for case in cases:
    try:
        case()
    except (UnicodeError, LookupError, TypeError) as e:
        print(type(e).__name__ + ":", e)

data = "résumé".encode("latin-1")
print(data)
print(data.decode("utf-8"))

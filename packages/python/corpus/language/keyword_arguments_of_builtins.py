# Built-in functions and methods take some arguments by name and refuse others, exactly as
# their signatures say: `help(str.splitlines)` shows `splitlines(self, /, keepends=False)`,
# so keepends may be named; `str.strip(self, chars=None, /)` has only positional parameters.

text = "one\ntwo\r\nthree"
print(text.splitlines(keepends=True))
print(text.split(maxsplit=1))
print("a-b-c".rsplit(sep="-", maxsplit=1))
print(round(number=2.675, ndigits=2), pow(base=3, exp=4, mod=5))
print(sum([1, 2, 3], start=10))
print((1024).to_bytes(length=2, byteorder="little"))
print(str(object=42), str(b"caf\xc3\xa9", encoding="utf-8"))
print(str(b"caf\xe9", "ascii", errors="replace"), "café".encode("ascii", errors="xmlcharrefreplace"))
print(bytes("hi", encoding="ascii"))
print(list(enumerate(iterable="ab", start=1)))

for call in (
    lambda: "  x ".strip(chars=" "),
    lambda: len(obj=[]),
    lambda: int(x="12"),
    lambda: float(x="1.5"),
    lambda: text.splitlines(keep=True),
    lambda: text.split(",", sep=","),
    lambda: round(ndigits=1),
    lambda: [3, 1].sort(reversed=True),
    lambda: max(1, 2, default=0),
):
    try:
        call()
    except TypeError as e:
        print("TypeError:", e)

# & | ^ of two bools are bools; with an int they are ints.
print(True | False, True & True, True ^ True, True | 2)

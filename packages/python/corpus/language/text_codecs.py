# Text is code points; bytes are what a codec makes of them. The same string takes different
# bytes in UTF-8, UTF-16 and UTF-32 (with or without a byte order mark), latin-1 and cp1252
# cover only some characters, and the error handlers decide what happens to the rest.
import codecs

word = "café €5 😀"
for enc in ["utf-8", "utf-8-sig", "utf-16", "utf-16-be", "utf-32-le"]:
    data = word.encode(enc)
    print(f"{enc:10} {len(data):2} bytes {' '.join(f'{b:02x}' for b in data[:12])}")
    assert data.decode(enc) == word

print(codecs.lookup("UTF8").name, codecs.lookup("latin1").name, codecs.lookup("windows-1252").name)
print(codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF32_BE)

for enc in ["ascii", "latin-1", "cp1252"]:
    for errors in ["strict", "ignore", "replace", "backslashreplace", "xmlcharrefreplace"]:
        try:
            print(enc, errors, word.encode(enc, errors))
        except UnicodeEncodeError as e:
            print(enc, errors, "->", e)

raw = b"caf\xc3\xa9 \xff\xfe end"
for errors in ["replace", "ignore", "backslashreplace", "surrogateescape"]:
    text = raw.decode("utf-8", errors)
    print(errors, ascii(text))
# surrogateescape keeps undecodable bytes as lone surrogates, so encoding gives them back.
print(raw.decode("utf-8", "surrogateescape").encode("utf-8", "surrogateescape") == raw)
try:
    raw.decode("utf-8")
except UnicodeDecodeError as e:
    print(e)
print(bytes([0x80, 0x93, 0x94]).decode("cp1252"), b"\xe9t\xe9".decode("l1"))

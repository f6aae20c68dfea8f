# Converting between numbers, strings and characters: int(), str(), chr(), ord(), hex(), bases.
print(int("42"), int("-17"), int("  9  "), int("1010", 2), int("ff", 16), int("0o17", 0))
print(str(42), str(3.5), str(True), repr("a'b"), repr('say "hi"'))
print(ord("A"), chr(97), [ord(c) for c in "Hi!"], "".join(chr(c) for c in [80, 121]))
print(hex(255), hex(-1), hex(2**40), f"{5:b}", f"{8:o}")
print(float("3.25"), float("-1e3"), float(7), int(True), bool(0), bool("0"), bool([]))
print(list("abc"), tuple([1, 2]), list({"k": 1}), list(range(3, 0, -1)))
try:
    int("4.5")
except ValueError as e:
    print("ValueError:", e)
try:
    chr(-1)
except ValueError as e:
    print("ValueError:", e)

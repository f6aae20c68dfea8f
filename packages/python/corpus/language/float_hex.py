# float.hex() writes a float's exact binary value; float.fromhex() reads one back, rounding half
# to even when the text has more bits than a double holds.
for x in (1.5, -0.0, 0.0, 1e-310, 5e-324, 1.7976931348623157e308, float("inf"), float("nan"), -2.25, 0.1):
    h = x.hex()
    print(h, float.fromhex(h) == x or x != x)
for t in ("0x1.8p+0", " -0X1P-1074 ", "0x.8", "1", "0x1p-1075", "0x1.0000000000000fp0", "0x1.00000000000008p0", "0x1.00000000000018p0", "inf", "-Infinity", "nan", "0x3p-1076"):
    print(repr(float.fromhex(t)))
for t in ("", "0x", "1p", "x1", "0x1.2.3", "0x1p1024", "0x2p1023", "0x1.ffffffffffffffp1023"):
    try:
        print(float.fromhex(t))
    except (ValueError, OverflowError) as e:
        print(type(e).__name__, e)
class F(float):
    def __new__(cls, v):
        print("F.__new__", v)
        return super().__new__(cls, v)
print(type(F.fromhex("0x1p1")).__name__)

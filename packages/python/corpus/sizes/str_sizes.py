# A str uses 1, 2 or 4 bytes per character, chosen by its widest character.
import sys

for ch in ["a", "\u00e9", "\u20ac", "\U0001f600"]:
    one = sys.getsizeof(ch)
    ten = sys.getsizeof(ch * 10)
    print("code point", hex(ord(ch)), "size of 1:", one, "bytes per char:", (ten - one) // 9)
print("empty str:", sys.getsizeof(""))
# One wide character widens the whole string.
print("ascii x100:", sys.getsizeof("a" * 100))
print("ascii x99 + one euro sign:", sys.getsizeof("a" * 99 + "\u20ac"))

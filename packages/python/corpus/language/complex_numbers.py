# Complex numbers: the j suffix, complex(), arithmetic that mixes in ints and floats, and what
# a complex number is in memory: two floats in one 32-byte object the collector ignores.
import gc
import sys

z = 3 + 4j          # folded by the compiler into one constant
w = complex(1, -2)
print(z, w, z + w, z * w, z / w, z ** 2)
print("parts:", z.real, z.imag, "conjugate:", z.conjugate(), "abs:", abs(z))
print("from text:", complex("2.5-1j"), complex("j"), complex("(1e3+0j)"))
print("equal to real numbers:", 2 + 0j == 2, hash(2 + 0j) == hash(2), {2: "two"}[2 + 0j])
print("repr keeps the signs of zero:", 0j, -0j, complex(-0.0, 0.0), -(0j))
print("square root of a negative number:", (-4) ** 0.5)

print("size:", sys.getsizeof(z), "tracked:", gc.is_tracked(z))
print("formatted:", f"{z:.2f}", f"{w:>12}")

try:
    print(z / 0)
except ZeroDivisionError as e:
    print("ZeroDivisionError:", e)
try:
    print(z < w)
except TypeError as e:
    print("TypeError:", e)

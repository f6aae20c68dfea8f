# An int stores its magnitude in 30-bit digits: its size grows by 4 bytes every 30 bits.
import sys

print("0:", sys.getsizeof(0))
for bits in [1, 29, 30, 59, 60, 89, 90, 300]:
    n = 2 ** bits - 1
    print("2**" + str(bits) + "-1:", sys.getsizeof(n), "digits:", (n.bit_length() + 29) // 30)
# The sign does not cost extra space.
print("-(2**100):", sys.getsizeof(-(2**100)), "2**100:", sys.getsizeof(2**100))

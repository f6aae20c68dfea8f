# Python ints have arbitrary precision: no overflow, exact results with hundreds of digits.
a = 2**100
print(a)
print(a * a)
print(3**200 % 1000007)
print(-(2**70) // 3, -(2**70) % 3)
print(7**1000 % (10**9 + 7))
f = 1
for i in range(1, 41):
    f *= i
print("40! =", f)
print("bits:", f.bit_length(), "digit sum:", sum(int(d) for d in str(f)))
print(hex(2**64 - 1), int("ff" * 10, 16))
print((10**30 + 1) - 10**30, 10**20 // 7, 10**20 / 7)
print(abs(-(10**25)), max(10**25, 10**24 + 10**25))

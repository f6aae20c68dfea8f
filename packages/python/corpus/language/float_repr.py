# float repr is the shortest string that reads back to the same float.
for x in [0.1, 0.1 + 0.2, 1 / 3, 2 / 3, 1e16, 1e15 + 0.5, 123456789.0, 1e-7, 5e-324, 1.7976931348623157e308]:
    print(repr(x))
print(0.1 + 0.2 == 0.3, round(0.1 + 0.2, 10) == 0.3)
print(float("inf"), -float("inf"), float("nan"))
print(2.0**0.5, 10 / 4, 10 // 4, -7 / 2, -7 // 2)
print(float("1_000.5"), int(3.99), int(-3.99), float(10**20))
print(1e22, 1e21, 1e-5, 0.0001)

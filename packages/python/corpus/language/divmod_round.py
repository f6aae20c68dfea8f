# divmod and % follow floor division; round() rounds halves to even.
for a, b in [(17, 5), (-17, 5), (17, -5), (-17, -5)]:
    print(a, b, "divmod:", divmod(a, b), "//:", a // b, "%:", a % b)
print(divmod(7.5, 2), divmod(-7.5, 2))
print([round(x) for x in [0.5, 1.5, 2.5, 3.5, -0.5, -1.5]])
print(round(2.675, 2), round(3.14159, 3), round(1234.5678, -2), round(15, -1), round(25, -1))
print(round(7), type(round(7.2)).__name__, type(round(7.2, 1)).__name__)
print(abs(-3), abs(-2.5), abs(-(10**20)))

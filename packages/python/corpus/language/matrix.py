# Nested lists as matrices: transpose with zip(*rows), multiply with comprehensions.
a = [[1, 2, 3], [4, 5, 6]]
b = [[7, 8], [9, 10], [11, 12]]
transposed = [list(col) for col in zip(*a)]
print("transpose:", transposed)
product = [[sum(x * y for x, y in zip(row, col)) for col in zip(*b)] for row in a]
print("product:", product)
identity = [[1 if r == c else 0 for c in range(3)] for r in range(3)]
for row in identity:
    print(" ".join(str(v) for v in row))
# [[0] * 3] * 3 repeats one row object three times: a classic aliasing trap.
grid = [[0] * 3] * 3
grid[0][0] = 5
print("aliased rows:", grid)

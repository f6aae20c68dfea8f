# Unpacking assigns many names at once, with *rest to collect the leftovers.
a, b, c = [1, 2, 3]
first, *rest = "hello"
*init, last = range(5)
head, *middle, tail = [1, 2, 3, 4, 5]
print(a, b, c, first, rest, init, last, head, middle, tail)
(x, y), z = (1, 2), 3
print(x, y, z)
a, b = b, a
print("swapped:", a, b)
for i, (name, score) in enumerate([("ann", 90), ("bob", 85)]):
    print(i, name, score)
merged = [*range(3), *"ab", *[9]]
print(merged)
options = {**{"a": 1, "b": 2}, "b": 3}
print(options)
try:
    p, q = [1, 2, 3]
except ValueError as e:
    print("ValueError:", e)
try:
    p, q, r = [1, 2]
except ValueError as e:
    print("ValueError:", e)

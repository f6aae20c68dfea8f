# A float is an exact binary fraction: as_integer_ratio shows it; slice.indices resolves a slice.
for x in (0.5, 0.1, 2.5, -1.75, 1e-3, 3.0):
    num, den = x.as_integer_ratio()
    print(x, "=", num, "/", den, num / den == x)
print("0.1 + 0.2 =", (0.1 + 0.2).as_integer_ratio(), "but 0.3 =", (0.3).as_integer_ratio())
print((7).as_integer_ratio(), True.as_integer_ratio())
for bad in (float("inf"), float("nan")):
    try:
        bad.as_integer_ratio()
    except (OverflowError, ValueError) as e:
        print(type(e).__name__, e)

letters = "abcdefgh"
for s in (slice(None), slice(2, -2), slice(None, None, -1), slice(-100, 100, 3)):
    start, stop, step = s.indices(len(letters))
    print(s, (start, stop, step), letters[s] == "".join(letters[i] for i in range(start, stop, step)))
try:
    slice(1).indices(-1)
except ValueError as e:
    print("ValueError:", e)

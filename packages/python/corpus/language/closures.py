# A closure remembers the variables of the function that created it, even after that function returned.
def make_counter(start, step):
    count = start

    def tick():
        nonlocal count
        count += step
        return count

    return tick


by_one = make_counter(0, 1)
by_ten = make_counter(100, 10)
print([by_one() for _ in range(3)])
print([by_ten() for _ in range(3)])
print("independent:", by_one(), by_ten())


def make_multipliers():
    # Each lambda captures `n` through a default argument, freezing its current value.
    return [lambda x, n=n: x * n for n in range(1, 4)]


print([f(10) for f in make_multipliers()])

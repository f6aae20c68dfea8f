# A failing assert raises AssertionError carrying the message after the comma.
def mean(values):
    assert len(values) > 0, "mean() needs at least one value"
    return sum(values) / len(values)


print(mean([1, 2, 3, 4]))
print(mean([]))

# An uncaught ZeroDivisionError deep in a call chain ends the program with exit status 1.
def ratio(a, b):
    return a / b


def average_rate(totals, counts):
    return [ratio(t, c) for t, c in zip(totals, counts)]


def report():
    rates = average_rate([10, 20, 30], [2, 0, 3])
    print("never printed", rates)


print("computing rates")
report()
print("never reached")

# `yield from` delegates to a sub-generator: values pass straight through, its return value comes back.
def countdown(n):
    while n > 0:
        received = yield n
        if received is not None:
            print("countdown got", received)
        n -= 1
    return "liftoff"


def mission():
    result = yield from countdown(3)
    print("sub-generator returned", result)
    yield from ["orbit", "landing"]  # any iterable works too
    return "mission complete"


m = mission()
print(next(m))
print(m.send("a sent value goes to the innermost generator"))
print("delegating to:", m.gi_yieldfrom.__name__)
print(next(m))
print(next(m))
print("delegating to a list iterator:", type(m.gi_yieldfrom).__name__)
print(next(m))
try:
    next(m)
except StopIteration as stop:
    print("StopIteration carries", stop.value)
print("all at once:", list(mission()))

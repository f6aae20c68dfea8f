# f(*iterable) and f(**mapping): what a call with unpacking builds and holds.
# CALL_FUNCTION_EX wants a tuple: an exact tuple is passed as it is, anything else
# (a list, a range, a generator, an object with __getitem__) is first copied into a
# new tuple, which holds a reference to each item for the length of the call.
import sys

x = object()


def count(*args):
    return sys.getrefcount(x)


print("bare name:", sys.getrefcount(x))
items = [x]
print("in a list:", sys.getrefcount(x))
print("f(*list):", count(*items))          # + the call's tuple + the callee's args tuple
print("f(*tuple):", count(*tuple(items)))  # the tuple built for the call is passed as is
print("after the calls:", sys.getrefcount(x))


def show(*args, **kwargs):
    return args, kwargs


print(show(*range(3)), show(*"ab", sep="-"), show(*{1: "one"}))
print(show(*(n * n for n in range(3))), show(1, *[2, 3], 4, *(5,)))


class Squares:
    """The old sequence protocol: __getitem__ until IndexError."""

    def __getitem__(self, i):
        if i >= 4:
            raise IndexError(i)
        return i * i


print(show(*Squares()))


class Settings:
    """Anything with keys() and [] can be unpacked with **."""

    def keys(self):
        return ["colour", "size"]

    def __getitem__(self, key):
        return key.upper()


print(show(**Settings()), {**Settings(), "extra": 1})

for bad in (lambda: show(*5), lambda: print(*None), lambda: show(**[1]),
            lambda: show(a=1, **{"a": 2}), lambda: show(**{1: 2}), lambda: {**3}):
    try:
        bad()
    except TypeError as e:
        print("TypeError:", e)

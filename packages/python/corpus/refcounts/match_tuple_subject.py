# `match a, b:` matches a tuple built for the statement. While the patterns and a guard run,
# that tuple (kept on the value stack) holds one more reference to each item; once a case has
# matched, the subject is dropped before the case's body runs, and the tuple with it.
import enum
import sys


class Color(enum.Enum):
    RED = 1
    GREEN = 2


def refs(obj):
    # Inside a guard: the caller's variable, the subject tuple, and this call's own two.
    print("  in the guard:", sys.getrefcount(obj))
    return True


def describe(color, payload):
    print("before:", sys.getrefcount(payload))
    match color, payload:
        case Color.RED, [x, *rest] if refs(payload):
            print("  red with", x, rest, sys.getrefcount(payload))
        case Color.GREEN, {Color.RED: inner} if refs(payload):
            # A dotted name is a value pattern, also as a mapping key.
            print("  green holding red", inner, sys.getrefcount(payload))
        case _, bytes() | str() as text if len(text) < 4 and refs(payload):
            print("  short text", text, sys.getrefcount(payload))
        case (Color.GREEN, ("a" "b", _)):
            # Adjacent strings in a pattern are one constant, as anywhere else.
            print("  a tuple starting with 'ab'", sys.getrefcount(payload))
        case (other,):
            print("  never: the subject has two items", other)
        case _:
            print("  something else", sys.getrefcount(payload))
    print("after:", sys.getrefcount(payload))


describe(Color.RED, [1, 2, 3])
describe(Color.GREEN, {Color.RED: "r"})
describe(Color.GREEN, b"abc")
describe(Color.GREEN, ("ab", "c"))
describe(Color.GREEN, [])

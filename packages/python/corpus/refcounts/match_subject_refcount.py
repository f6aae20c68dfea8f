# While a case is tried, the match statement holds the subject on the value stack: one more
# reference than the name alone, and one per capture once the pattern has matched.
import sys

subject = [1, 2, 3]
print("before:", sys.getrefcount(subject))


def inside(s):
    match s:
        case (9, *_):
            return "no"
        case [1, *_] if print("in the guard:", sys.getrefcount(s)) is None:
            return "matched"


print(inside(subject))
match subject:
    case [_, *_] as whole:
        print("captured as whole:", sys.getrefcount(subject))
print("after:", sys.getrefcount(subject))

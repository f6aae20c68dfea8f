# The match statement tries each case's pattern in order: literals, captures, sequences,
# mappings, class patterns with __match_args__, alternatives, `as` names and guards.


class Point:
    __match_args__ = ("x", "y")

    def __init__(self, x, y):
        self.x = x
        self.y = y


def describe(subject):
    match subject:
        case 0 | 1 as small:
            return f"small number {small}"
        case [first, *rest] if first > 0:
            return f"list starting with {first}, then {rest}"
        case [*_]:
            return "some other sequence"
        case {"kind": "circle", "r": r, **extra}:
            return f"circle of radius {r}, extra {extra}"
        case {}:
            return "some other mapping"
        case Point(0, y=y):
            return f"point on the y axis at {y}"
        case Point(x, y):
            return f"point at {x}, {y}"
        case str(text) | bytes(text):
            return f"text {text!r}"
        case None:
            return "nothing"
        case _:
            return "something else"


subjects = [0, 1, 7, [3, 4, 5], [-1], (), "ab", b"cd", {"kind": "circle", "r": 2, "c": 1},
            {"kind": "square"}, Point(0, 5), Point(2, 3), None, 2.5]
for s in subjects:
    print(describe(s))

# `match` and `case` are soft keywords: still usable as names.
match = [1, 2]
case = "x"
match match:
    case [case, *_]:
        print("case is now", case)

# sys.getsizeof(o) is o.__sizeof__() plus the bytes before the object: the GC head, a managed dict.
import sys


class Plain:
    pass


class Slotted:
    __slots__ = ("a",)


class Reported:
    """A class may report its own size; getsizeof still adds what lies before the object."""

    def __sizeof__(self):
        return 100


class ReportedSlots:
    __slots__ = ()

    def __sizeof__(self):
        return 100


class ReportedList(list):
    def __sizeof__(self):
        return 100


for o in ([], [1, 2, 3], {}, {"a": 1}, set(), "abc", b"abc", 7, 2**100, 1.5, (1, 2), None):
    print(type(o).__name__, o.__sizeof__(), sys.getsizeof(o))
for o in (Plain(), Slotted()):
    print(type(o).__name__, o.__sizeof__(), object.__sizeof__(o), sys.getsizeof(o))

# object.__sizeof__ counts only the fixed part; list's own __sizeof__ adds the item array.
nums = [1, 2, 3]
print("object.__sizeof__:", object.__sizeof__(nums), "list.__sizeof__:", list.__sizeof__(nums))

print("reported:", sys.getsizeof(Reported()), sys.getsizeof(ReportedSlots()))
print("reported list subclass:", sys.getsizeof(ReportedList()))


class Negative:
    def __sizeof__(self):
        return -1


class NotAnInt:
    def __sizeof__(self):
        return "big"


for cls in (Negative, NotAnInt):
    try:
        sys.getsizeof(cls())
    except (ValueError, TypeError) as e:
        print(cls.__name__, type(e).__name__, e)
# The default answers only for a TypeError.
print("with a default:", sys.getsizeof(NotAnInt(), -1))

# An Enum's members are its named constants: iteration gives them in definition order (aliases
# left out), auto() numbers them, IntEnum members are ints too, and Flag members combine with |.
from enum import Enum, Flag, IntEnum, auto, unique


class Weekday(Enum):
    MONDAY = auto()
    TUESDAY = auto()
    WEDNESDAY = auto()

    def is_start(self):
        return self is Weekday.MONDAY


print(list(Weekday), Weekday.TUESDAY.value, Weekday.MONDAY.is_start())
print(Weekday(3), Weekday["MONDAY"].name, repr(Weekday), len(Weekday))


class Level(IntEnum):
    LOW = 1
    HIGH = 10


print(Level.HIGH > Level.LOW, Level.LOW + 1, sorted([Level.HIGH, Level.LOW]), f"{Level.HIGH}")


class Access(Flag):
    READ = auto()
    WRITE = auto()
    EXECUTE = auto()


rw = Access.READ | Access.WRITE
print(rw, Access.READ in rw, Access.EXECUTE in rw, list(rw), ~Access.READ, bool(Access(0)))

try:

    @unique
    class Status(Enum):
        OK = 0
        FINE = 0

except ValueError as error:
    print("ValueError:", error)

try:
    Weekday(9)
except ValueError as error:
    print("ValueError:", error)
try:
    Weekday.MONDAY = 5
except AttributeError as error:
    print("AttributeError:", error)

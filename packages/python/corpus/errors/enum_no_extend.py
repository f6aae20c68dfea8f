# An enumeration with members is final: deriving from it fails when the class statement runs.
from enum import Enum


class Base(Enum):
    pass


class Size(Base):
    SMALL = 1
    LARGE = 2


print("an empty enum can be extended:", list(Size))


class Bigger(Size):
    HUGE = 3

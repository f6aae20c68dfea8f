# __slots__ instances hold their fields inline; ordinary instances keep attributes in a separate dict.
import sys


class Plain:
    def __init__(self):
        self.x = 1
        self.y = 2


class Slotted:
    __slots__ = ("x", "y")

    def __init__(self):
        self.x = 1
        self.y = 2


p = Plain()
s = Slotted()
print("Plain instance:", sys.getsizeof(p))
print("Slotted instance:", sys.getsizeof(s))
print("Slotted has __dict__:", hasattr(s, "__dict__"))
print("Plain's __dict__:", sys.getsizeof(p.__dict__))

# An abstract base class declares an interface: a class that still has an abstractmethod
# cannot be instantiated (the error names what is missing), and a subclass becomes concrete
# once it overrides every abstract method, abstract properties included.
from abc import ABC, abstractmethod


class Shape(ABC):
    @abstractmethod
    def area(self):
        ...

    @abstractmethod
    def perimeter(self):
        ...

    @property
    @abstractmethod
    def name(self):
        ...

    def describe(self):
        return f"{self.name}: area {self.area()}, perimeter {self.perimeter()}"


class Square(Shape):
    def __init__(self, side):
        self.side = side

    def area(self):
        return self.side**2


class NamedSquare(Square):
    def perimeter(self):
        return 4 * self.side

    @property
    def name(self):
        return "square"


for cls in (Shape, Square):
    try:
        cls(2) if cls is Square else cls()
    except TypeError as e:
        print("TypeError:", e)

print(sorted(Shape.__abstractmethods__))
print(sorted(Square.__abstractmethods__))
print(NamedSquare.__abstractmethods__)

sq = NamedSquare(3)
print(sq.describe())
print(isinstance(sq, Shape), issubclass(NamedSquare, Shape))
print(type(Shape).__name__, type(Shape).__module__)


# Setting __abstractmethods__ by hand marks any class abstract, as ABCMeta does for you.
class Plain:
    pass


Plain.__abstractmethods__ = frozenset({"run"})
try:
    Plain()
except TypeError as e:
    print("TypeError:", e)
Plain.__abstractmethods__ = frozenset()
print(type(Plain()).__name__)

# Subclasses of the immutable built-ins: int, str, tuple and float. The value is fixed when
# the object is made, so a class that wants to shape it does so in __new__, passing the class
# on to the built-in's __new__ with super().__new__(cls, ...). __init__ still runs after, and
# may add attributes. The built-in operators keep working and return the base type.
class Celsius(float):
    def __repr__(self):
        return f"{float(self):.1f}°C"

    def to_fahrenheit(self):
        return Celsius(self * 9 / 5 + 32)


class MyInt(int):
    def double(self):
        return MyInt(self * 2)


class Name(str):
    def __new__(cls, text):
        return super().__new__(cls, " ".join(text.split()).title())

    def __init__(self, text):
        self.original = text


class Point(tuple):
    def __new__(cls, x, y):
        return super().__new__(cls, (x, y))

    def __repr__(self):
        return f"Point(x={self[0]}, y={self[1]})"

    def length_squared(self):
        x, y = self
        return x * x + y * y


t = Celsius(21.5)
print(t, [t], t.to_fahrenheit(), isinstance(t, float))
print(t + 1, type(t + 1).__name__)

n = MyInt(21)
print(n, n.double(), type(n.double()).__name__)
print(n + 1, type(n + 1).__name__, -n, type(-n).__name__, n == 21, n > 3)

name = Name("  ada   lovelace ")
print(name, repr(name), repr(name.original), len(name), name.upper())
print(type(name + "!").__name__, type(str(name)).__name__, name == "Ada Lovelace")

p = Point(3, 4)
print(p, p[0], p.length_squared(), len(p), p == (3, 4), p + (5,), type(p + (5,)).__name__)
print(sorted([Point(2, 1), Point(1, 2)]))
print(MyInt.__mro__[1] is int, issubclass(Point, tuple), type(p) is Point)

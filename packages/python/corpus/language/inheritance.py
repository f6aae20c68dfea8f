# Single inheritance: subclasses extend __init__ through super() and override methods.
class Shape:
    def __init__(self, name):
        self.name = name

    def area(self):
        return 0

    def describe(self):
        return f"{self.name} with area {self.area():.2f}"


class Rectangle(Shape):
    def __init__(self, w, h):
        super().__init__("rectangle")
        self.w = w
        self.h = h

    def area(self):
        return self.w * self.h


class Square(Rectangle):
    def __init__(self, side):
        super().__init__(side, side)
        self.name = "square"


class Circle(Shape):
    def __init__(self, r):
        super().__init__("circle")
        self.r = r

    def area(self):
        return 3.141592653589793 * self.r**2


for s in [Shape("blob"), Rectangle(2, 3.5), Square(4), Circle(1.5)]:
    print(s.describe(), "| is a Rectangle:", isinstance(s, Rectangle))
print(type(Square(1)).__name__, type(Square(1)).__mro__[1].__name__)

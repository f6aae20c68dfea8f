# The built-in types keep their special methods in their class dict, like any class: `1 + 2`
# is `int.__add__(1, 2)`, and when an operand is of a type int does not know, the method says
# so by returning NotImplemented, so that Python can ask the other operand's reflected method.
print(int.__add__(1, 2), (1).__add__(2), int.__radd__(1, 2))
print((1).__add__("a"), (1).__add__(1.5), float.__radd__(1.5, 1))
print(1 + 1.5, "-> int gave up, float.__radd__ answered")

# The class's dict is read-only: a mappingproxy of the type's own names.
d = int.__dict__
print(type(d).__name__, "__add__" in d, "__iadd__" in d, "append" in list.__dict__)
try:
    d["__add__"] = None
except TypeError as e:
    print("TypeError:", e)

# From the class a special method is a slot wrapper; from an object, a method-wrapper bound to it.
print(int.__add__)
w = (5).__add__
print(type(w).__name__, w.__self__, w(10))

# Every class inherits object's: identity for ==, and != as the inverse of ==.
class Point:
    def __init__(self, x):
        self.x = x

p = Point(1)
print(object.__eq__(p, p), object.__eq__(p, Point(1)), p == Point(1), p != p)
print(object.__repr__(p).startswith("<__main__.Point object at 0x"))
print(Point.__str__ is object.__str__, Point.__hash__ is object.__hash__)

# Lists, dicts and sets are unhashable: their dict sets __hash__ to None.
print(list.__hash__, dict.__hash__, [].__hash__)
print([1, 2].__eq__([1, 2]), [1].__lt__([2]), [1].__eq__((1,)), {1: 2}.__or__({3: 4}))

# A subclass reaches its base's method through super(), and the base returns NotImplemented
# for what it does not handle.
class Money(int):
    def __add__(self, other):
        result = super().__add__(other)
        return result if result is NotImplemented else Money(result)

    def __repr__(self):
        return f"Money({int(self)})"

print(Money(3) + 4, Money(3) + 0.5, Money(3).__add__("x"))

# type's methods take the class: its subclasses, its MRO.
class Shape:
    pass

class Circle(Shape):
    pass

class Square(Shape):
    pass

print(type.__subclasses__(Shape), Shape.__subclasses__() == type.__subclasses__(Shape))
print(type.mro(Circle))

# __import__ is what the import statement calls: it returns the top package of a dotted name.
math = __import__("math")
print(math.floor(2.5), __import__("os.path").__name__, __import__("os.path", fromlist=["join"]).join("a", "b"))

# A subclass of a built-in may override the special methods its base answers for: the
# in-place operators (+=), __hash__ and __eq__ (which decide how its instances behave as
# dict keys), and the arithmetic operators. A subclass on the right of an operator gets
# the first word when it overrides the reflected method (__radd__).
class Log(list):
    def __iadd__(self, other):
        print("  Log.__iadd__ got", other)
        self.append(other)
        return self


log = Log()
log += [1, 2]
log += "x"
print(log, type(log).__name__)


class Money(int):
    def __add__(self, other):
        return Money(int(self) + int(other))

    __radd__ = __add__

    def __repr__(self):
        return f"${int(self)}"


print(Money(5) + 3, 3 + Money(5), sum([Money(1), Money(2)], Money(0)))
total = Money(10)
total += 5
print(total, type(total).__name__)


class Frozen(set):
    def __hash__(self):
        return hash(frozenset(self))


seen = {Frozen({1, 2}): "first"}
print(seen[Frozen({2, 1})])


class Bucket(dict):
    def __eq__(self, other):
        return len(self) == len(other)

    __hash__ = object.__hash__


b = Bucket(a=1)
print(b == {"z": 9}, b != {}, {b: 1}[b])


class Unhashable(int):
    def __eq__(self, other):
        return int(self) % 10 == int(other) % 10


print(Unhashable(13) == 3)
try:
    {Unhashable(1): 1}
except TypeError as error:
    print("TypeError:", error)

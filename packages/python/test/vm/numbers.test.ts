// The numbers module against python3: the abstract tower, the registered built-in types, the
// abstract methods a subclass must define and the mixin methods each level gives.

import { describeAgainstPython } from "./against-python.js";

describeAgainstPython("numbers", [
  [
    "the tower, registrations and mixins",
    `import numbers
kinds = [numbers.Number, numbers.Complex, numbers.Real, numbers.Rational, numbers.Integral]
for v in [1, True, 1.5, 2j, "x", None]:
    print(repr(v), [k.__name__ for k in kinds if isinstance(v, k)])
print([k.__name__ for k in numbers.Integral.__mro__], numbers.__all__)
print(sorted(numbers.Real.__abstractmethods__))
print(sorted(numbers.Integral.__abstractmethods__))
class Meters(numbers.Real):
    def __init__(self, v): self.v = v
    def __float__(self): return float(self.v)
    def __trunc__(self): return int(self.v)
    def __floor__(self): return int(self.v // 1)
    def __ceil__(self): return -int(-self.v // 1)
    def __round__(self, n=None): return round(self.v, n)
    def __floordiv__(self, o): return self.v // o
    def __rfloordiv__(self, o): return o // self.v
    def __mod__(self, o): return self.v % o
    def __rmod__(self, o): return o % self.v
    def __lt__(self, o): return self.v < o
    def __le__(self, o): return self.v <= o
    def __add__(self, o): return Meters(self.v + o)
    def __radd__(self, o): return Meters(o + self.v)
    def __neg__(self): return Meters(-self.v)
    def __pos__(self): return Meters(self.v)
    def __mul__(self, o): return Meters(self.v * o)
    def __rmul__(self, o): return Meters(o * self.v)
    def __truediv__(self, o): return Meters(self.v / o)
    def __rtruediv__(self, o): return Meters(o / self.v)
    def __pow__(self, o): return Meters(self.v ** o)
    def __rpow__(self, o): return Meters(o ** self.v)
    def __abs__(self): return Meters(abs(self.v))
    def __eq__(self, o): return self.v == o
    def __repr__(self): return f"Meters({self.v})"
m = Meters(7.5)
print(complex(m), m.real, m.imag, m.conjugate(), divmod(m, 2), (m - 1.5), bool(m), isinstance(m, numbers.Complex))
class Half(numbers.Real):
    pass
try:
    Half()
except TypeError as e:
    print(e)
print(numbers.Number.__hash__, hash(1))`,
  ],
]);

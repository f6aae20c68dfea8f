# A diamond: D derives from B and C, which both derive from A. The C3 method resolution order
# puts every class once, each before its bases (D, B, C, A, object), so cooperative super()
# calls reach A.__init__ exactly once, and each class consumes the keyword it knows.
class A:
    def __init__(self, **rest):
        print("A.__init__, left over:", rest)
        super().__init__()

    def greet(self):
        return ["A"]


class B(A):
    def __init__(self, b=None, **rest):
        print("B.__init__ b =", b)
        self.b = b
        super().__init__(**rest)

    def greet(self):
        return ["B"] + super().greet()


class C(A):
    def __init__(self, c=None, **rest):
        print("C.__init__ c =", c)
        self.c = c
        super().__init__(**rest)

    def greet(self):
        return ["C"] + super().greet()


class D(B, C):
    def __init__(self, **kw):
        print("D.__init__")
        super().__init__(**kw)

    def greet(self):
        return ["D"] + super().greet()


print([k.__name__ for k in D.__mro__])
print([k.__name__ for k in D.mro()])
print([k.__name__ for k in D.__bases__], D.__base__.__name__)

d = D(b=1, c=2, extra=3)
print(d.b, d.c)
print(d.greet())
# super(C, d) starts the search after C in d's MRO: at A, not at C's base by definition.
print(super(B, d).greet(), super(C, d).greet())
print(isinstance(d, B), isinstance(d, C), issubclass(D, A), issubclass(B, C))

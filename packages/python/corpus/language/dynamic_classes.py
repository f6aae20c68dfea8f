# type(name, bases, namespace) makes the same class a class statement does: type is the
# metaclass of every plain class, and a class is an object like any other.
def make_point_class(dims):
    names = "xyz"[:dims]

    def __init__(self, *coords):
        for n, c in zip(names, coords):
            setattr(self, n, c)

    def __repr__(self):
        inner = ", ".join(f"{n}={getattr(self, n)}" for n in names)
        return f"{type(self).__name__}({inner})"

    return type(f"Point{dims}D", (), {"__init__": __init__, "__repr__": __repr__, "dims": dims})


P2 = make_point_class(2)
P3 = make_point_class(3)
print(P2(1, 2), P3(1, 2, 3))
print(type(P2) is type, isinstance(P3, type), P2.__name__, P2.__bases__)


class Statement:
    dims = 2


Dynamic = type("Statement", (), {"dims": 2})
print(type(Statement) is type(Dynamic), Statement.__dict__["dims"] == Dynamic.__dict__["dims"])
Child = type("Child", (P2,), {"extra": True})
print(Child(5, 6), Child.__mro__[1].__name__, Child.extra)

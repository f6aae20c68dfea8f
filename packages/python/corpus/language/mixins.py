# Mixins: small classes that add one behaviour each, combined with a main base. A mixin listed
# before a built-in base overrides the built-in's special methods; one listed after it does
# not, because the built-in comes first in the MRO.
class ReprMixin:
    def __repr__(self):
        fields = ", ".join(f"{k}={v!r}" for k, v in sorted(vars(self).items()))
        return f"{type(self).__name__}({fields})"


class CompareMixin:
    def __eq__(self, other):
        return type(self) is type(other) and vars(self) == vars(other)

    def __hash__(self):
        return hash(tuple(sorted(vars(self).items())))


class DescribeMixin:
    def describe(self):
        return " ".join(f"{k}:{v}" for k, v in sorted(vars(self).items()))


class Point(ReprMixin, CompareMixin, DescribeMixin):
    def __init__(self, x, y):
        self.x = x
        self.y = y


p = Point(1, 2)
print(p, p == Point(1, 2), p == Point(2, 1), len({p, Point(1, 2)}))
print(p.describe())
print([k.__name__ for k in Point.__mro__])


class Shouting:
    def __repr__(self):
        return "SHOUTING " + super().__repr__()

    def __len__(self):
        return 100 + super().__len__()


class Loud(Shouting, list):
    pass


class Quiet(list, Shouting):
    pass


print(repr(Loud([1, 2])), len(Loud([1, 2])))
print(repr(Quiet([1, 2])), len(Quiet([1, 2])))
print(Loud.__base__.__name__, Quiet.__base__.__name__)

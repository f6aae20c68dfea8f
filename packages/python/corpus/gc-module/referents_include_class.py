# gc.get_referents of an instance lists its class too: the collector sees that reference.
import gc


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y


class Pair:
    __slots__ = ("first", "second")

    def __init__(self, first, second):
        self.first = first
        self.second = second


class Bare:
    __slots__ = ()


class NotFound(LookupError):
    pass


def names(objs):
    return [o.__name__ if isinstance(o, type) else repr(o) for o in objs]


p = Point(1, 2)
print("Point:", names(gc.get_referents(p)))
p.__dict__  # now the attributes live in a dict of the instance's own
print("Point with its dict:", [type(o).__name__ for o in gc.get_referents(p)])
print("Pair:", names(gc.get_referents(Pair("a", "b"))))
print("Bare:", names(gc.get_referents(Bare())), gc.is_tracked(Bare()))
print("NotFound:", names(gc.get_referents(NotFound("key"))))
print("Point class among the referents:", Point in gc.get_referents(p))

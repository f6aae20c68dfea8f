# Names written __name inside a class body are private: the compiler renames them _Class__name,
# so a subclass's __name does not clash with its base's. Slots are renamed the same way.
import sys


class Base:
    def __init__(self):
        self.__secret = "base"
        self.public = 1

    def reveal(self):
        return self.__secret


class Child(Base):
    def __init__(self):
        super().__init__()
        self.__secret = "child"  # another attribute: _Child__secret

    def mine(self):
        return self.__secret


c = Child()
print(sorted(vars(c)), c.reveal(), c.mine())
print(c._Base__secret, hasattr(c, "__secret"))
try:
    c.__secret
except AttributeError as e:
    print("AttributeError:", e)


class Slotted:
    __slots__ = ("__hidden", "shown", "__dunder__")

    def __init__(self):
        self.__hidden = 1
        self.shown = 2


s = Slotted()
print(sorted(k for k in Slotted.__dict__ if not k.startswith("__") or k == "__dunder__"))
print(s._Slotted__hidden, sys.getsizeof(s))


# Leading underscores of the class name are dropped; dunder names are never renamed.
class _Quiet:
    __level = 3

    def level(self):
        return self.__level, self.__class__.__name__


print(_Quiet().level(), "_Quiet__level" in vars(_Quiet))


# Nested functions and comprehensions inside a method use the class's renaming too.
class Counter:
    def __init__(self):
        self.__n = 0

    def bump(self, times):
        def once():
            self.__n += 1
        for _ in range(times):
            once()
        return [self.__n for _ in range(2)]


print(Counter().bump(3))

# isinstance and issubclass ask the class's metaclass: ABCMeta answers for classes that were
# registered as virtual subclasses and for those a __subclasshook__ accepts (duck typing),
# though neither inherits anything from the ABC.
from abc import ABC, ABCMeta, abstractmethod


class Drawable(metaclass=ABCMeta):
    @classmethod
    def __subclasshook__(cls, C):
        if cls is Drawable:
            return callable(getattr(C, "draw", None))
        return NotImplemented


class Picture:
    def draw(self):
        return "picture"


print(isinstance(Picture(), Drawable), issubclass(Picture, Drawable))
print(isinstance(3, Drawable), issubclass(int, Drawable))
print(Drawable in Picture.__mro__)


class Sequenceish(ABC):
    @abstractmethod
    def __getitem__(self, index):
        ...


Sequenceish.register(tuple)


@Sequenceish.register
class Row:
    def __getitem__(self, index):
        return index


print(isinstance((1, 2), Sequenceish), isinstance([1, 2], Sequenceish))
print(issubclass(Row, Sequenceish), Row.__name__)
try:
    Sequenceish.register("tuple")
except TypeError as e:
    print("TypeError:", e)


# A metaclass can define the hooks itself.
class Even(type):
    def __instancecheck__(cls, obj):
        return isinstance(obj, int) and obj % 2 == 0

    def __subclasscheck__(cls, sub):
        return sub is bool


class EvenNumber(metaclass=Even):
    pass


print([n for n in range(7) if isinstance(n, EvenNumber)])
print(issubclass(bool, EvenNumber), issubclass(int, EvenNumber))
print(isinstance(4, (str, EvenNumber)))

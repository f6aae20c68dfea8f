# collections.abc's ABCs are both a test and a toolkit: isinstance([], Sequence) is true
# because list is registered, and a class that defines only __getitem__ and __len__ gets
# index, count, __contains__, __iter__ and __reversed__ from Sequence for free.
from collections.abc import Iterable, Mapping, MutableSequence, Sequence, Sized


class Countdown(Sequence):
    def __init__(self, start):
        self.start = start

    def __getitem__(self, i):
        if not 0 <= i < self.start:
            raise IndexError(i)
        return self.start - i

    def __len__(self):
        return self.start


c = Countdown(5)
print(list(c), list(reversed(c)), 3 in c, c.index(2), c.count(1))
print(isinstance([], Sequence), isinstance((), MutableSequence), isinstance({}, Mapping))
print(isinstance(c, Iterable), isinstance(c, MutableSequence))


class Bag:
    def __len__(self):
        return 0


print(isinstance(Bag(), Sized), issubclass(Bag, Iterable))
try:
    Sequence()
except TypeError as e:
    print(e)

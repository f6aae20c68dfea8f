# list(iterable) asks the iterable how many items to expect (__length_hint__) and allocates
# that many slots up front; without a hint it grows the list as it goes, over-allocating.
import sys

words = ["ant", "bee", "cat", "dog", "eel", "fox", "gnu", "hen", "ibis"]
it = iter(words)
next(it)
print("list_iterator hint:", it.__length_hint__())
print("from a list iterator:", sys.getsizeof(list(it)), "bytes")
print("exhausted hint:", it.__length_hint__())

d = dict.fromkeys(words)
print("dict key iterator hint:", iter(d).__length_hint__(), reversed(d).__length_hint__())
print("set iterator hint:", iter(set(words)).__length_hint__())
print("str iterator hint:", iter("naïve ☃").__length_hint__())
print("range iterator hint:", iter(range(0, 100, 7)).__length_hint__())

# A generator cannot know its length: the list grows by appends and ends bigger.
print("exact hint:  ", sys.getsizeof(list(iter(words))))
print("no hint:     ", sys.getsizeof(list(w for w in words)))


class Countdown:
    def __init__(self, n):
        self.n = n

    def __iter__(self):
        return self

    def __next__(self):
        if self.n == 0:
            raise StopIteration
        self.n -= 1
        return self.n

    def __length_hint__(self):
        return self.n


print("own hint:    ", sys.getsizeof(list(Countdown(9))))

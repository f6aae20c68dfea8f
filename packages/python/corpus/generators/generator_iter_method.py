# A class whose __iter__ is a generator function: iter() (and every for loop) calls it and gets
# a generator whose suspended frame holds `self`, so the object lives as long as the iteration.
import gc
import sys


class Playlist:
    def __init__(self, *songs):
        self.songs = list(songs)

    def __iter__(self):
        for song in self.songs:
            yield song.upper()


p = Playlist("intro", "verse", "outro")
base = sys.getrefcount(p)
it = iter(p)
print(type(it).__name__, it.__name__, it.__qualname__)
print(sys.getrefcount(p) - base)  # nothing ran yet, but the frame already holds self
print(next(it), sys.getrefcount(p) - base)
print(list(it), sys.getrefcount(p) - base)  # finished: the frame let go of self

# Every for loop makes a fresh generator; nested loops over one object are independent.
pairs = [(a, b) for a in p for b in p if a < b]
print(pairs)

# Deleting the last name of an object being iterated does not free it: the generator holds it.
class Noisy(Playlist):
    def __del__(self):
        print("freed", self.songs)


n = Noisy("a", "b")
walk = iter(n)
print(next(walk))
del n
print("still iterating:", next(walk))
del walk  # the generator closes, its frame drops self, and the object goes
print(gc.collect())

# map() and sorted() call __iter__ the same way.
print(sorted(p), list(map(len, p)), sum(1 for _ in p), max(p))

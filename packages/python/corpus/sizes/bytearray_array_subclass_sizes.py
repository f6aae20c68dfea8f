# A subclass of bytearray or array.array adds to the built-in object what a class statement
# adds: the managed __dict__'s two words before the GC head, a __weakref__ slot (bytearray has
# none of its own; array does), and a GC head for bytearray, which alone is no container.
import array
import gc
import sys


class Buf(bytearray):
    pass


class Arr(array.array):
    pass


print("bytearray:", sys.getsizeof(bytearray(b"abc")), gc.is_tracked(bytearray(b"abc")))
print("Buf:      ", sys.getsizeof(Buf(b"abc")), gc.is_tracked(Buf(b"abc")))
print("array:    ", sys.getsizeof(array.array("i", [1, 2])), gc.is_tracked(array.array("i")))
print("Arr:      ", sys.getsizeof(Arr("i", [1, 2])), gc.is_tracked(Arr("i")))


class Tight(bytearray):
    __slots__ = ()


print("no dict:  ", sys.getsizeof(Tight(b"abc")))

# An int's block is 32 bytes either way, but tracemalloc sees what CPython asked for: an int
# that len(), str.find() or list.index() return is made by PyLong_FromSsize_t, which allocates
# exactly its digits (24 + 4 = 28 bytes for one); an int from arithmetic or ord() is made by
# _PyLong_FromMedium, which asks for the whole 32-byte struct. sys.getsizeof says 28 for both.
import sys
import tracemalloc

text = "x" * 300
numbers = list(range(1000))
readings = [0, 0]


def traced(make):
    make()
    tracemalloc.start()
    readings[0] = tracemalloc.get_traced_memory()[0]
    value = make()
    readings[1] = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return value, sys.getsizeof(value), readings[1] - readings[0]


traced(lambda: 0)
print("len(text)       ", *traced(lambda: len(text)))
print("text.find('y')  ", *traced(lambda: (text + "y").find("y")))
print("numbers.index   ", *traced(lambda: numbers.index(700)))
print("len(text) + 1   ", *traced(lambda: len(text) + 1))
print("ord('\\u4e00')   ", *traced(lambda: ord("\u4e00")))
print("numbers[999] * 2", *traced(lambda: numbers[999] * 2))

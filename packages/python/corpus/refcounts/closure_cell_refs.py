# A closure keeps its captured object alive through a cell, one reference for all inner functions.
import sys

captured = [1, 2]
base = sys.getrefcount(captured)


def outer(value):
    def read():
        return len(value)

    def write():
        value.append(0)

    return read, write


read, write = outer(captured)
# The frame is gone; the cell (shared by both inner functions) holds the only new reference.
print("delta with closures alive:", sys.getrefcount(captured) - base)
write()
print("length via closure:", read())
del read, write
print("delta after closures dropped:", sys.getrefcount(captured) - base)

# Without `with`, a file is closed when its last reference goes: the TextIOWrapper's finalizer
# closes it (flushing what was buffered), then the buffer and the raw FileIO die after it.
import os
import sys


def write_and_forget():
    f = open("refcount.txt", "w")
    f.write("written, still in the buffer\n")
    return f.buffer.raw  # keep only the lowest layer


raw = write_and_forget()
# The wrapper and its buffer are gone: their last reference was the function's local.
print("raw file closed:", raw.closed)
print("references to raw:", sys.getrefcount(raw) - 1)
with open("refcount.txt") as g:
    print("content:", g.read().rstrip())

f = open("refcount.txt", "a")
f.write("appended\n")
with open("refcount.txt") as g:
    print("before del, lines on disk:", len(g.readlines()))
del f  # the buffered text is written when the wrapper dies
with open("refcount.txt") as g:
    print("lines now:", len(g.readlines()))
os.remove("refcount.txt")

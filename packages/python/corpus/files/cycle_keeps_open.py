# A file object in a reference cycle is not closed when the program drops it: only the cycle
# collector finds it. The collector then runs the finalizers of the wrapper and of its buffer
# in the order it meets them; the buffer (made first) closes first, before the wrapper hands
# down the text it was still holding, so that text never reaches the file. Close files.
import gc
import os

gc.disable()
f = open("cycle.txt", "w")
f.me = f  # the wrapper's own __dict__ refers back to it
raw = f.buffer.raw
f.write("held by the wrapper until it flushes\n")
del f

with open("cycle.txt") as g:
    print("before collect, on disk:", repr(g.read()))
print("raw closed:", raw.closed)

found = gc.collect()
print("collected something:", found > 0)
print("raw closed:", raw.closed)
with open("cycle.txt") as g:
    print("after collect, on disk:", repr(g.read()))
os.remove("cycle.txt")
gc.enable()

# CPython 3.11 keeps the last slice object it freed (one, the interpreter's `slice_cache`) and
# makes the next slice in it: a dropped slice leaves its block allocated, and the next slice,
# whether written `slice(a, b)` or made by `x[a:b]`, takes that block without allocating.
# gc.collect() empties the free lists of floats, tuples, lists and dicts, but not this cache.
import gc
import sys

words = ["a", "b", "c", "d", "e"]
for _ in range(100):
    part = words[1:3]
del part

s = slice(1, 2)
first = id(s)
del s
t = slice(3, 4)
same = id(t) == first

# Each count read below is an int of its own block, kept in a variable: 1 of each difference.
b0 = sys.getallocatedblocks()
del t
b1 = sys.getallocatedblocks()
for _ in range(100):
    part = words[1:3]
del part
b2 = sys.getallocatedblocks()

k = slice(0, 1)
kept = id(k)
del k
gc.collect()
w = slice(7, 8)
survived = id(w) == kept
del w

a = slice(1, 2)
b = slice(3, 4)
b3 = sys.getallocatedblocks()
del a
del b
b4 = sys.getallocatedblocks()

print("the next slice is made in the one freed last:", same)
print("dropping a slice frees no block:", b1 - b0 - 1 == 0)
print("100 more slicings leave no block behind:", b2 - b1 - 1 == 0)
print("after gc.collect() the cached slice is still there:", survived)
print("dropping two slices frees one block:", b3 - b4 + 1)

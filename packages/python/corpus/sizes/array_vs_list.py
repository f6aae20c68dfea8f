# array.array stores raw machine values side by side, where a list stores pointers to separate
# int or float objects: the same numbers take a fraction of the memory, and the array grows its
# one buffer with a smaller over-allocation than a list's.
import sys
from array import array

print("empty array('i'):", sys.getsizeof(array("i")), "bytes; empty list:", sys.getsizeof([]))

numbers = list(range(1000, 2000))
packed = array("i", numbers)  # sized exactly: 1000 items of 4 bytes
list_total = sys.getsizeof(numbers) + sum(sys.getsizeof(n) for n in numbers)
print("list + its ints:", list_total, "bytes")
print("array('i'):     ", sys.getsizeof(packed), "bytes, itemsize", packed.itemsize)
print("array('d') of the same values:", sys.getsizeof(array("d", numbers)))

# Appending one at a time over-allocates: the size jumps, then stays put for a few appends.
grown = array("d")
last = sys.getsizeof(grown)
for i in range(40):
    grown.append(i * 0.5)
    size = sys.getsizeof(grown)
    if size != last:
        print(f"len {len(grown):2}: {last} -> {size}")
        last = size

# Emptying the array frees its buffer entirely.
del grown[:]
print("after del grown[:]:", sys.getsizeof(grown), grown)
print(packed[:3], packed.tobytes()[:8])

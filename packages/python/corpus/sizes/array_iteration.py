# Iterating an array.array: iter() makes one small arrayiterator (56 bytes with its GC head)
# that reads each item from the array's buffer when it is asked for it. No list of the items is
# built first, so the memory a loop holds does not grow with the array, and an item appended
# while the loop runs is still seen.
import sys
import tracemalloc
from array import array

numbers = array("i", range(10_000))
it = iter(numbers)
print(type(it).__name__, sys.getsizeof(it), "bytes")
print("references to the array (its name, the iterator):", sys.getrefcount(numbers) - 1)

# Measured first, printed after: printing between the measurements would count print's own
# allocations.
tracemalloc.start()
before = tracemalloc.get_traced_memory()[0]
it = iter(numbers)
held = tracemalloc.get_traced_memory()[0] - before
first = next(it)
total = first + sum(it)
peak = tracemalloc.get_traced_memory()[1] - before
tracemalloc.stop()
print("iterator:", held, "bytes traced; peak while summing:", peak, "bytes")
print("sum:", total)

# An exhausted iterator lets the array go.
print("references after the loop:", sys.getrefcount(numbers) - 1)

grow = array("b", [1, 2])
seen = []
for x in grow:
    seen.append(x)
    if x < 4:
        grow.append(x + 2)
print(seen, grow)

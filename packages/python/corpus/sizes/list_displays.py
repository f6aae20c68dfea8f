# How a list is built decides its capacity: exact for displays of names, over-allocated for others.
import sys

k = 1
print("[]:", sys.getsizeof([]))
# A display of names is built with exactly three slots.
print("[k, k, k]:", sys.getsizeof([k, k, k]))
# A display of constants is built by extending an empty list with a constant tuple.
print("[1, 2, 3]:", sys.getsizeof([1, 2, 3]))
print("list((1, 2, 3)):", sys.getsizeof(list((1, 2, 3))))
# Repetition allocates exactly.
print("[0] * 10:", sys.getsizeof([0] * 10))
# A comprehension appends one by one.
print("comprehension of 10:", sys.getsizeof([i for i in range(10)]))
print("list(range(10)):", sys.getsizeof(list(range(10))))

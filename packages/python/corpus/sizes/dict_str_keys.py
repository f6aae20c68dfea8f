# Dicts whose keys are all strs use a compact entry layout without stored hashes.
import sys

print("{'a': 1}:", sys.getsizeof({"a": 1}))
print("{1: 1}:", sys.getsizeof({1: 1}))
names = {}
numbers = {}
for i in range(10):
    names["k" + str(i)] = i
    numbers[i] = i
print("10 str keys:", sys.getsizeof(names))
print("10 int keys:", sys.getsizeof(numbers))

# A dict holds references to its values (and keys); deleting an entry releases them.
import sys

value = [1.5]
table = {}
print("before insert:", sys.getrefcount(value))

table["a"] = value
table["b"] = value
print("as two values:", sys.getrefcount(value))

# Overwriting a value drops the old reference.
table["a"] = None
print("after overwrite:", sys.getrefcount(value))

del table["b"]
print("after del table['b']:", sys.getrefcount(value))
print("keys left:", sorted(table))

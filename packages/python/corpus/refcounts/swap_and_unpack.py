# Unpacking and swapping rebinding names never changes how many names refer to each object.
import sys

left = [1]
right = [2]
print("before:", sys.getrefcount(left), sys.getrefcount(right))

left, right = right, left
print("after swap:", sys.getrefcount(left), sys.getrefcount(right))
print("values:", left, right)

# Unpacking into three names from one list makes three owners of the same object.
x, y, z = [left] * 3
print("left after x, y, z:", sys.getrefcount(left))
del x, y, z
print("left after del:", sys.getrefcount(left))

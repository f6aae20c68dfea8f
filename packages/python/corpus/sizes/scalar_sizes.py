# Fixed-size objects: every float is 24 bytes, True is an int, None is a bare object header.
import sys

print("float:", sys.getsizeof(1.5), sys.getsizeof(1e300))
print("True:", sys.getsizeof(True), "False:", sys.getsizeof(False))
print("None:", sys.getsizeof(None))
print("object():", sys.getsizeof(object()))

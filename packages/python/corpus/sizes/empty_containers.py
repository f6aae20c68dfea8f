# The sizes of empty containers show each type's fixed header.
import sys

k = 0
for label, value in [
    ("list", []),
    ("tuple", ()),
    ("dict", {}),
    ("set", set()),
    ("str", ""),
    ("bytes", b""),
    ("range", range(k)),
]:
    print(label, sys.getsizeof(value))

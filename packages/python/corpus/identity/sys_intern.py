# sys.intern maps equal strings to one shared object, so later comparisons can use identity.
import sys

parts = ["user", "name", "user", "name"]
keys = [parts[i] + "_" + parts[i + 1] for i in [0, 2]]
print("equal:", keys[0] == keys[1], "identical:", keys[0] is keys[1])
interned = [sys.intern(k) for k in keys]
print("after intern identical:", interned[0] is interned[1])
# Interning returns the first object interned for that value.
print("first one kept:", interned[0] is keys[0])
print("second one replaced:", interned[1] is keys[1])

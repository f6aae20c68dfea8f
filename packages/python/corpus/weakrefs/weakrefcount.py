# getweakrefcount counts weak references; a plain ref without callback is shared, not duplicated.
import weakref


class Node:
    pass


n = Node()
print("none yet:", weakref.getweakrefcount(n))
r1 = weakref.ref(n)
r2 = weakref.ref(n)
# Without a callback CPython hands back the existing ref object.
print("r1 is r2:", r1 is r2, "count:", weakref.getweakrefcount(n))
r3 = weakref.ref(n, lambda ref: None)
print("with a callback ref:", weakref.getweakrefcount(n))
print("getweakrefs length:", len(weakref.getweakrefs(n)))
del r1, r2
print("after dropping the shared ref:", weakref.getweakrefcount(n))

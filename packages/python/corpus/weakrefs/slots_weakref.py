# Instances of a class with __slots__ support weak references only if '__weakref__' is a slot.
import weakref


class Compact:
    __slots__ = ("x",)


class CompactWeak:
    __slots__ = ("x", "__weakref__")


try:
    weakref.ref(Compact())
except TypeError as e:
    print("Compact:", e)

obj = CompactWeak()
r = weakref.ref(obj)
print("CompactWeak:", r() is obj)
del obj
print("dead:", r() is None)

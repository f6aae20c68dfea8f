# A weak reference does not keep its target alive; once the target dies, calling the ref gives None.
import weakref


class Target:
    def __init__(self, name):
        self.name = name


t = Target("alpha")
r = weakref.ref(t)
print("alive:", r() is t, r().name)
del t
print("after del:", r())
print("is None:", r() is None)

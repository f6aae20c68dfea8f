# A class dropped while instances live stays alive: each instance holds it, and __del__ still runs.
import gc
import weakref


class Resource:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print("closing", self.name, "via", type(self).__name__)


gone = weakref.ref(Resource, lambda ref: print("class Resource is gone"))
a = Resource("a")
b = Resource("b")
del Resource
print("class name dropped, alive:", gone() is not None)
del a
print("one instance left, alive:", gone() is not None)
del b
# A class is in a cycle with its own __mro__, so only the collector frees it.
print("no instance left, alive:", gone() is not None)
gc.collect()
print("after collect, alive:", gone() is not None)
